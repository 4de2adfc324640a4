"""/welcome/ serves two visitors: the friend who followed a patient's link (`?ref=CODE`, or a code kept in
this browser) and anyone else, such as a stranger from a search engine, who gets a new patient's page. The
page is indexed under its address without a code; the code only ever lives in the address and the browser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from sitegen.site.refcode import make_code

PHONE = {"width": 390, "height": 844}
BASE = "https://www.larkspuraesthetics.example"
FRIEND = make_code("GUEST23")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.mark.parametrize("url", ["/welcome/", "/es/welcome/"])
def test_the_welcome_page_is_indexed_under_its_address_without_a_code(demo_site: Path, url: str) -> None:
    page = (demo_site / url.strip("/") / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots"' not in page
    assert f'<link rel="canonical" href="{BASE}{url}">' in page
    listed = {loc.text for loc in ET.parse(demo_site / "sitemap.xml").iter(f"{SITEMAP}loc")}
    assert BASE + url in listed
    # no code anywhere in the page as published: it is filled in by script from the address
    assert not re.search(r"ref=[A-Z2-9]{8}", page)


@pytest.mark.parametrize(
    ("url", "opening"),
    [("/welcome/", "New patients at Larkspur"), ("/es/welcome/", "Pacientes nuevos en Larkspur")],
)
def test_the_search_snippet_and_link_preview_suit_a_stranger_and_a_friend(
    demo_site: Path, url: str, opening: str
) -> None:
    """The description is both a search result's snippet and a shared link's preview: it may not tell a
    stranger that a friend invited them, and it carries the friend's offer."""
    page = (demo_site / url.strip("/") / "index.html").read_text(encoding="utf-8")
    description = re.search(r'<meta name="description" content="([^"]*)">', page)
    assert description and description.group(1).startswith(opening)
    assert "$50" in description.group(1)
    assert f'<meta property="og:description" content="{description.group(1)}">' in page


@pytest.mark.browser
def test_a_visitor_without_a_code_sees_a_new_patients_page(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto("/welcome/", wait_until="load")
    assert page.locator(".eyebrow").inner_text().lower() == "new patients"
    assert page.get_by_text("An invitation from a friend").is_hidden()
    assert page.get_by_text("Your friend thinks you'd like it here.", exact=False).is_hidden()
    assert page.get_by_text(
        "Invited by a friend? Give their name or code in the form", exact=False
    ).is_visible()
    assert page.locator("h1").filter(has_text="Welcome to Larkspur").count() == 1
    assert page.get_by_label("Full name").is_visible()


@pytest.mark.browser
@pytest.mark.parametrize("script", [True, False], ids=["with script", "without script"])
def test_an_invited_friend_sees_the_invitation_and_a_stranger_never_does(
    new_context: Callable[..., BrowserContext], script: bool
) -> None:
    """With script, the friend's code in the address shows the friend's opening from the first paint;
    without script nothing can read it, so the friend gets the new patient's page, which asks for the code."""
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=script).new_page()
    page.goto(f"/welcome/?ref={FRIEND}", wait_until="load")
    invited = page.get_by_text("An invitation from a friend")
    generic = page.get_by_text("Invited by a friend? Give their name or code in the form", exact=False)
    if script:
        assert invited.is_visible() and generic.is_hidden()
        assert page.get_by_text("Your friend thinks you'd like it here.", exact=False).is_visible()
    else:
        assert invited.is_hidden() and generic.is_visible()
    assert page.locator("h1").filter(has_text="Welcome to Larkspur").is_visible()
