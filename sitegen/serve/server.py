"""`sitegen serve`: build, serve from memory, rebuild on save, reload the browser, catch form posts.

A stdlib threading HTTP server serves the last good build straight from memory, so nothing is written
to public/ while editing. It behaves like the static host: `_redirects` and `_headers` are applied,
unknown paths get 404.html with status 404, and paths that try to leave the site are refused.

Live reload is a same-origin script plus Server-Sent Events, not python-livereload: that package
injects an inline `<script>`, which the strict Content-Security-Policy of a sitegen site forbids, and
reloads on every file event (MkDocs left it over rebuild storms). File events come from `watchfiles`,
which batches a burst of saves into one rebuild. Each tab is told the version of its own page after
each build and reloads only when that changed (`page_version`): an edit of one post leaves a tab on
another page alone, and an edit shown first as a preview reloads its page once.
"""

from __future__ import annotations

import csv
import hashlib
import html
import mimetypes
import posixpath
import re
import threading
import time
import uuid
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from sitegen.build.pipeline import BuildOptions, BuildResult, Mode, Session, render_site
from sitegen.checks import PageFacts
from sitegen.core.artifact import Artifact
from sitegen.core.errors import ContentError, Diagnostic, Severity, SitegenError
from sitegen.incremental import gcpolicy
from sitegen.incremental.cache import BuildCache
from sitegen.incremental.manifest import edited_since, input_roots
from sitegen.incremental.stores import memory_store
from sitegen.render import hostrules as hosting

RELOAD_SCRIPT_URL = "/_sitegen/livereload.js"
EVENTS_URL = "/_sitegen/events"
FORM_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
HONEYPOT = "bot-field"
WATCHED = ("content", "templates", "themes")

RELOAD_JS = b"""// sitegen serve: reload the page when a build has changed it (see `page_version`).
(function () {
  "use strict";
  var script = document.currentScript;
  var seen = script ? script.getAttribute("data-version") : null;  // "build:hash" of this page as served
  var source = new EventSource("/_sitegen/events?page=" + encodeURIComponent(window.location.pathname));
  source.onmessage = function (event) {
    var now = event.data.split(":");
    var was = seen ? seen.split(":") : now;
    // another build that changed this page (both differ: never a reload loop, whatever the hashes)
    if (now[0] !== was[0] && now[1] !== was[1]) { window.location.reload(); return; }
    seen = event.data;
    document.documentElement.setAttribute("data-sitegen-build", now[0]);
  };
})();
"""
# what else a page loads, besides itself: a change to one of these reloads every page
PAGE_ASSETS = (
    ".css",
    ".js",
    ".png",
    ".jpg",
    ".jpeg",
    ".webp",
    ".avif",
    ".gif",
    ".svg",
    ".ico",
    ".woff",
    ".woff2",
)


@dataclass
class Snapshot:
    """One build as the server sees it: files by output path, or the problems that stopped it."""

    number: int
    files: dict[str, Artifact] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    error: str = ""
    redirects: list[hosting.Redirect] = field(default_factory=list)
    headers: list = field(default_factory=list)
    seconds: float = 0.0
    _assets: str | None = field(default=None, repr=False)  # `assets_digest`, found once

    def assets_digest(self) -> str:
        """A hash of the files pages load (style sheets, scripts, pictures, fonts: `PAGE_ASSETS`), as
        built."""
        if self._assets is None:
            h = hashlib.blake2b(digest_size=8)
            for out_path in sorted(p for p in self.files if p.endswith(PAGE_ASSETS)):
                artifact = self.files[out_path]
                if artifact.content is not None:
                    h.update(
                        out_path.encode() + b"=" + hashlib.blake2b(artifact.content, digest_size=8).digest()
                    )
                else:  # a file copied as it is (a photo of content/static/): its size and time
                    st = artifact.copy_from.stat()  # type: ignore[union-attr]
                    h.update(f"{out_path}={st.st_size}:{st.st_mtime_ns}".encode())
            self._assets = h.hexdigest()
        return self._assets

    @classmethod
    def from_result(cls, number: int, result: BuildResult) -> Snapshot:
        files = {a.out_path: a for a in result.artifacts}
        return cls(
            number,
            files,
            redirects=hosting.parse_redirects(_text(files.get("_redirects"))),
            headers=hosting.parse_headers(_text(files.get("_headers"))),
            seconds=result.seconds,
        )


def _text(artifact: Artifact | None) -> str:
    return _bytes(artifact).decode("utf-8", "replace") if artifact is not None else ""


