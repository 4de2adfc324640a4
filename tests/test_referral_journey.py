"""The invited friend's code from the shared link, card or QR code to the sent request, in Chromium:
across pages, without JavaScript, on a host without `_redirects`, through a campaign, in Spanish."""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sitefactory import PROGRAM, add_program, edit, make_site, write

from sitegen.cli import main
from sitegen.serve import server as serve
from sitegen.site.program import is_valid_code, normalize_code, suggest_code
from sitegen.site.refcode import ALPHABET, make_code

CAMPAIGN = (
    "---\ntitle: Friends season\nsummary: Extra thanks.\nstart: 2026-01-01\nend: 2035-12-31\n"
    "offer: Every friend who visits adds a $5 credit to your reward.\n"
    "utm_campaign: friends-season\n---\nHi.\n"
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[serve.DevServer]:
    site = make_site(tmp_path)
    add_program(site)
    write(site, "pages/book.md", "---\ntitle: Book a visit\nform: appointment\n---\nBook here.\n")
    write(site, "campaigns/friends-season.md", CAMPAIGN)
    running = serve.start(site, "127.0.0.1", 0)
    yield running
    serve.stop(running)


def rows(server: serve.DevServer, form: str) -> list[dict[str, str]]:
    with (server.site.submissions_dir / f"{form}.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def enrol(page: Page, url: str, name: str = "Maria", email: str = "") -> str:
    page.goto(url + "/refer/")
    page.get_by_label("First name").fill(name)
    page.get_by_role("textbox", name="Email (required)", exact=True).fill(
        email or f"{name.lower()}@example.com"
    )
    page.get_by_label("I have read and accept").check()
    page.get_by_role("button", name="Get my link").click()
    page.wait_for_url(url + "/thanks/enroll/")
    return page.locator("[data-link-field]").input_value()


def request_visit(page: Page) -> None:
    page.get_by_label("Full name").fill("Rosa Park")
    page.get_by_role("textbox", name="Email (required)", exact=True).fill("rosa@example.com")
    page.get_by_role("textbox", name="Phone").fill("512 555 0199")
    page.get_by_label("Preferred office").select_option(index=1)
    page.get_by_label("I agree to be contacted").check()
    page.get_by_role("button", name="Request my consultation").click()
    page.wait_for_url(re.compile(r".*/thanks/appointment/$"))


@pytest.mark.browser
@pytest.mark.parametrize(("days_ago", "kept"), [(59, True), (61, False)])
def test_the_code_is_kept_for_the_programs_success_window_only(
    server: serve.DevServer, page: Page, days_ago: int, kept: bool
) -> None:
    """The program's success.within_days is 60: a code kept 59 days ago still counts, 61 days ago not."""
    code = make_code("WNDW234")
    page.goto(server.url + "/")
    page.evaluate(
        "([code, ago]) => localStorage.setItem('sitegen-referral-invite', JSON.stringify("
        "{code: code, at: Date.now() - ago * 864e5, landing: '/welcome/'}))",
        [code, days_ago],
    )
    page.goto(server.url + "/book/")
    expect(page.locator("#appointment-referral_code")).to_have_value(code if kept else "")
    expect(page.get_by_label("Who referred you? (name or code)")).to_have_value(
        f"{code[:4]}-{code[4:]}" if kept else ""
    )


# -- the code and its check character ---------------------------------------------------------------


def test_a_typo_is_told_from_an_unknown_code_in_python() -> None:
    code = make_code("ABCD234")
    assert is_valid_code(code) and is_valid_code(f"{code[:4].lower()}-{code[4:]}")
    for i in range(8):  # every single mistyped character is detected
        assert not any(is_valid_code(code[:i] + c + code[i + 1 :]) for c in ALPHABET if c != code[i])
    swapped = code[:6] + code[7] + code[6]
    assert not is_valid_code(swapped) and suggest_code(swapped[:4] + "-" + swapped[4:]) == code
    assert suggest_code("ABCD-23") is None and normalize_code(" abcd-2345 ") == "ABCD2345"


@pytest.mark.browser
def test_the_browser_checks_codes_exactly_like_python(server: serve.DevServer, page: Page) -> None:
    page.goto(server.url + "/book/")
    rng = random.Random(7)
    payloads = ["".join(rng.choice(ALPHABET) for _ in range(7)) for _ in range(300)]
    typed = [make_code(p)[:3] + make_code(p)[4] + make_code(p)[3] + make_code(p)[5:] for p in payloads]
    browser = page.evaluate(
        "([payloads, typed]) => [payloads.map(p => p + window.sitegenReferral.checkCharacter(p)),"
        " typed.map(t => window.sitegenReferral.suggest(t))]",
        [payloads, typed],
    )
    assert browser == [[make_code(p) for p in payloads], [suggest_code(t) for t in typed]]
    made = page.evaluate("Array.from({length: 50}, () => window.sitegenReferral.makeCode())")
    assert all(is_valid_code(c) for c in made) and len(set(made)) == 50


# -- the friend's journey ---------------------------------------------------------------------------


@pytest.mark.browser
def test_the_code_and_campaign_travel_from_the_link_through_other_pages_to_the_request(
    server: serve.DevServer, page: Page, browser: Browser
) -> None:
    link = enrol(page, server.url)
    code = link.split("/r/")[1].split("?")[0]
    assert is_valid_code(code)
    assert link == f"{server.url}/r/{code}?utm_medium=referral&utm_campaign=friends-season"
    friend = browser.new_context().new_page()
    friend.goto(link)
    expect(friend).to_have_url(
        f"{server.url}/welcome/?ref={code}&utm_medium=referral&utm_campaign=friends-season"
    )
    expect(friend.locator("main")).not_to_contain_text("$5 credit to your reward")  # the referrer's bonus
    friend.goto(server.url + "/services/")  # the friend reads about treatments before booking
    friend.locator("main a[href^='/services/']").first.click()
    friend.goto(server.url + "/book/")
    expect(friend.get_by_label("Who referred you? (name or code)")).to_have_value(f"{code[:4]}-{code[4:]}")
    request_visit(friend)
    (row,) = rows(server, "appointment")
    assert (row["referral_code"], row["referred_by"], row["utm_campaign"], row["landing_page"]) == (
        code,
        f"{code[:4]}-{code[4:]}",
        "friends-season",
        "/welcome/",
    )
    friend.goto(server.url + "/book/")  # the friend's own request was sent: the code is not reused
    expect(friend.locator("#appointment-referral_code")).to_have_value("")
    expect(friend.get_by_label("Who referred you? (name or code)")).to_have_value("")
    friend.context.close()


@pytest.mark.browser
def test_without_javascript_the_friend_types_the_code_and_enrolment_says_the_truth(
    server: serve.DevServer, browser: Browser
) -> None:
    page = browser.new_context(java_script_enabled=False).new_page()
    code = make_code("K7M2QX9")
    page.goto(f"{server.url}/r/{code}")
    expect(page).to_have_url(f"{server.url}/welcome/?ref={code}")  # `_redirects` needs no script
    page.get_by_label("Who referred you? (name or code)").fill(code.lower())
    request_visit(page)
    assert rows(server, "appointment")[0]["referred_by"] == code.lower()
    assert normalize_code(rows(server, "appointment")[0]["referred_by"]) == code
    enrol_page = page
    enrol_page.goto(server.url + "/refer/")
    enrol_page.get_by_label("First name").fill("Ana")
    enrol_page.get_by_role("textbox", name="Email (required)", exact=True).fill("ana@example.com")
    enrol_page.get_by_label("I have read and accept").check()
    enrol_page.get_by_role("button", name="Get my link").click()
    enrol_page.wait_for_url(server.url + "/thanks/enroll/")
    expect(enrol_page.get_by_text("could not be made in this browser: it needs JavaScript")).to_be_visible()
    expect(enrol_page.locator("#my-link")).to_be_hidden()
    expect(enrol_page.locator("main")).not_to_contain_text("link is ready")
    expect(enrol_page.get_by_text("Your code is")).to_be_hidden()
    assert rows(server, "enroll")[0]["terms_version"] == "1.0"
    page.context.close()


@pytest.mark.browser
def test_two_patients_on_one_device_get_two_codes_and_can_forget_one(
    server: serve.DevServer, page: Page
) -> None:
    first = enrol(page, server.url, "Maria")
    again = enrol(page, server.url, "maria")
    cousin = enrol(page, server.url, "Maria", "maria.lopez@example.com")  # the same first name
    second = enrol(page, server.url, "Ana")
    assert first == again and len({first, cousin, second}) == 3
    assert [r["referral_code"] for r in rows(server, "enroll")] == [
        link.split("/r/")[1].split("?")[0] for link in (first, again, cousin, second)
    ]
    assert "example.com" not in page.evaluate("JSON.stringify(localStorage)")  # no email kept here
    page.goto(server.url + "/refer/")
    expect(page.locator("[data-owner]")).to_have_text("This link belongs to Ana.")
    # inviting a friend directly from this device is credited to Ana
    expect(page.locator("#refer-referral_code")).to_have_value(second.split("/r/")[1].split("?")[0])
    page.get_by_role("button", name="Not you? Forget it on this device").click()
    expect(page.locator("#my-link")).to_be_hidden()
    page.reload()
    expect(page.locator("#my-link")).to_be_hidden()


@pytest.mark.browser
def test_a_mistyped_code_gets_a_suggestion_not_a_silent_loss(server: serve.DevServer, page: Page) -> None:
    code = make_code("ABCD234")
    swapped = code[:6] + code[7] + code[6]
    page.goto(server.url + "/book/")
    field = page.get_by_label("Who referred you? (name or code)")
    field.fill(f"{swapped[:4]}-{swapped[4:]}")
    expect(page.locator("[data-code-hint]")).to_have_text(
        f"This code looks mistyped. Did you mean {code[:4]}-{code[4:]}?"
    )
    field.fill(f"{code[:4]}-{code[4:]}")
    expect(page.locator("[data-code-hint]")).to_have_text("")
    field.fill("Maria Lopez")
    expect(page.locator("[data-code-hint]")).to_have_text("")


@pytest.mark.browser
def test_the_thanks_page_lets_the_patient_keep_and_print_their_own_card(
    server: serve.DevServer, page: Page
) -> None:
    link = enrol(page, server.url)
    code = link.split("/r/")[1].split("?")[0]
    expect(page.get_by_text("could not be made in this browser")).to_be_hidden()  # a link was made
    mail = page.get_by_role("link", name="Email my link to myself").get_attribute("href")
    assert mail.startswith("mailto:maria%40example.com?subject=") and code[:4] in mail
    page.get_by_role("link", name="Print my card").click()
    expect(page).to_have_url(f"{server.url}/print/referral-card/?code={code}")
    card = page.locator("[data-personal-card]")
    expect(card.locator("[data-code-display]")).to_have_text(f"{code[:4]}-{code[4:]}")
    png = card.locator("[data-qr] svg").screenshot()
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [link]


# -- a plain static host (no `_redirects`), and the Spanish edition ----------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "/es"])
def test_personal_links_work_on_a_plain_static_server(site_server: str, page: Page, prefix: str) -> None:
    code = make_code("PQRS789")
    page.goto(f"{site_server}{prefix}/r/{code}?utm_campaign=holiday-friends-2026")
    expect(page).to_have_url(f"{site_server}{prefix}/welcome/?ref={code}&utm_campaign=holiday-friends-2026")
    page.goto(f"{site_server}{prefix}/book/")
    expect(page.locator("#appointment-referral_code")).to_have_value(code)
    expect(page.locator("#appointment-utm_campaign")).to_have_value("holiday-friends-2026")
    expect(page.locator("#appointment-referred_by")).to_have_value(f"{code[:4]}-{code[4:]}")
    expect(page.locator("html")).to_have_attribute("lang", "es" if prefix else "en")
    page.goto(f"{site_server}{prefix}/contact/")  # a message to the practice can start a visit too
    expect(page.locator("#contact-referral_code")).to_have_value(code)


def shown(html: str) -> str:
    """The text a visitor reads (not the attributes that hold the share messages the friend will read)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_personal_card_carries_the_practices_logo(demo_site: Path) -> None:
    card = (demo_site / "print" / "referral-card" / "index.html").read_text()
    personal = card.split("data-personal-card", 1)[1].split("</section>", 1)[0]
    assert re.search(r'<img src="/images/logo\.svg" alt="[^"]+" class="brand-logo"', personal)


def test_the_welcome_page_speaks_to_the_friend_only(demo_site: Path) -> None:
    welcome = shown((demo_site / "welcome" / "index.html").read_text())
    assert "$50 off your first treatment" in welcome
    assert "next tier reward" not in welcome and "January 31" not in welcome
    refer = shown((demo_site / "refer" / "index.html").read_text())
    assert "$50 off their first treatment" in refer and "$50 off your first treatment" not in refer


# -- `sitegen check`: the offer's two voices, the terms' version ------------------------------------


def check_output(tmp_path: Path, program: str) -> str:
    site = make_site(tmp_path)
    add_program(site, program)
    return CliRunner().invoke(main, ["check", str(site)]).output


def test_check_finds_the_friends_offer_written_in_the_wrong_voice(tmp_path: Path) -> None:
    yours = PROGRAM.replace(
        "description: $10 off a first treatment", "description: $10 off your first treatment"
    )
    assert (
        'content/program.yaml:12: warning[SG619] friend_reward: "$10 off your first treatment" speaks to '
        "the friend" in check_output(tmp_path / "a", yours)
    )
    assert 'e.g. "$10 off their first treatment"' in check_output(tmp_path / "b", yours)
    fixed = yours.replace(
        "description: $10 off your first treatment",
        "description: $10 off your first treatment\n  told_to_referrer: $10 off their first treatment",
    )
    assert "SG619" not in check_output(tmp_path / "c", fixed)
    wrong = fixed.replace("off their first", "off your first")
    assert "content/program.yaml:13: warning[SG619] friend_reward.told_to_referrer" in check_output(
        tmp_path / "d", wrong
    )
    # a charitable program: the referrer's own "you" ("the charity you chose") is right where it is; only
    # the friend's "your first" copied from the description is wrong, and the hint rewrites only that
    charitable = fixed.replace(
        "off their first treatment", "off their first treatment, given to the charity you chose"
    )
    assert "SG619" not in check_output(tmp_path / "e", charitable)
    both = charitable.replace("off their first", "off your first")
    output = check_output(tmp_path / "f", both)
    assert 'it says "your first" as the friend\'s offer does' in output
    assert 'e.g. "$10 off their first treatment, given to the charity you chose"' in output


def test_check_notices_new_terms_wording_without_a_new_version(tmp_path: Path) -> None:
    guessed = PROGRAM.replace('version: "1.0"\n', 'version: "1.0"\n  checksum: "?"\n')
    first = check_output(tmp_path / "a", guessed)
    (checksum,) = re.findall(r"set terms.checksum: ([0-9a-f]{12})", first)
    # a first checksum written "?" as docs/referral.md says is not a change of wording: no new version asked
    assert "warning[SG633] terms: no checksum is recorded yet for version 1.0" in first
    assert "wording changed" not in first and "raise terms.version" not in first
    recorded = PROGRAM.replace('version: "1.0"\n', f'version: "1.0"\n  checksum: {checksum}\n')
    assert "SG633" not in check_output(tmp_path / "b", recorded)
    reworded = recorded.replace("Patients aged 18 or over.", "Patients aged 21 or over.")
    output = check_output(tmp_path / "c", reworded)
    assert "content/program.yaml:17: warning[SG633] terms: the wording changed since version 1.0" in output


# -- a form of the practice's own, and a site in Spanish only ---------------------------------------

CONSULT_FORM = """\
title: Skin consultation
intro: Tell us what you would like to talk about.
submit_label: Send my question
consent: I agree to be contacted about my question.
fields:
  - name: name
    label: Your name
    required: true
  - name: email
    type: email
    label: Your email
    required: true
  - name: referral_code
    type: hidden
"""


@pytest.mark.browser
def test_a_form_of_the_practices_own_with_a_referral_code_field_carries_the_code(
    tmp_path: Path, page: Page
) -> None:
    site = make_site(tmp_path)
    add_program(site)
    write(site, "forms/consult.yaml", CONSULT_FORM)
    write(site, "pages/consult.md", "---\ntitle: Ask us\nform: consult\n---\nAsk away.\n")
    running = serve.start(site, "127.0.0.1", 0)
    try:
        code = make_code("CNSRT23")
        page.goto(f"{running.url}/r/{code}?utm_campaign=spring")
        page.goto(running.url + "/consult/")  # the friend reads on, then writes from another page
        page.get_by_label("Your name").fill("Rosa Park")
        page.get_by_label("Your email").fill("rosa@example.com")
        page.get_by_label("I agree to be contacted").check()
        page.get_by_role("button", name="Send my question").click()
        page.wait_for_url(re.compile(r".*/thanks/consult/$"))
        (row,) = rows(running, "consult")
        assert row["referral_code"] == code
        page.goto(running.url + "/consult/")  # sent once: not credited again from this browser
        expect(page.locator("#consult-name")).to_be_visible()
        assert page.locator("form[data-sitegen-form=consult]").evaluate("f => f.referral_code.value") == ""
    finally:
        serve.stop(running)


@pytest.mark.browser
def test_a_site_in_spanish_only_carries_the_code_and_speaks_spanish(
    tmp_path: Path, page: Page, browser: Browser
) -> None:
    site = make_site(tmp_path)
    add_program(site)
    edit(site, "site.yaml", "tagline:", "languages: [es]\ntagline:")
    write(site, "pages/book.md", "---\ntitle: Reservar\nform: appointment\n---\nReserve aquí.\n")
    running = serve.start(site, "127.0.0.1", 0)
    try:
        page.goto(running.url + "/refer/")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        page.locator("#enroll-first_name").fill("María")
        page.locator("#enroll-email").fill("maria@example.com")
        page.locator("#enroll-consent").check()
        page.locator("form[data-sitegen-form=enroll] [type=submit]").click()
        page.wait_for_url(running.url + "/thanks/enroll/")
        expect(page.locator("#my-link")).to_be_visible()
        link = page.locator("[data-link-field]").input_value()
        code = link.split("/r/")[1]
        assert link == f"{running.url}/r/{code}" and is_valid_code(code)  # no language folder
        friend = browser.new_context().new_page()
        friend.goto(link)
        expect(friend).to_have_url(f"{running.url}/welcome/?ref={code}")
        friend.goto(running.url + "/book/")
        expect(friend.get_by_label("Nombre completo")).to_be_visible()  # the built-in form speaks Spanish
        field = friend.locator("#appointment-referred_by")
        expect(field).to_have_value(f"{code[:4]}-{code[4:]}")
        i = next(i for i in range(7) if code[i] != code[i + 1])  # swapping two equal characters is no typo
        typo = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
        field.fill(f"{typo[:4]}-{typo[4:]}")
        expect(friend.locator("[data-code-hint]")).to_contain_text("Parece que el código tiene un error")
        friend.context.close()
    finally:
        serve.stop(running)
