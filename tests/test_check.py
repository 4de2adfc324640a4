"""`sitegen check`: every rule trips on a fixture made for it, and not on the same site put right; each
names its file and line. Plus the command itself: exit codes, --strict, JSON, silencing, the demo."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefactory import PROGRAM, add_program, edit, make_site, snapshot, with_thumbnail_photos, write

from sitegen.build.pipeline import check
from sitegen.checks import RULES
from sitegen.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 6, 1)
COMPLIANCE = """compliance:
  payer_scope: cash_pay
  states: [TX]
  review:
    reviewed_by: Counsel LLP
    reviewed_on: 2026-02-01
"""
TESTIMONIAL = """---
name: Sam J.
quote: The consultation was calm and honest.
service: consultation
date: 2026-03-01
rating: 5
consent:
  date: 2026-03-02
  scope: [web]
  reference: AUTH-1
  expires: 2027-03-02
---
"""
VIDEO_PAGE = (
    '{% extends "base.html" %}\n{% block main %}<h1>{{ page.title }}</h1>{{ page.html | safe }}\n'
    '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Our clinic"></iframe>\n{% endblock %}\n'
)
CAMPAIGN = (
    "---\ntitle: {title}\nsummary: A push.\nstart: {start}\nend: {end}\noffer: Double thanks.\n---\nText.\n"
)


def clean_site(root: Path) -> Path:
    """The starter with a small referral program that has its compliance record: clean under --strict.
    Its photos are thumbnails: `check` resizes and encodes every photo on each run (no cache), which at
    their full size was half the time of a check, and no rule here is about them."""
    site = with_thumbnail_photos(make_site(root))
    add_program(site, PROGRAM + COMPLIANCE)
    write(site, "testimonials/sam-j.md", TESTIMONIAL)
    return site


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return clean_site(tmp_path)


def findings(site: Path, code: str) -> list[str]:
    """Every finding of one rule as 'file:line: severity message'."""
    report = check(site, today=TODAY)
    return [
        f"{d.location.src_path}:{d.location.line}: {d.severity.value} {d.message}"
        for d in report.diagnostics
        if d.code == code
    ]


def line_of(site: Path, rel_path: str, text: str) -> int:
    """The line of `text` in a file of the site (content/ unless the path starts with templates/)."""
    base = site if rel_path.startswith("templates/") else site / "content"
    for number, line in enumerate((base / rel_path).read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {rel_path}")


def png(width: int, height: int, extra: int = 0) -> bytes:
    """A valid PNG header of the given size, padded with `extra` bytes (for weight)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\0" * extra


def program_with(site: Path, old: str, new: str) -> None:
    edit(site, "program.yaml", old, new)


def template(site: Path, name: str, text: str) -> None:
    file = site / "templates" / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text)


def spanish(site: Path, translate_everything: bool) -> None:
    """The site in English and Spanish; with every page translated (titles only), or none."""
    edit(site, "site.yaml", "brand:", "languages: [en, es]\nbrand:")
    if translate_everything:
        for rel in [
            "pages/about",
            "pages/accessibility",
            "pages/financial-policy",
            "pages/index",
            "pages/privacy",
            "posts/welcome",
            "services/consultation",
        ]:
            write(site, f"{rel}.es.md", "---\ntitle: En español\n---\nTexto en español.\n")
        write(
            site, "providers/alex-rivera.es.md", "---\nrole: Enfermero practicante\n---\nTexto en español.\n"
        )
        write(site, "locations/main-office.es.yaml", "name: Consultorio principal\n")


MEMBERSHIP = """---
title: Glow Club
summary: A facial every month.
price: 99
per: month
includes:
  - {included}
terms: {terms}
cancellation: {cancellation}
---
Join at the front desk.
"""


def membership(
    site: Path,
    included: str = "One facial a month",
    terms: str = "Billed monthly.",
    cancellation: str = "Cancel any time at the front desk.",
) -> None:
    write(
        site,
        "memberships/glow-club.md",
        MEMBERSHIP.format(included=included, terms=terms, cancellation=cancellation or '""'),
    )


