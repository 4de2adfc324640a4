"""Personal links `/r/CODE` on each kind of static host: Cloudflare Pages' reading of `_redirects`, a host
that serves the site's 404.html, and a plain `python -m http.server` of public/ (no rule, no 404 page)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sitefactory import add_program, edit, make_site, write

from sitegen.cli import main
from sitegen.site.refcode import make_code

CODE = make_code("HJK2345")

# Cloudflare Pages, developers.cloudflare.com/pages/configuration/redirects/: `[source] [destination]
# [code?]`, redirects 301/302/303/307/308 and 200 rewrites to relative paths; 2,000 static and 100 dynamic
# rules (a rule with a splat or a placeholder is dynamic, and so is every rule after the first dynamic
# one: static rules go first); 1,000 characters per rule. A 404 rule is Netlify's own: Cloudflare ignores
# it and serves the nearest 404.html by itself, which is what the rule asks for.
CLOUDFLARE_CODES = {"200", "301", "302", "303", "307", "308"}


def cloudflare_reading(text: str) -> dict[str, list[str]]:
    """What Cloudflare Pages makes of a `_redirects` file: its static and dynamic rules, and the lines it
    would ignore (with why)."""
    read: dict[str, list[str]] = {"static": [], "dynamic": [], "ignored": []}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(line) > 1000 or len(parts) not in (2, 3):
            read["ignored"].append(f"malformed: {line}")
            continue
        source, destination, code = parts[0], parts[1], (parts[2] if len(parts) == 3 else "302")
        if code not in CLOUDFLARE_CODES:
            read["ignored"].append(f"{code}: {line}")
            continue
        if code == "200" and not destination.startswith("/"):
            read["ignored"].append(f"proxy to another site: {line}")
            continue
        dynamic = "*" in source or ":" in source or bool(read["dynamic"])
        read["dynamic" if dynamic else "static"].append(line)
    return read


def build(site: Path) -> Path:
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    return site / "public"


def test_the_redirects_file_stays_within_what_cloudflare_pages_applies(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(site)
    moved = ", ".join(f"/old-{n}/" for n in range(150))  # a practice that moved many pages
    edit(site, "pages/about.md", "menu: header", f"menu: header\naliases: [{moved}]")
    read = cloudflare_reading((build(site) / "_redirects").read_text())
    assert read["ignored"] == []
    assert len(read["static"]) == 150 and len(read["static"]) <= 2000
    # the personal link is the only dynamic rule: the 150 moved pages do not count against the 100
    assert read["dynamic"] == ["/r/:code  /welcome/?ref=:code  302"]


def test_a_second_language_adds_only_rules_cloudflare_applies_or_does_by_itself(demo_site: Path) -> None:
    read = cloudflare_reading((demo_site / "_redirects").read_text())
    assert read["dynamic"][:2] == [
        "/es/r/:code  /es/welcome/?ref=:code  302",
        "/r/:code  /welcome/?ref=:code  302",
    ]
    assert len(read["dynamic"]) <= 100 and len(read["static"]) <= 2000
    # Netlify's "404 for anything missing under /es/": Cloudflare serves /es/404.html there itself
    assert read["ignored"] == ["404: /es/*  /es/404.html  404"]
    assert (demo_site / "es" / "404.html").is_file()


# -- a plain `python -m http.server` of public/ ---------------------------------------------------------


@pytest.fixture(scope="module")
def plain_server(demo_site: Path) -> Iterator[str]:
    """The demo site served by Python's own static server, as shipped: missing addresses get its own error
    page, not the site's 404.html."""
    cmd = [
        sys.executable,
        "-u",
        "-m",
        "http.server",
        "0",
        "--bind",
        "127.0.0.1",
        "--directory",
        str(demo_site),
    ]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        port = re.search(r"port (\d+)", process.stdout.readline())
        assert port, "http.server did not start"
        yield f"http://127.0.0.1:{port[1]}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def remember(context: BrowserContext, code: str) -> None:
    """This browser holds the code refer.js made when the patient enrolled."""
    kept = json.dumps({"code": code, "name": "Ana"})
    context.add_init_script(f"window.localStorage.setItem('sitegen-referral-mine', {json.dumps(kept)});")


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "/es"])
def test_on_a_plain_server_the_shared_link_is_the_welcome_page_and_carries_the_code(
    plain_server: str, browser: Browser, prefix: str
) -> None:
    with pytest.raises(urllib.error.HTTPError) as missing:  # what a /r/ link would meet here
        urllib.request.urlopen(f"{plain_server}{prefix}/r/{CODE}")
    with missing.value as error:
        assert error.code == 404 and b"data-not-found" not in error.read()
    patient = browser.new_context()
    remember(patient, CODE)
    page = patient.new_page()
    page.goto(f"{plain_server}{prefix}/refer/")
    field = page.locator("[data-link-field]")
    expect(field).to_have_value(
        re.compile(rf"^{re.escape(plain_server + prefix)}/welcome/\?ref={CODE}(&utm_\w+=[\w-]+)*$")
    )
    link = field.input_value()
    page.goto(f"{plain_server}{prefix}/print/referral-card/")  # the personal card's QR code says the same
    expect(page.locator("[data-personal-card] [data-link-display]")).to_have_text(link.split("://")[1])
    patient.close()
    for javascript in (True, False):
        friend = browser.new_context(java_script_enabled=javascript).new_page()
        answer = friend.goto(link)
        assert answer is not None and answer.status == 200
        expect(friend.locator("html")).to_have_attribute("lang", "es" if prefix else "en")
        if javascript:  # the code follows the friend to the booking page
            friend.goto(f"{plain_server}{prefix}/book/")
            expect(friend.locator("#appointment-referral_code")).to_have_value(CODE)
            expect(friend.locator("#appointment-referred_by")).to_have_value(f"{CODE[:4]}-{CODE[4:]}")
        else:  # no script: the form is there for the code the friend reads at the end of the link
            expect(friend.locator("#appointment-referred_by")).to_be_visible()
        friend.context.close()


