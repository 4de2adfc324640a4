"""The second example site, examples/dental/: a dental group with three offices, a charitable referral
program and a full Spanish edition, written from the docs alone. Built once per session; it must build
without a warning, pass `check --strict`, the Nu validator and axe, and report from exports.
"""

from __future__ import annotations

import html as html_module
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import serving
from playwright.sync_api import Browser
from test_demo_quality import (
    DESKTOP,
    axe_blocking_violations,
    distinct_page_urls,
    nu_validator_problems,
    page_urls,
    report,
    start_tags,
    sweep_page,
    too_wide_for_a_phone,
)
from test_report import APPOINTMENT, ENROLL, VISITS, request, write_csv

from sitegen.build.pipeline import build
from sitegen.site.refcode import make_code

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = REPO_ROOT / "examples" / "dental"
PHONE_390 = {"width": 390, "height": 844}
CHARITIES = ["Casco Bay Food Pantry", "Maine Kids' Smile Fund", "Midcoast Animal Refuge"]


def sitegen(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "sitegen", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)


@pytest.fixture(scope="session")
def dental_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/dental copied aside (so neither its cache nor reports land in the repository)."""
    site = tmp_path_factory.mktemp("dental") / "dental"
    shutil.copytree(
        EXAMPLE, site, ignore=shutil.ignore_patterns("public", ".sitegen", "reports", "promotion-kit")
    )
    return site


@pytest.fixture(scope="session")
def dental_build(dental_copy: Path) -> tuple[Path, str]:
    """The example built once with the real CLI: its output folder and everything the build printed."""
    out = dental_copy / "public"
    result = sitegen("build", str(dental_copy), "--out", str(out))
    printed = result.stdout + result.stderr
    assert result.returncode == 0, f"building examples/dental failed:\n{printed}"
    return out, printed


@pytest.fixture(scope="session")
def dental_site(dental_build: tuple[Path, str]) -> Path:
    return dental_build[0]


def html_of(site: Path, url: str) -> str:
    rel = url.lstrip("/")
    return (site / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)).read_text(
        encoding="utf-8"
    )


def refused(printed: str) -> list[tuple[str, str]]:
    """The (file:line, field) of each SG214 a build printed: a translation setting what is not a text."""
    return re.findall(r"^(content/\S+:\d+): error\[SG214\] (\S+) is not a text", printed, re.M)


def jsonld(html: str) -> list[dict]:
    return [
        json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def words(html: str) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    visible = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", visible)))


def html_lang(html: str) -> str | None:
    return next((attrs.get("lang") for tag, attrs in start_tags(html) if tag == "html"), None)


# ---------------------------------------------------------------------------------------------
# Build, check, validator
# ---------------------------------------------------------------------------------------------


def test_the_example_builds_without_a_warning(dental_build: tuple[Path, str]) -> None:
    site, printed = dental_build
    assert re.search(r"Built \d+ pages", printed), printed
    assert "warning" not in printed.lower() and "error" not in printed.lower(), printed
    assert len(page_urls(site)) >= 80  # 3 offices, 6 treatments, 4 people, 2 posts... in two languages


def test_check_strict_is_clean(dental_copy: Path, dental_site: Path) -> None:
    result = sitegen("check", str(dental_copy), "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout + result.stderr


def test_every_page_passes_the_nu_html_validator(dental_site: Path) -> None:
    problems = nu_validator_problems(dental_site)
    assert not problems, report("examples/dental: Nu HTML Checker errors", problems)


# ---------------------------------------------------------------------------------------------
# What the site publishes
# ---------------------------------------------------------------------------------------------


def test_the_spanish_edition_has_every_page_in_spanish(dental_site: Path) -> None:
    urls = page_urls(dental_site)
    spanish = {u for u in urls if u.startswith("/es/")}
    english = [u for u in urls if not u.startswith("/es/")]
    tags = re.compile(r"^/posts/tags/[^/]+/$")  # topics are named in each language: children / niños
    missing = [u for u in english if not tags.match(u) and "/es" + u not in spanish]
    assert not missing, report("English pages without a Spanish page", missing)
    assert len(spanish) == len(english)
    wrong = [f"{u}: lang={html_lang(html_of(dental_site, u))}" for u in sorted(spanish)]
    wrong = [w for w in wrong if not w.endswith("lang=es")]
    assert not wrong, report("Spanish pages whose <html lang> is not es", wrong)
    assert html_lang(html_of(dental_site, "/services/dental-implants/")) == "en"
    assert "Implantes dentales" in html_of(dental_site, "/es/services/dental-implants/")


def test_the_charitable_choice_is_on_the_enrol_form_in_both_languages(dental_site: Path) -> None:
    for url in ("/refer/", "/es/refer/"):
        html = html_of(dental_site, url)
        form = re.search(r'<form[^>]*name="enroll".*?</form>', html, re.S)
        assert form, f"{url} has no enroll form"
        select = re.search(r'<select[^>]*name="charity"[^>]*>(.*?)</select>', form.group(0), re.S)
        assert select is not None and "required" in select.group(0), f"{url}: no required charity choice"
        options = re.findall(r"<option(?: value=\"[^\"]*\")?>([^<]+)</option>", select.group(1))
        assert [html_module.unescape(o) for o in options][1:] == CHARITIES, url  # after "Choose…"
    # nothing is given to the referring patient: the page never says "You get" a donation
    refer = html_of(dental_site, "/refer/")
    assert "<strong>In your name</strong> a $15 donation" in refer and ">You get<" not in refer
    assert ">For you<" not in refer and "<strong>En su nombre</strong>" in html_of(dental_site, "/es/refer/")
    terms = html_of(dental_site, "/refer/terms/")
    assert "the patient receives no payment" in terms
    assert "MaineCare, Medicare or any other federal or state health program" in terms


def test_zip_codes_and_the_dentist_type_are_published_as_written(dental_site: Path) -> None:
    """The offices' ZIP codes are written unquoted (04101), as on an envelope: the page and the JSON-LD
    keep the leading zero (YAML 1.1 would read 04101 as the octal number 2113)."""
    for slug, zip_code in (("portland", "04101"), ("south-portland", "04106"), ("brunswick", "04011")):
        html = html_of(dental_site, f"/locations/{slug}/")
        assert f"ME {zip_code}" in html, slug
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert f'"postalCode": "{zip_code}"' in json.dumps([json.loads(b) for b in blocks]), slug
    home = html_of(dental_site, "/")
    assert '"@type": "Dentist"' in json.dumps(
        [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', home, re.S)]
    )


def test_the_booking_form_speaks_of_appointments_in_both_languages(dental_site: Path) -> None:
    """The theme's med-spa "consultation" is reworded: the booking form by forms.builtin.appointment in
    site.yaml (translated by content/i18n/es.yaml), the theme's sentences by content/i18n/<lang>.yaml."""
    for url, label in (("/book/", "Request my appointment"), ("/es/book/", "Solicitar mi cita")):
        html = html_of(dental_site, url)
        assert f">{label}</button>" in html, url
        assert "consultation" not in html.lower() and "consulta<" not in html, url
    assert "to confirm your appointment" in html_of(dental_site, "/thanks/appointment/")
    assert "confirmar su cita" in html_of(dental_site, "/es/thanks/appointment/")
    welcome = html_of(dental_site, "/welcome/")
    assert "Request an appointment" in welcome and "starts with an exam" in welcome
    assert "Su plan y su presupuesto se confirman en su examen" in html_of(dental_site, "/es/services/")