# Each case: rule, what makes the site trip it, what puts it right (applied to a fresh site), and the
# file and the text whose line the finding must name.
Change = Callable[[Path], None]
CASES: list[tuple[str, Change, Change, str, str]] = [
    (
        "SG220",
        lambda s: (
            write(s, "static/images/x.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"),
            edit(s, "pages/about.md", "Write about", "![](/images/x.svg)\n\nWrite about"),
        ),
        lambda s: (
            write(s, "static/images/x.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"),
            edit(s, "pages/about.md", "Write about", "![Our waiting room](/images/x.svg)\n\nWrite about"),
        ),
        "pages/about.md",
        "![](/images/x.svg)",
    ),
    (
        "SG687",  # typed into the published editor's rich text: tests/test_admin_escaped.py
        lambda s: edit(s, "pages/about.md", "Write about", "See \\[our team](/team/).\n\nWrite about"),
        lambda s: edit(s, "pages/about.md", "Write about", "See [our team](/team/).\n\nWrite about"),
        "pages/about.md",
        "See \\[our team](/team/).",
    ),
    (
        "SG221",
        lambda s: edit(s, "pages/about.md", "menu: header", "menu: header\ncheck:\n  ignore: [SG321]"),
        lambda s: edit(
            s,
            "pages/about.md",
            "menu: header",
            "menu: header\ncheck:\n  ignore: [SG321]\n  reason: Reached from the menu.",
        ),
        "pages/about.md",
        "ignore: [SG321]",
    ),
    ("SG222", lambda s: spanish(s, False), lambda s: spanish(s, True), "site.yaml", "languages: [en, es]"),
    (
        "SG302",
        lambda s: edit(
            s, "site.yaml", "brand:", "footer_links:\n  - label: Specials\n    url: /specials/\nbrand:"
        ),
        lambda s: edit(s, "site.yaml", "brand:", "footer_links:\n  - label: About\n    url: /about/\nbrand:"),
        "site.yaml",
        "url: /",
    ),
    (
        "SG320",
        lambda s: edit(
            s, "pages/about.md", "Write about", "See [prices](/services/consultation/#costs).\n\nWrite about"
        ),
        lambda s: edit(
            s, "pages/about.md", "Write about", "See [prices](/services/consultation/#prices).\n\nWrite about"
        ),
        "pages/about.md",
        "#costs",
    ),
    (
        "SG321",
        lambda s: write(s, "pages/parking.md", "---\ntitle: Parking\n---\nWhere to park.\n"),
        lambda s: write(s, "pages/parking.md", "---\ntitle: Parking\nmenu: footer\n---\nWhere to park.\n"),
        "pages/parking.md",
        "title: Parking",
    ),
    (
        "SG322",
        lambda s: edit(s, "site.yaml", "brand:", "menu:\n  - label: Treatments\n    url: /services/\nbrand:"),
        lambda s: edit(
            s,
            "site.yaml",
            "brand:",
            "menu:\n  - label: Treatments\n    url: /services/\n  - label: About\n    url: /about/\nbrand:",
        ),
        "pages/about.md",
        "menu: header",
    ),
    (
        "SG520",
        lambda s: (
            (s / "content" / "static" / "images").mkdir(parents=True, exist_ok=True)
            or (s / "content" / "static" / "images" / "big.png").write_bytes(png(4000, 3000))
        ),
        lambda s: (
            (s / "content" / "static" / "images").mkdir(parents=True, exist_ok=True)
            or (s / "content" / "static" / "images" / "big.png").write_bytes(png(1600, 1200))
        ),
        "static/images/big.png",
        "",
    ),
    (
        "SG610",
        lambda s: (
            program_with(s, "payer_scope: cash_pay", "payer_scope: mixed\n  federal_exclusion: false"),
            program_with(
                s,
                "  value: 10\n  description: a $10 account credit",
                "  value: 25\n  description: a $25 account credit",
            ),
        ),
        lambda s: (
            program_with(s, "payer_scope: cash_pay", "payer_scope: mixed\n  federal_exclusion: true"),
            program_with(
                s,
                "  value: 10\n  description: a $10 account credit",
                "  value: 25\n  description: a $25 account credit",
            ),
        ),
        "program.yaml",
        "value: 25",
    ),
    (
        "SG611",
        lambda s: (
            program_with(s, "payer_scope: cash_pay", "payer_scope: federal"),
            program_with(
                s,
                "  value: 10\n  description: a $10 account credit",
                "  value: 25\n  description: a $25 account credit",
            ),
        ),
        lambda s: (
            program_with(s, "payer_scope: cash_pay", "payer_scope: federal"),
            program_with(s, "success:", "limits:\n  per_year: 50\nsuccess:"),
        ),
        "program.yaml",
        "value: 25",
    ),
    (
        "SG612",
        lambda s: program_with(
            s,
            "  kind: credit\n  value: 10\n  description: a $10 account credit",
            "  kind: gift_card\n  value: 10\n  description: a $10 Visa gift card",
        ),
        lambda s: program_with(
            s,
            "  kind: credit\n  value: 10\n  description: a $10 account credit",
            "  kind: gift_card\n  value: 10\n  description: a $10 gift card for our skincare shop",
        ),
        "program.yaml",
        "Visa gift card",
    ),
    (
        "SG613",
        lambda s: program_with(
            s, "    - Rewards have no cash value.", "    - Not combinable with other offers."
        ),
        lambda s: program_with(
            s,
            "    - Rewards have no cash value.",
            "    - Not combinable; rewards cannot be exchanged for cash.",
        ),
        "program.yaml",
        "restrictions:",
    ),
    (
        "SG614",
        lambda s: program_with(s, "reviewed_on: 2026-02-01", "reviewed_on: 2025-03-01"),
        lambda s: program_with(s, "reviewed_on: 2026-02-01", "reviewed_on: 2025-07-01"),
        "program.yaml",
        "reviewed_on:",
    ),
    (
        "SG615",
        lambda s: (
            write(s, "campaigns/may.md", CAMPAIGN.format(title="May", start="2026-05-01", end="2026-05-31")),
            write(
                s,
                "campaigns/late-may.md",
                CAMPAIGN.format(title="Late May", start="2026-05-20", end="2026-06-20"),
            ),
        ),
        lambda s: (
            write(s, "campaigns/may.md", CAMPAIGN.format(title="May", start="2026-05-01", end="2026-05-31")),
            write(
                s,
                "campaigns/late-may.md",
                CAMPAIGN.format(title="June", start="2026-06-01", end="2026-06-20"),
            ),
        ),
        "campaigns/late-may.md",
        "start:",
    ),
    (
        "SG616",
        lambda s: (
            write(
                s, "campaigns/april.md", CAMPAIGN.format(title="April", start="2026-04-01", end="2026-04-30")
            ),
            edit(
                s, "pages/index.md", "Then add", "Don't miss [our April offer](/campaigns/april/).\nThen add"
            ),
        ),
        lambda s: (
            write(
                s, "campaigns/june.md", CAMPAIGN.format(title="June", start="2026-06-01", end="2026-06-30")
            ),
            edit(s, "pages/index.md", "Then add", "Don't miss [our June offer](/campaigns/june/).\nThen add"),
        ),
        "pages/index.md",
        "/campaigns/",
    ),
    (
        "SG617",
        lambda s: program_with(s, "states: [TX]", "states: [TX, CA]"),
        lambda s: program_with(s, "states: [TX]", "states: [TX, NM]"),
        "program.yaml",
        "states:",
    ),
    (
        "SG685",
        lambda s: (
            edit(s, "site.yaml", "brand:", "business_type: Dentist\nbrand:"),
            program_with(s, "reviewed_on: 2026-02-01", "reviewed_on: 2025-02-01"),
        ),
        lambda s: edit(s, "site.yaml", "brand:", "business_type: Dentist\nbrand:"),
        "program.yaml",
        "reviewed_on: 2025-02-01",
    ),
    (
        "SG618",
        lambda s: program_with(s, "success:", "limits:\n  per_referral: 5\nsuccess:"),
        lambda s: program_with(s, "success:", "limits:\n  per_referral: 10\nsuccess:"),
        "program.yaml",
        "value: 10",
    ),
    (
        "SG619",
        lambda s: program_with(s, "$10 off a first treatment", "$10 off your first treatment"),
        lambda s: program_with(
            s,
            "$10 off a first treatment",
            "$10 off your first treatment\n  told_to_referrer: $10 off their first treatment",
        ),
        "program.yaml",
        "$10 off your first treatment",
    ),
    (
        "SG633",
        lambda s: program_with(s, 'version: "1.0"\n', 'version: "1.0"\n  checksum: 000000000000\n'),
        lambda s: program_with(s, 'version: "1.0"\n', 'version: "1.0"\n'),
        "program.yaml",
        "checksum: 000000000000",
    ),
    (
        "SG620",
        lambda s: write(
            s,
            "testimonials/sam-j.md",
            TESTIMONIAL.replace(
                "consent:\n  date: 2026-03-02\n  scope: [web]\n  reference: AUTH-1\n  expires: 2027-03-02\n",
                "",
            ),
        ),
        lambda s: None,
        "testimonials/sam-j.md",
        "name: Sam J.",
    ),
    (
        "SG621",
        lambda s: edit(s, "testimonials/sam-j.md", "scope: [web]", "scope: [social, print]"),
        lambda s: edit(s, "testimonials/sam-j.md", "scope: [web]", "scope: [social, web]"),
        "testimonials/sam-j.md",
        "scope:",
    ),
    (
        "SG622",
        lambda s: edit(s, "testimonials/sam-j.md", "expires: 2027-03-02", "expires: 2026-05-31"),
        lambda s: edit(s, "testimonials/sam-j.md", "expires: 2027-03-02", "expires: 2026-06-01"),
        "testimonials/sam-j.md",
        "expires:",
    ),
    (
        "SG623",
        lambda s: (
            edit(s, "testimonials/sam-j.md", "rating: 5", "rating: 5\nrewarded: true"),
            template(
                s,
                "testimonials.html",
                '{% extends "base.html" %}{% block main %}{% for t in testimonials %}'
                "<blockquote>{{ t.quote }}</blockquote>{% endfor %}{% endblock %}",
            ),
        ),
        lambda s: edit(s, "testimonials/sam-j.md", "rating: 5", "rating: 5\nrewarded: true"),
        "testimonials/sam-j.md",
        "rewarded: true",
    ),
    (
        "SG624",
        lambda s: edit(
            s,
            "testimonials/sam-j.md",
            "calm and honest.",
            "calm and honest, and my referral credit came quickly.",
        ),
        lambda s: edit(s, "testimonials/sam-j.md", "rating: 5", "rating: 5\nrewarded: true"),
        "testimonials/sam-j.md",
        "quote:",
    ),
    (
        "SG625",
        lambda s: edit(s, "testimonials/sam-j.md", "rating: 5", "rating: 10"),
        lambda s: edit(s, "testimonials/sam-j.md", "rating: 5", "rating: 1"),
        "testimonials/sam-j.md",
        "rating:",
    ),
    (
        "SG626",
        lambda s: edit(s, "testimonials/sam-j.md", "name: Sam J.", "name: Samantha Jennings"),
        lambda s: edit(s, "testimonials/sam-j.md", "name: Sam J.", "name: Samantha J."),
        "testimonials/sam-j.md",
        "name:",
    ),
    (
        "SG627",
        lambda s: edit(
            s,
            "pages/about.md",
            "Write about",
            "Leave us a review and get $10 off your next visit.\n\nWrite about",
        ),
        lambda s: edit(
            s,
            "pages/about.md",
            "Write about",
            "We never offer anything in return for a review.\n\nWrite about",
        ),
        "pages/about.md",
        "Leave us a review",
    ),
    (
        "SG628",
        lambda s: edit(
            s,
            "pages/about.md",
            "Write about",
            "If you were happy with your visit, please\nleave us a review.\n\nWrite about",
        ),
        lambda s: edit(
            s,
            "pages/about.md",
            "Write about",
            "Whether or not you were happy with your visit, please\nleave us a review.\n\nWrite about",
        ),
        "pages/about.md",
        "If you were happy",
    ),
    (
        "SG629",
        lambda s: template(
            s,
            "home.html",
            '{% extends "base.html" %}\n{% block head %}\n<script type="application/ld+json">'
            '{"@type": "AggregateRating", "ratingValue": 5}</script>\n{% endblock %}\n',
        ),
        lambda s: template(
            s,
            "home.html",
            '{% extends "base.html" %}\n{% block head %}\n<meta name="x" content="y">\n{% endblock %}\n',
        ),
        "templates/home.html",
        "AggregateRating",
    ),
    (
        "SG630",
        lambda s: (
            write(s, "pages/book.md", "---\ntitle: Book\nmenu: footer\nform: contact\n---\nText.\n"),
            edit(s, "site.yaml", "brand:", "forms:\n  privacy_page: data-policy\nbrand:"),
        ),
        lambda s: (
            write(s, "pages/book.md", "---\ntitle: Book\nmenu: footer\nform: contact\n---\nText.\n"),
            edit(s, "site.yaml", "brand:", "forms:\n  privacy_page: privacy\nbrand:"),
        ),
        "pages/book.md",
        "form: contact",
    ),
    (
        "SG631",
        lambda s: template(s, "page.html", VIDEO_PAGE),
        lambda s: (
            template(s, "page.html", VIDEO_PAGE),
            edit(
                s,
                "pages/privacy.md",
                "This website uses no",
                "Our about page shows a YouTube video.\nThis website uses no",
            ),
        ),
        "templates/page.html",
        "youtube-nocookie.com",
    ),
    (
        "SG632",
        lambda s: template(
            s,
            "welcome.html",
            '{% extends "base.html" %}\n{% block head %}\n<meta name="referrer" content="unsafe-url">\n'
            "{% endblock %}\n{% block main %}<h1>Welcome</h1>{% endblock %}\n",
        ),
        lambda s: template(
            s,
            "welcome.html",
            '{% extends "base.html" %}\n{% block head %}\n<meta name="referrer" content="no-referrer">\n'
            "{% endblock %}\n{% block main %}<h1>Welcome</h1>{% endblock %}\n",
        ),
        "templates/welcome.html",
        'name="referrer"',
    ),
    (
        "SG655",
        lambda s: membership(s, included="No copays for members at any visit"),
        lambda s: membership(s),
        "memberships/glow-club.md",
        "No copays",
    ),
    (
        "SG656",
        lambda s: (
            program_with(s, "payer_scope: cash_pay", "payer_scope: mixed"),
            membership(s, terms="Refer two friends and your next month is free."),
        ),
        lambda s: (
            program_with(s, "payer_scope: cash_pay", "payer_scope: mixed"),
            membership(s, terms="Membership is never a reward for referring someone."),
        ),
        "memberships/glow-club.md",
        "terms:",
    ),
    (
        "SG657",
        lambda s: membership(s, cancellation=""),
        lambda s: membership(s),
        "memberships/glow-club.md",
        "per: month",
    ),
    (
        "SG640",
        lambda s: (s / "content" / "pages" / "financial-policy.md").unlink(),
        lambda s: (s / "content" / "pages" / "financial-policy.md").rename(
            s / "content" / "pages" / "payment-policy.md"
        ),
        "pages/financial-policy.md",
        "",
    ),
]


