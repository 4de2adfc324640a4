"""Prices as practices write them, insurance and financing, holiday hours and memberships: what a
built page and its JSON-LD publish, and the errors (code, file:line) for what makes no sense."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefactory import edit, make_site, snapshot, write

from sitegen.build.pipeline import build, check
from sitegen.cli import main

TODAY = date(2026, 11, 20)

SERVICE = """---
title: Facelift
summary: Surgical lifting of the lower face.
category: Surgery
prices:
  - label: Full facelift
    amount: 3500
    up_to: 5000
    note: Depends on the extent of the lift.
  - label: Neuromodulator
    amount: 14
    unit: unit
  - label: Filler
    prefix: from
    amount: 725
    unit: syringe
  - label: Consultation
    amount: 0
  - label: Revision
    note: After an assessment.
  - label: Aftercare kit
    amount: 85
---
Text.
"""

SPECIAL = """special_hours:
  - label: Thanksgiving
    date: 2026-11-26
    until: 2026-11-27
  - label: Christmas Eve
    date: 2026-12-24
    hours: 8:30-12:00
  - label: Spring training day
    date: 2027-03-02
  - label: Staff party
    date: 2026-10-01
"""


def page(out: Path, url: str) -> str:
    return (out / url.strip("/") / "index.html").read_text()


def jsonld(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)]


def text(html: str) -> str:
    """The page's words, tags removed and spaces collapsed."""
    visible = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", visible))


def built(site: Path) -> Path:
    out = site / "public"
    result = build(site, out, today=TODAY, use_cache=False)
    errors = [d.format() for d in result.diagnostics if d.severity.value == "error"]
    assert errors == []
    return out


def found(site: Path, code: str) -> list[str]:
    return [
        f"{d.location.src_path}:{d.location.line}: {d.message}"
        for d in check(site, today=TODAY).diagnostics
        if d.code == code
    ]


def line_of(site: Path, rel_path: str, needle: str) -> int:
    lines = (site / "content" / rel_path).read_text().splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def test_every_way_of_writing_a_price_is_published_and_priced_honestly_in_json_ld(site: Path) -> None:
    write(site, "services/facelift.md", SERVICE)
    html = page(built(site), "/services/facelift/")
    words = text(html)
    assert "Full facelift Depends on the extent of the lift. $3,500 to $5,000" in words
    assert "Neuromodulator $14 per unit" in words
    assert "Filler from $725 per syringe" in words
    assert "Consultation Free" in words
    assert "Revision After an assessment. Priced at your consultation" in words
    (service,) = [d for d in jsonld(html) if d["@type"] == "Service"]
    offers = {o["name"]: o for o in service["offers"]}
    assert "Revision" not in offers  # no amount: nothing to publish
    assert offers["Full facelift"]["priceSpecification"] == {
        "@type": "UnitPriceSpecification",
        "priceCurrency": "USD",
        "minPrice": 3500,
        "maxPrice": 5000,
    }
    assert offers["Neuromodulator"]["priceSpecification"]["price"] == 14
    assert offers["Neuromodulator"]["priceSpecification"]["unitText"] == "unit"
    filler = offers["Filler"]["priceSpecification"]
    assert filler["minPrice"] == 725 and "price" not in filler and "maxPrice" not in filler
    assert offers["Consultation"]["price"] == 0
    assert offers["Aftercare kit"] == {
        "@type": "Offer",
        "name": "Aftercare kit",
        "priceCurrency": "USD",
        "price": 85,
    }


def test_a_range_is_written_in_the_pages_language(site: Path) -> None:
    edit(site, "site.yaml", "brand:", "languages: [en, es]\nbrand:")
    write(site, "services/facelift.md", SERVICE)
    write(site, "services/facelift.es.md", "---\ntitle: Estiramiento facial\n---\nTexto.\n")
    words = text(page(built(site), "/es/services/facelift/"))
    assert "De $3,500 a $5,000" in words and "Gratis" in words and "$14 por unit" in words


def test_the_existing_price_fields_keep_working(site: Path) -> None:
    """The starter's `amount`, and a card showing the first priced line (the treatment itself), never
    a cheaper add-on in another unit: a facelift is not "From $14 per unit"."""
    write(site, "services/facelift.md", SERVICE)
    out = built(site)
    assert "$50" in text(page(out, "/services/consultation/"))
    cards = text(page(out, "/services/"))
    assert "From $3,500" in cards and "$14" not in cards


