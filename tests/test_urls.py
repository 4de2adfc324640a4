"""Where pages live (sitegen.core.urls): the address each kind of document gets, the file that serves it,
and the slugs refused because they would leave the output folder. Pure functions, checked directly: these
tests kill the mutants of urls.py that the build tests leave alive (docs/testing.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitefactory import make_site, write

from sitegen.build.pipeline import build
from sitegen.content import kinds
from sitegen.core import urls
from sitegen.core.errors import ContentError


@pytest.mark.parametrize(
    ("kind", "slug", "url"),
    [
        ("pages", "index", "/"),
        ("pages", "about", "/about/"),
        ("services", "laser", "/services/laser/"),
        ("providers", "ana-diaz", "/team/ana-diaz/"),
        ("locations", "main-office", "/locations/main-office/"),
        ("posts", "welcome", "/posts/welcome/"),
        ("campaigns", "may", "/campaigns/may/"),
        ("testimonials", "sam-j", "/testimonials/#testimonial-sam-j"),
        ("gallery", "peel-1", "/gallery/#gallery-peel-1"),
        ("services", "index", "/services/index/"),  # only a page named index is the home page
    ],
)
def test_each_kind_of_document_gets_its_documented_address(kind: str, slug: str, url: str) -> None:
    assert kinds.url_for(kind, slug) == url


def test_index_pages_of_each_kind() -> None:
    assert {name: kind.index_url for name, kind in kinds.KINDS.items()} == {
        "pages": "",
        "services": "/services/",
        "providers": "/team/",
        "locations": "/locations/",
        "posts": "/posts/",
        "campaigns": "",
        "testimonials": "/testimonials/",
        "gallery": "/gallery/",
        "memberships": "/memberships/",
    }


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("/", "index.html"),
        ("", "index.html"),
        ("/about/", "about/index.html"),
        ("/posts/page/2/", "posts/page/2/index.html"),
        ("/404.html", "404.html"),
        ("/feed.xml", "feed.xml"),
        ("/Xmas-hours.pdf", "Xmas-hours.pdf"),  # a static file may start with any letter
        ("//x/", "x/index.html"),
    ],
)
def test_the_file_that_serves_each_address(url: str, file: str) -> None:
    assert urls.out_path_for(url) == file


def test_news_pages_after_the_first_are_numbered() -> None:
    assert urls.paginated_url("/posts/", 1) == "/posts/"
    assert urls.paginated_url("/posts/", 2) == "/posts/page/2/"
    assert urls.paginated_url("/posts/tags/skin/", 3) == "/posts/tags/skin/page/3/"
    assert urls.tag_url("skin-care") == "/posts/tags/skin-care/"


@pytest.mark.parametrize("slug", ["about", "a", "botox-2026", "a-b-c", "9"])
def test_safe_slugs(slug: str) -> None:
    assert urls.is_safe_slug(slug)


@pytest.mark.parametrize(
    "slug", ["", "../x", "a/b", "About", "a--b", "-a", "a-", "a_b", "a b", "é", "a.html", "a\nb", "x\n"]
)
def test_a_slug_that_could_change_the_path_is_refused(slug: str) -> None:
    assert not urls.is_safe_slug(slug)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Sun care & SPF", "sun-care-spf"),
        ("  Ácido hialurónico  ", "acido-hialuronico"),
        ("../../etc/passwd", "etc-passwd"),
        ("Botox 2026!", "botox-2026"),
        ("---", ""),
        ("日本", ""),
    ],
)
def test_slugify_makes_a_safe_readable_slug(text: str, slug: str) -> None:
    assert urls.slugify(text) == slug
    assert slug == "" or urls.is_safe_slug(slug)


def test_the_hint_for_an_unsafe_slug_suggests_a_safe_one() -> None:
    assert (
        urls.slug_hint("Sun Care")
        == 'use lower-case letters, digits and single hyphens only such as "sun-care"'
    )
    assert urls.slug_hint("日本") == "use lower-case letters, digits and single hyphens only"
    assert urls.slug_hint("sun-care") == "use lower-case letters, digits and single hyphens only"


def test_split_url_is_urlsplit() -> None:
    parts = urls.split_url("https://example.com/a/b?x=1#top")
    assert (parts.scheme, parts.netloc, parts.path, parts.query, parts.fragment) == (
        "https",
        "example.com",
        "/a/b",
        "x=1",
        "top",
    )


def test_the_referral_program_addresses() -> None:
    assert (urls.REFER_URL, urls.TERMS_URL, urls.FEEDBACK_URL, urls.WELCOME_URL) == (
        "/refer/",
        "/refer/terms/",
        "/refer/feedback/",
        "/welcome/",
    )
    assert (urls.CARD_URL, urls.PERSONAL_LINK, urls.TAGS_URL, urls.FAQ_URL, urls.REVIEW_URL) == (
        "/print/referral-card/",
        "/r/",
        "/posts/tags/",
        "/faq/",
        "/review/",
    )


def test_a_file_name_ending_in_a_newline_is_a_located_error(tmp_path: Path) -> None:
    """A file name can end in a newline ("odd\n.md"); it used to pass the slug check and become an address
    with a newline in it."""
    site = make_site(tmp_path)
    write(site, "pages/odd\n.md", "---\ntitle: Odd\n---\nText.\n")
    with pytest.raises(ContentError) as caught:
        build(site, site / "public")
    assert [(d.code, d.location.src_path) for d in caught.value.diagnostics] == [
        ("SG207", "content/pages/odd\n.md")
    ]
