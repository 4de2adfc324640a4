"""Whole-site quality gates over the built demo practice: links, HTML validity, accessibility, privacy, CSP.

Each test checks every page and reports every problem in one assertion message, so one run shows all.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import QuietThreadingHTTPServer, StaticSiteHandler
from linkcheck import check_site
from playwright.sync_api import Browser, Page

from sitegen.render.hostrules import headers_for, parse_headers

TESTS_DIR = Path(__file__).resolve().parent
VNU_JAR = TESTS_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
BLOCKING_IMPACTS = {"serious", "critical"}
# Resolves once the browser has nothing left to do (deferred scripts, timers due now), two frames later.
IDLE = (
    "() => new Promise(done => requestIdleCallback(() => requestAnimationFrame(() => "
    "requestAnimationFrame(() => done())), {timeout: 10000}))"
)
PHONE_AXE_RULES = ["scrollable-region-focusable", "target-size"]  # axe rules that depend on the viewport
# The JVM for one batch run of vnu: the quick compiler only (a run over ~100 pages ends before the optimizing
# one pays off: half the CPU time, the same messages), with the larger stack vnu's schema needs then.
VNU_JAVA_OPTIONS = ["-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


def page_urls(site: Path) -> list[str]:
    """The URL path of every HTML page of a built site: ``/``, ``/services/cleaning/``, ``/404.html``."""
    urls = []
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        if rel == "index.html":
            urls.append("/")
        elif rel.endswith("/index.html"):
            urls.append("/" + quote(rel[: -len("index.html")]))
        else:
            urls.append("/" + quote(rel))
    return urls


def start_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """(tag, attributes) of every start tag of an HTML document."""
    tags: list[tuple[str, dict[str, str | None]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append((tag, dict(attrs)))

    collector = Collector()
    collector.feed(html)
    collector.close()
    return tags


def report(title: str, problems: list[str]) -> str:
    return f"{title}: {len(problems)} problem(s)\n  " + "\n  ".join(problems)


@pytest.fixture(scope="module")
def demo_pages(demo_site: Path) -> list[str]:
    urls = page_urls(demo_site)
    assert urls, f"the demo build wrote no HTML pages into {demo_site}"
    return urls


VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


def page_features(html: str) -> frozenset[str]:
    """What axe's outcome on a page depends on, short of its words: each start tag with its class and the
    names of its attributes, under its parent's tag and its nearest ancestor with a class (the background a
    colour is judged on, the list an item is in); which links, buttons and headings are empty; every
    language named, the viewport, an empty title; every id used twice. Two pages with the same features
    give axe the same elements to judge, each in the same surroundings."""
    features: set[str] = set()
    ids: list[str] = []
    open_tags: list[tuple[str, str]] = []  # (tag, class) of each open element, outermost first

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            classed = next((f"{t}.{c}" for t, c in reversed(open_tags) if c), "")
            parent = open_tags[-1][0] if open_tags else ""
            features.add(f"{classed} {parent} > {tag}.{a.get('class') or ''}[{','.join(sorted(a))}]")
            if a.get("lang") is not None:
                features.add(f"lang {a['lang']}")
            if tag == "meta" and a.get("name") == "viewport":
                features.add(f"viewport {a.get('content')}")
            if a.get("id"):
                ids.append(a["id"] or "")
            if tag not in VOID_TAGS:
                open_tags.append((tag, a.get("class") or ""))

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.handle_starttag(tag, attrs)
            if tag not in VOID_TAGS:
                open_tags.pop()

        def handle_endtag(self, tag: str) -> None:
            for i in range(len(open_tags) - 1, -1, -1):
                if open_tags[i][0] == tag:
                    del open_tags[i:]
                    break

    collector = Collector()
    collector.feed(html)
    collector.close()
    for empty in re.findall(r"<(a|button|h[1-6]|title)\b[^>]*>\s*</\1>", html):
        features.add(f"empty {empty}")
    features.update(f"duplicate id {i}" for i, n in Counter(ids).items() if n > 1)
    return frozenset(features)


def distinct_page_urls(site: Path) -> list[str]:
    """A sample of a built site's pages for the accessibility sweeps: few pages that together have every
    feature (see page_features) any page has, so that every kind of element is judged at least once in
    each surrounding it appears in, and a page with something no other page has (an image without alt, an
    empty link, a table, a callout in a new place) is always in it. Picked greedily: the page adding the
    most features not yet in the sample first (in page_urls order when equal)."""
    urls = page_urls(site)
    features: dict[str, frozenset[str]] = {}
    for url in urls:
        rel = url.lstrip("/")
        file = site / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)
        features[url] = page_features(file.read_text(encoding="utf-8"))
    missing = set().union(*features.values())
    sample: list[str] = []
    while missing:
        best = max(urls, key=lambda url: len(features[url] & missing))  # the first of equals
        sample.append(best)
        missing -= features[best]
    return [url for url in urls if url in sample]


@pytest.fixture(scope="module")
def distinct_pages(demo_site: Path, demo_pages: list[str]) -> list[str]:
    return distinct_page_urls(demo_site)


SAMPLE_PAGE = (
    '<!doctype html><html lang="en"><head><title>{w}</title></head><body><main><h1 id="top">{w}</h1>'
    '<img src="{w}.jpg" alt="{w}"><p><a href="/{w}/">{w}</a></p><aside class="callout"><p>{w}</p></aside>'
    "</main></body></html>"
)
# Pages that differ from SAMPLE_PAGE in what axe judges, each with the change that makes it differ.
DIFFERING_PAGES = {
    "no-alt": ('alt="{w}"', ""),  # an image without alt (image-alt)
    "empty-link": (">{w}</a>", "></a>"),  # a link without a name (link-name)
    "table": ("</main>", "<table><tr><th>Price</th></tr></table></main>"),  # a table (th-has-data-cells)
    "link-in-callout": ("<p>{w}</p></aside>", '<p><a href="/">{w}</a></p></aside>'),  # a new background
    "spanish": ('lang="en"', 'lang="es"'),  # another language (html-lang-valid, valid-lang)
    "twice-the-id": ("</main>", '<p id="top">{w}</p></main>'),  # an id used twice (duplicate-id-aria)
    "empty-title": ("<title>{w}</title>", "<title></title>"),  # document-title
}


def test_the_sample_keeps_a_page_that_differs_from_its_siblings(tmp_path: Path) -> None:
    """Pages that differ only in words and addresses are one in the sample; a page with anything else of
    its own (an element, an attribute, a surrounding, a language, an empty name) is always in it."""
    pages = {"first": SAMPLE_PAGE, "sibling": SAMPLE_PAGE}
    for name, (old, new) in DIFFERING_PAGES.items():
        assert old in SAMPLE_PAGE, name
        pages[name] = SAMPLE_PAGE.replace(old, new)
    for i, (name, html) in enumerate(pages.items()):
        write(tmp_path, {f"{name}/index.html": html.format(w=f"Word{i}")})
    first, sibling = (
        page_features(pages[n].format(w=w)) for n, w in (("first", "Alpha"), ("sibling", "Beta"))
    )
    assert first == sibling  # words and addresses are not features
    sample = distinct_page_urls(tmp_path)
    assert [f"/{name}/" for name in DIFFERING_PAGES if f"/{name}/" not in sample] == []
    assert not {"/first/", "/sibling/"} <= set(sample), sample  # siblings: one at most
    assert len(sample) < len(pages)


# ---------------------------------------------------------------------------------------------
# The link checker itself
# ---------------------------------------------------------------------------------------------


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_link_checker_reports_missing_pages_and_anchors_but_not_good_or_external_links(
    tmp_path: Path,
) -> None:
    site = write(
        tmp_path / "site",
        {
            "index.html": (
                "<!doctype html><title>Home</title>\n"
                '<a href="/about/#team">good</a>\n'
                '<a href="/no-such-page/">missing page</a>\n'
                '<a href="about/#nobody">missing anchor</a>\n'
                '<a href="https://elsewhere.example/x">external</a> <a href="mailto:a@b.co">mail</a>\n'
                '<a href="tel:+15555550100">call</a> <a href="sms:+15555550100">text</a> <a '
                'href="#top">top</a>\n'
            ),
            "about/index.html": '<!doctype html><title>About</title><h2 id="team">Team</h2>',
        },
    )
    problems = check_site(site)
    assert len(problems) == 2, problems
    assert problems[0].startswith("index.html:3: <a href> '/no-such-page/' -> missing file"), problems
    assert problems[1].startswith("index.html:4: <a href> 'about/#nobody' -> missing anchor #nobody"), (
        problems
    )


def test_link_checker_checks_srcset_css_and_same_site_absolute_urls(tmp_path: Path) -> None:
    site = write(
        tmp_path / "site",
        {
            "index.html": (
                "<!doctype html><title>Home</title>\n"
                '<link rel="canonical" href="https://clinic.example/">\n'
                '<meta property="og:image" content="https://clinic.example/assets/og.png">\n'
                '<link rel="stylesheet" href="/assets/site.css">\n'
                '<img src="/assets/a.png" srcset="/assets/a.png 1x, /assets/a@2x.png 2x" alt="">\n'
            ),
            "assets/a.png": "",
            "assets/site.css": "body{background:url(missing.svg)}",
        },
    )
    assert check_site(site) == [
        "index.html:3: <meta og:image> 'https://clinic.example/assets/og.png' -> missing file assets/og.png",
        "index.html:5: <img srcset> '/assets/a@2x.png' -> missing file assets/a@2x.png",
        "assets/site.css:1: css url() 'missing.svg' -> missing file assets/missing.svg",
    ]


# ---------------------------------------------------------------------------------------------
# Static checks of the output folder
# ---------------------------------------------------------------------------------------------


def test_demo_has_no_broken_internal_links_or_assets(demo_site: Path) -> None:
    problems = check_site(demo_site)
    assert not problems, report("broken internal links", problems)


def nu_validator_problems(site: Path) -> list[str]:
    """Every error the Nu HTML Checker (vnu) finds in the HTML pages of a built site, as ``file:line:col``."""
    java = shutil.which("java")
    assert java, "java is not on PATH (tests/run expects Java 17)"
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run tests/run (npm ci in tests/)"
    proc = subprocess.run(
        [
            java,
            *VNU_JAVA_OPTIONS,
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--skip-non-html",
            "--format",
            "json",
            str(site),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(proc.stderr or '{"messages": []}')["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu exited {proc.returncode} without JSON:\n{proc.stderr}\n{proc.stdout}")
    problems = []
    for m in messages:
        where = m.get("url", "?").removeprefix("file:")
        with contextlib.suppress(ValueError):
            where = Path(where).resolve().relative_to(site.resolve()).as_posix()
        extract = " ".join(m.get("extract", "").split())
        problems.append(
            f"{where}:{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}: "
            f"{m.get('type')}{'/' + m['subType'] if m.get('subType') else ''}: {m.get('message')}"
            + (f"  [{extract[:120]}]" if extract else "")
        )
    if not problems:
        assert proc.returncode == 0, f"vnu exited {proc.returncode}: {proc.stderr}"
    return problems


def test_every_demo_page_passes_the_nu_html_validator(demo_site: Path) -> None:
    problems = nu_validator_problems(demo_site)
    assert not problems, report("Nu HTML Checker errors", problems)


class _StrictCspScanner(HTMLParser):
    """Finds what a Content-Security-Policy without 'unsafe-inline' would block."""

    def __init__(self, rel: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rel = rel
        self.problems: list[str] = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = f"{self.rel}:{self.getpos()[0]}: <{tag}>"
        a = dict(attrs)
        if (
            tag == "script"
            and a.get("src") is None
            and (a.get("type") or "").lower() != "application/ld+json"
        ):
            self.problems.append(f"{where} inline script (only src= or type=application/ld+json allowed)")
        if tag == "style":
            self.problems.append(f"{where} <style> element (move it to a stylesheet file)")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{where} event-handler attribute {name}={value!r}")
            elif name == "style":
                self.problems.append(f"{where} style attribute style={value!r}")
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"{where} javascript: URL in {name}={value!r}")


def strict_csp_problems(site: Path) -> list[str]:
    """Markup in every page of a built site that a strict Content-Security-Policy would block."""
    problems: list[str] = []
    for file in sorted(site.rglob("*.html")):
        scanner = _StrictCspScanner(file.relative_to(site).as_posix())
        scanner.feed(file.read_text(encoding="utf-8"))
        scanner.close()
        problems += scanner.problems
    return problems


def test_demo_html_has_no_inline_scripts_or_event_handlers(demo_site: Path) -> None:
    problems = strict_csp_problems(demo_site)
    assert not problems, report("markup a strict CSP (no 'unsafe-inline') would block", problems)


# ---------------------------------------------------------------------------------------------
# Served over HTTP, in Chromium
# ---------------------------------------------------------------------------------------------


def test_unknown_path_gets_the_404_page(demo_site: Path, site_server: str) -> None:
    assert (demo_site / "404.html").is_file(), "the build wrote no 404.html"
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{site_server}/no-such-page/", timeout=10).close()
    with caught.value as response:
        status, body = response.code, response.read()
    assert status == 404
    assert body == (demo_site / "404.html").read_bytes()

    hrefs = [attrs.get("href") or "" for tag, attrs in start_tags(body.decode("utf-8")) if tag == "a"]
    home = [h for h in hrefs if h == "/" or (urlsplit(h).netloc and urlsplit(h).path in ("", "/"))]
    assert home, f"404.html has no link to the home page '/'; its links: {hrefs}"


def axe_blocking_violations(page: Page, label: str, rules: list[str] | None = None) -> list[str]:
    """Serious and critical axe violations on the loaded page; only ``rules`` if given (axe preloaded). When
    axe is preloaded (an init script of the context), every rule runs without injecting it again."""
    if rules is None and not page.evaluate("() => typeof axe === 'object'"):
        results = Axe().run(page).response
    else:
        results = page.evaluate(
            "rules => axe.run(document, rules ? {runOnly: {type: 'rule', values: rules}, resultTypes: "
            "['violations']} : {resultTypes: ['violations']})",
            rules,
        )
    problems = []
    for violation in results["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:8])
        more = f" (+{len(violation['nodes']) - 8} more)" if len(violation["nodes"]) > 8 else ""
        problems.append(
            f"{label}: {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}{more}"
        )
    return problems


def watch_for_foreign_loads(page: Page, current: dict[str, str], problems: list[str]) -> None:
    """Adds to ``problems`` every request to a host other than the local server, console error, uncaught
    exception and failed load (HTTP 400 or more) of anything but the page itself; ``current["url"]`` names
    the page being visited."""

    def on_request(request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname != "127.0.0.1":
            problems.append(f"{current['url']}: request to a third-party host: {url}")

    def on_console(message: object) -> None:
        if message.type == "error":  # type: ignore[attr-defined]
            location = message.location or {}  # type: ignore[attr-defined]
            source = (
                f" (at {location.get('url')}:{location.get('lineNumber')})" if location.get("url") else ""
            )
            problems.append(f"{current['url']}: console error: {message.text}{source}")  # type: ignore[attr-defined]

    def on_response(response: object) -> None:
        if response.status >= 400 and response.request.resource_type != "document":  # type: ignore[attr-defined]
            problems.append(f"{current['url']}: HTTP {response.status} for {response.url}")  # type: ignore[attr-defined]

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{current['url']}: uncaught exception: {error}"))
    page.on("response", on_response)


FITS_THE_SCREEN = """() => {
    const doc = document.documentElement;
    const wide = [...document.body.querySelectorAll('*')]
        .filter(e => e.getBoundingClientRect().right > doc.clientWidth + 1)
        .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= doc.clientWidth + 1)
        .slice(0, 5)
        .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                  + (e.classList.length ? '.' + [...e.classList].join('.') : '')
                  + ' (' + Math.round(e.getBoundingClientRect().right) + 'px)');
    const viewport = document.querySelector('meta[name=viewport]');
    return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, wide,
            viewport: viewport && viewport.getAttribute('content')};
}"""


def too_wide_for_a_phone(page: Page, url: str, width: int = PHONE["width"]) -> list[str]:
    """Why the loaded page does not fit the screen's width (a phone's, PHONE, unless `width` says), if it
    does not. Not `scrollWidth > innerWidth` alone: a mobile browser zooms out to show content wider than
    the screen, and then innerWidth is the content's width."""
    m = page.evaluate(FITS_THE_SCREEN)
    if m["viewport"] is None:
        return [f"{url}: no <meta name=viewport>: a phone lays it out {m['innerWidth']}px wide"]
    if m["innerWidth"] != width:
        # Mobile Chromium zooms out to show content wider than the screen, so innerWidth grows.
        return [
            f"{url}: content is {m['innerWidth']}px wide, the phone zooms out to show it "
            f"(viewport {m['viewport']!r}); too wide: {m['wide']}"
        ]
    if m["scrollWidth"] > m["innerWidth"]:
        return [
            f"{url}: scrolls sideways: scrollWidth {m['scrollWidth']}px > {m['innerWidth']}px; "
            f"too wide: {m['wide']}"
        ]
    return []