def test_fixture_site_is_clean_under_strict(site: Path) -> None:
    report = check(site, today=TODAY)
    assert report.diagnostics == [], [d.format() for d in report.diagnostics]


# Rules whose severity depends on the case (docs/errors.md): what each case above must give.
CASE_SEVERITY = {
    "SG612": "warning",  # a Visa gift card in a cash-pay-only practice (the fixture's payer_scope)
    "SG617": "error",  # California patients with paid referral rewards
    "SG640": "warning",  # a missing financial policy (only missing program terms are an error)
}


def test_every_rule_has_a_case() -> None:
    with_functions_or_loaded = {code for code in RULES if code != "SG601"}  # SG601: tests/test_forms.py
    assert with_functions_or_loaded == {case[0] for case in CASES}


@pytest.mark.parametrize(("code", "trip", "fix", "rel_path", "text"), CASES, ids=[c[0] for c in CASES])
def test_rule_trips_names_file_and_line_and_stays_quiet_when_fixed(
    tmp_path: Path, code: str, trip: Change, fix: Change, rel_path: str, text: str
) -> None:
    tripped = clean_site(tmp_path / "tripped")
    trip(tripped)
    found = findings(tripped, code)
    assert found, f"{code} did not trip"
    where = ("content/" if not rel_path.startswith("templates/") else "") + rel_path
    line = line_of(tripped, rel_path, text) if text else 0
    assert any(f.startswith(f"{where}:{line}: ") for f in found), found
    severity = CASE_SEVERITY.get(code, RULES[code].severity.value)
    assert all(f.split(" ", 2)[1] == severity for f in found), (severity, found)

    fixed = clean_site(tmp_path / "fixed")
    fix(fixed)
    assert findings(fixed, code) == []