@pytest.mark.parametrize(
    ("prices", "code", "needle", "message"),
    [
        (
            "  - label: Peel\n    amount: -50\n",
            "SG235",
            "amount: -50",
            "prices[1].amount: a price cannot be negative (-50)",
        ),
        (
            "  - label: Lift\n    amount: 5000\n    up_to: 3500\n",
            "SG235",
            "up_to: 3500",
            "prices[1]: the range ends (3,500) at or below where it starts (5,000)",
        ),
        (
            "  - label: Lift\n    up_to: 3500\n",
            "SG235",
            "up_to: 3500",
            "prices[1]: up_to 3,500 without an amount to start the range",
        ),
        (
            "  - label: Botox\n    amount: 14\n    unit: per unit\n",
            "SG236",
            "unit: per unit",
            'prices[1].unit: "per unit" is not a unit',
        ),
    ],
)
def test_a_price_that_makes_no_sense_is_an_error_at_its_line(
    site: Path, prices: str, code: str, needle: str, message: str
) -> None:
    write(site, "services/odd.md", f"---\ntitle: Odd\nsummary: Odd.\nprices:\n{prices}---\nText.\n")
    line = line_of(site, "services/odd.md", needle)
    assert found(site, code) == [f"content/services/odd.md:{line}: {message}"]


def test_holiday_closures_within_60_days_are_shown_and_every_one_not_over_is_in_json_ld(site: Path) -> None:
    edit(site, "locations/main-office.yaml", "directions:", SPECIAL + "directions:")
    html = page(built(site), "/locations/main-office/")
    words = text(html)
    assert "Thanksgiving : November 26, 2026 – November 27, 2026 : Closed" in words
    assert "Christmas Eve : December 24, 2026 : 8:30 AM – 12 PM" in words
    assert "Spring training day" not in words  # more than 60 days ahead
    assert "Staff party" not in words  # over
    (office,) = [d for d in jsonld(html) if d.get("@id", "").endswith("#office")]
    assert office["specialOpeningHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "name": "Thanksgiving",
            "validFrom": "2026-11-26",
            "validThrough": "2026-11-27",
            "opens": "00:00",
            "closes": "00:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "name": "Christmas Eve",
            "validFrom": "2026-12-24",
            "validThrough": "2026-12-24",
            "opens": "08:30",
            "closes": "12:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "name": "Spring training day",
            "validFrom": "2027-03-02",
            "validThrough": "2027-03-02",
            "opens": "00:00",
            "closes": "00:00",
        },
    ]


def test_unquoted_times_keep_their_meaning_in_weekly_and_special_hours(site: Path) -> None:
    """`8:30` is 510 in YAML 1.1 (base 60): the text written is what is published."""
    edit(site, "locations/main-office.yaml", 'monday: "09:00-17:00"', "monday: 8:30-17:00")
    edit(
        site,
        "locations/main-office.yaml",
        "directions:",
        "special_hours:\n  - label: Short day\n    date: 2026-12-01\n    hours: 10:00-14:30\ndirections:",
    )
    html = page(built(site), "/locations/main-office/")
    (office,) = [d for d in jsonld(html) if d.get("@id", "").endswith("#office")]
    monday = next(h for h in office["openingHoursSpecification"] if h["dayOfWeek"] == "Monday")
    assert (monday["opens"], monday["closes"]) == ("08:30", "17:00")
    short = office["specialOpeningHoursSpecification"][0]
    assert (short["opens"], short["closes"]) == ("10:00", "14:30")


