"""Hardening: strict headers built from what the site uses, redirects that cannot escape, safe scripts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Page
from sitefactory import add_program, edit, make_site, snapshot, write

from sitegen.cli import main
from sitegen.serve import server as serve

REPO_ROOT = Path(__file__).resolve().parent.parent


def build(site: Path) -> str:
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    return result.output


def csp(site: Path) -> dict[str, list[str]]:
    text = (site / "public" / "_headers").read_text()
    policy = re.search(r"Content-Security-Policy: (.*)", text)[1]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    add_program(site)
    return site


def test_headers_carry_a_strict_policy_and_the_security_headers(site: Path) -> None:
    build(site)
    text = (site / "public" / "_headers").read_text()
    policy = csp(site)
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert policy["form-action"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert "unsafe-inline" not in text and "unsafe-eval" not in text
    assert "Strict-Transport-Security: max-age=31536000" in text
    assert "X-Content-Type-Options: nosniff" in text
    assert "Referrer-Policy: strict-origin-when-cross-origin" in text
    assert "camera=()" in text and "geolocation=()" in text and "clipboard-write=(self)" in text
    assert "/assets/*\n  Cache-Control: public, max-age=31536000, immutable" in text


def test_form_action_allows_exactly_the_chosen_form_service(site: Path) -> None:
    write(site, "pages/book.md", "---\ntitle: Book\nform: contact\n---\nText.\n")
    edit(
        site,
        "site.yaml",
        "brand:",
        "forms:\n  provider: formspree\n"
        "  endpoints: {contact: abc, appointment: def, enroll: ghi, refer: jkl, feedback: mno}\nbrand:",
    )
    build(site)
    assert csp(site)["form-action"] == ["'self'", "https://formspree.io"]


def test_enabling_analytics_allows_exactly_that_origin_and_nothing_else(site: Path) -> None:
    build(site)
    before = csp(site)
    edit(
        site,
        "site.yaml",
        "brand:",
        "analytics:\n  script: https://plausible.io/js/script.js\n  domain: example.com\nbrand:",
    )
    build(site)
    after = csp(site)
    assert after["script-src"] == ["'self'", "https://plausible.io"]
    assert after["connect-src"] == ["'self'", "https://plausible.io"]
    assert {k: v for k, v in after.items() if k not in ("script-src", "connect-src")} == {
        k: v for k, v in before.items() if k not in ("script-src", "connect-src")
    }
    assert 'src="https://plausible.io/js/script.js"' in (site / "public" / "about" / "index.html").read_text()
    assert (
        "plausible" not in (site / "public" / "refer" / "index.html").read_text()
    )  # never on referral pages
    assert "plausible" not in (site / "public" / "welcome" / "index.html").read_text()


def test_aliases_redirect_old_addresses_with_301(site: Path) -> None:
    edit(site, "pages/about.md", "menu: header", "menu: header\naliases: [/about-us/, /team-and-story]")
    build(site)
    rules = (site / "public" / "_redirects").read_text()
    assert "/about-us/  /about/  301" in rules and "/team-and-story  /about/  301" in rules


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        ("/../../etc/passwd", 'aliases: "/../../etc/passwd" is not a plain address on this site'),
        ("https://evil.example/", 'aliases: "https://evil.example/" is not a plain address on this site'),
        ("/services/", "aliases: /services/ is the address of"),
    ],
)
def test_unsafe_or_taken_aliases_are_refused(site: Path, alias: str, message: str) -> None:
    write(site, "services/peel.md", "---\ntitle: Peel\nsummary: A peel.\n---\nText.\n")
    build(site)
    before = snapshot(site / "public")
    edit(site, "pages/about.md", "menu: header", f'menu: header\naliases: ["{alias}"]')
    if alias == "/services/":
        edit(site, "pages/about.md", '["/services/"]', '["/services/peel/"]')
        message = "aliases: /services/peel/ is the address of content/services/peel.md"
    result = CliRunner().invoke(main, ["build", str(site)])
    assert (
        result.exit_code == 1
        and "content/pages/about.md:5: error[" in result.output
        and message in result.output
    )
    assert snapshot(site / "public") == before


def test_allow_html_keeps_raw_html_and_warns(site: Path) -> None:
    edit(site, "pages/about.md", "Write about", '<div class="note" data-x="1">Raw</div>\n\nWrite about')
    build(site)
    assert '<div class="note">Raw</div>' in (site / "public" / "about" / "index.html").read_text()
    edit(site, "site.yaml", "brand:", "allow_html: true\nbrand:")
    output = build(site)
    assert "warning[SG307] allow_html is on" in output
    assert '<div class="note" data-x="1">Raw</div>' in (site / "public" / "about" / "index.html").read_text()


# -- the demo under its own policy, in the browser ---------------------------------------------------


@pytest.fixture(scope="module")
def demo_server() -> Iterator[serve.DevServer]:
    running = serve.start(REPO_ROOT, "127.0.0.1", 0)
    yield running
    serve.stop(running)


@pytest.mark.browser
def test_every_demo_page_runs_under_the_policy_without_a_violation(
    demo_server: serve.DevServer, page: Page
) -> None:
    files = demo_server.site.snapshot.files
    assert "_headers" in files
    urls = sorted("/" + p.removesuffix("index.html") for p in files if p.endswith(".html"))
    violations: list[str] = []
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "(window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI))"
    )
    for url in urls:
        response = page.goto(demo_server.url + url)
        assert "content-security-policy" in response.headers, url
        page.wait_for_load_state("load")
        violations += [f"{url}: {v}" for v in page.evaluate("window.__violations || []")]
    assert violations == [] and errors == []


@pytest.mark.browser
def test_scripts_still_work_under_the_policy(demo_server: serve.DevServer, page: Page) -> None:
    page.goto(demo_server.url + "/book/")
    page.get_by_role("button", name="Request my consultation").click()
    assert page.get_by_role("alert").text_content().startswith("Please correct")
    page.goto(demo_server.url + "/welcome/?ref=K7M2QX9P")
    assert page.locator("#appointment-referral_code").input_value() == "K7M2QX9P"
    assert page.locator("[data-invite-code]").text_content() == "K7M2-QX9P"


@pytest.mark.browser
def test_welcome_page_shows_hostile_codes_as_nothing(demo_server: serve.DevServer, page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(demo_server.url + "/welcome/?ref=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert page.locator("[data-invited]").is_hidden() and dialogs == []
    assert page.locator("img[src=x]").count() == 0