def test_analytics_must_be_named_in_the_privacy_policy(site: Path) -> None:
    edit(site, "site.yaml", "brand:", "analytics:\n  script: https://plausible.io/js/script.js\nbrand:")
    line = line_of(site, "site.yaml", "analytics:")
    assert findings(site, "SG631") == [
        f"content/site.yaml:{line}: warning analytics (plausible.io) is on, but the "
        "privacy policy does not mention it"
    ]
    edit(
        site,
        "pages/privacy.md",
        "This website uses no",
        "We count visits with Plausible, which sets no cookies.\nThis website uses no",
    )
    assert findings(site, "SG631") == []


def test_cash_reward_is_an_error_once_federal_patients_can_take_part(site: Path) -> None:
    program_with(
        site,
        "  kind: credit\n  value: 10\n  description: a $10 account credit",
        "  kind: gift_card\n  value: 10\n  description: a $10 Visa gift card",
    )
    assert findings(site, "SG612")[0].split(" ")[1] == "warning"  # cash_pay: warning
    program_with(site, "payer_scope: cash_pay", "payer_scope: mixed")
    assert findings(site, "SG612")[0].split(" ")[1] == "error"


def test_california_rules_and_states_without_a_current_review(site: Path) -> None:
    program_with(site, "states: [TX]", "states: [CA]")
    assert (
        findings(site, "SG617")[0].split(" ")[1] == "error"
        and "Business and Professions Code 650" in findings(site, "SG617")[0]
    )
    program_with(site, "states: [CA]", "states: [TX]")
    program_with(site, "reviewed_on: 2026-02-01", "reviewed_on: 2024-02-01")
    assert any(
        "sitegen has no rules for TX: a legal review is required" in f for f in findings(site, "SG617")
    )


