"""Live reload: a same-origin script plus Server-Sent Events (a strict Content-Security-Policy forbids an
inline script). Each tab is told the version of its own page after each build and reloads only when that
changed (`page_version`); the error page that replaces every page while the content has a mistake."""

from __future__ import annotations

import hashlib
import html

from sitegen.render import hostrules as hosting
from sitegen.serve.snapshot import Snapshot, file_bytes, resolve

RELOAD_SCRIPT_URL = "/_sitegen/livereload.js"
EVENTS_URL = "/_sitegen/events"

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


def page_version(snapshot: Snapshot, path: str) -> str:
    """ "build:hash" of what a browser showing `path` was served: the page's bytes, its headers and the
    files pages load (or the error page). An open tab reloads when a build changes its own version,
    not after every build: an edit of one post leaves the other pages' tabs alone, and a title edit
    shown first as a preview reloads it once when the full build leaves the page as the preview had it."""
    if snapshot.error:
        return version(snapshot, _error_body(snapshot))
    kind, found = resolve(snapshot, path, "")
    if kind != "file":
        return f"{snapshot.number}:{kind}"
    artifact, out_path, _ = found
    return version(snapshot, file_bytes(artifact), out_path)


def version(snapshot: Snapshot, data: bytes, out_path: str = "") -> str:
    h = hashlib.blake2b(data, digest_size=8)
    h.update(snapshot.assets_digest().encode())
    h.update(repr(hosting.headers_for(snapshot.headers, "/" + out_path.removesuffix("index.html"))).encode())
    return f"{snapshot.number}:{h.hexdigest()}"


def inject_reload_script(page: bytes, version: str) -> bytes:
    tag = f'<script src="{RELOAD_SCRIPT_URL}" data-version="{version}" defer></script>'.encode()
    return page.replace(b"</head>", tag + b"</head>", 1) if b"</head>" in page else page + tag


def error_page(snapshot: Snapshot) -> bytes:
    body = _error_body(snapshot)
    return inject_reload_script(body, version(snapshot, body))


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