def test_implants_and_aligners_publish_their_price_range_on_the_page_and_in_json_ld(
    dental_site: Path,
) -> None:
    """A range is written as the practice says it ("$3,800 to $5,200"), never "from $3,800" with the top
    of the range hidden in a note; search engines get minPrice and maxPrice, no single price."""
    for slug, label, low, high in (
        ("dental-implants", "Single implant, abutment and crown", 3800, 5200),
        ("clear-aligners", "Full treatment, scans, aligners and first retainers", 3900, 5900),
    ):
        html = html_of(dental_site, f"/services/{slug}/")
        assert f"${low:,} to ${high:,}" in words(html), slug
        (service,) = [d for d in jsonld(html) if d["@type"] == "Service"]
        offers = {o["name"]: o for o in service["offers"]}
        spec = offers[label]["priceSpecification"]
        assert (spec["minPrice"], spec["maxPrice"]) == (low, high) and "price" not in spec, slug
    assert "De $3,800 a $5,200 por diente" in words(html_of(dental_site, "/es/services/dental-implants/"))
    aligners = words(html_of(dental_site, "/services/clear-aligners/"))
    assert "how your teeth could move Free" in aligners  # the free consultation is a price line of its own


def test_plans_and_financing_are_shown_per_office_and_per_treatment(dental_site: Path) -> None:
    """MaineCare for children only where it is accepted (Portland and Brunswick), in the page and in
    JSON-LD; financing left off a visit under $200."""
    for slug, mainecare in (("portland", True), ("south-portland", False), ("brunswick", True)):
        html = html_of(dental_site, f"/locations/{slug}/")
        assert ("MaineCare (children under 21)" in words(html)) is mainecare, slug
        (office,) = [d for d in jsonld(html) if d.get("@type") == "Dentist"]
        assert "Delta Dental" in office["healthPlanNetworkId"], slug
        assert any("MaineCare" in plan for plan in office["healthPlanNetworkId"]) is mainecare, slug
        assert office["paymentAccepted"] == "CareCredit, Our own payment plan", slug
    assert "CareCredit" in words(html_of(dental_site, "/services/dental-implants/"))
    assert "CareCredit" not in words(html_of(dental_site, "/services/new-patient-exam/"))
    assert "Our own payment plan" not in words(html_of(dental_site, "/financial-policy/"))  # data, not prose


