"""Content that used to be silently ignored or misread now says so, at the line that matters."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefactory import add_program, edit, make_site, snapshot, write

from sitegen.cli import main

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def build(site: Path) -> str:
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    return result.output


def add_menu(site: Path) -> None:
    file = site / "content" / "site.yaml"
    file.write_text(
        file.read_text(encoding="utf-8") + "menu:\n  - label: Treatments\n    url: /services/\n",
        encoding="utf-8",
    )


def test_a_pages_menu_field_ignored_because_site_yaml_lists_the_menu_is_said(site: Path) -> None:
    add_menu(site)
    output = build(site)
    assert (
        "content/pages/about.md:4: warning[SG322] `menu: header` is ignored: site.yaml lists the menu itself "
        "(`menu:`, line 12), and /about/ is not in it"
    ) in output
    assert "hint: add `- label: About us` with `url: /about/` under `menu:` in site.yaml" in output
    # the orphan warning no longer tells the writer to add the `menu: header` that is already there
    assert "content/pages/about.md:4: warning[SG321] no page links to /about/" in output
    orphan_hint = output.split("warning[SG321] no page links to /about/")[1].splitlines()[1]
    assert "menu: header" not in orphan_hint and "`menu:` in site.yaml" in orphan_hint
    header = (site / "public" / "index.html").read_text().split("</header>")[0]
    assert 'href="/about/"' not in header  # what the warning says: the page is not in the menu


def test_no_warning_when_the_menu_field_works_or_site_yaml_lists_the_page(site: Path) -> None:
    output = build(site)
    assert "SG322" not in output
    header = (site / "public" / "index.html").read_text().split("</header>")[0]
    assert 'href="/about/"' in header
    add_menu(site)
    file = site / "content" / "site.yaml"
    file.write_text(
        file.read_text(encoding="utf-8") + "  - label: About us\n    url: /about/\n", encoding="utf-8"
    )
    assert "SG322" not in build(site)


def test_an_orphan_page_without_a_site_menu_is_told_to_use_its_menu_field(site: Path) -> None:
    write(site, "pages/parking.md", "---\ntitle: Parking\n---\nText.\n")
    output = build(site)
    orphan = output.split("warning[SG321] no page links to /parking/")[1].splitlines()[1]
    assert "`menu: header` here" in orphan


def bilingual(site: Path) -> None:
    file = site / "content" / "site.yaml"
    file.write_text(file.read_text(encoding="utf-8") + "languages: [en, es]\n", encoding="utf-8")
    write(site, "locations/main-office.es.yaml", "directions: Estacionamiento gratis detrás del edificio.\n")


def test_an_error_in_an_original_is_reported_once_at_its_own_line(site: Path) -> None:
    bilingual(site)
    build(site)
    before = snapshot(site / "public")
    edit(site, "locations/main-office.yaml", 'thursday: "09:00-19:00"', 'thursday: "09:00-1900"')
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "content/locations/main-office.yaml:12: error[SG209] "
        'hours: thursday: "09:00-1900" is not a time range'
    )
    assert "main-office.es.yaml" not in result.output and "1 error(s)" in result.output
    assert snapshot(site / "public") == before


def test_a_translations_own_error_is_still_reported_at_its_line(site: Path) -> None:
    bilingual(site)
    write(site, "locations/main-office.es.yaml", "name: Oficina\ndirections: [a, b]\n")
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1
    assert "content/locations/main-office.es.yaml:2: error[SG203] directions: expected text" in result.output


TESTIMONIAL = """---
name: Sam J.
quote: {quote}
service: consultation
date: 2026-03-01
rating: 5
consent:
  date: 2026-03-02
  scope: [web]
  reference: AUTH-1
  expires: 2099-03-02