@pytest.mark.browser
def test_where_the_host_serves_the_404_page_the_short_link_is_kept(site_server: str, page: Page) -> None:
    page.context.add_init_script(
        "window.localStorage.setItem('sitegen-referral-mine', "
        + json.dumps(json.dumps({"code": CODE, "name": "Ana"}))
        + ");"
    )
    page.goto(site_server + "/refer/")
    # the answer is kept under one key, or another while a campaign runs (the demo's depend on the date)
    asked = "['', '-with-query'].map(k => sessionStorage.getItem('sitegen-referral-short-links' + k))"
    page.wait_for_function(f"() => {asked}.some(v => v !== null)")
    assert sorted(page.evaluate(asked), key=str) == ["1", None]
    assert page.locator("[data-link-field]").input_value().split("?")[0] == f"{site_server}/r/{CODE}"


@pytest.mark.browser
def test_without_javascript_the_404_page_tells_the_friend_where_to_write_the_code(
    site_server: str, browser: Browser
) -> None:
    page = browser.new_context(java_script_enabled=False).new_page()
    answer = page.goto(f"{site_server}/r/{CODE}")
    assert answer is not None and answer.status == 404
    expect(page.locator("main")).to_contain_text("write that code under “Who referred you?”")
    page.get_by_role("link", name="welcome page").click()
    expect(page.get_by_label("Who referred you? (name or code)")).to_be_visible()
    page.context.close()


# -- a host whose redirect drops the campaign's query (Cloudflare Pages' behaviour is not verified here) --

CAMPAIGN = (
    "---\ntitle: Friends season\nsummary: Extra thanks.\nstart: 2026-01-01\nend: 2035-12-31\n"
    "offer: Every friend who visits adds a $5 credit to your reward.\n"
    "utm_campaign: friends-season\n---\nHi.\n"
)


class Redirecting(SimpleHTTPRequestHandler):
    """/r/CODE -> /welcome/?ref=CODE (302), passing the query on or not (`keep_query`)."""

    keep_query = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if match := re.fullmatch(r"/r/([A-Z0-9]+)", path):
            target = f"/welcome/?ref={match[1]}" + (f"&{query}" if query and self.keep_query else "")
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()


class DropsTheQuery(Redirecting):
    keep_query = False


@pytest.mark.browser
@pytest.mark.parametrize("handler", [Redirecting, DropsTheQuery], ids=["keeps", "drops"])
def test_a_host_that_drops_the_campaign_from_the_redirect_gets_the_long_link(
    tmp_path: Path, browser: Browser, handler: type[Redirecting]
) -> None:
    site = make_site(tmp_path)
    add_program(site)
    write(site, "campaigns/friends-season.md", CAMPAIGN)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(build(site))))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        context = browser.new_context()
        remember(context, CODE)
        page = context.new_page()
        page.goto(url + "/refer/")
        page.wait_for_function("() => sessionStorage.getItem('sitegen-referral-short-links-with-query')")
        campaign = "utm_medium=referral&utm_campaign=friends-season"
        expected = (
            f"{url}/r/{CODE}?{campaign}"
            if handler is Redirecting
            else f"{url}/welcome/?ref={CODE}&{campaign}"
        )
        expect(page.locator("[data-link-field]")).to_have_value(expected)
        friend = browser.new_context().new_page()
        friend.goto(expected)  # either way the friend's page knows the campaign
        expect(friend).to_have_url(
            f"{url}/welcome/?ref={CODE}&{campaign}" if handler is Redirecting else expected
        )
        context.close()
        friend.context.close()
    finally:
        server.shutdown()
        server.server_close()
