"""What a build produces from a small real site: pages, feeds, metadata, drafts, overrides."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefactory import edit, make_site, snapshot, write

from sitegen.cli import main


def build(site: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["build", str(site), *args])
    assert result.exit_code == 0, result.output
    return result.output


def page(site: Path, url: str) -> str:
    return (site / "public" / url.strip("/") / "index.html").read_text()


def jsonld(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


STARTER_PAGES = [
    "",
    "about",
    "privacy",
    "financial-policy",
    "accessibility",
    "services",
    "services/consultation",
    "team",
    "team/alex-rivera",
    "locations",
    "locations/main-office",
    "posts",
    "posts/welcome",
    "posts/tags",
    "posts/tags/practice-news",
    "faq",
]


def test_starter_site_builds_every_kind_of_page(site: Path) -> None:
    output = build(site)
    public = site / "public"
    html = {p.relative_to(public).as_posix() for p in public.rglob("*.html")}
    assert html == {f"{url}/index.html".lstrip("/") for url in STARTER_PAGES} | {"404.html"}
    # the summary counts the pages listed above (and the 404 page), no more, no fewer
    assert re.search(
        rf"Built {len(STARTER_PAGES) + 1} pages and \d+ other files into .* in \d+\.\d\ds\.", output
    ), output
    for name in ["feed.xml", "sitemap.xml", "robots.txt"]:
        assert (public / name).is_file(), name


def test_service_page_shows_prices_and_team(site: Path) -> None:
    build(site)
    html = page(site, "/services/consultation/")
    assert "<h1>Aesthetic consultation</h1>" in html
    assert "$50" in html and "Credited toward any treatment booked the same day." in html
    assert 'href="/team/alex-rivera/"' in html
    assert "Before your visit" in html and "Aftercare" in html


def test_return_interval_offers_booking_the_next_visit(site: Path) -> None:
    edit(
        site,
        "services/consultation.md",
        "duration: 30 minutes",
        "duration: 30 minutes\nreturn_interval:\n  min_weeks: 12\n  max_weeks: 16",
    )
    build(site)
    html = page(site, "/services/consultation/")
    assert "Book your next visit" in html and "every 12–16 weeks" in html
    assert 'href="tel:5555550100"' in html


def test_drafts_are_left_out_unless_asked_for(site: Path) -> None:
    write(
        site,
        "posts/coming.md",
        "---\ntitle: Coming soon\ndate: 2026-02-01\nsummary: Soon.\ndraft: true\n---\nText.\n",
    )
    build(site)
    assert not (site / "public" / "posts" / "coming").exists()
    assert "Coming soon" not in (site / "public" / "feed.xml").read_text()
    build(site, "--drafts")
    assert (site / "public" / "posts" / "coming" / "index.html").is_file()


def test_tag_pages_list_the_posts_of_each_tag(site: Path) -> None:
    write(
        site,
        "posts/peels.md",
        "---\ntitle: Peels explained\ndate: 2026-03-01\nsummary: About peels.\n"
        "tags: [Skin care, practice news]\n---\nText.\n",
    )
    build(site)
    skin = page(site, "/posts/tags/skin-care/")
    news = page(site, "/posts/tags/practice-news/")
    assert "Peels explained" in skin and "Our new website" not in skin
    assert "Peels explained" in news and "Our new website" in news
    assert 'href="/posts/tags/skin-care/"' in page(site, "/posts/tags/")


def test_news_index_is_paginated_newest_first(site: Path) -> None:
    edit(site, "site.yaml", "brand:", "posts_per_page: 2\nbrand:")
    for day in range(1, 4):
        write(
            site,
            f"posts/p{day}.md",
            f"---\ntitle: Post {day}\ndate: 2026-05-0{day}\nsummary: S.\n---\nText.\n",
        )
    build(site)
    first, second = page(site, "/posts/"), page(site, "/posts/page/2/")
    assert first.index("Post 3") < first.index("Post 2") and "Post 1" not in first
    assert "Post 1" in second and "Our new website" in second
    assert 'href="/posts/page/2/" rel="next"' in first and 'href="/posts/" rel="prev"' in second


def test_atom_feed_and_sitemap_are_well_formed_and_absolute(site: Path) -> None:
    build(site)
    feed = ET.parse(site / "public" / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert [e.find(f"{atom}title").text for e in entries] == ["Our new website"]
    assert entries[0].find(f"{atom}link").get("href") == "https://www.example.com/posts/welcome/"
    urls = [
        loc.text
        for loc in ET.parse(site / "public" / "sitemap.xml")
        .getroot()
        .iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert "https://www.example.com/" in urls and "https://www.example.com/services/consultation/" in urls
    assert not any("404" in url for url in urls)
    assert "Sitemap: https://www.example.com/sitemap.xml" in (site / "public" / "robots.txt").read_text()


def test_pages_carry_canonical_open_graph_and_structured_data(site: Path) -> None:
    build(site)
    home = page(site, "/")
    assert '<link rel="canonical" href="https://www.example.com/">' in home
    assert '<meta property="og:title" content="Welcome to Your Practice">' in home
    practice = jsonld(home)[0]
    assert practice["@type"] == "MedicalClinic"
    office = practice["department"][0]
    assert office["address"]["postalCode"] == "62701"
    assert {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "Thursday",
        "opens": "09:00",
        "closes": "19:00",
    } in office["openingHoursSpecification"]
    assert not any(h["dayOfWeek"] == "Sunday" for h in office["openingHoursSpecification"])
    provider = jsonld(page(site, "/team/alex-rivera/"))
    assert provider[0]["@type"] == "Person" and provider[0]["jobTitle"] == "Nurse practitioner"
    assert provider[1]["@type"] == "BreadcrumbList"
    assert [i["name"] for i in provider[1]["itemListElement"]] == [
        "Home",
        "Our team",
        "Alex Rivera, MSN, FNP-C",
    ]
    assert not any(
        d.get("@type") in ("AggregateRating", "Review")
        for p in ("/", "/services/consultation/")
        for d in jsonld(page(site, p))
    )


def test_physicians_are_marked_as_physicians(site: Path) -> None:
    edit(
        site,
        "providers/alex-rivera.md",
        "role: Nurse practitioner",
        "role: Medical director\nphysician: true",
    )
    build(site)
    assert jsonld(page(site, "/team/alex-rivera/"))[0]["@type"] == "Physician"


def test_theme_assets_are_fingerprinted_and_change_name_with_their_bytes(site: Path) -> None:
    build(site)
    home = page(site, "/")
    css = re.findall(r'href="(/assets/css/bundle\.[0-9a-f]{10}\.css)"', home)
    assert css and (site / "public" / css[0].lstrip("/")).is_file()
    brand = css[0]  # the brand's colours travel in the page's one stylesheet
    assert "--brand-primary: #2f5d62;" in (site / "public" / brand.lstrip("/")).read_text()
    edit(site, "site.yaml", '"#2f5d62"', '"#224466"')
    build(site)
    new_brand = re.findall(r'href="(/assets/css/bundle\.[0-9a-f]{10}\.css)"', page(site, "/"))[0]
    assert (
        new_brand != brand
        and "--brand-primary: #224466;" in (site / "public" / new_brand.lstrip("/")).read_text()
    )


def test_a_site_template_overrides_the_theme(site: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates" / "page.html").write_text(
        '{% extends "base.html" %}{% block main %}<p>Custom {{ page.title }}</p>{% endblock %}'
    )
    build(site)
    assert "<p>Custom About us</p>" in page(site, "/about/")
    assert "Custom" not in page(site, "/services/consultation/")


def test_template_error_names_the_template_line(site: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates" / "page.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ page.subtitle }}\n{% endblock %}'
    )
    before = snapshot(site / "public") if (site / "public").exists() else {}
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1
    assert "templates/page.html:3: error[SG401]" in result.output and "subtitle" in result.output
    assert not (site / "public").exists() or snapshot(site / "public") == before


def test_static_files_are_published_as_they_are(site: Path) -> None:
    (site / "content" / "static" / "files").mkdir(parents=True)
    (site / "content" / "static" / "files" / "intake.pdf").write_bytes(b"%PDF-1.4 test")
    build(site)
    assert (site / "public" / "files" / "intake.pdf").read_bytes() == b"%PDF-1.4 test"


def test_a_static_symlink_leading_outside_the_site_is_refused(site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("patient list")
    (site / "content" / "static").mkdir(exist_ok=True)
    (site / "content" / "static" / "leak.txt").symlink_to(secret)
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1 and "content/static/leak.txt: error[SG502]" in result.output
    assert not (site / "public").exists()


def test_same_input_gives_byte_identical_output(site: Path, tmp_path: Path) -> None:
    build(site, "--out", str(tmp_path / "one"))
    build(site, "--out", str(tmp_path / "two"))
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


@pytest.mark.parametrize("out", [".", "content", "content/static", ".."])
def test_refuses_an_output_folder_that_holds_the_sources(site: Path, out: str) -> None:
    before = snapshot(site)
    result = CliRunner().invoke(main, ["build", str(site), "--out", str(site / out)])
    assert result.exit_code == 1 and "refusing to build into" in result.output
    assert snapshot(site) == before


def test_init_refuses_to_overwrite_a_site(site: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(site)])
    assert result.exit_code == 1 and "already exists" in result.output


def test_init_creates_a_site_that_builds_warning_only_of_the_programs_legal_review(tmp_path: Path) -> None:
    """The referral program init writes has no rewards of money value, but counsel must still review it:
    that to-do is the only warning."""
    result = CliRunner().invoke(main, ["init", str(tmp_path / "new")])
    assert result.exit_code == 0 and "sitegen build" in result.output
    output = build(tmp_path / "new")
    warnings = re.findall(r"^(\S+): warning\[(SG\d+)\]", output, re.MULTILINE)
    assert [code for _, code in warnings] == ["SG614", "SG617"], output
    assert {where.split(":")[0] for where, _ in warnings} == {"content/program.yaml"}


def test_every_command_has_help_with_examples() -> None:
    for command in (["build", "--help"], ["init", "--help"], ["serve", "--help"], ["new", "--help"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0 and "Example" in result.output


def test_new_writes_a_commented_file_that_guides_to_the_missing_fields(site: Path) -> None:
    result = CliRunner().invoke(
        main, ["new", "post", "Sunscreen after laser: the rules", "--site", str(site)]
    )
    assert result.exit_code == 0, result.output
    created = site / "content" / "posts" / "sunscreen-after-laser-the-rules.md"
    assert result.output.strip() == str(created)
    text = created.read_text()
    assert "title: 'Sunscreen after laser: the rules'" in text and "# tags:" in text and "# author:" in text
    built = CliRunner().invoke(main, ["build", str(site)])
    output = built.output
    assert built.exit_code == 1, output
    assert (
        'content/posts/sunscreen-after-laser-the-rules.md:4: error[SG202] the required field "summary" is '
        "empty" in output
    )
    again = CliRunner().invoke(main, ["new", "post", "Sunscreen after laser: the rules", "--site", str(site)])
    assert again.exit_code == 1 and "refusing to overwrite" in again.output


NEW_FOLDERS = {
    "service": "services",
    "provider": "providers",
    "post": "posts",
    "page": "pages",
    "location": "locations",
}


@pytest.mark.parametrize("kind", list(NEW_FOLDERS))
def test_new_files_name_only_real_fields(site: Path, kind: str) -> None:
    """With every commented field switched on, the build fails only on the values left to fill in: each
    error is an empty required field (SG202) located in the new file, never an unknown field or a crash."""
    new = CliRunner().invoke(main, ["new", kind, "Example", "--site", str(site)])
    assert new.exit_code == 0, new.output
    created = Path(new.output.strip())
    assert created.parent == site / "content" / NEW_FOLDERS[kind] and created.stem == "example"
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") else line for line in created.read_text().splitlines()
    )
    created.write_text(uncommented)
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1 and not isinstance(result.exception, RuntimeError), result.output
    rel = f"content/{NEW_FOLDERS[kind]}/{created.name}"
    errors = re.findall(r"^(?:(\S+?):(\d+): )?error\[(SG\d+)\] (.*)$", result.output, re.MULTILINE)
    assert errors, result.output
    for path, line, code, message in errors:
        assert (path, code) == (rel, "SG202") and int(line) > 0, result.output
        assert re.fullmatch(r'the required field "[a-z_.]+" is empty', message), message
    assert f"Error: {len(errors)} error(s) in the content; nothing was written." in result.output
    assert not (site / "public").exists()
