"""The only code that touches the output folder: everything is written aside, then swapped in.

A build that fails, or is interrupted, never leaves a half-written site: the new site is written to a
sibling temporary folder, and only when every file is there does it replace the old one. A folder
that holds the site's sources can never be chosen as the output, since it would be replaced.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .errors import OutputError
from .outputs import Artifact


def check_output_dir(out_dir: Path, site_dir: Path) -> None:
    """Refuse an output folder that the swap would destroy: the site itself, a parent of it, its content."""
    out, site = out_dir.resolve(), site_dir.resolve()
    if out == site or out in site.parents:
        raise OutputError(f"refusing to build into {out_dir}: it holds the site's own files, which would be replaced")
    if site / "content" in [out, *out.parents] or site / "templates" in [out, *out.parents] or site / "themes" in [out, *out.parents]:
        raise OutputError(f"refusing to build into {out_dir}: it is inside the site's sources")
    if out.exists() and (out / "content" / "site.yaml").exists() or (out / ".git").exists():
        raise OutputError(f"refusing to build into {out_dir}: it looks like a site or a repository, not a build output")


def safe_relative(out_path: str) -> PurePosixPath:
    """An artifact path that stays inside the output folder, or an OutputError."""
    path = PurePosixPath(out_path)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in out_path:
        raise OutputError(f"refusing to write {out_path!r}: it would land outside the output folder")
    return path


def write(artifacts: list[Artifact], out_dir: Path) -> int:
    """Write every artifact into a fresh folder and swap it for `out_dir`; returns the number of files."""
    seen: dict[str, Artifact] = {}
    for artifact in artifacts:
        key = safe_relative(artifact.out_path).as_posix()
        if key in seen:
            raise OutputError(f"two things want to write {key}: {', '.join(seen[key].sources[:1] + artifact.sources[:1])}")
        seen[key] = artifact
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for key, artifact in sorted(seen.items()):
            target = staging / key
            target.parent.mkdir(parents=True, exist_ok=True)
            if artifact.copy_from is not None:
                shutil.copyfile(artifact.copy_from, target)
            else:
                target.write_bytes(artifact.content or b"")
        os.chmod(staging, 0o755)
        _swap(staging, out_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"could not write the site to {out_dir}: {exc}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(seen)


def _swap(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except OSError:
        retired.rename(out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)
