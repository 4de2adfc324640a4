"""Testimonials, before-and-after galleries and the review page, as built: only what the patient's
consent covers is published, a rewarded author's quote always carries its disclosure, no review markup,
and every patient is offered the same review sites."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefactory import add_program, edit, make_site, write

from sitegen.build.pipeline import build
from sitegen.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 6, 1)


def a_testimonial(
    name: str, quote: str, scope: str = "[web]", expires: str = "2027-01-01", extra: str = ""
) -> str:
    return (
        f"---\nname: {name}\nquote: {quote}\nservice: consultation\ndate: 2026-03-01\n{extra}"
        f"consent:\n  date: 2026-03-02\n  scope: {scope}\n  reference: AUTH-{name[:3]}\n"
        f"  expires: {expires}\n---\n"
    )


class Blocks(HTMLParser):
    """The text of every element whose class list holds `name` (nested elements of the same tag counted)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.found, self._open = name, [], []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for item in self._open:
            if item[0] == tag:
                item[1] += 1
        if self.name in (dict(attrs).get("class") or "").split():
            self._open.append([tag, 1, []])

    def handle_endtag(self, tag: str) -> None:
        for item in list(self._open):
            if item[0] == tag:
                item[1] -= 1
                if item[1] == 0:
                    self._open.remove(item)
                    self.found.append(re.sub(r"\s+", " ", "".join(item[2])).strip())

    def handle_data(self, data: str) -> None:
        for item in self._open:
            item[2].append(data)


def blocks(html: str, name: str) -> list[str]:
    parser = Blocks(name)
    parser.feed(html)
    return parser.found


def page(site: Path, url: str) -> str:
    return (site / "public" / url.strip("/") / "index.html").read_text()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    add_program(site)
    write(site, "testimonials/ana-r.md", a_testimonial("Ana R.", "Calm, honest and on time."))
    write(
        site,
        "testimonials/ben-t.md",
        a_testimonial("Ben T.", "Only for our Instagram.", scope="[social, print]"),
    )
    write(
        site,
        "testimonials/cai-l.md",
        a_testimonial("Cai L.", "An old quote whose consent ran out.", expires="2026-05-31"),
    )
    write(
        site,
        "testimonials/dee-m.md",
        a_testimonial("Dee M.", "Straight answers about price.", extra="rewarded: true\n"),
    )
    write(
        site,
        "testimonials/eve-k.md",
        "---\nname: Eve K.\nquote: No consent on file.\ndate: 2026-03-01\n---\n",
    )
    return site


def test_only_testimonials_whose_consent_covers_the_web_today_are_published(site: Path) -> None:
    result = build(site, site / "public", today=TODAY)
    codes = sorted((d.code, d.location.src_path) for d in result.diagnostics if d.code.startswith("SG62"))
    assert codes == [
        ("SG620", "content/testimonials/eve-k.md"),
        ("SG621", "content/testimonials/ben-t.md"),
        ("SG622", "content/testimonials/cai-l.md"),
    ]
    everything = "\n".join(f.read_text() for f in (site / "public").rglob("*.html"))
    for withheld in ("Only for our Instagram.", "An old quote whose consent ran out.", "No consent on file."):
        assert withheld not in everything
    for url in ("/testimonials/", "/services/consultation/", "/refer/", "/welcome/"):
        html = page(site, url)
        assert "Calm, honest and on time." in html and "Straight answers about price." in html, url
    # the same testimonial, a day after its consent expired, is gone: a build is always as of its day
    edit(site, "testimonials/ana-r.md", "expires: 2027-01-01", "expires: 2026-06-01")
    build(site, site / "public", today=date(2026, 6, 2))
    assert "Calm, honest and on time." not in page(site, "/testimonials/")


def test_a_drafts_preview_still_leaves_out_what_consent_does_not_cover(site: Path) -> None:
    build(site, site / "public", today=TODAY, drafts=True)
    assert "Only for our Instagram." not in page(site, "/testimonials/")


def test_a_rewarded_quote_carries_its_disclosure_next_to_it_wherever_it_is_shown(site: Path) -> None:
    build(site, site / "public", today=TODAY)
    for url in ("/testimonials/", "/services/consultation/", "/refer/", "/welcome/"):
        shown = blocks(page(site, url), "testimonial")
        dee = [b for b in shown if "Straight answers about price." in b]
        ana = [b for b in shown if "Calm, honest and on time." in b]
        assert (
            len(dee) == 1
            and "Disclosure: Dee M. has received a reward from Your Practice Name for referring "
            "friends through The Friends Circle, its referral program."
            in dee[0]
        ), url
        assert ana and "Disclosure" not in ana[0], url


def test_own_disclosure_wording_replaces_the_default(site: Path) -> None:
    edit(
        site,
        "testimonials/dee-m.md",
        "rewarded: true",
        "rewarded: true\ndisclosure: Dee M. is the sister of our nurse.",
    )
    build(site, site / "public", today=TODAY)
    assert any(
        "Dee M. is the sister of our nurse." in b for b in blocks(page(site, "/testimonials/"), "testimonial")
    )


def test_ratings_are_text_and_no_page_carries_review_markup(site: Path) -> None:
    edit(site, "testimonials/ana-r.md", "service: consultation", "service: consultation\nrating: 5")
    build(site, site / "public", today=TODAY)
    assert "rated 5 out of 5" in page(site, "/testimonials/")
    for file in (site / "public").rglob("*.html"):
        html = file.read_text()
        assert not re.search(
            r"AggregateRating|\"Review\"|schema\.org/Review|itemprop=\"(review|rating)", html
        ), file