# One visit per page and screen: each sweep below checks everything it can on the page it has loaded. axe
# is preloaded (an init script of the context), several times cheaper than injecting it into each page; it
# runs on the sample of distinct pages (`distinct_pages`: every kind of element in each of its surroundings).


class HostHandler(StaticSiteHandler):
    """A built site served as the static host serves it: each response carries the headers of every
    `_headers` rule matching its path (sitegen.render.hostrules reads them as the host does)."""

    def end_headers(self) -> None:
        rules = parse_headers((Path(self.directory) / "_headers").read_text(encoding="utf-8"))
        for name, value in headers_for(rules, self.path.split("?")[0]):
            self.send_header(name, value)
        super().end_headers()


@contextlib.contextmanager
def hosting(directory: Path) -> Iterator[str]:
    """A built site served on 127.0.0.1 by HostHandler (with its `_headers`); the base URL."""
    host = QuietThreadingHTTPServer(("127.0.0.1", 0), partial(HostHandler, directory=str(directory)))
    thread = threading.Thread(target=host.serve_forever, name=f"hosting {directory.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{host.server_address[1]}"
    finally:
        host.shutdown()
        host.server_close()
        thread.join(timeout=5)


# Collects what the page's Content-Security-Policy refused (an init script runs outside the policy).
WATCH_THE_POLICY = (
    "document.addEventListener('securitypolicyviolation', e => (window.__violations = "
    "window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI))"
)


@contextlib.contextmanager
def sweep_page(browser: Browser, base_url: str, *scripts: str, **options: Any) -> Iterator[Page]:
    """The one page of a sweep over a site, in a context of its own (``options``) closed afterwards, with
    axe and each of ``scripts`` run before a page's own. axe preloaded is several times cheaper than
    injected into each page that runs it, and nearly free on the pages that do not: one context keeps
    the pages in one renderer, which compiles it once (two contexts, one without axe, cost more)."""
    context = browser.new_context(base_url=base_url, **options)
    try:
        for script in (Axe().axe_script, *scripts):
            context.add_init_script(script=script)
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.browser
def test_every_demo_page_on_a_desktop_runs_under_its_policy_loads_nothing_from_elsewhere_and_passes_axe(
    demo_site: Path, demo_pages: list[str], distinct_pages: list[str], browser: Browser
) -> None:
    """Every page, served with the site's `_headers` as its host serves it: a Content-Security-Policy, and
    nothing it refuses; no request to a third-party host, no console error or uncaught exception, no failed
    load, once its scripts have run. Every distinct page: no serious or critical axe violation."""
    current = {"url": ""}
    foreign: list[str] = []
    refused: list[str] = []
    axe_problems: list[str] = []
    with hosting(demo_site) as base, sweep_page(browser, base, WATCH_THE_POLICY, viewport=DESKTOP) as page:
        watch_for_foreign_loads(page, current, foreign)
        for url in demo_pages:
            current["url"] = url
            response = page.goto(url, wait_until="load")
            if response is None or "content-security-policy" not in response.headers:
                refused.append(f"{url}: served without a Content-Security-Policy")
            page.evaluate(IDLE)  # not a fixed wait: until the page's scripts have run and the browser is idle
            refused += [f"{url}: refused {v}" for v in page.evaluate("window.__violations || []")]
            if url in distinct_pages:
                axe_problems += axe_blocking_violations(page, url)
    assert not (foreign or refused or axe_problems), "\n".join(
        report(title, problems)
        for title, problems in [
            ("third-party requests or console errors", foreign),
            ("what the Content-Security-Policy refused", refused),
            ("serious or critical axe violations", axe_problems),
        ]
        if problems
    )


@pytest.mark.browser
def test_every_demo_page_fits_a_phone_screen_and_has_no_serious_axe_violation_there(
    demo_pages: list[str], distinct_pages: list[str], site_server: str, browser: Browser
) -> None:
    """Every page fits a 375px phone without scrolling sideways or zooming out. axe: every rule on the home
    page, and on every distinct page the rules whose outcome depends on the layout (a table that scrolls
    sideways at 375px must be reachable by keyboard, tap targets...)."""
    wide: list[str] = []
    axe_problems: list[str] = []
    with sweep_page(browser, site_server, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        for url in demo_pages:
            page.goto(url, wait_until="load")
            wide += too_wide_for_a_phone(page, url)
            if url == "/":
                axe_problems += axe_blocking_violations(page, "/ (375px phone)")
            elif url in distinct_pages:
                axe_problems += axe_blocking_violations(page, f"{url} (375px phone)", rules=PHONE_AXE_RULES)
    assert "/" in demo_pages
    assert not wide, report("pages wider than a 375px phone", wide)
    assert not axe_problems, report("serious or critical axe violations", axe_problems)


@pytest.mark.browser
def test_the_menu_goes_behind_its_button_on_small_screens_only(page: Page) -> None:
    """A wide screen shows the demo's eight menu items in one row; below the stylesheet's breakpoint (52rem)
    a phone or a small tablet gets the Menu button, which opens and closes the whole menu."""
    menu = page.locator("#site-menu")
    button = page.get_by_role("button", name="Menu")
    faq = menu.get_by_role("link", name="FAQ")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/", wait_until="load")
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    assert button.is_hidden() and faq.is_visible()
    tops = menu.locator("a").evaluate_all(
        "links => links.map(a => Math.round(a.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, f"the menu wraps at 1280px: rows at {sorted(set(tops))}"
    for width in (800, 390):
        page.set_viewport_size({"width": width, "height": 800})
        button.wait_for(state="visible")
        assert faq.is_hidden()
        button.click()
        assert button.get_attribute("aria-expanded") == "true" and faq.is_visible()
        button.click()
        assert faq.is_hidden()
    page.set_viewport_size({"width": 1280, "height": 800})
    button.wait_for(state="hidden")
    assert faq.is_visible()


@pytest.mark.browser
@pytest.mark.parametrize(
    "url, expected",
    [
        ("/refer/", "Please give Your friend's email or Your friend's phone."),
        ("/es/refer/", "Indique Correo electrónico de su amigo o Teléfono de su amigo."),
    ],
)
def test_inviting_a_friend_asks_for_their_email_or_phone_in_the_pages_language(
    page: Page, url: str, expected: str
) -> None:
    page.goto(url, wait_until="load")
    form = page.locator("#form-refer")
    form.locator("[name=your_name]").fill("Ana")
    form.locator("[name=friend_name]").fill("Bea")
    form.locator("[name=consent]").check()
    form.locator("[type=submit]").click()
    error = page.locator("#refer-friend_email-error")
    error.wait_for(state="visible")
    assert error.inner_text() == expected
    assert page.locator("#refer-friend_email").evaluate("e => e === document.activeElement")
    form.locator("[name=friend_phone]").fill("512 555 0100")
    error.wait_for(state="hidden")


@pytest.mark.browser
def test_english_cards_on_a_spanish_page_are_in_english_for_the_browser(page: Page) -> None:
    """What a screen reader goes by: the language of the nearest element that names one (WCAG 3.1.2)."""
    page.goto("/es/services/", wait_until="load")
    language_of = "a => a.closest('[lang]').lang"
    assert page.locator("html").get_attribute("lang") == "es"
    assert (
        page.locator(".card-title a", has_text="Chemical peels").evaluate(language_of) == "en"
    )  # not translated
    assert page.locator(".card-title a", has_text="Facial hidratante").evaluate(language_of) == "es"
