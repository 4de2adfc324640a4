"""The dev server's HTTP handler: strict about what it accepts, since any page open in the browser can
send it requests. A request must name this server in its Host header (DNS rebinding), carry a
well-formed Content-Length within `MAX_BODY` (never negative, never two), and every header value sent
back is free of control characters (a redirect's Location is percent-encoded: no header injection,
no non-Latin-1 text that would end the reply empty)."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from sitegen.core.artifact import Artifact
from sitegen.render import hostrules as hosting
from sitegen.serve import admin
from sitegen.serve.localforms import capture_forms
from sitegen.serve.reload import (
    EVENTS_URL,
    RELOAD_JS,
    RELOAD_SCRIPT_URL,
    error_page,
    inject_reload_script,
    page_version,
    version,
)
from sitegen.serve.snapshot import Snapshot, clean_path, file_bytes, resolve
from sitegen.serve.submissions import FORM_NAME, HONEYPOTS

REQUEST_TIMEOUT = 10  # seconds a connection may stay silent: live reload's stream only writes
MAX_BODY = 1024 * 1024  # a form post is a few hundred bytes; a file upload is not a form sitegen makes
TEXT = "text/plain; charset=utf-8"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """`host` (a Host header, maybe with a port) names this server: a local name, the --host given,
    or (when listening on every address) any IP address, which no DNS rebinding can forge."""
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 or host.startswith("[") else host
    name = name if not host.startswith("[") else host[: host.find("]") + 1]
    if name in allowed:
        return True
    if any(a in ("0.0.0.0", "::", "[::]") for a in allowed):
        return bool(re.fullmatch(r"[0-9.]+|\[[0-9a-f:.]+\]", name))
    return False


def location(target: str) -> str:
    """A redirect target as a header may carry it: printable ASCII, anything else percent-encoded."""
    return quote(target, safe="/:?#[]@!$&'()*+,;=%-._~")


def _printable(text: str) -> bool:
    return all(" " <= c <= "~" for c in text)


class Handler(BaseHTTPRequestHandler):
    server: Any  # a server.DevServer: its `site`, `stopping` and `allowed_hosts`
    protocol_version = "HTTP/1.1"
    timeout = REQUEST_TIMEOUT  # a connection that sends nothing for this long is closed (its thread ends)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def parse_request(self) -> bool:
        """The standard parsing, then the checks every request passes: a Host this server answers to
        (`allowed_hosts`: a page of another site, pointed at 127.0.0.1 by its DNS, is refused) and a
        well-formed Content-Length within the limit."""
        if not super().parse_request():
            return False
        host = (self.headers.get("Host") or "").strip().lower()
        if not host_allowed(host, self.server.allowed_hosts):
            self.close_connection = True
            self._send(HTTPStatus.MISDIRECTED_REQUEST, b"This server only answers to its own address.", TEXT)
            return False
        lengths = self.headers.get_all("Content-Length") or []
        if len(lengths) > 1 or (lengths and not re.fullmatch(r"[0-9]{1,12}", lengths[0].strip())):
            self.close_connection = True
            self._send(HTTPStatus.BAD_REQUEST, b"Bad request: Content-Length.", TEXT)
            return False
        limit = admin.MAX_API_BODY if urlsplit(self.path).path == admin.API_PATH else MAX_BODY
        if lengths and int(lengths[0]) > limit:
            self.close_connection = True  # the body is not read: the connection cannot be reused
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"Too large.", TEXT)
            return False
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self._send(HTTPStatus.NOT_IMPLEMENTED, b"Transfer-Encoding is not supported.", TEXT)
            return False
        return True

    # -- GET ------------------------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        url = urlsplit(self.path)
        path = clean_path(url.path)
        if path is None:
            return self._send(
                HTTPStatus.BAD_REQUEST, b"Bad request: the path leaves the site.", "text/plain; charset=utf-8"
            )
        if path == EVENTS_URL:
            return self._events(url.query)
        if path == RELOAD_SCRIPT_URL:
            return self._send(HTTPStatus.OK, RELOAD_JS, "text/javascript; charset=utf-8", head=head)
        if admin.is_admin(path):  # shown even when the site has an error: the editor may fix it
            status, body, kind, headers = admin.get(path, self.server.site.site_dir)
            return self._send(status, body, kind, headers, head)
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
        data = file_bytes(artifact)
        kind = mimetypes.guess_type(out_path)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/xml", "image/svg+xml"):
            kind += "; charset=utf-8"
        if out_path.endswith(".html"):  # versioned as built; its forms then post here (serve/localforms.py)
            data = inject_reload_script(
                capture_forms(data, lambda name: _thanks_page(snapshot, out_path, name)),
                version(snapshot, data, out_path),
            )
        extra = hosting.headers_for(snapshot.headers, "/" + out_path.removesuffix("index.html"))
        self._send(status, data, kind, extra, head)

    def _redirect(self, target: str, status: int) -> None:
        self.send_response(status)
        self.send_header("Location", location(target))
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
            if name.lower() not in ("cache-control", "content-type", "content-length") and _printable(
                name + value
            ):
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
        page = clean_path(dict(parse_qsl(query)).get("page", "/")) or "/"
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
        path = clean_path(url.path)
        if self.headers.get("Content-Length") is None:
            self.close_connection = True
            return self._send(HTTPStatus.LENGTH_REQUIRED, b"A post needs a Content-Length.", TEXT)
        body = self.rfile.read(int(self.headers["Content-Length"]))  # checked by `parse_request`
        if path is None:
            return self._send(HTTPStatus.BAD_REQUEST, b"Bad request", TEXT)
        if path == admin.API_PATH:
            return self._admin_post(body)
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
        if not any(dict(fields).get(trap) for trap in HONEYPOTS):  # a bot filled it: answer, store nothing
            self.server.site.store_submission(form_name, fields, self.headers.get("Referer", ""))
            self.server.site.log(
                f"Stored a submission of the {form_name} form in .sitegen/submissions/{form_name}.csv"
            )
        self._redirect(path + (f"?{url.query}" if url.query else ""), HTTPStatus.SEE_OTHER)

    def _admin_post(self, body: bytes) -> None:
        """The editor's local backend; refused unless the editor's own page sent it (serve/admin.py)."""
        h = self.headers
        why = admin.refusal(
            h.get("Host", ""), h.get("Content-Type", ""), h.get("Origin"), h.get("Sec-Fetch-Site")
        )
        if why:
            return self._send(HTTPStatus.FORBIDDEN, why.encode(), TEXT)
        status, reply = admin.post(self.server.site.site_dir, body)
        self._send(status, reply, "application/json")


def _thanks_page(snapshot: Snapshot, out_path: str, name: str) -> str:
    """The thank-you page of form `name` in the language of the page at `out_path` (/es/thanks/...)."""
    first = out_path.split("/", 1)[0]
    for candidate in (f"/{first}/thanks/{name}/", f"/thanks/{name}/"):
        kind, found = resolve(snapshot, candidate, "")
        if kind == "file" and found[2] == HTTPStatus.OK:
            return candidate
    return f"/thanks/{name}/"
