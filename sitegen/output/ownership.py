"""The output folder as sitegen owns it: which folder may be replaced, which file may be published.

`check_output_dir` refuses a folder that is not sitegen's (missing, empty, marked `.sitegen-output`,
or holding only recorded files), unless `force`; `published_source` refuses a copy that is not a
regular file inside the site, the shipped themes or the output folder. Rules: docs/security.md.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from sitegen.core.artifact import Artifact
from sitegen.core.errors import OutputError
from sitegen.core.paths import SHIPPED_THEMES, regular_file_inside

MARKER = ".sitegen-output"
MARKER_TEXT = b"This folder is written by sitegen: every build replaces its contents.\n"
MANIFEST = Path(".sitegen") / "cache" / "manifest.json"

# the folders a build into an output folder may copy from, registered by `check_output_dir`
_sources: dict[Path, tuple[Path, ...]] = {}


def check_output_dir(out_dir: Path, site_dir: Path, force: bool = False) -> None:
    """Refuse an output folder that the swap would destroy: the site itself, a parent of it, its content,
    a repository, or a folder sitegen does not own (`force` takes such a folder over: see `owned`)."""
    out, site = out_dir.resolve(), site_dir.resolve()
    if out == site or out in site.parents:
        raise OutputError(
            f"refusing to build into {out_dir}: it holds the site's own files, which would be replaced"
        )
    if any(site / name in [out, *out.parents] for name in ("content", "templates", "themes")):
        raise OutputError(f"refusing to build into {out_dir}: it is inside the site's sources")
    if (out.exists() and (out / "content" / "site.yaml").exists()) or (out / ".git").exists():
        raise OutputError(
            f"refusing to build into {out_dir}: it looks like a site or a repository, not a build output"
        )
    _sources[out_dir.absolute()] = (site, SHIPPED_THEMES.resolve(), out)
    if out.is_dir() and not owned(out, site):
        if not force:
            raise OutputError(
                f"refusing to build into {out_dir}: it already holds files that sitegen did not write, "
                "and a build replaces everything in its output folder. Choose an empty or new folder, or "
                "add --force to let sitegen take this folder over (its files will be deleted)"
            )
        mark(out)


def owned(out: Path, site: Path) -> bool:
    """The folder is empty, carries the marker, or holds only files the site's last build put there."""
    try:
        names = os.listdir(out)
    except OSError as exc:
        raise OutputError(f"cannot read the output folder {out}: {exc.strerror}") from exc
    if not names or MARKER in names:
        return True
    recorded = _recorded_files(out, site)
    if not recorded:
        return False
    for root, folders, files in os.walk(out):
        rel = os.path.relpath(root, out)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        if any(prefix + name not in recorded for name in files):
            return False
        if any(os.path.islink(os.path.join(root, name)) for name in folders):
            return False
    return True


def _recorded_files(out: Path, site: Path) -> set[str]:
    """The files the last build into `out` recorded in the site's cache (keyed as `output_key` does)."""
    try:
        manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
        try:
            key = out.relative_to(site).as_posix()
        except ValueError:
            key = out.as_posix()
        files = manifest["outputs"][key]["files"]
        return set(files) if isinstance(files, dict) else set()
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def mark(folder: Path) -> None:
    """Write the marker into a folder sitegen fills."""
    try:
        (folder / MARKER).write_bytes(MARKER_TEXT)
    except OSError as exc:
        raise OutputError(f"cannot write into the output folder {folder}: {exc.strerror}") from exc


def published_source(source: Path, out_dir: Path) -> None:
    """Refuse to publish a file that is not a regular file inside the site folder, the shipped themes or
    the output folder (a link to /proc/self/environ, to ~/.ssh, or a device): the one check every copy
    into the output folder passes through."""
    roots = _sources.get(out_dir.absolute()) or (SHIPPED_THEMES.resolve(), out_dir.resolve())
    reason = regular_file_inside(source, roots)
    if reason:
        raise OutputError(f"refusing to publish {source}: {reason}; replace it by a copy of the file")


def safe_relative(out_path: str) -> PurePosixPath:
    """An artifact path that stays inside the output folder, or an OutputError."""
    path = PurePosixPath(out_path)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in out_path:
        raise OutputError(f"refusing to write {out_path!r}: it would land outside the output folder")
    return path


def key(out_path: str) -> str:
    """`safe_relative(out_path).as_posix()`, without making a path object for the usual, already
    normal path (`posts/x/index.html`): 10,000 of them are checked on every build."""
    if (
        out_path
        and "\\" not in out_path
        and not out_path.startswith("/")
        and all(part not in ("", ".", "..") for part in out_path.split("/"))
    ):
        if out_path == MARKER:
            raise OutputError(f"refusing to write {out_path!r}: sitegen keeps that name for its marker")
        return out_path
    return safe_relative(out_path).as_posix()


def checked(artifacts: list[Artifact]) -> dict[str, Artifact]:
    """The artifacts by output path; two for the same path, or one outside the folder, is an error."""
    seen: dict[str, Artifact] = {}
    for artifact in artifacts:
        found = key(artifact.out_path)
        if found in seen:
            raise OutputError(
                f"two things want to write {found}: "
                f"{', '.join(seen[found].sources[:1] + artifact.sources[:1])}"
            )
        seen[found] = artifact
    return seen


def beside(out_dir: Path, role: str) -> Path:
    """A new hidden folder next to the output folder (`.public.new-xxxx`): on the same file system, so
    files are moved in and out of the output folder by renaming."""
    try:
        return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.{role}-", dir=out_dir.parent))
    except OSError as exc:
        raise OutputError(f"cannot write beside the output folder {out_dir}: {exc.strerror}") from exc


def copy_into(artifact: Artifact, target: Path, out_dir: Path) -> None:
    """Put an artifact's bytes at `target` (in a staging folder of `out_dir`): its content, or a copy of
    its file once `published_source` allowed it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if artifact.copy_from is not None:
        published_source(artifact.copy_from, out_dir)
        shutil.copyfile(artifact.copy_from, target, follow_symlinks=False)
    else:
        target.write_bytes(artifact.content or b"")