@pytest.mark.parametrize(
    ("entries", "code", "needle", "message"),
    [
        (
            "  - label: Holiday\n    date: 2026-12-24\n    hours: 9-5\n",
            "SG237",
            "hours: 9-5",
            'special_hours[1] (Holiday): hours "9-5" are not a time range',
        ),
        (
            "  - label: Holiday\n    date: 2026-12-24\n    hours: 17:00-09:00\n",
            "SG237",
            "hours: 17:00-09:00",
            'special_hours[1] (Holiday): hours "17:00-09:00" are not a time range',
        ),
        (
            "  - label: Break\n    date: 2026-12-31\n    until: 2026-12-24\n",
            "SG237",
            "until: 2026-12-24",
            "special_hours[1] (Break): until 2026-12-24 is before the first day 2026-12-31",
        ),
        (
            "  - label: Break\n    date: 2026-12-24\n    until: 2027-01-01\n"
            "  - label: New Year\n    date: 2027-01-01\n",
            "SG238",
            "date: 2027-01-01",
            "special_hours[2] (New Year) overlaps special_hours[1] (Break) on 2027-01-01",
        ),
    ],
)
def test_special_hours_that_are_not_hours_or_overlap_are_errors_at_their_line(
    site: Path, entries: str, code: str, needle: str, message: str
) -> None:
    edit(site, "locations/main-office.yaml", "directions:", "special_hours:\n" + entries + "directions:")
    line = line_of(site, "locations/main-office.yaml", needle)
    assert found(site, code) == [f"content/locations/main-office.yaml:{line}: {message}"]


FINANCING = """insurance: [Aetna PPO, Delta Dental PPO]
insurance_note: We file the claim for you.
financing:
  - provider: CareCredit
    terms: 12 months with no interest on purchases over $200.
    url: https://www.carecredit.com/
"""


def test_insurance_and_financing_are_shown_and_in_json_ld(site: Path) -> None:
    edit(site, "site.yaml", "brand:", FINANCING + "brand:")
    write(
        site,
        "services/facelift.md",
        SERVICE.replace("category: Surgery", "insurance_note: Cosmetic, not covered by insurance."),
    )
    out = built(site)
    consultation = text(page(out, "/services/consultation/"))
    assert "Insurance plans we accept: Aetna PPO Delta Dental PPO We file the claim for you." in consultation
    assert "CareCredit : 12 months with no interest on purchases over $200." in consultation
    facelift = text(page(out, "/services/facelift/"))
    assert "Cosmetic, not covered by insurance." in facelift and "Aetna PPO" not in facelift
    location = page(out, "/locations/main-office/")
    assert '<a href="https://www.carecredit.com/">CareCredit</a>' in location
    (office,) = [d for d in jsonld(location) if d.get("@id", "").endswith("#office")]
    assert office["paymentAccepted"] == "CareCredit"
    assert office["healthPlanNetworkId"] == ["Aetna PPO", "Delta Dental PPO"]


def test_a_location_lists_its_own_plans_and_a_plain_medical_business_has_no_network_id(site: Path) -> None:
    edit(site, "site.yaml", "brand:", FINANCING + "business_type: MedicalBusiness\nbrand:")
    edit(site, "locations/main-office.yaml", "directions:", "insurance: [Cigna]\ndirections:")
    location = page(built(site), "/locations/main-office/")
    assert "Cigna" in text(location) and "Aetna PPO" not in text(location)
    (office,) = [d for d in jsonld(location) if d.get("@id", "").endswith("#office")]
    assert "healthPlanNetworkId" not in office  # only a MedicalOrganization has the property


MEMBERSHIP = """---
title: Glow Club
summary: A facial every month.
price: 99
per: month
includes:
  - One hydrating facial a month
  - 10% off skincare
terms: Billed monthly.
cancellation: Cancel any time at the front desk.
---
Join at the front desk.
"""


def test_a_membership_has_a_listing_a_page_with_its_sign_up_form_and_an_offer(site: Path) -> None:
    write(site, "memberships/glow-club.md", MEMBERSHIP)
    out = built(site)
    listing = text(page(out, "/memberships/"))
    assert "Glow Club $99 a month A facial every month." in listing
    html = page(out, "/memberships/glow-club/")
    words = text(html)
    assert "What's included One hydrating facial a month 10% off skincare" in words
    assert "Cancelling Cancel any time at the front desk." in words
    assert re.search(r"<form[^>]*action=", html), "no sign-up form"
    (offer,) = [d for d in jsonld(html) if d["@type"] == "Offer"]
    assert offer["price"] == 99 and offer["priceSpecification"]["unitText"] == "month"
    assert '<a href="/memberships/">' in page(out, "/services/")


