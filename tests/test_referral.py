"""The referral program: program data to pages and terms, the personal link, the friend's landing."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image
from playwright.sync_api import Page, expect
from programs import as_model, charitable, serving
from sitefactory import PROGRAM, add_program, make_site, write

from sitegen.build.pipeline import build
from sitegen.cli import main
from sitegen.core.errors import ContentError
from sitegen.serve import server as serve

CHARITABLE = charitable(
    20,
    "a $20 donation to the charity you choose",
    [
        "Austin Food Bank Friends\n    description: Meals for families in Travis County.",
        "Hill Country Literacy Trust",
    ],
)

TIERED = as_model(
    """model: tiered
tiers:
  - name: Friend
    referrals: 1
    reward: {kind: spend_card, value: 15, description: a $15 spend card}
  - name: Advocate
    referrals: 3
    reward: {kind: product, value: 40, description: a skincare kit worth $40}
extras:
  - kind: seminar
    value: 0
    description: an invitation to our skin-health evening
"""
)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def built(tmp_path: Path, program: str, today: date = date(2026, 6, 1)) -> Path:
    site = make_site(tmp_path)
    add_program(site, program)
    build(site, site / "public", today=today)
    return site


@pytest.mark.parametrize(
    ("program", "rewards"),
    [
        (PROGRAM, ["a $10 account credit", "$10 off a first treatment"]),
        (
            CHARITABLE,
            [
                "a $20 donation to the charity you choose",
                "Austin Food Bank Friends",
                "Hill Country Literacy Trust",
            ],
        ),
        (
            TIERED,
            [
                "a $15 spend card",
                "a skincare kit worth $40",
                "an invitation to our skin-health evening",
                "Advocate, after 3",
            ],
        ),
    ],
    ids=["direct", "charitable", "tiered"],
)
def test_each_model_builds_its_page_and_complete_terms(
    tmp_path: Path, program: str, rewards: list[str]
) -> None:
    site = built(tmp_path, program)
    refer = text_of((site / "public" / "refer" / "index.html").read_text())
    terms = text_of((site / "public" / "refer" / "terms" / "index.html").read_text())
    for reward in rewards:
        assert reward in terms, reward
        assert reward.split(",")[0] in refer or reward.startswith("Advocate"), reward
    for clause in [
        "Version 1.0, effective January 1, 2026",
        "Patients aged 18 or over.",
        "Someone who has not visited in three years.",
        "completes a first paid visit within 60 days",
        "Within 14 days of the friend's first paid visit.",
        "Rewards have no cash value.",
        "We store your first name and email",
        "We may change the program",
        "Medicare, Medicaid, TRICARE",
    ]:
        assert clause in terms, clause
    assert (
        "Get your referral link" in refer
        and 'name="enroll"' in (site / "public" / "refer" / "index.html").read_text()
    )


def test_personal_links_redirect_to_the_welcome_page(tmp_path: Path) -> None:
    site = built(tmp_path, PROGRAM)
    assert "/r/:code  /welcome/?ref=:code  302" in (site / "public" / "_redirects").read_text()
    welcome = (site / "public" / "welcome" / "index.html").read_text()
    assert 'name="appointment"' in welcome and 'data-fill-from="ref"' in welcome


def test_the_promotion_kit_is_written_beside_the_site_not_into_it(tmp_path: Path) -> None:
    site = built(tmp_path, PROGRAM)
    kit = site / "promotion-kit"
    assert {p.name for p in kit.iterdir()} >= {
        "newsletter.md",
        "appointment-confirmation.txt",
        "post-visit-follow-up.txt",
        "sms.txt",
    }
    assert "https://www.example.com/refer/" in (kit / "newsletter.md").read_text()
    assert not any("promotion" in p.relative_to(site).as_posix() for p in (site / "public").rglob("*"))


@pytest.mark.browser
def test_printable_card_qr_code_decodes_to_the_program_page(tmp_path: Path, page: Page) -> None:
    site = built(tmp_path, PROGRAM)
    svg = (site / "public" / "print" / "referral-card" / "refer-qr.svg").read_text()
    page.set_content(svg)
    png = page.locator("svg").screenshot()
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [
        "https://www.example.com/refer/"
    ]


@pytest.mark.parametrize(
    ("today", "published", "says"),
    [
        (date(2026, 4, 30), False, None),
        (date(2026, 5, 1), True, "Get your referral link"),
        (date(2026, 5, 31), True, "Get your referral link"),
        (date(2026, 6, 1), True, "This offer ended on May 31, 2026"),
    ],
)
def test_campaign_before_during_and_after_its_window(
    tmp_path: Path, today: date, published: bool, says: str | None
) -> None:
    site = make_site(tmp_path)
    add_program(site)
    write(
        site,
        "campaigns/may-friends.md",
        "---\ntitle: May friends month\nsummary: Double thanks in May.\nstart: 2026-05-01\n"
        "end: 2026-05-31\noffer: Double credit for every friend who visits in May.\n---\nBring a friend.\n",
    )
    build(site, site / "public", today=today)
    page_file = site / "public" / "campaigns" / "may-friends" / "index.html"
    assert page_file.exists() == published
    refer = (site / "public" / "refer" / "index.html").read_text()
    assert ("Double credit for every friend" in refer) == (published and "ended" not in (says or ""))
    if says:
        assert says in page_file.read_text()


@pytest.mark.parametrize(
    ("change", "location", "message"),
    [
        (
            ("model: direct", "model: pyramid"),
            "content/program.yaml:4",
            'error[SG206] model: "pyramid" is not allowed',
        ),
        (
            ("  value: 10\n  description: a $10 account credit", "  description: a $10 account credit"),
            "content/program.yaml:5",
            "error[SG202] referrer_reward: a credit reward needs a value",
        ),
        (
            ("success:\n  within_days: 60\n", ""),
            "content/program.yaml:1",
            'error[SG202] missing required field "success"',
        ),
    ],
)
def test_invalid_program_data_is_located(
    tmp_path: Path, change: tuple[str, str], location: str, message: str
) -> None:
    site = make_site(tmp_path)
    add_program(site, PROGRAM.replace(*change))
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1
    assert f"{location}: {message}" in result.output


def test_tiers_must_grow(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(site, TIERED.replace("referrals: 3", "referrals: 1"))
    with pytest.raises(ContentError) as error:
        build(site, site / "public")
    (problem,) = error.value.diagnostics
    assert (problem.code, str(problem.location)) == ("SG209", "content/program.yaml:10")
    assert "tiers must grow" in problem.message


def test_reserved_addresses_cannot_be_taken_by_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(site)
    write(site, "pages/welcome.md", "---\ntitle: Welcome\n---\nHi.\n")
    result = CliRunner().invoke(main, ["build", str(site)])
    assert (
        "content/pages/welcome.md: error[SG208] the address /welcome/ is already used by the invited "
        "friend's page" in result.output
    )


# -- the journey in the browser ------------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[serve.DevServer]:
    yield from serving(tmp_path)


def enrol(page: Page, url: str) -> str:
    page.goto(url + "/refer/")
    page.get_by_label("First name").fill("Maria")
    page.get_by_role("textbox", name="Email (required)", exact=True).fill("maria@example.com")
    page.get_by_label("I have read and accept").check()
    page.get_by_role("button", name="Get my link").click()
    page.wait_for_url(url + "/thanks/enroll/")
    link = page.locator("[data-link-field]").input_value()
    return link


@pytest.mark.browser
def test_enrol_get_a_link_copy_it_and_land_as_a_friend(server: serve.DevServer, page: Page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    link = enrol(page, server.url)
    code = link.rsplit("/", 1)[1]
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code), code
    assert link == f"{server.url}/r/{code}"
    expect(page.locator("[data-code-display]")).to_have_text(f"{code[:4]}-{code[4:]}")
    assert page.locator("[data-share-sms]").get_attribute("href").startswith("sms:?&body=")
    assert "subject=" in page.locator("[data-share-email]").get_attribute("href")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status")).to_have_text("Link copied. Paste it into a message to a friend.")
    assert page.evaluate("navigator.clipboard.readText()") == link
    png = page.locator("[data-qr] svg").screenshot()
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [link]
    rows = (server.site.submissions_dir / "enroll.csv").read_text()
    assert code in rows and "Maria" in rows
    friend = page.context.browser.new_page()
    friend.goto(link)
    expect(friend).to_have_url(f"{server.url}/welcome/?ref={code}")
    expect(friend.locator("#appointment-referral_code")).to_have_value(code)
    expect(friend.locator("[data-invite-code]")).to_have_text(f"{code[:4]}-{code[4:]}")
    friend.close()


@pytest.mark.browser
def test_each_enrolment_gets_its_own_code(server: serve.DevServer, browser) -> None:  # type: ignore[no-untyped-def]
    codes = set()
    for _ in range(2):
        context = browser.new_context()
        codes.add(enrol(context.new_page(), server.url))
        context.close()
    assert len(codes) == 2