def test_the_demo_has_no_review_markup_and_hides_the_social_only_testimonial(demo_site: Path) -> None:
    pages = {f: f.read_text() for f in demo_site.rglob("*.html")}
    for file, html in pages.items():
        assert not re.search(
            r"AggregateRating|\"@type\":\"Review\"|schema\.org/Review|itemprop=\"(aggregateRating|review)",
            html,
        ), file
        assert "eight hours of sleep" not in html, file  # Priya S. authorized social media only
    testimonials = (demo_site / "testimonials" / "index.html").read_text()
    marcus = [b for b in blocks(testimonials, "testimonial") if "Marcus L." in b]
    assert marcus and "Disclosure: Marcus L. has received a reward" in marcus[0]
    assert "Before" in (demo_site / "services" / "lip-filler" / "index.html").read_text()


def test_gallery_pairs_without_web_consent_are_left_out(site: Path) -> None:
    write(site, "static/images/a.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    write(site, "static/images/b.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    pair = (
        "  - before: {{src: /images/a.svg, alt: Before {what}}}\n"
        "    after: {{src: /images/b.svg, alt: After {what}}}\n"
        "    caption: {what}, two weeks later.\n"
        "    consent: {{date: 2026-01-01, scope: {scope}, reference: X}}\n"
    )
    write(
        site,
        "gallery/consultation.yaml",
        "title: Results\nservice: consultation\npairs:\n"
        + pair.format(what="Shown pair", scope="[web]")
        + pair.format(what="Print-only pair", scope="[print]"),
    )
    result = build(site, site / "public", today=TODAY)
    assert [
        (d.code, d.location.src_path, d.location.line)
        for d in result.diagnostics
        if d.code == "SG621" and "gallery" in d.location.src_path
    ] == [("SG621", "content/gallery/consultation.yaml", 11)]
    for url in ("/gallery/", "/services/consultation/"):
        html = page(site, url)
        assert "Shown pair, two weeks later." in html and "Print-only pair" not in html, url


def test_the_review_page_offers_every_patient_the_same_destinations(site: Path) -> None:
    reviews = [
        ("Google", "https://www.google.com/maps/search/?api=1&amp;query=Your+Practice"),
        ("Yelp", "https://www.yelp.com/biz/your-practice"),
        ("Healthgrades", "https://www.healthgrades.com/x"),
    ]
    edit(
        site,
        "site.yaml",
        "brand:",
        "reviews:\n"
        + "".join(f"  - label: {label}\n    url: {url.replace('&amp;', '&')}\n" for label, url in reviews)
        + "brand:",
    )
    result = build(site, site / "public", today=TODAY)
    assert not [d for d in result.diagnostics if d.code in ("SG627", "SG628", "SG629")]
    html = page(site, "/review/")
    main_part = html.split("<main", 1)[1].split("</main>", 1)[0]
    links = re.findall(
        r'<a class="button secondary" href="([^"]+)" rel="noopener">Review us on ([^<]+)</a>', main_part
    )
    assert links == [(url, label) for label, url in reviews]  # all of them, in order, for everyone
    assert not re.search(
        r"<form|<select|type=\"radio\"|<script|happy|satisfied|stars?\b", main_part, re.IGNORECASE
    )
    assert "We never offer a reward" in main_part
    assert 'href="/review/"' in page(site, "/about/")  # linked from every page's footer
    assert not re.search(r"\"Review\"|AggregateRating", html)


def test_no_review_page_without_review_profiles(site: Path) -> None:
    build(site, site / "public", today=TODAY)
    assert not (site / "public" / "review").exists() and 'href="/review/"' not in page(site, "/about/")


@pytest.mark.parametrize(("kind", "folder"), [("testimonial", "testimonials"), ("campaign", "campaigns")])
def test_new_testimonial_and_campaign_files_name_only_real_fields(
    tmp_path: Path, kind: str, folder: str
) -> None:
    site = make_site(tmp_path)
    add_program(site)
    result = CliRunner().invoke(main, ["new", kind, "Sam J.", "--site", str(site)])
    assert result.exit_code == 0, result.output
    created = site / "content" / folder / "sam-j.md"
    assert result.output.strip() == str(created)
    text = created.read_text()
    output = CliRunner().invoke(main, ["build", str(site)]).output
    assert "SG205" not in output and "error[SG202]" in output  # it guides to the fields still to fill in
    if kind == "testimonial":
        assert (
            "consent:" in text and "\n  scope: " in text and "\n  reference: " in text
        )  # the record, spelled out
        assert (
            "Write the text here" not in text
        )  # no placeholder that could be published as a patient's words
        created.write_text(
            text.replace("quote:   #", "quote: Kind and clear.  #")
            .replace("  scope:   #", "  scope: [web]  #")
            .replace("  reference:   #", "  reference: AUTH-7  #")
        )
    else:
        created.write_text(
            text.replace("summary:   #", "summary: A push.  #").replace("offer:   #", "offer: Thanks.  #")
        )
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    created.write_text(
        "\n".join(
            line.replace("# ", "", 1) if line.lstrip().startswith("# ") else line
            for line in created.read_text().splitlines()
        )
    )
    assert (
        "SG205" not in CliRunner().invoke(main, ["build", str(site)]).output
    )  # every field it names is real