class DevSite:
    """The site being edited: rebuilds on demand and tells waiting browsers when a build is done."""

    def __init__(self, site_dir: Path, *, drafts: bool = False, log: Callable[[str], None] = lambda _: None):
        self.site_dir = site_dir
        self.drafts = drafts
        self.log = log
        # the same build cache as `sitegen build`: documents from .sitegen/cache, pages kept in memory
        self.session = Session(cache=BuildCache.open(site_dir))
        self.session.page_facts = PageFacts()
        self.snapshot = Snapshot(0)
        # the input files of the last good build, with their hashes, and its day (campaigns start and end by
        # date)
        self.built_from: tuple[dict[str, list], date] | None = None
        self.changed = threading.Condition()
        self.submissions_dir = site_dir / ".sitegen" / "submissions"

    def rebuild(self, progress: Callable[[str, int, int], None] | None = None) -> Snapshot:
        """Build again and show the result. When only texts changed, the pages are shown as soon as they
        are rendered and the whole-site checks run right after (see `render_site`'s `check_later`): a
        problem they find replaces the pages with the error page a moment later. When a document's
        title, date, topics or other fields changed, its pages are shown from the last site with the
        new document in place, then the site is built in full and shown again (`render_site`'s `preview`)."""
        started = time.perf_counter()
        try:
            snapshot = self._build(started, progress)
            if snapshot is not None:
                self._publish(snapshot)
        finally:
            # documents.load_all froze the loaded site out of garbage collection; collected now, once the
            # pages are shown, so that no full collection (0.6 s at 10,000 documents) falls in the next
            # rebuild
            gcpolicy.release()
        return self.snapshot

    def _build(self, started: float, progress: Callable[[str, int, int], None] | None) -> Snapshot | None:
        """The next snapshot, or None when it was shown already (only texts changed and the checks found
        nothing)."""
        session = self.session
        number = self.snapshot.number + 1
        try:
            session.cache.start_build()
            inputs, today = session.cache.scan(input_roots(self.site_dir)), date.today()
            last = self.built_from if self.built_from and self.built_from[1] == today else None
            edited = edited_since(last[0] if last else None, inputs)

            def rendered(preview: bool, pages: dict[str, Any], artifacts: dict[str, Artifact]) -> BuildResult:
                # over every core while this process runs no other thread: the first build, before the server
                # starts (parallel.usable_jobs); a save's rebuild renders in this process
                options = BuildOptions(drafts=self.drafts, today=today, jobs=None, progress=progress)
                mode = Mode(
                    pages,
                    memory_store(artifacts),
                    session.page_facts,
                    edited,
                    show_first=True,
                    preview=preview,
                )
                return render_site(self.site_dir, options, mode, session)

            result = rendered(True, session.pages, session.artifacts)
            shown, rendered_first = "", []
            if result.preview:  # a title or a date changed: the edited pages first, then the whole site
                if any(d.severity is Severity.ERROR for d in result.diagnostics):  # not shown, nor built upon
                    result = rendered(False, session.pages, session.artifacts)
                else:
                    self._publish(Snapshot.from_result(number, result))
                    number += 1
                    shown = f", the edited pages shown after {time.perf_counter() - started:.2f}s"
                    # a page the preview rendered is kept when the whole site gives it the same context
                    rendered_first = result.rendered_pages
                    result = rendered(False, result.records, {a.out_path: a for a in result.artifacts})
            if result.checks_pending is not None:
                self._publish(Snapshot.from_result(number, result))
                number += 1
                result.diagnostics = result.checks_pending()
            session.pages, session.artifacts = result.records, {a.out_path: a for a in result.artifacts}
            session.structure = result.structure
            self.built_from = (inputs, today)
            session.page_facts = session.page_facts.following()
            if session.cache.notice:
                self.log(f"notice: {session.cache.notice}")
                session.cache.notice = ""
            session.cache.save_documents()
            for warning in result.diagnostics:
                self.log(warning.format())
            checked = (
                f", checked after {time.perf_counter() - started:.2f}s" if result.checks_pending else shown
            )
            rendered_now = len(set(rendered_first) | set(result.rendered_pages))
            seconds = (
                time.perf_counter() - started if shown else result.seconds
            )  # the preview's time counted in
            self.log(
                f"Rebuilt {result.page_count} pages in {seconds:.2f}s{checked} "
                f"({rendered_now} rendered, {result.page_count - rendered_now} unchanged)."
            )
            return None if result.checks_pending else Snapshot.from_result(number, result)
        except ContentError as exc:
            self.log(exc.format_message())
            return Snapshot(number, problems=exc.diagnostics, error=exc.message)
        except SitegenError as exc:
            snapshot = Snapshot(number, error=exc.format_message())
            self.log(snapshot.error)
            return snapshot

    def _publish(self, snapshot: Snapshot) -> None:
        with self.changed:
            self.snapshot = snapshot
            self.changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.snapshot.number != seen, timeout=timeout)
            return self.snapshot.number

    def store_submission(self, form_name: str, fields: list[tuple[str, str]], referrer: str) -> Path:
        """Append one row to .sitegen/submissions/<form>.csv, columns as in the hosted service's export:
        the form's fields in the order they were sent, then `referrer`, `created_at` and `id`."""
        self.submissions_dir.mkdir(parents=True, exist_ok=True)
        target = self.submissions_dir / f"{form_name}.csv"
        row = {name: value for name, value in fields if name not in ("form-name", HONEYPOT)}
        row.update(
            referrer=referrer,
            created_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            id=uuid.uuid4().hex[:24],
        )
        columns = list(row)
        existing: list[dict[str, str]] = []
        if target.exists():
            with target.open(newline="", encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                existing = list(reader)
                old = [c for c in (reader.fieldnames or []) if c not in ("referrer", "created_at", "id")]
                columns = old + [c for c in columns if c not in old]
        columns = [c for c in columns if c not in ("referrer", "created_at", "id")] + [
            "referrer",
            "created_at",
            "id",
        ]
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, restval="")
            writer.writeheader()
            writer.writerows(existing + [row])
        return target


