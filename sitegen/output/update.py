"""An incremental write: bring an existing output folder in line with a build, moving only the files
whose bytes changed; every move is journaled (journal.py) so that it can be undone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.core.artifact import Artifact
from sitegen.core.errors import OutputError
from sitegen.output import journal
from sitegen.output.ownership import MARKER, beside, checked, copy_into, mark
from sitegen.output.records import (
    WriteReport,
    folders_after,
    folders_as_recorded,
    present_files,
    restat,
    same_bytes,
    signature,
)


def update(
    artifacts: list[Artifact],
    out_dir: Path,
    files: dict[str, list],
    folders: dict[str, int] | None = None,
    intact: bool = False,
) -> WriteReport:
    """Bring an existing output folder in line with `artifacts`, touching only what differs.

    `files` (and `folders`: the folders' times) are the records the last build left; a file whose
    bytes are unchanged is left alone and a file no artifact produces is removed. Atomic like `write`:
    on failure every move is undone (a killed process's journal is undone by the next run), and an
    OSError is raised as OutputError. `intact`: the caller found the folder to hold exactly `files`,
    as recorded, with `folders` (`matches`): neither is looked at again. Design: docs/performance.md,
    "Incremental builds" (Files).
    """
    seen = checked(artifacts)
    out_dir = out_dir.absolute()
    root = str(out_dir)
    if not os.path.lexists(out_dir / MARKER):
        mark(out_dir)  # a folder from before the marker
    as_recorded = bool(folders) and (intact or folders_as_recorded(root, folders))  # type: ignore[arg-type]
    report = WriteReport()
    changes = []
    for key, artifact in sorted(seen.items()):
        record = files.get(key)
        if (
            artifact.copy_from is not None
            and record is not None
            and str(artifact.copy_from) == os.path.join(root, key)
        ):
            # a page kept from the last build, as recorded when the folder is intact
            report.files[key] = record if intact else restat(artifact.copy_from, record[0])
            continue
        target = out_dir / key
        sign = signature(artifact)
        if record is not None and record[0] == sign:
            try:
                st = os.stat(target)
                if [st.st_size, st.st_mtime_ns] == record[1:3] or same_bytes(target, record):
                    report.files[key] = [sign, st.st_size, st.st_mtime_ns]
                    continue
            except OSError:
                pass
        changes.append((key, artifact, sign))
    removals = sorted((set(files) if as_recorded else present_files(out_dir)) - set(seen))
    report.unchanged = len(report.files)
    if changes or removals:
        _commit(out_dir, changes, removals)
    for key, _, sign in changes:
        st = os.stat(out_dir / key)
        report.files[key] = [sign, st.st_size, st.st_mtime_ns]
    report.written, report.removed = len(changes), len(removals)
    if as_recorded:
        report.folders = folders_after(root, folders, [key for key, _, _ in changes] + removals)  # type: ignore[arg-type]
    return report


def _commit(out_dir: Path, changes: list[tuple[str, Artifact, str]], removals: list[str]) -> None:
    """Write the changed files aside, journal the moves, make them, then drop the journal (the commit)."""
    staging, aside = beside(out_dir, "new"), beside(out_dir, "old")
    done: list[tuple[str, bool]] = []  # (output path, whether an old file was set aside)
    made: list[Path] = []  # folders created in the output folder
    try:
        for key, artifact, _ in changes:
            copy_into(artifact, staging / key, out_dir)
        planned = [(key, os.path.lexists(out_dir / key)) for key, _, _ in changes]
        folders = _new_folders(out_dir, changes)
        journal.begin(
            out_dir,
            {
                "kind": "moves",
                "staging": str(staging),
                "aside": str(aside),
                "changes": planned,
                "removals": removals,
                "made": folders,
            },
        )
        for folder in folders:
            (out_dir / folder).mkdir()
            made.append(out_dir / folder)
        for key, old in planned:
            target = out_dir / key
            if old:
                _set_aside(target, aside / key)
            os.replace(staging / key, target)
            done.append((key, old))
        for key in removals:
            _set_aside(out_dir / key, aside / key, move=True)
            done.append((key, True))
        journal.commit(out_dir)
    except BaseException as exc:
        _undo(out_dir, done, made, staging, aside)
        if isinstance(exc, OSError):
            raise OutputError(f"could not write the site to {out_dir}: {exc}") from exc
        raise
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(aside, ignore_errors=True)
    _remove_emptied(out_dir, removals)


def _new_folders(out_dir: Path, changes: list[tuple[str, Artifact, str]]) -> list[str]:
    """The folders the changed files need that the output folder lacks, parents first."""
    return sorted(
        {
            parent.as_posix()
            for key, _, _ in changes
            for parent in Path(key).parents[:-1]
            if not (out_dir / parent).is_dir()
        },
        key=len,
    )


def _undo(out_dir: Path, done: list[tuple[str, bool]], made: list[Path], staging: Path, aside: Path) -> None:
    """Undo the moves `done` and the folders `made`, newest first, and drop the journal and both spares."""
    for key, old in reversed(done):
        target = out_dir / key
        if old:
            os.replace(aside / key, target)
        else:
            target.unlink()
    for folder in reversed(made):
        folder.rmdir()
    journal.journal_path(out_dir).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(aside, ignore_errors=True)


def _remove_emptied(out_dir: Path, removals: list[str]) -> None:
    """Remove the folders the removals emptied, as a clean build would not make them."""
    for key in removals:
        folder = (out_dir / key).parent
        while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _set_aside(target: Path, keep: Path, move: bool = False) -> None:
    keep.parent.mkdir(parents=True, exist_ok=True)
    if move:
        os.replace(target, keep)
        return
    try:
        os.link(target, keep, follow_symlinks=False)
    except OSError:
        shutil.copy2(target, keep, follow_symlinks=False)
