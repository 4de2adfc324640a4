"""The default theme on the demo practice, measured the way a visitor meets it in Chromium: nothing moves
after the first paint, the booking and referral actions are in the first screen, scripts load only when
needed, and nothing is wider than a phone."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SERVICE = "/services/botox-and-dysport/"
# Cumulative Layout Shift of the page so far (shifts right after input excluded, as browsers report it).
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: 'layout-shift', buffered: true});
"""
SETTLED = (
    "() => new Promise(done => requestIdleCallback(() => requestAnimationFrame(() => "
    "requestAnimationFrame(() => done())), {timeout: 10000}))"
)


@pytest.fixture
def new_context(browser: Browser, site_server: str) -> Iterator[Callable[..., BrowserContext]]:
    contexts: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        context = browser.new_context(base_url=site_server, **options)  # type: ignore[arg-type]
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def open_settled(page: Page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.evaluate(SETTLED)


# ---------------------------------------------------------------------------------------------
# 1. The menu is decided in CSS: no layout shift
# ---------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("url", ["/", "/refer/", "/welcome/", SERVICE, "/es/"])
def test_nothing_moves_after_the_first_paint_on_a_phone(
    new_context: Callable[..., BrowserContext], url: str
) -> None:
    """The header used to paint with the whole menu stacked, then a script collapsed it (CLS 0.35-0.40)."""
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.add_init_script(CLS_OBSERVER)
    page.goto(url, wait_until="commit")
    first = page.evaluate("() => new Promise(done => requestAnimationFrame(() => done(document.readyState)))")
    page.wait_for_load_state("load")
    page.evaluate(SETTLED)
    cls = page.evaluate("window.__cls")
    assert cls < 0.05, f"{url}: cumulative layout shift {cls:.3f} (first frame at readyState {first})"
    assert page.locator("#site-menu").is_hidden(), f"{url}: a phone shows the menu before anyone asks"


@pytest.mark.browser
def test_the_menu_button_opens_and_closes_the_menu_on_a_phone(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(viewport=PHONE).new_page()
    open_settled(page, "/")
    button = page.get_by_role("button", name="Menu")
    faq = page.locator("#site-menu").get_by_role("link", name="FAQ")
    assert button.is_visible() and faq.is_hidden()
    button.click()
    assert button.get_attribute("aria-expanded") == "true" and faq.is_visible()
    button.click()
    assert faq.is_hidden()


@pytest.mark.browser
def test_without_script_a_phone_lists_the_menu_and_shows_no_dead_button(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto("/", wait_until="load")
    assert page.get_by_role("button", name="Menu").is_hidden()
    assert page.locator("#site-menu").get_by_role("link", name="FAQ").is_visible()


@pytest.mark.browser
@pytest.mark.parametrize("url, button", [("/", "Menu"), ("/es/", "Menú")])
def test_a_wide_screen_shows_the_whole_menu_in_one_row_in_both_languages(
    new_context: Callable[..., BrowserContext], url: str, button: str
) -> None:
    """The Spanish header used to collapse to "Menú" even at 1280 px."""
    page = new_context(viewport=DESKTOP).new_page()
    open_settled(page, url)
    assert page.get_by_role("button", name=button).is_hidden()
    links = page.locator("#site-menu a")
    assert links.count() >= 8
    tops = links.evaluate_all(
        "links => links.map(a => a.checkVisibility() ? Math.round(a.getBoundingClientRect().top) : -1)"
    )
    assert -1 not in tops, f"{url}: some menu items are hidden at 1280 px"
    assert len(set(tops)) == 1, f"{url}: the menu wraps at 1280 px: rows at {sorted(set(tops))}"