class Handler(BaseHTTPRequestHandler):
    server: DevServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    # -- GET ------------------------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        url = urlsplit(self.path)
        path = _clean_path(url.path)
        if path is None:
            return self._send(
                HTTPStatus.BAD_REQUEST, b"Bad request: the path leaves the site.", "text/plain; charset=utf-8"
            )
        if path == EVENTS_URL:
            return self._events(url.query)
        if path == RELOAD_SCRIPT_URL:
            return self._send(HTTPStatus.OK, RELOAD_JS, "text/javascript; charset=utf-8", head=head)
        snapshot = self.server.site.snapshot
        if snapshot.error:
            return self._send(
                HTTPStatus.INTERNAL_SERVER_ERROR, error_page(snapshot), "text/html; charset=utf-8", head=head
            )
        self._serve_site(snapshot, path, url.query, head)

    def _serve_site(self, snapshot: Snapshot, path: str, query: str, head: bool) -> None:
        kind, found = resolve(snapshot, path, query)
        if kind == "redirect":
            return self._redirect(*found)
        if kind == "none":
            return self._send(HTTPStatus.NOT_FOUND, b"Not found", "text/plain; charset=utf-8", head=head)
        self._send_artifact(snapshot, *found, head)

    def _send_artifact(
        self, snapshot: Snapshot, artifact: Artifact, out_path: str, status: int, head: bool
    ) -> None:
        data = _bytes(artifact)
        kind = mimetypes.guess_type(out_path)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/xml", "image/svg+xml"):
            kind += "; charset=utf-8"
        if out_path.endswith(".html"):
            data = inject_reload_script(data, _version(snapshot, data, out_path))
        extra = hosting.headers_for(snapshot.headers, "/" + out_path.removesuffix("index.html"))
        self._send(status, data, kind, extra, head)

    def _redirect(self, target: str, status: int) -> None:
        self.send_response(status)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(
        self, status: int, body: bytes, kind: str, headers: Iterable[tuple[str, str]] = (), head: bool = False
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            if name.lower() not in ("cache-control", "content-type", "content-length"):
                self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, query: str) -> None:
        """Server-Sent Events: the version of the page the browser shows (`page_version`) now, then
        again after each build; the page reloads itself when the build changed it."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        site = self.server.site
        page = _clean_path(dict(parse_qsl(query)).get("page", "/")) or "/"
        seen = site.snapshot.number
        try:
            self.wfile.write(f"retry: 500\ndata: {page_version(site.snapshot, page)}\n\n".encode())
            self.wfile.flush()
            while not self.server.stopping.is_set():
                number = site.wait_for_change(seen, timeout=0.5)
                if number != seen:
                    seen = number
                    self.wfile.write(f"data: {page_version(site.snapshot, page)}\n\n".encode())
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    # -- POST: the local form service -------------------------------------------------------------
    def do_POST(self) -> None:
        url = urlsplit(self.path)
        path = _clean_path(url.path)
        length = int(self.headers.get("Content-Length") or 0)
        if path is None or length > 8 * 1024 * 1024:
            return self._send(HTTPStatus.BAD_REQUEST, b"Bad request", "text/plain; charset=utf-8")
        body = self.rfile.read(length)
        kind = self.headers.get("Content-Type", "").split(";")[0].strip()
        if kind != "application/x-www-form-urlencoded":
            return self._send(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                b"Forms must be posted URL-encoded.",
                "text/plain; charset=utf-8",
            )
        fields = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        form_name = dict(fields).get("form-name", "")
        if not FORM_NAME.match(form_name):
            return self._send(
                HTTPStatus.BAD_REQUEST,
                b"A form post needs a form-name field (letters, digits, - and _).",
                "text/plain; charset=utf-8",
            )
        if not dict(fields).get(HONEYPOT):  # a bot filled the hidden field: answer as usual, store nothing
            self.server.site.store_submission(form_name, fields, self.headers.get("Referer", ""))
            self.server.site.log(
                f"Stored a submission of the {form_name} form in .sitegen/submissions/{form_name}.csv"
            )
        self._redirect(path + (f"?{url.query}" if url.query else ""), HTTPStatus.SEE_OTHER)


def _clean_path(raw: str) -> str | None:
    """The decoded URL path, or None when it tries to climb out of the site (also when encoded)."""
    path = unquote(raw)
    for _ in range(2):  # a doubly encoded %252e%252e is decoded too
        if "%" not in path:
            break
        path = unquote(path)
    if "\\" in path or "\x00" in path or not path.startswith("/"):
        return None
    if any(part in ("..", ".") for part in path.split("/")):
        return None
    normal = posixpath.normpath(path)
    return normal + ("/" if path.endswith("/") and normal != "/" else "")


def _find(files: dict[str, Artifact], path: str) -> tuple[Artifact | None, str]:
    key = path.lstrip("/")
    if not key or key.endswith("/"):
        key += "index.html"
        return files.get(key), key
    if key in files:
        return files[key], key
    if key + "/index.html" in files:
        return None, "redirect"
    return None, key


def resolve(snapshot: Snapshot, path: str, query: str) -> tuple[str, Any]:
    """What the static host answers for `path`, as `snapshot` has it: ("file", (artifact, output path,
    status)) (a page, a file, a rewrite rule's target, or 404.html), ("redirect", (location, status))
    or ("none", None)."""
    artifact, out_path = _find(snapshot.files, path)
    for rule in snapshot.redirects:  # the first matching rule wins; an existing file shadows unforced rules
        if artifact is not None and not rule.force:
            continue
        values = rule.match(path)
        if values is None:
            continue
        target = rule.destination(values, query)
        if rule.status in (301, 302, 303, 307, 308) or hosting.is_external(target):
            return "redirect", (target, rule.status)
        rewritten, rewritten_path = _find(snapshot.files, _clean_path(urlsplit(target).path) or "/")
        if rewritten is not None:
            return "file", (rewritten, rewritten_path, rule.status)
    if artifact is None and out_path == "redirect":
        return "redirect", (path + "/" + (f"?{query}" if query else ""), 301)
    if artifact is None:
        missing = snapshot.files.get("404.html")
        return ("file", (missing, "404.html", 404)) if missing is not None else ("none", None)
    return "file", (artifact, out_path, 200)


def page_version(snapshot: Snapshot, path: str) -> str:
    """ "build:hash" of what a browser showing `path` was served: the page's bytes, its headers and the
    files pages load (or the error page). An open tab reloads when a build changes its own version,
    not after every build: an edit of one post leaves the other pages' tabs alone, and a title edit
    shown first as a preview reloads it once when the full build leaves the page as the preview had it."""
    if snapshot.error:
        return _version(snapshot, _error_body(snapshot))
    kind, found = resolve(snapshot, path, "")
    if kind != "file":
        return f"{snapshot.number}:{kind}"
    artifact, out_path, _ = found
    return _version(snapshot, _bytes(artifact), out_path)


def _version(snapshot: Snapshot, data: bytes, out_path: str = "") -> str:
    h = hashlib.blake2b(data, digest_size=8)
    h.update(snapshot.assets_digest().encode())
    h.update(repr(hosting.headers_for(snapshot.headers, "/" + out_path.removesuffix("index.html"))).encode())
    return f"{snapshot.number}:{h.hexdigest()}"


def _bytes(artifact: Artifact) -> bytes:
    return artifact.content if artifact.content is not None else artifact.copy_from.read_bytes()  # type: ignore[union-attr]


def inject_reload_script(page: bytes, version: str) -> bytes:
    tag = f'<script src="{RELOAD_SCRIPT_URL}" data-version="{version}" defer></script>'.encode()
    return page.replace(b"</head>", tag + b"</head>", 1) if b"</head>" in page else page + tag


def error_page(snapshot: Snapshot) -> bytes:
    body = _error_body(snapshot)
    return inject_reload_script(body, _version(snapshot, body))


def _error_body(snapshot: Snapshot) -> bytes:
    items = (
        "".join(
            f"<li><p><strong>{html.escape(str(d.location))}</strong>: {html.escape(d.severity.value)} "
            f"[{html.escape(d.code)}] {html.escape(d.message)}</p>"
            + (f"<p class=hint>{html.escape(d.hint)}</p>" if d.hint else "")
            + "</li>"
            for d in snapshot.problems
        )
        or f"<li><p>{html.escape(snapshot.error)}</p></li>"
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Build error · sitegen</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>The site could not be built</h1>
<p>Fix the problems below and save: this page reloads by itself when the site builds again.</p>
<ol>{items}</ol><p>{html.escape(snapshot.error if snapshot.problems else "")}</p></main></body></html>
"""
    return page.encode()


class DevServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: DevSite, host: str, port: int):
        self.site = site
        self.stopping = threading.Event()
        super().__init__((host, port), Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def watch(
    site: DevSite, stop: threading.Event, ready: threading.Event, stamp: tuple[int, int] | None = None
) -> None:
    """Rebuild after every batch of saved files until `stop` is set; `ready` once watching.

    The whole site folder is watched, filtered to content/, templates/ and themes/, so a templates/
    folder created while the server runs is picked up too. `stamp` is the files as the last build
    saw them (`_stamp`): a save made before the watcher started is caught when it starts.
    """
    import watchfiles

    root = site.site_dir.resolve()
    watched = tuple(str(root / name) for name in WATCHED)

    def relevant(change: object, path: str) -> bool:
        return (
            path.startswith(watched) and not Path(path).name.startswith((".", "~")) and not path.endswith("~")
        )

    stamp = stamp or _stamp(site.site_dir)
    for changes in watchfiles.watch(
        root,
        watch_filter=relevant,
        stop_event=stop,
        debounce=400,
        step=30,
        rust_timeout=300,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        if not ready.is_set():
            ready.set()
            if _stamp(site.site_dir) != stamp:  # saved while the watcher was starting
                site.rebuild()
        if changes:
            site.rebuild()


def _stamp(site_dir: Path) -> tuple[int, int]:
    files = [f for name in WATCHED for f in (site_dir / name).rglob("*") if f.is_file()]
    return len(files), max((f.stat().st_mtime_ns for f in files), default=0)


def start(
    site_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    drafts: bool = False,
    log: Callable[[str], None] = lambda _: None,
    progress: Callable[[str, int, int], None] | None = None,
) -> DevServer:
    """Build, then serve and watch in background threads; `stop()` the returned server to end.
    `progress(stage, done, total)` is told how far the first build is (a large site takes a while)."""
    site = DevSite(site_dir, drafts=drafts, log=log)
    stamp = _stamp(
        site_dir
    )  # before the first build: a save from here on, even before the watcher runs, is rebuilt
    site.rebuild(progress)
    server = DevServer(site, host, port)
    ready = threading.Event()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    threading.Thread(target=watch, args=(site, server.stopping, ready, stamp), daemon=True).start()
    ready.wait(timeout=10)
    return server


def stop(server: DevServer) -> None:
    server.stopping.set()
    server.shutdown()
    server.server_close()


def run(
    site_dir: Path,
    host: str,
    port: int,
    *,
    drafts: bool,
    open_browser: bool,
    log: Callable[[str], None],
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    log(f"Building {site_dir} ...")
    server = start(site_dir, host, port, drafts=drafts, log=log, progress=progress)
    log(
        f"Serving {site_dir} at {server.url}/ (Ctrl+C to stop). Form posts are saved in "
        f"{site_dir / '.sitegen' / 'submissions'}/."
    )
    if open_browser:
        webbrowser.open(server.url + "/")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        log("Stopped.")
    finally:
        stop(server)
