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
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import QuietThreadingHTTPServer, StaticSiteHandler
from playwright.sync_api import Browser
from test_demo_quality import (
    DESKTOP,
    axe_blocking_violations,
    distinct_page_urls,
    nu_validator_problems,
    page_urls,
    report,
    start_tags,
)
from test_report import APPOINTMENT, ENROLL, VISITS, request, write_csv

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
    server = QuietThreadingHTTPServer(
        ("127.0.0.1", 0), partial(StaticSiteHandler, directory=str(dental_site))
    )
    thread = threading.Thread(target=server.serve_forever, name="dental_server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["390px", "1280px"])
def test_no_serious_accessibility_violation_on_each_distinct_page(
    dental_site: Path, dental_server: str, browser: Browser, viewport: dict[str, int]
) -> None:
    """Every distinct page (one of each template, and each page whose markup differs from its siblings')."""
    phone = viewport["width"] < 500
    context = browser.new_context(
        base_url=dental_server, viewport=viewport, is_mobile=phone, has_touch=phone, bypass_csp=True
    )
    try:
        context.add_init_script(script=Axe().axe_script)  # preloaded: cheaper than injecting it per page
        page = context.new_page()
        problems: list[str] = []
        for url in distinct_page_urls(dental_site):
            page.goto(url, wait_until="load")
            problems += axe_blocking_violations(page, f"{url} ({viewport['width']}px)")
            if page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth"):
                problems.append(f"{url} ({viewport['width']}px): scrolls sideways")
        assert not problems, report("examples/dental: serious or critical axe violations", problems)
    finally:
        context.close()
