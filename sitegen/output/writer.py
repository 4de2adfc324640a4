"""A full write: the new site is written aside, then swapped in whole (`write`).

A build that fails or is interrupted never leaves a half-written site. Incremental writes: update.py;
which folder may be replaced and which file may be published: ownership.py; what is on disk: records.py.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from sitegen.core.artifact import Artifact
from sitegen.core.errors import OutputError
from sitegen.output import journal
from sitegen.output.ownership import (
    MARKER,
    MARKER_TEXT,
    beside,
    checked,
    copy_into,
    key,
    safe_relative,
)
from sitegen.output.ownership import check_output_dir as _check_output_dir
from sitegen.output.records import (
    WriteReport,
    folder_times,
    matches,
    present_files,
    same_bytes,
    signature,
    walk_files,
)
from sitegen.output.update import update

__all__ = [
    "Staging",
    "WriteReport",
    "check_output_dir",
    "folder_times",
    "matches",
    "present_files",
    "records",
    "safe_relative",
    "same_bytes",
    "signature",
    "update",
    "walk_files",
    "write",
]


def check_output_dir(out_dir: Path, site_dir: Path, force: bool = False) -> None:
    """`output.check_output_dir`, after undoing what a killed build left half done (journal.py)."""
    _check_output_dir(out_dir, site_dir, force)
    journal.recover(out_dir)


class Staging:
    """The fresh folder of a full build, filled with pages as they are rendered (`put`), so that 10,000
    pages are never all held in memory (185 MB at 10,000 documents); `write` adds the rest and swaps it
    in. A build that fails `discard`s it: the output folder is not touched until `write`."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.absolute()
        self.folder: Path | None = None
        self.digests: dict[str, str] = {}  # the hash of each file put here, as `signature` makes it of bytes
        self._made: set[str] = {""}  # folders of `folder` made so far (relative, "" is the folder itself)

    def put(self, artifact: Artifact) -> Artifact:
        """Write an artifact's bytes into the folder; the artifact is then that file."""
        found = key(artifact.out_path)
        if self.folder is None:
            try:
                self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(f"could not write the site to {self.out_dir}: {exc.strerror}") from exc
            self.folder = beside(self.out_dir, "new")
            self._made = {""}
        target = self.folder / found
        data = artifact.content or b""
        try:
            self._make(found.rpartition("/")[0])
            _write_new(str(target), data)
        except OSError as exc:
            raise OutputError(f"could not write the site to {self.out_dir}: {exc}") from exc
        self.digests[found] = hashlib.sha256(data).hexdigest()[:32]
        return Artifact(artifact.out_path, copy_from=target, sources=artifact.sources)

    def _make(self, folder: str) -> None:
        """Make `folder` (relative to the staging folder) and its parents, each once per build: one
        `mkdir` per page folder, and none for a folder already made."""
        if folder in self._made:
            return
        self._make(folder.rpartition("/")[0])
        try:
            os.mkdir(os.path.join(self.folder, folder))  # type: ignore[arg-type]
        except FileExistsError:
            if not os.path.isdir(os.path.join(self.folder, folder)):  # type: ignore[arg-type]
                raise
        self._made.add(folder)

    def discard(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _write_new(path: str, data: bytes) -> None:
    """`Path.write_bytes` in three system calls (open, write, close), without the file object."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def write(artifacts: list[Artifact], out_dir: Path, staged: Staging | None = None) -> int:
    """Write every artifact into a fresh folder (`staged`'s, which holds some already) and swap it for
    `out_dir`; returns the number of files."""
    seen = checked(artifacts)
    out_dir = out_dir.absolute()
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"could not write the site to {out_dir}: {exc.strerror}") from exc
    staging = staged.folder if staged is not None and staged.folder is not None else beside(out_dir, "new")
    try:
        for name, artifact in sorted(seen.items()):
            target = staging / name
            if artifact.copy_from == target:
                continue  # put there while rendering
            copy_into(artifact, target, out_dir)
        (staging / MARKER).write_bytes(MARKER_TEXT)
        os.chmod(staging, 0o755)
        _swap(staging, out_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"could not write the site to {out_dir}: {exc}") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if staged is not None:
            staged.folder = None  # swapped in, or removed: nothing left to discard
    return len(seen)


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace `out_dir` by `staging`: two renames, journaled, so that a build killed between them puts
    the old folder back at the next start instead of leaving no folder at all."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = beside(out_dir, "old")
    retired.rmdir()
    journal.begin(out_dir, {"kind": "swap", "retired": str(retired)})
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except OSError:
        retired.rename(out_dir)
        journal.journal_path(out_dir).unlink(missing_ok=True)
        raise
    journal.commit(out_dir)
    shutil.rmtree(retired, ignore_errors=True)


def records(artifacts: list[Artifact], out_dir: Path, staged: Staging | None = None) -> dict[str, list]:
    """The records of a folder that `write` just filled with `artifacts` (some through `staged`)."""
    digests = staged.digests if staged is not None else {}
    found = {}
    for artifact in artifacts:
        st = os.stat(out_dir / artifact.out_path)
        found[artifact.out_path] = [
            digests.get(artifact.out_path) or signature(artifact),
            st.st_size,
            st.st_mtime_ns,
        ]
    return found
