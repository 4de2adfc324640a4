"""One build as the dev server holds it (`Snapshot`), and what the static host answers for a path in it
(`resolve`): a page, a file, a redirect, or 404.html; paths that try to leave the site are refused."""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from sitegen.build.pipeline import BuildResult
from sitegen.core.artifact import Artifact
from sitegen.core.errors import Diagnostic
from sitegen.render import hostrules as hosting

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
    return file_bytes(artifact).decode("utf-8", "replace") if artifact is not None else ""


def file_bytes(artifact: Artifact) -> bytes:
    return artifact.content if artifact.content is not None else artifact.copy_from.read_bytes()  # type: ignore[union-attr]


def clean_path(raw: str) -> str | None:
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
        rewritten, rewritten_path = _find(snapshot.files, clean_path(urlsplit(target).path) or "/")
        if rewritten is not None:
            return "file", (rewritten, rewritten_path, rule.status)
    if artifact is None and out_path == "redirect":
        return "redirect", (path + "/" + (f"?{query}" if query else ""), 301)
    if artifact is None:
        missing = snapshot.files.get("404.html")
        return ("file", (missing, "404.html", 404)) if missing is not None else ("none", None)
    return "file", (artifact, out_path, 200)
