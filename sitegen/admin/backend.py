"""The editor's local backend: Decap CMS's proxy protocol (as `decap-server` speaks it), answered by the
dev server at /admin/api/v1, so the editor reads and writes this computer's files with no account.

Every path the editor names must resolve inside the site's `content/` (no `..`, no absolute path, no
link leading out): anything else is `Refused` (status 400) and nothing is read or written.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from sitegen.admin.config import folder_collection, translatable
from sitegen.admin.richtext import as_typed
from sitegen.content.kinds import KINDS

WRITABLE = "content"  # the only folder the editor may read or write, relative to the site
TRANSLATED = {kind.name for kind in KINDS.values()}  # the folders edited side by side in each language


def on_disk(name: Any, lang: str) -> Any:
    """The file the editor's `content/pages/about.en.md` is in the main language `lang`: about.md (Decap
    names every language's file; sitegen only the translations')."""
    if not lang or not isinstance(name, str):
        return name
    pure = PurePosixPath(name)
    ending = f".{lang}{pure.suffix}"
    if _translated(pure) and pure.name.endswith(ending):
        return str(pure.with_name(pure.name[: -len(ending)] + pure.suffix))
    return name


def originals_only(kind: str) -> set[str]:
    """The front-matter keys of a kind a translation never holds (what is not text: dates, choices,
    references), whatever the editor sends."""
    fields = translatable(folder_collection(KINDS[kind], "")["fields"])
    return {f["name"] for f in fields if f.get("i18n") is not True}


def without_keys(raw: str, keys: set[str]) -> str:
    """A Markdown file's text with those top-level front-matter keys (and their indented lines) left out."""
    lines = raw.split("\n")
    if not lines or lines[0] != "---" or "---" not in lines[1:]:
        return raw
    end = lines.index("---", 1)
    kept, dropping = [], False
    for line in lines[1:end]:
        if line and not line[0].isspace() and not line.startswith("#"):
            dropping = line.split(":", 1)[0].strip() in keys
        if not dropping:
            kept.append(line)
    return "\n".join(["---", *kept, *lines[end:]])


def _translation_kind(name: Any, lang: str) -> str:
    """The kind of a translation file of another language than `lang` (posts for welcome.es.md), or ""."""
    if not lang or not isinstance(name, str):
        return ""
    pure = PurePosixPath(name)
    other = pure.stem.rpartition(".")[2] if "." in pure.stem else ""
    return pure.parts[1] if _translated(pure) and other and other != lang and pure.suffix == ".md" else ""


def _translated(pure: PurePosixPath) -> bool:
    return len(pure.parts) == 3 and pure.parts[0] == WRITABLE and pure.parts[1] in TRANSLATED


def as_shown(name: str, lang: str) -> str:
    """The reverse of `on_disk`: an original of a folder (about.md) as the editor names it."""
    pure = PurePosixPath(name)
    if lang and _translated(pure) and "." not in pure.stem:
        return str(pure.with_name(f"{pure.stem}.{lang}{pure.suffix}"))
    return name