def test_the_smile_plan_is_a_membership_in_both_languages(dental_site: Path) -> None:
    """The plan for patients without insurance has its own page, priced per year, with its terms and how
    to cancel, in English and in Spanish, listed on /memberships/."""
    english = html_of(dental_site, "/memberships/smile-plan/")
    spanish = html_of(dental_site, "/es/memberships/smile-plan/")
    assert html_lang(english) == "en" and html_lang(spanish) == "es"
    assert "$349 a year" in words(english) and "$349 al año" in words(spanish)
    assert "never given or discounted for referring someone" in words(english)
    assert "Cancel any time by phone" in words(english) and "Cancele cuando quiera" in words(spanish)
    assert 'name="contact"' in english and 'name="contact"' in spanish  # the sign-up form
    (offer,) = [d for d in jsonld(english) if d["@type"] == "Offer"]
    assert offer["priceSpecification"]["unitText"] == "year" and offer["price"] == 349
    assert '<a href="/memberships/">Savings plans</a>' in html_of(dental_site, "/services/")  # i18n/en.yaml
    listing = words(html_of(dental_site, "/es/memberships/"))
    assert listing.count("Planes de ahorro") >= 2  # the theme's "Membresías y paquetes", reworded
    assert "Casco Bay Smile Plan $349 al año" in listing and "para niños $249 al año" in listing
    assert "Smile Plan" not in words(html_of(dental_site, "/financial-policy/")).split("No insurance?")[0]


def test_a_membership_that_waives_copays_or_rewards_referrals_is_refused(
    dental_copy: Path, tmp_path: Path
) -> None:
    """COMPLIANCE.md: the plan may not waive what an insured patient owes (SG655), nor be given for a
    referral while MaineCare patients can take part (SG656, payer_scope: mixed)."""
    site = tmp_path / "dental"
    shutil.copytree(dental_copy, site, ignore=shutil.ignore_patterns("public", ".sitegen", "reports"))
    plan = site / "content" / "memberships" / "smile-plan.md"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace("  - One emergency exam a year\n", "  - We waive your copay\n"), encoding="utf-8"
    )
    program = site / "content" / "program.yaml"
    text = program.read_text(encoding="utf-8")
    program.write_text(
        text.replace(
            "a $15 donation from Casco Bay Family Dental", "a free year of the Casco Bay Smile Plan"
        ),
        encoding="utf-8",
    )
    printed = sitegen("check", str(site)).stdout
    assert re.search(r"content/memberships/smile-plan\.md:\d+: error\[SG655\]", printed), printed
    assert re.search(r"content/program\.yaml:\d+: error\[SG656\]", printed), printed


