"""`sitegen serve`: the preview answers like the static host, rebuilds on save and survives mistakes."""

from __future__ import annotations

import csv
import http.client
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sitefactory import add_program, edit, make_site, write

from sitegen.serve import server as serve

FORM_PAGE = """{% extends "base.html" %}
{% block main %}<h1>{{ page.title }}</h1>
<form name="contact" method="POST" action="/sent/" data-netlify="true">
  <input type="hidden" name="form-name" value="contact">
  <label for="name">Your name</label> <input id="name" name="name" required>
  <label for="email">Your email</label> <input id="email" name="email" type="email" required>
  <p>See our <a href="/privacy/">privacy notice</a>.</p>
  <button type="submit">Send</button>
</form>{% endblock %}
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    add_program(site)
    write(site, "pages/sent.md", "---\ntitle: Thank you\n---\nWe got your message.\n")
    write(site, "static/_redirects", "/old-about /about/ 301\n")
    write(
        site,
        "static/_headers",
        "/*\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n",
    )
    return site


@pytest.fixture
def server_log() -> list[str]:
    """What the dev server of the `server` fixture has logged, line by line."""
    return []


@pytest.fixture
def server(site: Path, server_log: list[str]) -> Iterator[serve.DevServer]:
    running = serve.start(site, "127.0.0.1", 0, log=server_log.append)
    yield running
    serve.stop(running)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object) -> None:
        return None


def fetch(request: str | urllib.request.Request) -> tuple[int, str, dict[str, str]]:
    """Status, body and headers of one request, redirects not followed."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode(), dict(error.headers)


get = fetch