class Refused(Exception):
    """A request the backend will not carry out; the message is sent back to the editor."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any  # JSON-serialisable


def safe_path(site_dir: Path, name: Any, *, must_exist: bool = False) -> Path:
    """The file `name` (a site-relative path such as content/posts/a.md) inside the site's content/
    folder, links resolved; raises Refused for anything that is not plainly there."""
    if not isinstance(name, str) or not name or "\0" in name or "\\" in name:
        raise Refused("a path must be a non-empty text with / between its parts")
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or pure.parts[:1] != (WRITABLE,):
        raise Refused(f"{name}: only files under {WRITABLE}/ may be read or written")
    root = (site_dir / WRITABLE).resolve()
    target = (site_dir / pure).resolve()  # follows links, also of missing files' existing parents
    if target != root and root not in target.parents:
        raise Refused(f"{name}: leads outside {WRITABLE}/")
    if must_exist and not target.is_file():
        raise Refused(f"{name}: no such file")
    return target


def _relative(site_dir: Path, file: Path) -> str:
    return file.relative_to(site_dir.resolve()).as_posix()


def _entry(site_dir: Path, name: str, lang: str = "") -> dict[str, Any]:
    """One file as the editor reads an entry: its text and an id (the hash of its bytes)."""
    try:
        data = safe_path(site_dir, on_disk(name, lang), must_exist=True).read_bytes()
    except Refused:
        return {"data": None, "file": {"path": name, "id": None}}
    return {"data": data.decode("utf-8"), "file": {"path": name, "id": hashlib.sha256(data).hexdigest()}}


def _media(site_dir: Path, name: str) -> dict[str, Any]:
    data = safe_path(site_dir, name, must_exist=True).read_bytes()
    return {
        "id": hashlib.sha256(data).hexdigest(),
        "content": base64.b64encode(data).decode("ascii"),
        "encoding": "base64",
        "path": name,
        "name": PurePosixPath(name).name,
    }


def _list(site_dir: Path, folder: Any, extension: str, depth: int) -> list[str]:
    """Files of a folder under content/ with an ending, `depth` levels down, as site-relative paths."""
    root = safe_path(site_dir, folder)
    if not root.is_dir():
        return []
    found = []
    for path, dirs, files in os.walk(root):
        level = len(Path(path).relative_to(root).parts)
        if level + 1 >= depth:
            dirs.clear()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.endswith(extension):
                rel = _relative(site_dir, Path(path) / name)
                safe_path(site_dir, rel)  # a link in the folder leading out is not listed... or read
                found.append(rel)
    return found


def _write(site_dir: Path, name: Any, data: bytes) -> None:
    target = safe_path(site_dir, name)
    if target.is_dir():
        raise Refused(f"{name}: is a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    safe_path(site_dir, name)  # the folders just made are checked again (a race with a link)
    temporary = target.with_name(f".{target.name}.saving")
    temporary.write_bytes(data)
    os.replace(temporary, target)  # the dev server's watcher sees one complete file


def _raw(file: dict[str, Any], lang: str) -> str:
    raw = str(file.get("raw", ""))
    if str(file.get("path", "")).endswith(".md"):
        raw = as_typed(raw)  # what was typed in the rich-text editor as Markdown, as meant
    kind = _translation_kind(file.get("path"), lang)
    return without_keys(raw, originals_only(kind)) if kind else raw


def _asset_bytes(asset: Any) -> tuple[str, bytes]:
    if not isinstance(asset, dict) or asset.get("encoding") != "base64":
        raise Refused("an upload must be base64-encoded")
    try:
        return asset.get("path"), base64.b64decode(str(asset.get("content", "")), validate=True)
    except binascii.Error as exc:
        raise Refused("an upload is not valid base64") from exc


def answer(site_dir: Path, request: Any, lang: str = "") -> Reply:
    """Carry out one request of the editor ({"action": ..., "params": {...}}); `lang`: the main
    language of a site with translations, edited side by side (see `on_disk`)."""
    if not isinstance(request, dict) or not isinstance(request.get("params", {}), dict):
        return Reply(400, {"error": "expected a JSON object with an action and its params"})
    action, params = request.get("action"), request.get("params") or {}
    try:
        return Reply(200, _carry_out(site_dir, action, params, lang))
    except Refused as exc:
        return Reply(400, {"error": str(exc)})
    except UnicodeDecodeError:
        return Reply(400, {"error": "the file is not UTF-8 text"})
    except KeyError as exc:
        return Reply(422, {"error": f"{action}: {exc.args[0]} is missing"})


def _carry_out(site_dir: Path, action: Any, params: dict[str, Any], lang: str) -> Any:
    if action == "info":
        return {"repo": site_dir.resolve().name, "publish_modes": ["simple"], "type": "local_fs"}
    if action == "entriesByFolder":
        files = _list(
            site_dir, params["folder"], str(params.get("extension", "")), int(params.get("depth", 1))
        )
        return [_entry(site_dir, as_shown(name, lang), lang) for name in files]
    if action == "entriesByFiles":
        wanted = [str(f.get("path", "")) for f in params["files"] if isinstance(f, dict)]
        return [_entry(site_dir, name, lang) for name in wanted]
    if action == "getEntry":
        return _entry(site_dir, params["path"], lang)
    if action == "persistEntry":
        files = [
            {**f, "path": on_disk(f.get("path"), lang), "newPath": on_disk(f.get("newPath"), lang)}
            for f in params.get("dataFiles") or [params["entry"]]
        ]
        writes = [(f.get("path"), _raw(f, lang).encode("utf-8")) for f in files]
        writes += [_asset_bytes(a) for a in params.get("assets", [])]
        for name, _ in writes:
            safe_path(site_dir, name)  # every path checked before anything is written
        for name, data in writes:
            _write(site_dir, name, data)
        for file in files:
            if file.get("newPath"):
                target = safe_path(site_dir, file["newPath"])
                os.replace(safe_path(site_dir, file["path"], must_exist=True), target)
        return {"message": "entry persisted"}
    if action == "getMedia":
        return [_media(site_dir, name) for name in _list(site_dir, params["mediaFolder"], "", 1)]
    if action == "getMediaFile":
        return _media(site_dir, params["path"])
    if action == "persistMedia":
        name, data = _asset_bytes(params["asset"])
        _write(site_dir, name, data)
        return _media(site_dir, name)
    if action in ("deleteFile", "deleteFiles"):
        names = [on_disk(n, lang) for n in (params["paths"] if action == "deleteFiles" else [params["path"]])]
        targets = [safe_path(site_dir, name) for name in names]
        for target in targets:
            if target.is_file():
                target.unlink()
        return {"message": f"deleted {len(targets)} file(s)"}
    if action == "getDeployPreview":
        return None
    raise Refused(f"unknown action {action!r}")
