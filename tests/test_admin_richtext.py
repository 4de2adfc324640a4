"""A person writes a post in /admin/'s rich-text editor (Chromium, through `sitegen serve`'s local
backend): a brand-new post with a heading, a paragraph, a bulleted list and a link made with the
toolbar, and Markdown typed as text (a link, list items, a heading), which Decap escapes and the local
backend saves as meant (sitegen.admin.richtext). The file on disk is read by the build without a
warning and the served page shows it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from adminhelpers import open_entry, publish, served, wait_for
from playwright.sync_api import Page, expect
from sitefactory import make_site

from sitegen.admin.config import Backend, editor_config
from sitegen.admin.page import config_yaml
from sitegen.build.pipeline import build
from sitegen.serve import server as serve

pytestmark = pytest.mark.browser


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.fixture
def server(site: Path) -> Iterator[serve.DevServer]:
    running = serve.start(site, "127.0.0.1", 0)
    yield running
    serve.stop(running)


def _new_post(page: Page, server: serve.DevServer, title: str) -> None:
    open_entry(page, server, "posts/new")
    page.locator("[id^=title-field]").first.fill(title)
    page.locator("[id^=date-field]").fill("2026-02-01")
    page.locator("[id^=summary-field]").fill("From February we also open on Saturday mornings.")
    page.locator("[data-slate-editor=true]").click()


def _built_without_a_word_about(site: Path, out: Path, name: str) -> None:
    found = build(site, out)
    assert [d for d in found.diagnostics if name in d.location.src_path] == []


def test_a_new_post_written_with_the_toolbar_is_published(
    page: Page, server: serve.DevServer, site: Path, tmp_path: Path
) -> None:
    page.on("dialog", lambda dialog: dialog.accept("/services/consultation/"))  # the Link button asks
    _new_post(page, server, "Saturday hours")
    toolbar = page.locator("[class*=Toolbar]")
    toolbar.get_by_role("button", name="Headings").click()
    page.get_by_text("Heading 2", exact=True).click()
    page.keyboard.type("Open on Saturdays")
    page.keyboard.press("Enter")
    page.keyboard.type("We now open on Saturdays, 9 to 1.")
    page.keyboard.press("Enter")
    page.keyboard.type("Book a visit")
    page.keyboard.press("Shift+Home")  # the words to link, selected
    page.wait_for_function("() => String(window.getSelection()) === 'Book a visit'")
    page.wait_for_timeout(500)  # the editor takes up the browser's selection after a moment
    toolbar.get_by_role("button", name="Link").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Bulleted List").click()
    page.keyboard.type("Cleanings")
    page.keyboard.press("Enter")
    page.keyboard.type("Whitening")
    publish(page)
    post = site / "content/posts/saturday-hours.md"
    wait_for(post.is_file, page)
    text = post.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Saturday hours\ndate: 2026-02-01\n"), text
    assert "\n## Open on Saturdays\n" in text and "[Book a visit](/services/consultation/)" in text, text
    wait_for(lambda: "Saturday hours" in served(server, "/posts/"), page)
    html = served(server, "/posts/saturday-hours/")
    assert ">Open on Saturdays</h2>" in html
    assert '<a href="/services/consultation/">Book a visit</a>' in html
    assert "<li>Cleanings</li>" in html and "<li>Whitening</li>" in html
    assert not server.site.snapshot.error
    _built_without_a_word_about(site, tmp_path / "out", "saturday-hours")


def test_markdown_typed_in_the_rich_text_editor_reaches_the_page_as_meant(
    page: Page, server: serve.DevServer, site: Path, tmp_path: Path
) -> None:
    _new_post(page, server, "Typed by hand")
    page.keyboard.type("## Opening hours")  # as a person used to Markdown types it, into the rich text
    page.keyboard.press("Enter")
    page.keyboard.type("See [our prices](/services/consultation/) **first**.")
    page.keyboard.press("Enter")
    page.keyboard.type("- Cleanings")
    page.keyboard.press("Enter")
    page.keyboard.type("- Whitening")
    expect(page.locator("[data-slate-editor=true]")).to_contain_text("[our prices]")  # shown as typed
    publish(page)
    post = site / "content/posts/typed-by-hand.md"
    wait_for(post.is_file, page)
    text = post.read_text(encoding="utf-8")
    assert "\\" not in text and "- Cleanings\n- Whitening" in text, (
        text
    )  # Decap sent `\[our prices](...)`, `\- Cleanings`, `\## Opening hours`
    assert "\n## Opening hours\n" in text and "[our prices](/services/consultation/)" in text, text
    assert "[our prices](/services/consultation/) **first**." in text, text
    wait_for(lambda: "Typed by hand" in served(server, "/posts/"), page)
    html = served(server, "/posts/typed-by-hand/")
    assert ">Opening hours</h2>" in html
    assert '<a href="/services/consultation/">our prices</a> <strong>first</strong>.' in html
    assert "<li>Cleanings</li>" in html and "<li>Whitening</li>" in html
    _built_without_a_word_about(site, tmp_path / "out", "typed-by-hand")


def test_the_published_editor_refuses_markdown_typed_in_the_rich_text(
    page: Page, server: serve.DevServer, site: Path
) -> None:
    """The published editor's configuration (a Git backend), with only its backend swapped for the
    local one (a Git host's sign-in cannot happen here): the body's check refuses typed Markdown, which
    a Git backend would save escaped (SG687), and lets text made with the toolbar through."""
    published = editor_config(Backend(name="github", repo="smile-dental/website"))
    published["backend"] = Backend().as_config()
    page.route("**/admin/config.yml", lambda route: route.fulfill(body=config_yaml(published)))
    _new_post(page, server, "Typed for the host")
    page.keyboard.type("See [our prices](/services/consultation/) first.")
    publish(page)
    expect(
        page.get_by_text("Text didn't match the pattern: Markdown typed here is kept as text")
    ).to_be_visible()
    page.wait_for_timeout(1000)
    assert not (site / "content/posts/typed-for-the-host.md").exists()
    page.locator("[data-slate-editor=true]").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("See our prices first.")
    publish(page)
    post = site / "content/posts/typed-for-the-host.md"
    wait_for(post.is_file, page)
    assert post.read_text(encoding="utf-8").endswith("\nSee our prices first.\n")