def post(url: str, data: bytes) -> tuple[int, str, dict[str, str]]:
    return fetch(
        urllib.request.Request(
            url, data=data, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
    )


def eventually(check: callable, seconds: float = 60.0) -> None:
    """Poll `check` until it holds; the deadline is generous for a loaded machine, a pass returns at once."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the server did not pick up the change in time"
        time.sleep(0.05)


def test_serves_the_site_with_the_hosts_headers(server: serve.DevServer) -> None:
    status, body, headers = get(server.url + "/")
    assert status == 200 and "<h1>Welcome to Your Practice</h1>" in body
    assert re.search(
        r'<script src="/_sitegen/livereload.js" data-version="1:[0-9a-f]{16}" defer></script></head>', body
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_an_edit_is_served_after_the_rebuild(server: serve.DevServer, site: Path) -> None:
    edit(site, "pages/about.md", "Write about your practice here", "We opened in 2011")
    eventually(lambda: "We opened in 2011" in get(server.url + "/about/")[1])


def test_a_save_made_before_the_watcher_runs_is_built(site: Path) -> None:
    """The files are stamped before the first build: a save between that build and the watcher's start
    (a busy machine) is caught when the watcher starts, not lost until the next save."""
    import threading

    dev = serve.DevSite(site)
    stamp = serve._stamp(site)
    dev.rebuild()
    edit(site, "pages/about.md", "Write about your practice here", "Saved while starting")
    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(target=serve.watch, args=(dev, stop, ready, stamp), daemon=True)
    watcher.start()
    try:
        eventually(lambda: b"Saved while starting" in (dev.snapshot.files["about/index.html"].content or b""))
    finally:
        stop.set()
        watcher.join(timeout=10)


def test_a_broken_site_yaml_shows_its_error_then_the_site_comes_back(
    server: serve.DevServer, site: Path
) -> None:
    edit(site, "site.yaml", "name: Your Practice Name", "name: [Your Practice Name")
    eventually(lambda: get(server.url + "/services/")[0] == 500)
    _, body, _ = get(server.url + "/services/")
    assert "content/site.yaml:3" in body and "SG201" in body and "starts on line 2" in body
    assert "/_sitegen/livereload.js" in body  # the error page reloads itself once fixed
    edit(site, "site.yaml", "name: [Your Practice Name", "name: Fixed Practice Name")
    eventually(lambda: get(server.url + "/services/")[0] == 200)
    assert "Fixed Practice Name" in get(server.url + "/services/")[1]


def test_invited_friend_link_redirects_with_the_code(server: serve.DevServer) -> None:
    status, _, headers = get(server.url + "/r/ABC123?utm_source=sms")
    assert status == 302 and headers["Location"] == "/welcome/?ref=ABC123&utm_source=sms"
    assert get(server.url + "/old-about")[2]["Location"] == "/about/"


def test_unknown_paths_get_the_404_page_with_status_404(server: serve.DevServer) -> None:
    status, body, _ = get(server.url + "/no/such/page/")
    assert status == 404 and "We can't find that page" in body


def test_a_directory_without_its_slash_is_redirected_like_the_host(server: serve.DevServer) -> None:
    status, _, headers = get(server.url + "/about")
    assert status == 301 and headers["Location"] == "/about/"


@pytest.mark.parametrize(
    "raw_path",
    [
        "/../content/site.yaml",
        "/%2e%2e/content/site.yaml",
        "/%252e%252e/site.yaml",
        "/images/..%2f..%2fcontent%2fsite.yaml",
        "/..\\content\\site.yaml",
    ],
)
def test_refuses_paths_that_leave_the_site(server: serve.DevServer, raw_path: str) -> None:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=5)
    connection.request("GET", raw_path)
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    assert response.status == 400 and "base_url" not in body


def test_binds_only_to_the_address_asked_for(server: serve.DevServer) -> None:
    host, port = server.server_address[:2]
    assert host == "127.0.0.1"
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.2", port), timeout=2).close()


def test_a_form_post_is_stored_as_a_csv_row_outside_the_output(server: serve.DevServer, site: Path) -> None:
    status, _, headers = post(
        server.url + "/sent/", b"form-name=contact&name=Ann+Lee&email=ann%40example.com&bot-field="
    )
    assert status == 303 and headers["Location"] == "/sent/"
    with (site / ".sitegen" / "submissions" / "contact.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["name"], r["email"]) for r in rows] == [("Ann Lee", "ann@example.com")]
    assert list(rows[0]) == ["name", "email", "referrer", "created_at", "id"]
    assert not (site / "public").exists()


def test_a_post_caught_by_the_honeypot_is_not_stored(server: serve.DevServer, site: Path) -> None:
    status, _, _ = post(server.url + "/sent/", b"form-name=contact&name=Bot&bot-field=spam")
    assert status == 303  # answered as usual, so the bot learns nothing
    assert not (site / ".sitegen" / "submissions" / "contact.csv").exists()


@pytest.mark.parametrize("name", ["../../etc/x", "", "a/b", "UPPER"])
def test_a_post_with_an_unsafe_form_name_is_refused(server: serve.DevServer, site: Path, name: str) -> None:
    status, _, _ = post(server.url + "/sent/", f"form-name={name}&a=1".encode())
    assert status == 400
    assert not (site / ".sitegen" / "submissions").exists()


@pytest.mark.browser
def test_the_page_reloads_by_itself_after_a_content_edit(
    server: serve.DevServer, site: Path, page: Page
) -> None:
    page.goto(server.url + "/about/")
    expect(page.locator("h1")).to_have_text("About us")
    expect(page.locator("html")).to_have_attribute("data-sitegen-build", "1")  # connected to the server
    edit(site, "pages/about.md", "title: About us", "title: About the practice")
    expect(page.locator("h1")).to_have_text("About the practice", timeout=30_000)


def built(server: serve.DevServer, log: list[str], number: int, rebuilds: int) -> None:
    """Wait until the server has finished its `rebuilds`-th build (the first when it started counts: each
    logs "Rebuilt ...") and shown its last snapshot; that snapshot must be number `number`, no more."""
    eventually(lambda: sum(line.startswith("Rebuilt ") for line in log) >= rebuilds)
    eventually(lambda: server.site.snapshot.number >= number)
    assert server.site.snapshot.number == number
    assert sum(line.startswith("Rebuilt ") for line in log) == rebuilds, log


@pytest.mark.browser
def test_an_edit_reloads_the_tabs_whose_page_it_changed_only(
    server: serve.DevServer, server_log: list[str], site: Path, page: Page, context: BrowserContext
) -> None:
    post = context.new_page()
    post.goto(server.url + "/posts/welcome/")
    page.goto(server.url + "/about/")
    for tab in (page, post):
        expect(tab.locator("html")).to_have_attribute("data-sitegen-build", "1")  # connected to the server
        tab.evaluate("window.loadedOnce = true")  # gone if the tab reloads
    edit(site, "posts/welcome.md", "Your first post.", "Our first post.")
    expect(post.locator("main")).to_contain_text("Our first post.", timeout=30_000)  # the post's tab reloaded
    built(server, server_log, 2, rebuilds=2)
    expect(page.locator("html")).to_have_attribute("data-sitegen-build", "2")  # told of the build, and
    assert page.evaluate(
        "window.loadedOnce === true"
    )  # the about page, which did not change, stayed as it was
    assert post.evaluate("window.loadedOnce === undefined")


@pytest.mark.browser
def test_a_title_edit_shown_first_reloads_its_tab_once(
    server: serve.DevServer, server_log: list[str], site: Path, page: Page
) -> None:
    """The preview and the full build that follows make the same about page: the tab reloads for the first."""
    edit(
        site, "pages/about.md", "Write about your practice here", "We opened in 2011"
    )  # the first edit builds in full
    built(server, server_log, 2, rebuilds=2)
    page.goto(server.url + "/about/")
    expect(page.locator("html")).to_have_attribute("data-sitegen-build", "2")
    edit(site, "pages/about.md", "title: About us", "title: About the practice")
    expect(page.locator("h1")).to_have_text("About the practice", timeout=30_000)
    page.evaluate("window.loadedOnce = true")
    built(server, server_log, 4, rebuilds=3)  # one rebuild shows 3: the preview, then 4: the whole site
    expect(page.locator("html")).to_have_attribute("data-sitegen-build", "4")
    assert page.evaluate("window.loadedOnce === true")


@pytest.mark.browser
def test_a_changed_picture_reloads_the_page_that_shows_it(
    server: serve.DevServer, site: Path, page: Page
) -> None:
    """The page's bytes stay the same when a picture is replaced under the same name: its tab reloads all
    the same."""
    mark = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<rect width="10" height="10" fill="{}"/></svg>\n'
    )
    write(site, "static/images/mark.svg", mark.format("navy"))
    edit(
        site,
        "pages/about.md",
        "Write about your practice here",
        "![Our mark](/images/mark.svg) Write about your practice here",
    )
    eventually(lambda: "/images/mark.svg" in get(server.url + "/about/")[1])
    page.goto(server.url + "/about/")
    expect(page.locator("html")).to_have_attribute("data-sitegen-build", str(server.site.snapshot.number))
    with page.expect_navigation(timeout=30_000):  # the reload
        write(site, "static/images/mark.svg", mark.format("teal"))
    assert "teal" in get(server.url + "/images/mark.svg")[1]


@pytest.mark.browser
def test_a_form_posted_in_the_browser_lands_as_a_row_and_ends_on_the_thank_you_page(
    server: serve.DevServer, site: Path, page: Page
) -> None:
    (site / "templates").mkdir()
    (site / "templates" / "page.html").write_text(FORM_PAGE)
    edit(site, "pages/about.md", "title: About us", "title: Contact us")
    eventually(lambda: 'name="contact"' in get(server.url + "/about/")[1])
    page.goto(server.url + "/about/")
    page.get_by_label("Your name").fill("Ana Díaz")
    page.get_by_label("Your email").fill("ana@example.com")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(server.url + "/sent/")
    expect(page.locator("h1")).to_have_text("Thank you")
    with (site / ".sitegen" / "submissions" / "contact.csv").open(newline="", encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["name"], row["email"]) == ("Ana Díaz", "ana@example.com")
    assert row["referrer"] == server.url + "/about/"