def test_yearly_limit_counts_every_referral_without_a_cap(site: Path) -> None:
    program_with(site, "payer_scope: cash_pay", "payer_scope: mixed\n  federal_exclusion: false")
    assert any(
        "an unlimited amount a year, above the $75 per-year limit" in f for f in findings(site, "SG610")
    )
    program_with(site, "success:", "limits:\n  referrals_per_year: 5\nsuccess:")
    assert findings(site, "SG610") == []  # 5 × $10 = $50, and no reward is above $15


def test_a_campaign_or_tier_reward_above_the_programs_own_limits(site: Path) -> None:
    """The page would promise what the report will not count as owed: the friend's offer is not a
    referrer's reward."""
    program_with(site, "success:", "limits:\n  per_referral: 10\n  per_year: 20\nsuccess:")
    write(
        site,
        "campaigns/may.md",
        CAMPAIGN.format(title="May", start="2026-05-01", end="2026-05-31").replace(
            "offer: Double thanks.",
            "offer: Double thanks.\nreferrer_reward:\n  kind: credit\n  value: 25\n"
            "  description: a $25 account credit\nfriend_reward:\n  kind: discount\n  value: 40\n"
            "  description: $40 off",
        ),
    )
    line = line_of(site, "campaigns/may.md", "value: 25")
    assert findings(site, "SG618") == [
        f"content/campaigns/may.md:{line}: warning referrer_reward: a $25 account credit is worth $25, "
        "but limits.per_referral caps what one referral earns at $10"
    ]
    program_with(site, "  per_referral: 10\n  per_year: 20", "  per_referral: 30\n  per_year: 20")
    assert findings(site, "SG618") == [
        f"content/campaigns/may.md:{line}: warning referrer_reward: a $25 account credit is worth $25, "
        "but limits.per_year caps what one patient in a year earns at $20"
    ]