def test_a_membership_without_a_price_is_an_error_at_its_line(site: Path) -> None:
    write(site, "memberships/glow-club.md", MEMBERSHIP.replace("price: 99", "price: 0"))
    line = line_of(site, "memberships/glow-club.md", "price: 0")
    assert found(site, "SG239") == [
        f"content/memberships/glow-club.md:{line}: price: 0 is not a price for a membership"
    ]


def test_a_referral_reward_that_gives_a_membership_is_an_error_where_federal_patients_take_part(
    site: Path,
) -> None:
    from sitefactory import PROGRAM, add_program

    add_program(site, PROGRAM + "compliance:\n  payer_scope: mixed\n  states: [TX]\n")
    write(site, "memberships/glow-club.md", MEMBERSHIP)
    program = (site / "content" / "program.yaml").read_text()
    description = re.search(r"description: (.+)", program)[1]
    edit(site, "program.yaml", description, "One month of the Glow Club")
    line = line_of(site, "program.yaml", "One month of the Glow Club")
    assert any(f.startswith(f"content/program.yaml:{line}: ") for f in found(site, "SG656"))
    edit(site, "program.yaml", "payer_scope: mixed", "payer_scope: cash_pay")
    assert found(site, "SG656") == []


def test_a_campaign_reward_that_gives_a_membership_is_an_error_at_its_line(site: Path) -> None:
    from sitefactory import PROGRAM, add_program

    add_program(site, PROGRAM + "compliance:\n  payer_scope: federal\n  states: [TX]\n")
    write(site, "memberships/glow-club.md", MEMBERSHIP)
    write(
        site,
        "campaigns/winter.md",
        "---\ntitle: Winter\nsummary: A push.\nstart: 2026-11-01\nend: 2026-12-31\noffer: Double thanks.\n"
        "referrer_reward:\n  kind: credit\n  value: 99\n"
        "  description: A free month of the Glow Club\n---\nText.\n",
    )
    line = line_of(site, "campaigns/winter.md", "referrer_reward:")
    assert (
        f'content/campaigns/winter.md:{line}: referrer_reward: "A free month of the Glow Club" gives a '
        "membership for referrals (payer_scope: federal)"
    ) in found(site, "SG656")


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("We waive your deductible for members.", True),
        ("Membership covers your copay at every visit.", True),
        ("Copays and deductibles still apply, as with any visit.", False),
        ("Members pay their copay as usual.", False),
    ],
)
def test_a_waived_copay_fires_and_a_copay_that_still_applies_stays_quiet(
    site: Path, sentence: str, fires: bool
) -> None:
    write(site, "memberships/glow-club.md", MEMBERSHIP.replace("Billed monthly.", sentence))
    line = line_of(site, "memberships/glow-club.md", "terms:")
    message = f'"Glow Club" offers to waive or cover what patients owe their plan: "{sentence}"'
    expected = [f"content/memberships/glow-club.md:{line}: {message}"] if fires else []
    assert found(site, "SG655") == expected


@pytest.mark.parametrize(
    ("rel_path", "old", "new", "needle", "code"),
    [
        ("services/facelift.md", "amount: 3500", "amount: -3500", "amount: -3500", "SG235"),
        (
            "locations/main-office.yaml",
            "directions:",
            "special_hours:\n  - label: Holiday\n    date: 2026-12-24\n    hours: 9-5\ndirections:",
            "hours: 9-5",
            "SG237",
        ),
        ("memberships/glow-club.md", "price: 99", "price: 0", "price: 0", "SG239"),
    ],
)
def test_sitegen_build_refuses_a_bad_price_hours_or_membership_and_keeps_the_last_site(
    site: Path, rel_path: str, old: str, new: str, needle: str, code: str
) -> None:
    """From the command line, as staff run it: the located message, exit 1, the previous site intact."""
    write(site, "services/facelift.md", SERVICE)
    write(site, "memberships/glow-club.md", MEMBERSHIP)
    assert CliRunner().invoke(main, ["build", str(site)]).exit_code == 0
    before = snapshot(site / "public")
    edit(site, rel_path, old, new)
    result = CliRunner().invoke(main, ["build", str(site)])
    line = line_of(site, rel_path, needle)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert isinstance(result.exception, (SystemExit, type(None))), result.exc_info  # not a crash
    assert f"content/{rel_path}:{line}: error[{code}]" in result.output, result.output
    assert snapshot(site / "public") == before