def test_the_spanish_smile_plan_is_held_to_the_same_rules(dental_copy: Path, tmp_path: Path) -> None:
    """A patient reading Spanish is offered what the Spanish page says: a waived "copago" or a plan given
    for "recomendar a un amigo" there is SG655/SG656 at the translation's line (before, only the English
    file was read, and check stayed clean)."""
    site = tmp_path / "dental"
    shutil.copytree(dental_copy, site, ignore=shutil.ignore_patterns("public", ".sitegen", "reports"))
    plan = site / "content" / "memberships" / "smile-plan.es.md"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("  - Un examen de urgencia al año\n", "  - Le perdonamos el copago en cada visita\n")
    text = text.replace("y nunca se regala ni se descuenta por recomendar", "y se regala al recomendar")
    plan.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    waived = next(n for n, line in enumerate(lines, 1) if "copago" in line)
    terms = next(n for n, line in enumerate(lines, 1) if line.startswith("terms:"))
    result = sitegen("check", str(site))
    printed = result.stdout + result.stderr
    assert f"content/memberships/smile-plan.es.md:{waived}: error[SG655]" in printed, printed
    assert f"content/memberships/smile-plan.es.md:{terms}: error[SG656]" in printed, printed
    assert "smile-plan.md:" not in printed  # the English original says neither


FROZEN = date(2026, 12, 1)  # the build date of the holiday tests: Thanksgiving over, Christmas ahead


@pytest.fixture(scope="module")
def dental_on(tmp_path_factory: pytest.TempPathFactory, dental_copy: Path) -> Callable[[date], Path]:
    """The example built in-process on a given day (the page lists the special days within 60 days)."""
    built: dict[date, Path] = {}

    def on(day: date) -> Path:
        if day not in built:
            site = tmp_path_factory.mktemp(f"dental-{day}") / "dental"
            shutil.copytree(dental_copy, site, ignore=shutil.ignore_patterns("public", ".sitegen", "reports"))
            result = build(site, site / "public", today=day, use_cache=False)
            assert not result.diagnostics, [d.format() for d in result.diagnostics]
            built[day] = site / "public"
        return built[day]

    return on


def test_holiday_closures_show_on_each_office_page_within_60_days(dental_on: Callable[[date], Path]) -> None:
    site = dental_on(FROZEN)
    portland = words(html_of(site, "/locations/portland/"))
    assert "Christmas Eve : December 24, 2026 : 7:30 AM – 12 PM" in portland
    assert "Christmas Day : December 25, 2026 : Closed" in portland
    assert "New Year's Day : January 1, 2027 : Closed" in portland
    assert "Thanksgiving" not in portland and "Memorial Day" not in portland  # over, and too far ahead
    south = words(html_of(site, "/locations/south-portland/"))
    assert "Christmas Day : December 25, 2026 – December 26, 2026 : Closed" in south
    assert "Christmas Eve" not in south  # a Portland short day only
    spanish = words(html_of(site, "/es/locations/portland/"))
    assert "Nochebuena : 24 de diciembre de 2026 : 7:30 a.m. – 12 p.m." in spanish
    assert "Año Nuevo : 1 de enero de 2027 : Cerrado" in spanish
    later = words(html_of(dental_on(date(2027, 2, 15)), "/locations/portland/"))
    assert "Christmas" not in later and "Memorial Day" not in later  # May 31 is more than 60 days away