REVIEW_OFFER_ES = "Déjenos una reseña en Google y reciba un 10% de descuento en su próxima visita."


def test_a_translations_own_words_are_checked_like_the_originals(site: Path) -> None:
    """In Spanish too: an offer for reviews (SG627), a cash reward (SG612), a testimonial that mentions a
    discount (SG624), each at its line in the translation; what a translation inherits is checked once."""
    spanish(site, False)
    write(
        site,
        "pages/about.es.md",
        f"---\ntitle: Quiénes somos\n---\nSomos una práctica pequeña.\n\n{REVIEW_OFFER_ES}\n",
    )
    write(site, "program.es.yaml", "referrer_reward:\n  description: una tarjeta Visa de $10\n")
    write(
        site,
        "testimonials/sam-j.es.md",
        "---\nquote: La consulta fue tranquila y me dieron un descuento.\n---\n",
    )
    write(
        site,
        "campaigns/may.md",
        CAMPAIGN.format(title="May", start="2026-05-01", end="2026-05-31").replace(
            "offer: Double thanks.",
            "offer: Double thanks.\nreferrer_reward:\n  kind: credit\n  value: 10\n"
            "  description: a $10 credit",
        ),
    )
    write(
        site,
        "campaigns/may.es.md",
        "---\nreferrer_reward:\n  description: un reembolso de $10 en efectivo\n---\n",
    )
    assert findings(site, "SG627") == [
        f'content/pages/about.es.md:6: error offers something for a review: "{REVIEW_OFFER_ES}"'
    ]
    assert findings(site, "SG612") == [
        "content/campaigns/may.es.md:3: warning referrer_reward: "
        "un reembolso de $10 en efectivo is paid in cash",
        "content/program.es.yaml:2: warning referrer_reward: una tarjeta Visa de $10 "
        "is a Visa card or payment, which counts as cash",
    ]
    assert findings(site, "SG624") == [
        "content/testimonials/sam-j.es.md:2: warning the testimonial of Sam J. mentions "
        '"descuento" but is not marked rewarded'
    ]
    write(
        site,
        "pages/about.es.md",
        "---\ntitle: Quiénes somos\n---\nNunca ofrecemos descuentos a cambio de reseñas.\n",
    )
    write(
        site,
        "program.es.yaml",
        "referrer_reward:\n  description: un crédito de $10 en su cuenta, sin valor en efectivo\n",
    )
    write(site, "campaigns/may.es.md", "---\nreferrer_reward:\n  description: un crédito de $10\n---\n")
    assert findings(site, "SG627") == [] and findings(site, "SG612") == []


