"""A person edits the site in /admin/ from `sitegen serve` (Chromium): the file on disk and the served
page change; the editor refuses an empty required field, showing its hint, and a testimonial without the
patient's consent. Loading /admin/ also runs the editor's own validation of the generated
configuration (Decap CMS shows "Error loading the CMS configuration" when a release no longer accepts it)."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sitefactory import add_program, make_site

from sitegen.serve import server as serve

pytestmark = pytest.mark.browser


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    add_program(site)
    return site


@pytest.fixture
def server(site: Path) -> Iterator[serve.DevServer]:
    running = serve.start(site, "127.0.0.1", 0)
    yield running
    serve.stop(running)


def _open(page: Page, server: serve.DevServer, entry: str) -> None:
    page.goto(server.url + "/admin/")
    login = page.get_by_role("button", name="Login")  # the local backend: no account, one click
    expect(login.or_(page.get_by_text("Collections"))).to_be_visible()
    if login.is_visible():
        login.click()
    expect(page.get_by_text("Error loading the CMS configuration")).to_have_count(0)
    page.goto(server.url + "/admin/#/collections/" + entry)


def _publish(page: Page) -> None:
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()


def _served(server: serve.DevServer, path: str) -> str:
    with urllib.request.urlopen(server.url + path) as response:
        return response.read().decode("utf-8")


def _wait_for(check: object, page: Page) -> None:
    for _ in range(60):
        if check():  # type: ignore[operator]
            return
        page.wait_for_timeout(250)
    raise AssertionError("the change never arrived")


def test_a_price_and_a_posts_text_changed_in_the_editor_reach_the_file_and_the_page(
    page: Page, server: serve.DevServer, site: Path
) -> None:
    _open(page, server, "services/entries/consultation")
    page.locator("[id^=amount-field]").fill("65")
    _publish(page)
    service = site / "content/services/consultation.md"
    _wait_for(lambda: "amount: 65" in service.read_text(encoding="utf-8"), page)
    _wait_for(lambda: "$65" in _served(server, "/services/consultation/"), page)
    assert not server.site.snapshot.error  # what the editor wrote builds

    page.goto("about:blank")  # a fresh editor, not one that still holds the service
    _open(page, server, "posts/entries/welcome")
    summary = page.locator("[id^=summary-field]")
    summary.fill("We moved to a bigger office on Main Street.")
    _publish(page)
    post = site / "content/posts/welcome.md"
    _wait_for(lambda: "bigger office on Main Street" in post.read_text(encoding="utf-8"), page)
    _wait_for(lambda: "bigger office on Main Street" in _served(server, "/posts/welcome/"), page)


def test_a_required_field_left_empty_is_refused_with_its_hint(
    page: Page, server: serve.DevServer, site: Path
) -> None:
    _open(page, server, "services/entries/consultation")
    page.locator("[id^=title-field]").fill("")
    _publish(page)
    expect(page.get_by_text("Oops, you've missed a required field")).to_be_visible()
    expect(page.get_by_text("Title is required.")).to_be_visible()
    expect(page.get_by_text("treatment name", exact=True)).to_be_visible()  # the field's doc, as its hint
    assert "title: Aesthetic consultation" in (site / "content/services/consultation.md").read_text()


def test_a_testimonial_without_consent_cannot_be_published(
    page: Page, server: serve.DevServer, site: Path
) -> None:
    _open(page, server, "testimonials/new")
    page.locator("[id^=name-field]").first.fill("Sarah K.")
    page.locator("[id^=quote-field]").fill("Kind and careful.")
    _publish(page)
    expect(page.get_by_text("Oops, you've missed a required field")).to_be_visible()
    expect(page.get_by_text("Reference is required.")).to_be_visible()  # within the consent record
    page.wait_for_timeout(500)
    assert not list((site / "content").glob("testimonials/*.md"))