def test_json_ld_has_every_coming_special_day_of_each_office(dental_on: Callable[[date], Path]) -> None:
    html = html_of(dental_on(FROZEN), "/locations/brunswick/")
    (office,) = [d for d in jsonld(html) if d.get("@type") == "Dentist"]
    special = {s["name"]: s for s in office["specialOpeningHoursSpecification"]}
    assert list(special) == [
        "Christmas Day",
        "New Year's Day",
        "Memorial Day",
        "Independence Day (observed)",
        "Labor Day",
    ]  # Thanksgiving is over on the build date; the rest is published, not only the next 60 days
    assert special["Christmas Day"] == {
        "@type": "OpeningHoursSpecification",
        "name": "Christmas Day",
        "validFrom": "2026-12-25",
        "validThrough": "2026-12-25",
        "opens": "00:00",
        "closes": "00:00",
    }
    (portland,) = [
        d for d in jsonld(html_of(dental_on(FROZEN), "/locations/portland/")) if d.get("@type") == "Dentist"
    ]
    eve = portland["specialOpeningHoursSpecification"][0]
    assert (eve["name"], eve["opens"], eve["closes"]) == ("Christmas Eve", "07:30", "12:00")


def test_a_translation_cannot_change_hours_billing_or_currency(dental_copy: Path, tmp_path: Path) -> None:
    """The Spanish files hold texts only: hours, a holiday's last day, a membership's billing period and
    the currency are the original's. Before, a translation changed them silently, in Spanish only (the
    Smile Plan read "$349 al mes", the Spanish pages priced in EUR)."""
    site = tmp_path / "dental"
    shutil.copytree(dental_copy, site, ignore=shutil.ignore_patterns("public", ".sitegen", "reports"))
    content = site / "content"
    office = content / "locations" / "portland.es.yaml"
    text = office.read_text(encoding="utf-8")
    text = text.replace("  - label: Nochebuena\n", '  - label: Nochebuena\n    hours: "07:30-09:00"\n')
    text = text.replace("  - label: Navidad\n", "  - label: Navidad\n    until: 2026-12-31\n")
    office.write_text('hours:\n  monday: "10:00-11:00"\n' + text, encoding="utf-8")
    plan = content / "memberships" / "smile-plan.es.md"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("---\n", "---\nper: month\n", 1), encoding="utf-8"
    )
    result = sitegen("build", str(site), "--out", str(site / "public"))
    printed = result.stdout + result.stderr

    def line(file: Path, needle: str) -> str:
        number = next(n for n, text in enumerate(file.read_text().splitlines(), 1) if needle in text)
        return f"content/{file.relative_to(content).as_posix()}:{number}"

    assert refused(printed) == [
        (line(office, "hours:"), "hours"),
        (line(office, '"07:30-09:00"'), "special_hours[2].hours"),
        (line(office, "until: 2026-12-31"), "special_hours[3].until"),
        (line(plan, "per: month"), "per"),
    ], printed
    # the site's settings are read once the documents are sound: the same for a translated currency
    shutil.copy(dental_copy / "content" / "locations" / "portland.es.yaml", office)
    shutil.copy(dental_copy / "content" / "memberships" / "smile-plan.es.md", plan)
    with (content / "site.es.yaml").open("a", encoding="utf-8") as f:
        f.write("currency: EUR\n")
    result = sitegen("build", str(site), "--out", str(site / "public"))
    printed = result.stdout + result.stderr
    assert refused(printed) == [(line(content / "site.es.yaml", "currency: EUR"), "currency")], printed
    assert not (site / "public").exists()


def test_english_testimonials_on_spanish_pages_say_they_are_english(dental_site: Path) -> None:
    """The patients' words are never translated (FTC: quoted as given): on a Spanish page the quote and
    the practice's own English disclosure carry lang="en", so a screen reader reads them in English."""
    for url in ("/es/testimonials/", "/es/refer/", "/es/services/cleanings/"):
        html = html_of(dental_site, url)
        quotes = re.findall(r'<blockquote class="testimonial-quote"([^>]*)>', html)
        assert quotes and all(q == ' lang="en"' for q in quotes), (url, quotes)
        assert '<span lang="en">Marisol referred a family member' in html, url
    english = html_of(dental_site, "/testimonials/")
    assert 'class="testimonial-quote">' in english and 'testimonial-quote" lang=' not in english


