"""Bad content: every mistake gets a located message and a hint, and the previous site is untouched."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefactory import edit, make_site, snapshot, write

from sitegen.cli import main


def parse_elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag of a page with its attributes, as a browser's parser would see them."""
    elements = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            elements.append((tag, attrs))

    Collector().feed(html)
    return elements


@pytest.fixture
def built_site(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    return site


def build_fails(site: Path) -> str:
    """Build again; assert it failed and that public/ is byte for byte what it was. Returns the output."""
    before = snapshot(site / "public")
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1, result.output
    # the runner catches an exception escaping the command (exit status 1 too): that is a crash
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    assert snapshot(site / "public") == before, "a failed build changed the previous output"
    assert not [p for p in site.iterdir() if p.name.startswith(".public")], (
        "a temporary folder was left behind"
    )
    return result.output


def test_malformed_yaml_in_front_matter_names_the_line(built_site: Path) -> None:
    edit(built_site, "services/consultation.md", "category: Consultations", "category: [Consultations")
    output = build_fails(built_site)
    assert "content/services/consultation.md:" in output and "error[SG201] invalid YAML" in output
    line = int(output.split("content/services/consultation.md:")[1].split(":")[0])
    assert line in (5, 6)  # the unclosed bracket, or the line where YAML gives up
    assert "hint:" in output


def test_malformed_site_yaml_names_the_line(built_site: Path) -> None:
    edit(built_site, "site.yaml", "  phone: (555) 555-0100", "  phone: (555) 555-0100\n   email: x: y")
    output = build_fails(built_site)
    assert "content/site.yaml:8: error[SG201]" in output


def test_missing_required_field(built_site: Path) -> None:
    edit(
        built_site,
        "services/consultation.md",
        "summary: A 30-minute visit with a clinician to talk through your goals and build a plan.\n",
        "",
    )
    output = build_fails(built_site)
    assert 'content/services/consultation.md:2: error[SG202] missing required field "summary"' in output


def test_unknown_field_suggests_the_right_name(built_site: Path) -> None:
    edit(built_site, "posts/welcome.md", "summary:", "sumary:")
    output = build_fails(built_site)
    assert (
        'content/posts/welcome.md:4: error[SG205] unknown field "sumary" (did you mean "summary"?)' in output
    )
    assert 'missing required field "summary"' in output  # both problems reported in one run


def test_bad_date(built_site: Path) -> None:
    edit(built_site, "posts/welcome.md", "date: 2026-01-15", "date: 2026-02-30")
    output = build_fails(built_site)
    assert 'content/posts/welcome.md:3: error[SG204] date: "2026-02-30" is not a valid date' in output
    assert "YYYY-MM-DD" in output


def test_duplicate_slug(built_site: Path) -> None:
    write(
        built_site,
        "services/consult-copy.md",
        "---\ntitle: Copy\nsummary: A copy.\nslug: consultation\n---\nText.\n",
    )
    output = build_fails(built_site)
    assert (
        "content/services/consult-copy.md:4: error[SG208] the address /services/consultation/ is also used "
        "by content/services/consultation.md" in output
    )


@pytest.mark.parametrize("slug", ["../x", "../../etc/passwd", "/abs", "a/b", "Upper", "x y", ".."])
def test_unsafe_slug_is_refused(built_site: Path, slug: str) -> None:
    write(built_site, "pages/evil.md", f'---\ntitle: Evil\nslug: "{slug}"\n---\nText.\n')
    output = build_fails(built_site)
    assert f'content/pages/evil.md:3: error[SG207] unsafe slug "{slug}"' in output
    assert not (built_site / "x").exists() and not (built_site.parent / "x").exists()


def test_unsafe_file_name_is_refused(built_site: Path) -> None:
    write(built_site, "pages/About Us.md", "---\ntitle: About\n---\nText.\n")
    output = build_fails(built_site)
    assert 'content/pages/About Us.md: error[SG207] unsafe file name "About Us"' in output
    assert 'such as "about-us"' in output


def test_missing_image(built_site: Path) -> None:
    edit(
        built_site,
        "providers/alex-rivera.md",
        "photo: /images/alex-rivera.jpg",  # the starter's portrait, renamed wrongly
        "photo: /images/team/alex.jpg",
    )
    output = build_fails(built_site)
    assert (
        "content/providers/alex-rivera.md:5: error[SG303] missing image: no file "
        "content/static/images/team/alex.jpg" in output
    )


def test_image_from_another_website_is_refused(built_site: Path) -> None:
    edit(
        built_site,
        "posts/welcome.md",
        "Your first post.",
        "![team](https://cdn.example.net/team.jpg)\n\nYour first post.",
    )
    output = build_fails(built_site)
    assert (
        "content/posts/welcome.md:8: error[SG304] the image https://cdn.example.net/team.jpg is on another "
        "website" in output
    )


def test_broken_internal_link(built_site: Path) -> None:
    edit(
        built_site,
        "pages/about.md",
        "Write about",
        "See [our prices](/service/) and [the team](/team/).\n\nWrite about",
    )
    output = build_fails(built_site)
    assert (
        "content/pages/about.md:7: error[SG302] broken link: no page at /service/ (did you mean "
        '"/services/"?)' in output
    )
    assert "/team/" not in output.split("error[SG302]")[1].split("\n")[0].replace("/service/", "")


def test_link_to_a_draft_is_an_error(built_site: Path) -> None:
    write(built_site, "pages/coming-soon.md", "---\ntitle: Soon\ndraft: true\n---\nText.\n")
    edit(built_site, "pages/about.md", "Write about", "[Soon](/coming-soon/)\n\nWrite about")
    output = build_fails(built_site)
    assert (
        "content/pages/about.md:7: error[SG302] the link /coming-soon/ points to a draft "
        "(content/pages/coming-soon.md)" in output
    )


def test_unknown_author_suggests_a_provider(built_site: Path) -> None:
    edit(built_site, "posts/welcome.md", "author: alex-rivera", "author: alex-rivara")
    output = build_fails(built_site)
    assert (
        'content/posts/welcome.md:6: error[SG301] author: no provider "alex-rivara" (did you mean '
        '"alex-rivera"?)' in output
    )


def test_bad_opening_hours_name_the_day(built_site: Path) -> None:
    edit(built_site, "locations/main-office.yaml", 'friday: "09:00-15:00"', 'friday: "9am to 3pm"')
    output = build_fails(built_site)
    assert (
        'content/locations/main-office.yaml:13: error[SG209] hours: friday: "9am to 3pm" is not a time range'
        in output
    )


def test_bad_colour(built_site: Path) -> None:
    edit(built_site, "site.yaml", '"#c17c5b"', "teal")
    output = build_fails(built_site)
    assert 'content/site.yaml:11: error[SG203] brand.accent: "teal" is not a colour' in output


def test_front_matter_never_closed(built_site: Path) -> None:
    write(built_site, "posts/open.md", "---\ntitle: Open\ndate: 2026-01-01\n\nNo closing fence.\n")
    output = build_fails(built_site)
    assert "content/posts/open.md:1: error[SG210] the front matter is never closed" in output


def test_every_error_is_reported_in_one_run(built_site: Path) -> None:
    edit(built_site, "posts/welcome.md", "date: 2026-01-15", "date: soon")
    edit(built_site, "pages/about.md", "title: About us", "titel: About us")
    edit(built_site, "locations/main-office.yaml", "phone: (555) 555-0100\n", "")
    output = build_fails(built_site)
    assert "error[SG204]" in output and "error[SG205]" in output and "error[SG202]" in output
    # four: the misspelt field also leaves "title" missing; no knock-on errors from the broken files
    assert "4 error(s) in the content; nothing was written." in output


def test_missing_site_yaml_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = CliRunner().invoke(main, ["build", str(tmp_path)])
    assert result.exit_code == 1
    assert "content/site.yaml: error[SG101]" in result.output and "sitegen init" in result.output


def test_non_utf8_file_is_reported(built_site: Path) -> None:
    (built_site / "content" / "pages" / "latin.md").write_bytes(
        "---\ntitle: Caf\xe9\n---\n".encode("latin-1")
    )
    output = build_fails(built_site)
    assert "content/pages/latin.md: error[SG201] the file is not UTF-8 text" in output


def test_hostile_strings_are_shown_as_text_never_run(built_site: Path) -> None:
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    edit(built_site, "posts/welcome.md", "title: Our new website", f"title: '{hostile}'")
    edit(
        built_site,
        "posts/welcome.md",
        "Your first post.",
        '<script>alert(3)</script>\n\n<a href="javascript:alert(4)" onclick="alert(5)">x</a>\n\n'
        '<img src="/images/none.png" onerror="alert(6)" alt="">',
    )
    result = CliRunner().invoke(main, ["build", str(built_site)])
    # raw HTML is checked like Markdown: the img points at a missing file; the javascript: link is reported
    assert (
        "content/posts/welcome.md:12: error[SG303] missing image: no file content/static/images/none.png"
        in result.output
    )
    assert (
        "content/posts/welcome.md:10: warning[SG305] a javascript: link or image was removed" in result.output
    )
    edit(built_site, "posts/welcome.md", '<img src="/images/none.png" onerror="alert(6)" alt="">', "")
    result = CliRunner().invoke(main, ["build", str(built_site)])
    assert result.exit_code == 0, result.output
    html = (built_site / "public" / "posts" / "welcome" / "index.html").read_text()
    elements = parse_elements(html)
    handlers = [(tag, name) for tag, attrs in elements for name, _ in attrs if name.startswith("on")]
    scripts = [
        attrs
        for tag, attrs in elements
        if tag == "script"
        and ("type", "application/ld+json") not in attrs
        and not any(name == "src" for name, _ in attrs)
    ]
    assert handlers == [] and scripts == []
    assert not any(
        value and value.lower().startswith("javascript:") for _, attrs in elements for _, value in attrs
    )
    assert "<h1>&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the title, shown as text
    feed = (built_site / "public" / "feed.xml").read_text()
    assert "<script>" not in feed


def ld_json(html: str) -> list[dict]:
    """The JSON-LD blocks of a page."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_unquoted_digits_and_times_are_published_as_written(built_site: Path) -> None:
    """YAML 1.1 reads 04101 as octal (2113) and 8:30 as 510; a text field keeps what was written."""
    edit(built_site, "locations/main-office.yaml", 'postal_code: "62701"', "postal_code: 04101")
    edit(built_site, "locations/main-office.yaml", "phone: (555) 555-0100", "phone: 0123\nemail: no")
    edit(built_site, "services/consultation.md", "title: ", "title: 8:30 ")
    result = CliRunner().invoke(main, ["build", str(built_site)])
    assert result.exit_code == 0, result.output
    page = (built_site / "public" / "locations" / "main-office" / "index.html").read_text()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", page, flags=re.S)))
    assert "Springfield, IL 04101" in text and "Phone: 0123" in text
    (place,) = [block for block in ld_json(page) if block.get("@type") == "MedicalClinic"]
    assert place["address"]["postalCode"] == "04101" and place["telephone"] == "0123"
    assert "IL%2004101" in page  # the map link
    assert "2113" not in page and ">83<" not in page
    service = (built_site / "public" / "services" / "consultation" / "index.html").read_text()
    assert "<h1>8:30 " in service


def test_a_base_60_number_is_a_located_error(built_site: Path) -> None:
    edit(built_site, "locations/main-office.yaml", "directions:", "order: 8:30\ndirections:")
    output = build_fails(built_site)
    assert (
        'content/locations/main-office.yaml:14: error[SG203] order: expected a whole number, found "8:30"'
        in output
    )


def test_a_tab_is_one_message_and_no_follow_on_errors(built_site: Path) -> None:
    """The provider names the location whose file failed to parse: that is not a second mistake."""
    edit(built_site, "locations/main-office.yaml", "  city: Springfield", "\tcity: Springfield")
    output = build_fails(built_site)
    assert output.splitlines()[:2] == [
        "content/locations/main-office.yaml:4: error[SG201] invalid YAML: this line is indented with a tab;"
        " YAML needs spaces",
        "    hint: replace the tab with spaces (two per level, lined up with the lines above)",
    ]
    assert "1 error(s)" in output and "SG301" not in output
