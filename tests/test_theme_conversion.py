"""The default theme on the demo practice, measured the way a visitor meets it in Chromium: nothing moves
after the first paint, the booking and referral actions are in the first screen, scripts load only when
needed, and nothing is wider than a phone."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from sitefactory import add_program, edit, make_site, write

from sitegen.build.pipeline import build
from sitegen.core.errors import ContentError
from sitegen.render.hostrules import headers_for, parse_headers
from sitegen.serve import server as serve
from sitegen.site.refcode import make_code

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


# ---------------------------------------------------------------------------------------------
# 2. The booking call to action
# ---------------------------------------------------------------------------------------------

# Where a page's own booking button is, and whether a visitor sees it without scrolling: inside the window,
# above the phone's booking bar, and the topmost thing at its centre (nothing covers it).
FIRST_SCREEN = """selector => {
  const element = document.querySelector(selector);
  if (!element) return 'missing';
  const box = element.getBoundingClientRect();
  const bar = document.querySelector('[data-booking-bar]');
  const barTop = bar && bar.checkVisibility() ? bar.getBoundingClientRect().top : innerHeight;
  if (box.height === 0 || box.top < 0 || box.bottom > Math.min(innerHeight, barTop)) {
    const at = `at ${Math.round(box.top)}-${Math.round(box.bottom)}px`;
    return `${at}, the first screen ends at ${Math.round(barTop)}px`;
  }
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return element.contains(top) ? 'seen' : 'covered by ' + (top && top.outerHTML.slice(0, 80));
}"""


def service_urls(demo_site: Path) -> list[str]:
    return sorted(f"/services/{p.parent.name}/" for p in (demo_site / "services").glob("*/index.html"))


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_booking_button_is_in_the_first_screen_of_home_and_every_service_page(
    new_context: Callable[..., BrowserContext], demo_site: Path, viewport: dict[str, int]
) -> None:
    page = new_context(viewport=viewport).new_page()
    problems = []
    for url in ["/", "/es/", *service_urls(demo_site)]:
        open_settled(page, url)
        where = page.evaluate(FIRST_SCREEN, "main [data-booking]")
        if where != "seen":
            problems.append(f"{url}: {where}")
        href = page.locator("main [data-booking]").first.get_attribute("href")
        if href not in ("/book/", "/es/book/"):
            problems.append(f"{url}: the booking button leads to {href}")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_a_phone_gets_a_booking_bar_once_the_pages_own_button_is_gone_and_it_never_hides_the_end(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.add_init_script(CLS_OBSERVER)
    open_settled(page, SERVICE)
    bar = page.locator("[data-booking-bar]")
    assert bar.is_hidden(), "the bar doubles the page's own button, still in view"
    page.evaluate("window.scrollTo(0, 1200)")
    bar.wait_for(state="visible")
    box = bar.bounding_box()
    assert box and abs(box["y"] + box["height"] - PHONE["height"]) <= 1, f"not at the bottom: {box}"
    assert bar.get_by_role("link", name="Book a consultation").get_attribute("href") == "/book/"
    assert bar.get_by_role("link", name="Call (512) 555-0142").get_attribute("href") == "tel:5125550142"
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.evaluate(SETTLED)
    legal = page.locator(".footer-legal").bounding_box()
    box = bar.bounding_box()
    assert legal and box and legal["y"] + legal["height"] <= box["y"] + 1, "the bar covers the footer's end"
    assert page.evaluate("window.__cls") < 0.05, "showing the bar moved the page"
    # wide screens have the header's menu and the page's own button: no bar
    page.set_viewport_size(DESKTOP)
    assert bar.is_hidden()


@pytest.mark.browser
def test_on_a_page_without_its_own_button_the_bar_comes_with_the_first_scroll(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(viewport=PHONE).new_page()
    open_settled(page, "/team/")
    bar = page.locator("[data-booking-bar]")
    assert bar.is_hidden()
    page.evaluate("window.scrollTo(0, 600)")
    bar.wait_for(state="visible")


@pytest.mark.browser
def test_without_script_the_booking_bar_is_always_there(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(SERVICE, wait_until="load")
    assert page.locator("[data-booking-bar]").is_visible()


@pytest.mark.browser
@pytest.mark.parametrize("url", ["/book/", "/refer/", "/"])
def test_buttons_use_the_body_font_and_size(new_context: Callable[..., BrowserContext], url: str) -> None:
    """Form submit buttons used to render at 13.3 px in the browser's own font, smaller than the text."""
    page = new_context(viewport=PHONE).new_page()
    page.goto(url, wait_until="load")
    body = page.evaluate(
        "getComputedStyle(document.body).fontFamily + ' ' + getComputedStyle(document.body).fontSize"
    )
    buttons = page.evaluate(
        "[...document.querySelectorAll('main button.button, main .button, main [type=submit]')]"
        ".filter(b => b.checkVisibility())"
        ".map(b => getComputedStyle(b).fontFamily + ' ' + getComputedStyle(b).fontSize)"
    )
    assert buttons and set(buttons) == {body}, f"{url}: buttons {set(buttons)}, body {body}"


