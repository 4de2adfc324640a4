"""README claims about `sitegen serve` checked as a user meets them: the command line (`--open`, `--host`,
the default port, `--drafts`), what is watched (templates/ and themes/ on their own) and which tabs reload
(a style sheet reloads every open tab), and `netlify.toml` as the README describes it."""

from __future__ import annotations

import os
import queue
import re
import shlex
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sitefactory import make_site, write

from sitegen.serve import server as serve

REPO_ROOT = Path(__file__).resolve().parent.parent
CHILD_THEME = {
    "themes/child/theme.yaml": "name: child\nextends: default\nstylesheets: [css/child.css]\n",
    "themes/child/static/css/child.css": "h1 { letter-spacing: 0; }\n",
    "themes/child/templates/page.html": (
        '{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1><p class="mark">first</p>'
        "{% endblock %}\n"
    ),
}
DRAFT = "---\ntitle: Coming soon\ndate: 2026-02-01\nsummary: Soon.\ndraft: true\n---\nText.\n"


def eventually(check: Callable[[], bool], seconds: float = 60.0) -> None:
    """Poll `check` until it holds; generous for a loaded machine, a pass returns at once."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        time.sleep(0.05)


def status_and_body(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


class Cli:
    """`sitegen serve` run as a user runs it, in its own process; its log lines as they come."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        command = [sys.executable, "-m", "sitegen", "serve", *args]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("")  # the process ended

    def wait_for(self, pattern: str, seconds: float = 120.0) -> re.Match[str]:
        """The first log line matching `pattern`; fails when the process ends or the deadline passes."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no line matched {pattern!r} in time; the log:\n" + "\n".join(self.seen))
            if line == "" and self.process.poll() is not None:
                pytest.fail(f"sitegen serve ended before {pattern!r}; the log:\n" + "\n".join(self.seen))
            self.seen.append(line)
            if found := re.search(pattern, line):
                return found

    def url(self) -> str:
        return self.wait_for(r"Serving .* at (http://\S+?)/ ").group(1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.fixture
def cli() -> Iterator[Callable[..., Cli]]:
    started: list[Cli] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Cli:
        started.append(Cli(list(args), env))
        return started[-1]

    yield start
    for running in started:
        running.stop()


def test_serve_listens_on_port_8000_of_this_computer_by_default(site: Path, cli: Callable[..., Cli]) -> None:
    running = cli(str(site))
    # another program may hold port 8000 here: the error names the port then, which proves the default too
    found = running.wait_for(r"Serving .* at (http://127\.0\.0\.1:8000)/ |cannot listen on 127\.0\.0\.1:8000")
    if found.group(1):
        assert status_and_body(found.group(1) + "/about/")[0] == 200


def test_serve_host_listens_on_that_address_only(site: Path, cli: Callable[..., Cli]) -> None:
    url = cli(str(site), "--host", "127.0.0.2", "--port", "0").url()
    assert url.startswith("http://127.0.0.2:")
    assert status_and_body(url + "/about/")[0] == 200
    port = int(url.rsplit(":", 1)[1])
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_serve_open_opens_the_preview_in_the_web_browser(
    site: Path, tmp_path: Path, cli: Callable[..., Cli]
) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf %s "$1" > {shlex.quote(str(opened))}\n')
    browser.chmod(0o755)
    env = {**os.environ, "BROWSER": f"{browser} %s"}  # what Python's webbrowser runs, on every platform
    url = cli(str(site), "--port", "0", "--open", env=env).url()
    eventually(lambda: opened.is_file() and opened.read_text() == url + "/")


def test_serve_without_open_opens_no_browser(site: Path, tmp_path: Path, cli: Callable[..., Cli]) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf %s "$1" > {shlex.quote(str(opened))}\n')
    browser.chmod(0o755)
    url = cli(str(site), "--port", "0", env={**os.environ, "BROWSER": f"{browser} %s"}).url()
    assert status_and_body(url + "/")[0] == 200  # serving, and nothing was opened
    assert not opened.exists()


def test_serve_drafts_shows_draft_documents_and_only_with_the_flag(
    site: Path, cli: Callable[..., Cli]
) -> None:
    write(site, "posts/coming.md", DRAFT)
    with_drafts = cli(str(site), "--port", "0", "--drafts").url()
    without = cli(str(site), "--port", "0").url()
    status, body = status_and_body(with_drafts + "/posts/coming/")
    assert status == 200 and "Coming soon" in body
    assert status_and_body(without + "/posts/coming/")[0] == 404


@pytest.fixture
def server(site: Path) -> Iterator[serve.DevServer]:
    for rel, text in CHILD_THEME.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    site_yaml = site / "content" / "site.yaml"
    site_yaml.write_text("theme: child\n" + site_yaml.read_text(encoding="utf-8"), encoding="utf-8")
    running = serve.start(site, "127.0.0.1", 0)
    yield running
    serve.stop(running)


def test_a_save_in_templates_alone_is_picked_up(server: serve.DevServer, site: Path) -> None:
    """templates/ does not exist when the server starts: creating it and a template is enough."""
    (site / "templates").mkdir()
    (site / "templates" / "page.html").write_text(
        '{% extends "base.html" %}{% block main %}<p class="mark">from templates/</p>{% endblock %}\n'
    )
    eventually(lambda: "from templates/" in status_and_body(server.url + "/about/")[1])


def test_a_save_in_themes_alone_is_picked_up(server: serve.DevServer, site: Path) -> None:
    assert '<p class="mark">first</p>' in status_and_body(server.url + "/about/")[1]
    template = site / "themes" / "child" / "templates" / "page.html"
    template.write_text(template.read_text().replace(">first<", ">second<"))
    eventually(lambda: '<p class="mark">second</p>' in status_and_body(server.url + "/about/")[1])


@pytest.mark.browser
def test_a_changed_style_sheet_reloads_every_open_tab(
    server: serve.DevServer, site: Path, page: Page, context: BrowserContext
) -> None:
    post = context.new_page()
    post.goto(server.url + "/posts/welcome/")
    page.goto(server.url + "/about/")
    for tab in (page, post):
        expect(tab.locator("html")).to_have_attribute("data-sitegen-build", "1")  # connected to the server
        tab.evaluate("window.loadedOnce = true")  # gone if the tab reloads
    (site / "themes" / "child" / "static" / "css" / "child.css").write_text("h1 { letter-spacing: 2px; }\n")
    for tab in (page, post):
        expect(tab.locator("h1").first).to_have_css("letter-spacing", "2px")
        assert tab.evaluate("window.loadedOnce === undefined"), tab.url


def test_netlify_toml_builds_and_publishes_as_the_readme_says() -> None:
    config = tomllib.loads((REPO_ROOT / "netlify.toml").read_text(encoding="utf-8"))
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    command, publish = config["build"]["command"], config["build"]["publish"]
    assert f"runs `{command}`" in readme and f"publishes `{publish}/`" in readme
    assert command == "pip install . && sitegen build" and publish == "public"  # the default --out
    python = config["build"]["environment"]["PYTHON_VERSION"]
    assert f"on Python {python}" in readme
    assert [p["package"] for p in config["plugins"]] == ["netlify-plugin-cache"]
    assert set(config["plugins"][0]["inputs"]["paths"]) == {".sitegen/cache", "public"}