def test_a_charitable_reward_in_a_quote_needs_its_disclosure(dental_copy: Path, tmp_path: Path) -> None:
    """Marisol's quote mentions the donation made in her name: without `rewarded: true` check says so."""
    site = tmp_path / "dental"
    shutil.copytree(dental_copy, site, ignore=shutil.ignore_patterns("public", ".sitegen", "reports"))
    file = site / "content" / "testimonials" / "marisol-r-cleanings.md"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("rewarded: true\n", ""), encoding="utf-8")
    result = sitegen("check", str(site))
    assert "content/testimonials/marisol-r-cleanings.md:" in result.stdout + result.stderr
    assert "SG624" in result.stdout + result.stderr


# ---------------------------------------------------------------------------------------------
# `sitegen report` on exports of this site
# ---------------------------------------------------------------------------------------------


def test_report_counts_donations_per_chosen_charity(dental_copy: Path, tmp_path: Path) -> None:
    ann, bea = make_code("ANNACDE"), make_code("BEABCDE")
    enrol_header = ENROLL + ["charity"]
    enrolments = [
        [
            "Ann",
            "ann@example.com",
            ann,
            "",
            "",
            "",
            "/refer/",
            "",
            "2026-10-05",
            "e-1",
            "Maine Kids' Smile Fund",
        ],
        [
            "Bea",
            "bea@example.com",
            bea,
            "",
            "",
            "",
            "/es/refer/",
            "",
            "2026-10-06",
            "e-2",
            "casco bay food pantry",
        ],
    ]
    enroll = write_csv(tmp_path / "enroll.csv", enrol_header, enrolments)
    appointments = write_csv(
        tmp_path / "appointment.csv",
        APPOINTMENT,
        [
            request("Fred", "fred@example.org", "", ann, "2026-10-10"),
            request("Gina", "gina@example.org", "", bea, "2026-10-12"),
            request("Hank", "hank@example.org", "", ann, "2026-11-02"),
        ],
    )
    visits = write_csv(
        tmp_path / "visits.csv",
        VISITS,
        [
            ["ann@example.com", "", "2026-09-20", "165"],  # the referrers' own paid visits (the terms ask it)
            ["bea@example.com", "", "2026-09-22", "165"],
            ["fred@example.org", "", "2026-10-20", "185"],
            ["gina@example.org", "", "2026-10-25", "185"],
            ["hank@example.org", "", "2026-11-09", "120"],
        ],
    )
    out = tmp_path / "reports"
    result = sitegen(
        "report", "--site", str(dental_copy), "--out", str(out), "--enrollments", str(enroll),
        "--appointments", str(appointments), "--visits", str(visits),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["successful"] == 3
    assert sorted((d["month"], d["charity"], d["donations"], d["amount"]) for d in data["donations"]) == [
        ("2026-10", "Casco Bay Food Pantry", 1, 15.0),
        ("2026-10", "Maine Kids' Smile Fund", 1, 15.0),
        ("2026-11", "Maine Kids' Smile Fund", 1, 15.0),
    ]
    messages = {r["email"]: r["message"] for r in data["rewards"]}
    assert "Maine Kids' Smile Fund" in messages["ann@example.com"]
    assert messages["bea@example.com"].startswith("Hola, Bea")  # she enrolled on the Spanish page


# ---------------------------------------------------------------------------------------------
# Accessibility in Chromium, at 390 and 1280 px
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dental_server(dental_site: Path) -> Iterator[str]:
    with serving(dental_site) as base:
        yield base


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["390px", "1280px"])
def test_no_serious_accessibility_violation_on_each_distinct_page(
    dental_site: Path, dental_server: str, browser: Browser, viewport: dict[str, int]
) -> None:
    """Every distinct page (one of each template, and each page whose markup differs from its siblings')."""
    phone = viewport["width"] < 500
    problems: list[str] = []
    options = {"viewport": viewport, "is_mobile": phone, "has_touch": phone}
    with sweep_page(browser, dental_server, **options) as page:
        for url in distinct_page_urls(dental_site):
            page.goto(url, wait_until="load")
            problems += axe_blocking_violations(page, f"{url} ({viewport['width']}px)")
            problems += too_wide_for_a_phone(page, f"{url} ({viewport['width']}px)", width=viewport["width"])
    assert not problems, report("examples/dental: serious or critical axe violations", problems)