@pytest.mark.browser
def test_pages_with_their_own_action_have_no_booking_bar(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(viewport=PHONE).new_page()
    for url in ["/book/", "/refer/", "/welcome/"]:
        page.goto(url, wait_until="load")
        assert page.locator("[data-booking-bar]").count() == 0, url


BOOKING = """\
booking:
  label: Book online
  url: https://booking.example/larkspur
  services:
    laser: https://booking.example/larkspur/laser
  locations:
    main-office: https://booking.example/larkspur/main
"""


def booking_links(html: str) -> list[str]:
    return re.findall(r'<a class="button[^"]*" href="([^"]+)"[^>]*>Book online</a>', html)


def test_a_site_chooses_its_booking_address_per_service_and_per_location(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    edit(site, "site.yaml", "name:", BOOKING + "name:")
    consultation = (site / "content" / "services" / "consultation.md").read_text(encoding="utf-8")
    write(site, "services/laser.md", consultation.replace("title:", "slug: laser\ntitle: Laser", 1))
    out = tmp_path / "out"
    build(site, out, use_cache=False)

    def links(rel: str) -> list[str]:
        return booking_links((out / rel / "index.html").read_text(encoding="utf-8"))

    site_wide = "https://booking.example/larkspur"
    assert links("") == [site_wide, site_wide]  # the hero and the phone's bar
    assert set(links("services/laser")) == {f"{site_wide}/laser"}  # its own, at the top and in the bar
    assert set(links("services/consultation")) == {site_wide}
    assert set(links("locations/main-office")) == {f"{site_wide}/main"}


def test_without_booking_settings_the_button_calls_or_opens_the_book_page(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    out = tmp_path / "out"
    build(site, out, use_cache=False)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="button" href="tel:[0-9+]+" data-booking>Book a consultation</a>', home)
    write(site, "pages/book.md", "---\ntitle: Book\ndescription: Book a visit.\n---\nCall or write.\n")
    build(site, out, use_cache=False)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<a class="button" href="/book/" data-booking>Book a consultation</a>' in home


def test_a_booking_address_that_is_neither_a_page_nor_https_is_a_located_error(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    edit(site, "site.yaml", "name:", "booking:\n  url: http://booking.example/x\nname:")
    with pytest.raises(ContentError) as caught:
        build(site, tmp_path / "out", use_cache=False)
    [problem] = caught.value.diagnostics
    assert (problem.code, problem.location.src_path, problem.location.line) == (
        "SG203",
        "content/site.yaml",
        3,
    )
    assert "not a booking address" in problem.message


def test_a_referral_parameter_that_cannot_be_a_parameter_name_is_a_located_error(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    settings = "booking:\n  url: https://booking.example/x\n  referral_parameter: ref=code\n"
    edit(site, "site.yaml", "name:", settings + "name:")
    with pytest.raises(ContentError) as caught:
        build(site, tmp_path / "out", use_cache=False)
    [problem] = caught.value.diagnostics
    assert (problem.code, problem.location.line) == ("SG203", 4)
    assert '"ref=code" is not the name of an address parameter' in problem.message


def test_a_booking_address_for_a_slug_that_names_nothing_is_an_error_at_its_line(tmp_path: Path) -> None:
    """A misspelt slug used to be ignored: the service's patients were sent to the site-wide address."""
    site = make_site(tmp_path)
    wrong = BOOKING.replace("    laser:", "    lazer:").replace("    main-office:", "    downtown:")
    edit(site, "site.yaml", "name:", wrong + "name:")
    consultation = (site / "content" / "services" / "consultation.md").read_text(encoding="utf-8")
    write(site, "services/laser.md", consultation.replace("title:", "slug: laser\ntitle: Laser", 1))
    with pytest.raises(ContentError) as caught:
        build(site, tmp_path / "out", use_cache=False)
    service, location = caught.value.diagnostics
    assert (service.code, service.location.src_path, service.location.line) == (
        "SG250",
        "content/site.yaml",
        6,
    )
    assert 'booking.services: no service has the slug "lazer" (did you mean "laser"?)' in service.message
    assert "consultation, laser" in service.hint
    assert (location.code, location.location.line) == ("SG250", 8)
    assert 'no location has the slug "downtown"' in location.message
    assert "main-office" in location.hint


SCHEDULER = "https://scheduler.example/larkspur"
FRIEND = make_code("FRND234")


@pytest.fixture(params=["with a code parameter", "without one"])
def booking_site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, bool]]:
    """The starter with a referral program, a request form at /book/ and an online scheduler that takes
    the referral code in `ref` (and the campaign in `utm_campaign`), or takes no code; its served address."""
    takes_code = request.param == "with a code parameter"
    site = make_site(tmp_path)
    add_program(site)
    write(site, "pages/book.md", "---\ntitle: Book a visit\nform: appointment\n---\nBook here.\n")
    settings = f"booking:\n  url: {SCHEDULER}\n"
    if takes_code:
        settings += "  referral_parameter: ref\n  campaign_parameter: utm_campaign\n"
    edit(site, "site.yaml", "name:", settings + "name:")
    running = serve.start(site, "127.0.0.1", 0)
    yield running.url, takes_code
    serve.stop(running)


@pytest.mark.browser
def test_an_invited_friend_books_with_their_code_on_the_scheduler_or_the_request_form(
    browser: Browser, booking_site: tuple[str, bool]
) -> None:
    """A friend's code used to be lost at the scheduler: the practice could not credit the patient."""
    url, takes_code = booking_site
    context = browser.new_context(base_url=url, viewport=PHONE)
    context.route(f"{SCHEDULER}**", lambda route: route.fulfill(body="<title>Scheduler</title>"))
    page = context.new_page()
    try:
        page.goto("/services/consultation/", wait_until="load")  # a visitor without a code
        page.locator("main [data-booking]").click()
        page.wait_for_url(f"{SCHEDULER}**")
        assert page.url == SCHEDULER

        page.goto(f"/welcome/?ref={FRIEND}&utm_campaign=spring-friends", wait_until="load")
        page.goto("/services/consultation/", wait_until="load")  # the friend looks around, then books
        page.locator("main [data-booking]").click()
        if takes_code:
            page.wait_for_url(f"{SCHEDULER}**")
            assert page.url == f"{SCHEDULER}?ref={FRIEND}&utm_campaign=spring-friends"
        else:  # the scheduler would lose the code: the request form carries it
            page.wait_for_url("**/book/")
            assert (
                page.locator("form[data-sitegen-form=appointment] [name=referral_code]").input_value()
                == FRIEND
            )
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------
# 3. The referral page: what the visitor came to do first
# ---------------------------------------------------------------------------------------------

SAVED_CODE = make_code("ABCD234")


def remember_code(context: BrowserContext) -> None:
    """A returning patient: this browser holds the code refer.js made when they enrolled."""
    kept = json.dumps({"code": SAVED_CODE, "name": "Ana"})
    context.add_init_script(f"window.localStorage.setItem('sitegen-referral-mine', {json.dumps(kept)});")


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("url", ["/refer/", "/es/refer/"])
def test_the_offer_and_the_get_my_link_form_are_in_the_first_screen(
    new_context: Callable[..., BrowserContext], viewport: dict[str, int], url: str
) -> None:
    """ "Get my link" used to sit 2,287 px down on a desktop and 3,568 px on a phone."""
    page = new_context(viewport=viewport).new_page()
    open_settled(page, url)
    assert page.evaluate(FIRST_SCREEN, "#form-enroll input:not([type=hidden]):not([tabindex='-1'])") == "seen"
    assert page.evaluate(FIRST_SCREEN, ".offer") == "seen"
    assert page.locator("#my-link").is_hidden()  # no code in this browser: no link to show


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_returning_patient_sees_their_own_link_first(
    new_context: Callable[..., BrowserContext], viewport: dict[str, int]
) -> None:
    """A saved link used to be 4,081 px down the page."""
    context = new_context(viewport=viewport)
    remember_code(context)
    page = context.new_page()
    open_settled(page, "/refer/")
    assert page.locator("[data-link-field]").input_value().split("?")[0].endswith(f"/r/{SAVED_CODE}")
    assert page.evaluate(FIRST_SCREEN, "#my-link [data-code-display]") == "seen"
    order = page.evaluate(
        "() => document.getElementById('my-link')"
        ".compareDocumentPosition(document.getElementById('form-enroll'))"
    )
    assert order & 4, "the patient's link comes before the form that makes a new one"


@pytest.mark.browser
@pytest.mark.parametrize("url", ["/refer/", "/es/refer/"])
def test_a_returning_patients_link_moves_nothing_when_it_appears(
    new_context: Callable[..., BrowserContext], url: str
) -> None:
    """refer.js used to reveal the share panel after the first paint, pushing the form down (CLS 0.32)."""
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    remember_code(context)
    page = context.new_page()
    page.add_init_script(CLS_OBSERVER)
    # a phone's network: the scripts arrive after the page has painted
    page.route("**/assets/js/*.js", lambda route: (page.wait_for_timeout(600), route.continue_()))
    open_settled(page, url)
    cls = page.evaluate("window.__cls")
    assert cls < 0.05, f"{url}: cumulative layout shift {cls:.3f} for a returning patient"
    assert page.locator("#my-link").is_visible()
    assert page.locator("#my-link [data-code-display]").inner_text() == f"{SAVED_CODE[:4]}-{SAVED_CODE[4:]}"


@pytest.mark.browser
@pytest.mark.parametrize("url", ["/welcome/", "/es/welcome/"])
def test_an_invited_friends_welcome_line_moves_nothing_when_it_appears(
    new_context: Callable[..., BrowserContext], url: str
) -> None:
    """referral.js reveals "your invitation code is in the form" once it has read the code (CLS 0.04)."""
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.add_init_script(CLS_OBSERVER)
    page.route("**/assets/js/*.js", lambda route: (page.wait_for_timeout(600), route.continue_()))
    open_settled(page, f"{url}?ref={SAVED_CODE}")
    cls = page.evaluate("window.__cls")
    assert cls < 0.01, f"{url}: cumulative layout shift {cls:.3f} for an invited friend"
    assert page.locator("[data-invite-code]").inner_text() == f"{SAVED_CODE[:4]}-{SAVED_CODE[4:]}"


@pytest.mark.browser
def test_forgetting_the_code_removes_the_panel_and_its_room(
    new_context: Callable[..., BrowserContext],
) -> None:
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    remember_code(context)
    page = context.new_page()
    open_settled(page, "/refer/")
    page.locator("[data-forget]").click()
    assert page.locator("#my-link").is_hidden()
    assert page.evaluate("document.getElementById('my-link').getBoundingClientRect().height") == 0
    assert page.evaluate(FIRST_SCREEN, "#form-enroll input:not([type=hidden]):not([tabindex='-1'])") == "seen"


# ---------------------------------------------------------------------------------------------
# 4. Scripts only where needed: the QR library once there is a code
# ---------------------------------------------------------------------------------------------

QR_LIBRARY = "qrcode-generator"


@pytest.mark.browser
def test_the_referral_page_fetches_no_qr_library_before_anyone_has_a_code(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(viewport=PHONE).new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    open_settled(page, "/refer/")
    assert fetched, "no requests seen"
    assert not [url for url in fetched if QR_LIBRARY in url]
    assert page.locator("#my-link [data-qr] svg").count() == 0


@pytest.mark.browser
@pytest.mark.parametrize("url", ["/refer/", "/print/referral-card/"])
def test_with_a_saved_code_the_qr_library_loads_from_this_site_and_draws_the_code(
    new_context: Callable[..., BrowserContext], site_server: str, url: str
) -> None:
    context = new_context(viewport=PHONE)
    remember_code(context)
    page = context.new_page()
    with page.expect_request(lambda request: QR_LIBRARY in request.url) as request:
        page.goto(url, wait_until="load")
    assert request.value.url.startswith(f"{site_server}/assets/js/vendor/{QR_LIBRARY}.")
    qr = page.locator("[data-qr] svg[role=img]").first
    qr.wait_for(state="visible")
    assert SAVED_CODE in (qr.get_attribute("aria-label") or "")
    assert qr.locator("path").get_attribute("d"), "the QR code has no modules"


# ---------------------------------------------------------------------------------------------
# 5. `_headers`: a cache rule for every static path, never for a page
# ---------------------------------------------------------------------------------------------


def test_every_published_file_has_a_cache_rule_and_no_page_is_cached_like_a_photo(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    for rel in ["images/team/ana.jpg", "fonts/inter.woff2", "favicon.ico", "services/brochure.pdf"]:
        (site / "content" / "static" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "content" / "static" / rel).write_bytes(b"x")
    out = tmp_path / "out"
    build(site, out, use_cache=False)
    blocks = parse_headers((out / "_headers").read_text(encoding="utf-8"))

    def cache(path: str) -> list[str]:
        return [value for name, value in headers_for(blocks, path) if name == "Cache-Control"]

    [css] = (out / "assets" / "css").glob("site.*.css")
    assert cache("/" + css.relative_to(out).as_posix()) == ["public, max-age=31536000, immutable"]
    for path in ["/images/team/ana.jpg", "/fonts/inter.woff2", "/favicon.ico", "/services/brochure.pdf"]:
        assert (out / path.lstrip("/")).is_file(), path
        [rule] = cache(path)
        assert "max-age=86400" in rule, (path, rule)
    for page in ["/", "/services/", "/services/consultation/", "/about/"]:
        assert cache(page) == [], f"{page} would be cached: {cache(page)}"


# ---------------------------------------------------------------------------------------------
# 6. Tables that fit a phone
# ---------------------------------------------------------------------------------------------

# Each table of the page: fits, or scrolls inside a focusable box with the shadow cue, and scrolled to its
# end that box shows the last column whole.
TABLES = """() => [...document.querySelectorAll('main table')].map(table => {
  const box = table.closest('.table-scroll');
  const last = table.querySelector('tr').lastElementChild;
  if (!box) return table.getBoundingClientRect().right <= innerWidth ? 'fits' : 'clipped, no scroll box';
  if (box.scrollWidth <= box.clientWidth) return 'fits';
  if (getComputedStyle(box).overflowX !== 'auto' || box.tabIndex !== 0) return 'wide, box does not scroll';
  if (!getComputedStyle(box).backgroundImage.includes('radial-gradient')) return 'scrolls without a cue';
  box.scrollLeft = box.scrollWidth;
  const end = last.getBoundingClientRect().right <= box.getBoundingClientRect().right + 1;
  box.scrollLeft = 0;
  return end ? 'scrolls' : 'the last column stays cut off';
})"""


@pytest.mark.browser
def test_no_page_with_a_table_is_wider_than_a_phone(
    new_context: Callable[..., BrowserContext], demo_site: Path
) -> None:
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    with_tables = sorted(
        "/" + f.parent.relative_to(demo_site).as_posix() + "/"
        for f in demo_site.rglob("index.html")
        if "<table" in f.read_text(encoding="utf-8")
    )
    assert len(with_tables) >= 5
    problems, seen = [], set()
    for url in with_tables:
        page.goto(url.replace("/./", "/"), wait_until="load")
        width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            problems.append(f"{url}: the page scrolls sideways ({width[0]}px > {width[1]}px)")
        for verdict in page.evaluate(TABLES):
            seen.add(verdict)
            if verdict not in ("fits", "scrolls"):
                problems.append(f"{url}: a table: {verdict}")
    assert not problems, "\n".join(problems)
    assert "scrolls" in seen, "no table of the demo is wide enough to test the scrolling box"


# ---------------------------------------------------------------------------------------------
# 6. Photo slots: hero, offices, portraits, through the responsive-image pipeline
# ---------------------------------------------------------------------------------------------


def test_the_starters_photos_fill_the_hero_the_office_and_the_portrait_slots(tmp_path: Path) -> None:
    """The home page had no image slot and the starter no photo: nobody saw the layout with pictures."""
    site = make_site(tmp_path)
    out = tmp_path / "out"
    build(site, out, use_cache=False)
    home = (out / "index.html").read_text(encoding="utf-8")
    [hero] = re.findall(r'<picture>(?:<source [^>]*>)+<img class="hero-image"[^>]*></picture>', home)
    assert 'sizes="(min-width: 52rem) 50vw, 100vw"' in hero  # the slot's width, not the photo's
    assert "/images/home-hero-480w.webp 480w" in hero and 'fetchpriority="high"' in hero
    assert '<source media="(max-width: 52rem)" type="image/webp"' in hero  # a phone's own crop comes first
    assert 'loading="lazy"' not in hero  # the first photo of the page loads at once
    assert home.index('class="hero-image"') > home.index("data-booking>")  # a phone sees the button first
    office = (out / "locations" / "main-office" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<img class="location-photo" src="/images/main-office.jpg"[^>]* srcset="', office)
    team = (out / "team" / "alex-rivera" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<img class="portrait" src="/images/alex-rivera.jpg"[^>]* srcset="', team)


def test_a_drawing_in_a_photo_slot_stays_valid_html(tmp_path: Path) -> None:
    """An SVG is published as it is: the slot's width stays a data- attribute (a `sizes` without `srcset`
    is invalid HTML)."""
    site = make_site(tmp_path)
    write(site, "static/images/hero.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 10"/>\n')
    edit(site, "pages/index.md", "src: /images/home-hero.jpg", "src: /images/hero.svg")
    out = tmp_path / "out"
    build(site, out, use_cache=False)
    home = (out / "index.html").read_text(encoding="utf-8")
    [tag] = re.findall(r'<img class="hero-image"[^>]*>', home)
    assert 'src="/images/hero.svg"' in tag and " sizes=" not in tag and "data-sizes=" in tag
