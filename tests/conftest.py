"""Shared fixtures: the system Chromium for pytest-playwright, the demo site built once, and a local server.

Browser tests use Debian's ``/usr/bin/chromium`` (installed by ``tests/run``); ``playwright install`` is
never needed. Nothing here talks to any host other than 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from playwright.sync_api import Browser, BrowserContext, expect

# Playwright's expect() polls until its condition holds; 5 s by default is short on a loaded 2-core machine.
expect.set_options(timeout=20_000)

# Property tests draw the same examples on every run (and in CI, where CI=true): a failure is reproducible.
# `HYPOTHESIS_PROFILE=explore pytest tests/test_properties.py` draws new random examples to hunt for bugs.
settings.register_profile("fixed", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, database=None, print_blob=True)
settings.load_profile("fixed" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

pytest_plugins = ["browser_guard"]  # a test that starts Chromium must be marked `browser`

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def tree_cpu_seconds(root: int) -> float:
    """CPU time (user + system) of process ``root`` and every process under it: the live ones' own time
    and what each has collected from children it waited for (Chromium under Playwright's driver, Java)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, int]] = {}  # pid -> (parent, ticks of it and its waited-for children)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as file:
                fields = file.read().rsplit(b")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        stats[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, (0, 0))[1]
        todo += children.get(pid, [])
    return total / ticks


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    """With SITEGEN_TEST_TIMES=<file>, one line per test (set-up, call and tear-down) is appended to it:
    ``wall seconds<TAB>CPU seconds of this pytest process and its children<TAB>test id``."""
    log = os.environ.get("SITEGEN_TEST_TIMES")
    if not log:
        yield
        return
    wall, cpu = time.perf_counter(), tree_cpu_seconds(os.getpid())
    yield
    line = f"{time.perf_counter() - wall:.3f}\t{tree_cpu_seconds(os.getpid()) - cpu:.3f}\t{item.nodeid}\n"
    with open(log, "a", encoding="utf-8") as file:
        file.write(line)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright override: launch the system Chromium (keeps --headed/--slowmo from the CLI)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's demo practice, built once per session with the real CLI; the output folder."""
    out = tmp_path_factory.mktemp("demo-site")
    cmd = [sys.executable, "-m", "sitegen", "build", str(REPO_ROOT), "--out", str(out)]
    try:
        subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)
    except subprocess.CalledProcessError as exc:
        pytest.fail(
            f"building the demo site failed (exit {exc.returncode}): {' '.join(cmd)}\n"
            f"--- stderr ---\n{exc.stderr}\n--- stdout ---\n{exc.stdout}",
            pytrace=False,
        )
    return out


class StaticSiteHandler(SimpleHTTPRequestHandler):
    """Serves one folder like a static host: ``404.html`` with status 404, no directory listings."""

    protocol_version = "HTTP/1.1"
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".mjs": "text/javascript; charset=utf-8",
        ".json": "application/json",
        ".webmanifest": "application/manifest+json",
        ".xml": "application/xml",
        ".txt": "text/plain; charset=utf-8",
        ".svg": "image/svg+xml",
        ".webp": "image/webp",
        ".avif": "image/avif",
        ".ico": "image/x-icon",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".pdf": "application/pdf",
        ".vcf": "text/vcard",
        ".ics": "text/calendar",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def list_directory(self, path: str | Any) -> None:
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class QuietThreadingHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser closing a keep-alive connection is not an error of the site.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serving(directory: Path) -> Iterator[str]:
    """A built site served on 127.0.0.1 (a free port) from a background thread, as a plain static host
    would, without the site's `_headers` (test_demo_quality.hosting applies them); the base URL."""
    server = QuietThreadingHTTPServer(("127.0.0.1", 0), partial(StaticSiteHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, name=f"serving {directory.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_server(demo_site: Path) -> Iterator[str]:
    """``demo_site`` served (see `serving`); the base URL."""
    with serving(demo_site) as base:
        yield base


@pytest.fixture
def new_context(browser: Browser, site_server: str) -> Iterator[Callable[..., BrowserContext]]:
    """Factory for browser contexts on the demo server; all are closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        context = browser.new_context(base_url=site_server, **options)  # type: ignore[arg-type]
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def base_url(site_server: str) -> str:
    """pytest-playwright override: ``page.goto("/refer/")`` opens the served demo site."""
    return site_server