def test_translated_terms_keep_the_no_cash_value_clause(site: Path) -> None:
    spanish(site, False)
    write(
        site, "program.es.yaml", "terms:\n  restrictions:\n    - Las recompensas se entregan en la clínica.\n"
    )
    line = line_of(site, "program.es.yaml", "restrictions:")
    assert findings(site, "SG613") == [
        f"content/program.es.yaml:{line}: error terms: no translated clause says that "
        "rewards have no cash value"
    ]
    write(
        site,
        "program.es.yaml",
        "terms:\n  restrictions:\n    - Las recompensas no tienen valor en efectivo.\n",
    )
    assert findings(site, "SG613") == []


def test_a_translation_silences_what_its_original_does_and_what_it_says_itself(site: Path) -> None:
    spanish(site, False)
    write(
        site,
        "pages/about.es.md",
        "---\ntitle: Quiénes somos\ncheck:\n  ignore: [SG627]\n  reason: Citamos la regla "
        f"de la FTC como ejemplo de lo que no hacemos.\n---\n{REVIEW_OFFER_ES}\n",
    )
    assert findings(site, "SG627") == [] and findings(site, "SG221") == []
    write(site, "pages/about.es.md", f"---\ntitle: Quiénes somos\n---\n{REVIEW_OFFER_ES}\n")
    assert [f.split(":")[0] for f in findings(site, "SG627")] == ["content/pages/about.es.md"]
    edit(site, "pages/about.md", "menu: header", "menu: header\ncheck:\n  ignore: [SG627]")  # no reason given
    assert findings(site, "SG627") == []
    assert [f.split(":")[0] for f in findings(site, "SG221")] == ["content/pages/about.md"], (
        "said once, where it is written"
    )
    write(site, "program.es.yaml", "referrer_reward:\n  description: una tarjeta Visa de $10\n")
    assert [f.split(":")[0] for f in findings(site, "SG612")] == ["content/program.es.yaml"]
    write(
        site,
        "program.es.yaml",
        "referrer_reward:\n  description: una tarjeta Visa de $10\ncheck:\n  ignore: [SG612]\n"
        "  reason: La tarjeta es de la práctica; Visa es solo la red.\n",
    )
    assert findings(site, "SG612") == []


# -- the command -----------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.output


