"""/admin/ in the dev server: the editor's page, its generated configuration, its bundle, and the
local backend it saves through (`sitegen.admin.backend`); saved files land in content/ and rebuild.

`post` answers only the editor's own page: `refusal` names why a request is refused (not a JSON post,
another origin); the Host allow-list of http.py comes first. Why: docs/editor.md, docs/security.md.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from pathlib import Path

from sitegen.admin.backend import answer
from sitegen.admin.config import API_PATH, editor_config
from sitegen.admin.page import ADMIN_URL, admin_file, content_security_policy
from sitegen.content.loader import load_config
from sitegen.core.errors import Diagnostics

MAX_API_BODY = 32 * 1024 * 1024  # an uploaded photo, base64-encoded
HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".yml": "text/yaml; charset=utf-8",
    ".wasm": "application/wasm",
}


def is_admin(path: str) -> bool:
    return path == ADMIN_URL.rstrip("/") or path.startswith(ADMIN_URL)


def languages(site_dir: Path) -> list[str]:
    """The site's languages as site.yaml says now (["en"] while it cannot be read: the editor may fix it)."""
    config = load_config(site_dir, Diagnostics())  # its problems are the build's to report
    return list(config.languages) if config is not None and config.languages else ["en"]


def get(path: str, site_dir: Path) -> tuple[int, bytes, str, tuple[tuple[str, str], ...]]:
    """(status, body, content type, headers) of a GET under /admin/."""
    headers = (("Content-Security-Policy", content_security_policy()), *HEADERS)
    if path == ADMIN_URL.rstrip("/"):
        return HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", (("Location", ADMIN_URL), *headers)
    name = path.removeprefix(ADMIN_URL)
    body = admin_file(name, editor_config(languages=languages(site_dir)) if name == "config.yml" else {})
    if body is None:
        return HTTPStatus.NOT_FOUND, b"Not found", "text/plain; charset=utf-8", headers
    kind = TYPES.get(Path(name).suffix, "text/plain; charset=utf-8") if name else "text/html; charset=utf-8"
    if name == "index.html":
        kind = "text/html; charset=utf-8"
    return HTTPStatus.OK, body, kind, headers


def refusal(host: str, content_type: str, origin: str | None, fetch_site: str | None) -> str:
    """Why a post to the backend is refused ("" when it is not)."""
    if content_type.split(";")[0].strip() != "application/json":
        return "the editor's requests are JSON"
    if origin is not None and origin not in (f"http://{host}", f"https://{host}"):
        return "only the editor served by this server may save"
    if fetch_site not in (None, "same-origin", "none"):
        return "only the editor served by this server may save"
    return ""


def post(site_dir: Path, body: bytes) -> tuple[int, bytes]:
    """(status, JSON body) of one request of the editor."""
    try:
        request = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return HTTPStatus.BAD_REQUEST, b'{"error": "expected JSON"}'
    found = languages(site_dir)
    reply = answer(site_dir, request, found[0] if len(found) > 1 else "")
    return reply.status, json.dumps(reply.body).encode("utf-8")


__all__ = ["API_PATH", "MAX_API_BODY", "get", "is_admin", "post", "refusal"]