---
"""


@pytest.mark.parametrize(
    ("quote", "word"),
    [
        ("Lovely staff, and the food bank got a donation in my name.", "donation"),
        ("They donated to the animal shelter when my sister booked.", "donated"),
        ("Part of what I paid went to charity, which I loved.", "charity"),
        ("A gift to the library was made on my behalf.", "on my behalf"),
        ("Hicieron una donación al banco de comida.", "donación"),
        ("Donaron a una organización a mi nombre.", "Donaron"),
    ],
)
def test_a_charitable_reward_without_the_disclosure_is_named(site: Path, quote: str, word: str) -> None:
    add_program(site)
    write(site, "testimonials/sam-j.md", TESTIMONIAL.format(quote=quote))
    output = CliRunner().invoke(main, ["check", str(site)]).output
    assert (
        f'content/testimonials/sam-j.md:3: warning[SG624] the testimonial of Sam J. mentions "{word}" but '
        "is not marked rewarded"
    ) in output


def test_a_testimonial_without_a_benefit_is_not_flagged(site: Path) -> None:
    add_program(site)
    write(site, "testimonials/sam-j.md", TESTIMONIAL.format(quote="The consultation was calm and honest."))
    assert "SG624" not in CliRunner().invoke(main, ["check", str(site)]).output


def indexing(public: Path, base_url: str) -> tuple[set[str], set[str], set[str]]:
    """(addresses in sitemap.xml, pages that may be indexed, pages that ask not to be) of a built site."""
    tree = ET.parse(public / "sitemap.xml")
    listed = {loc.text.removeprefix(base_url) for loc in tree.iter(f"{{{SITEMAP}}}loc") if loc.text}
    indexable, noindex = set(), set()
    for file in public.rglob("*.html"):
        url = "/" + file.relative_to(public).as_posix().removesuffix("index.html")
        robots = re.search(r'<meta name="robots" content="([^"]*)"', file.read_text(encoding="utf-8"))
        (noindex if robots and "noindex" in robots[1] else indexable).add(url)
    return listed, indexable, noindex


def test_every_demo_page_is_in_the_sitemap_or_asks_not_to_be_indexed(demo_site: Path) -> None:
    listed, indexable, noindex = indexing(demo_site, "https://www.larkspuraesthetics.example")
    assert indexable - listed == set()
    assert listed == indexable and not listed & noindex
    # the pages that used to be indexable but unlisted: the ended (April 2026) campaign, the feedback form,
    # the second page of news
    assert {"/campaigns/spring-refresh/", "/refer/feedback/"} <= noindex and "/posts/page/2/" in listed
    assert {"/404.html", "/print/referral-card/"} <= noindex
    # /welcome/ without a code is a new patient's page, listed and indexed (its canonical has no ?ref=)
    assert {"/welcome/", "/es/welcome/"} <= listed


def test_a_site_without_posts_has_no_news_page_and_no_feed(site: Path) -> None:
    (site / "content" / "posts" / "welcome.md").unlink()
    build(site)
    public = site / "public"
    assert not (public / "posts").exists() and not (public / "feed.xml").exists()
    home = (public / "index.html").read_text()
    assert "/feed.xml" not in home and 'href="/posts/"' not in home
    listed, indexable, _ = indexing(public, "https://www.example.com")
    assert listed == indexable and "/posts/" not in listed


NO_HEALTH_DETAILS = "please do not send health details through it"
INTAKE = """title: Before your visit
fields:
  - name: medicines
    label: Medicines you take
    type: textarea
    sensitive: true
"""


def test_the_footer_forbids_health_details_only_where_no_form_service_may_take_them(site: Path) -> None:
    build(site)
    assert NO_HEALTH_DETAILS in (site / "public" / "index.html").read_text()
    edit(site, "site.yaml", "brand:", "forms:\n  baa: true\nbrand:")
    write(site, "forms/intake.yaml", INTAKE)
    write(site, "pages/intake.md", "---\ntitle: Before your visit\nform: intake\nmenu: footer\n---\nText.\n")
    build(site)
    intake = (site / "public" / "intake" / "index.html").read_text()
    assert 'name="medicines"' in intake  # the form that asks for health details, covered by the BAA
    for page in (intake, (site / "public" / "index.html").read_text()):
        assert NO_HEALTH_DETAILS not in page
        assert "This website gives general information, not medical advice.</p>" in page