def test_exit_codes_clean_errors_strict_and_usage(site: Path, tmp_path: Path) -> None:
    assert run(str(site))[0] == 0
    write(site, "pages/parking.md", "---\ntitle: Parking\n---\nWhere to park.\n")  # an orphan: a warning
    code, output = run(str(site))
    assert code == 0 and "warning[SG321]" in output and "0 error(s), 1 warning(s)." in output
    assert run(str(site), "--strict")[0] == 1
    edit(site, "testimonials/sam-j.md", "rating: 5", "rating: 9")
    code, output = run(str(site))
    assert (
        code == 1
        and "content/testimonials/sam-j.md:6: error[SG625] rating: 9 is not between 1 and 5" in output
    )
    (tmp_path / "empty").mkdir()
    assert run(str(tmp_path / "empty"))[0] == 2  # not a sitegen site
    assert run(str(tmp_path / "missing"))[0] == 2
    assert run(str(site), "--format", "xml")[0] == 2


def test_json_output_is_the_documented_structure(site: Path) -> None:
    write(site, "pages/parking.md", "---\ntitle: Parking\n---\nWhere to park.\n")
    edit(site, "testimonials/sam-j.md", "rating: 5", "rating: 9")
    code, output = run(str(site), "--format", "json")
    data = json.loads(output)
    assert code == 1 and data["format"] == "sitegen-check/1" and data["site"] == str(site)
    assert data["summary"] == {"errors": 1, "warnings": 1, "silenced": 0}
    assert [set(d) for d in data["diagnostics"]] == [
        {"rule", "severity", "file", "line", "message", "hint"}
    ] * 2
    first = data["diagnostics"][0]
    assert (
        first
        == {
            "rule": "SG321",
            "severity": "warning",
            "file": "content/pages/parking.md",
            "line": 2,
            "message": "no page links to /parking/",
            "hint": first["hint"],
        }
        and first["hint"]
    )
    assert data["diagnostics"][1]["rule"] == "SG625" and data["diagnostics"][1]["line"] == 6
    assert "## `--format json`" in (REPO_ROOT / "docs" / "checks.md").read_text()


def test_a_file_silences_a_rule_for_itself_with_a_reason(site: Path) -> None:
    write(
        site,
        "pages/parking.md",
        "---\ntitle: Parking\ncheck:\n  ignore: [SG321]\n  reason: Linked from the booking email.\n---\n"
        "Text.\n",
    )
    write(site, "pages/valet.md", "---\ntitle: Valet\n---\nText.\n")
    report = check(site, today=TODAY)
    assert [d.location.src_path for d in report.diagnostics] == [
        "content/pages/valet.md"
    ] and report.silenced == 1
    _, output = run(str(site), "--format", "json")
    assert json.loads(output)["summary"]["silenced"] == 1


def test_silencing_a_health_information_leak_is_refused(site: Path) -> None:
    edit(site, "site.yaml", "brand:", "check:\n  ignore: [SG601, SG999]\n  reason: We are sure.\nbrand:")
    messages = findings(site, "SG221")
    assert any("SG601 cannot be silenced" in m for m in messages) and any(
        "SG999 is not a rule" in m for m in messages
    )


def test_build_stops_on_rule_errors_and_prints_rule_warnings(site: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0
    before = snapshot(site / "public")
    write(site, "pages/parking.md", "---\ntitle: Parking\n---\nWhere to park.\n")
    result = CliRunner().invoke(main, ["build", str(site)])
    assert (
        result.exit_code == 0
        and "content/pages/parking.md:2: warning[SG321] no page links to /parking/" in result.output
    )
    edit(site, "testimonials/sam-j.md", "rating: 5", "rating: 0")
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1 and "error[SG625]" in result.output
    assert snapshot(site / "public") != before  # the warning-only build was written...
    after_warning = snapshot(site / "public")
    CliRunner().invoke(main, ["build", str(site)])
    assert snapshot(site / "public") == after_warning  # ...the failing one was not


def test_check_writes_nothing(site: Path) -> None:
    before = snapshot(site)
    assert run(str(site))[0] == 0
    assert snapshot(site) == before


def test_the_demo_is_clean_under_strict() -> None:
    code, output = run(str(REPO_ROOT), "--strict")
    assert code == 0, output


def test_docs_list_every_rule() -> None:
    from sitegen.checks import rules_table

    text = (REPO_ROOT / "docs" / "checks.md").read_text()
    assert rules_table() in text, (
        "docs/checks.md is out of date: run `python -m sitegen.checks --write docs/checks.md`"
    )
