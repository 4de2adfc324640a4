"""What an output folder holds, as the build cache records it: each file's [signature, size, mtime_ns]
and the time of each folder; whether a folder still matches its record (the no-op path of a rebuild).
The signature is a hash of the bytes, or for a copied file the size and times of its source. The
marker file (`output.MARKER`) is not part of the site and is never listed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.core.artifact import Artifact
from sitegen.output.ownership import MARKER


@dataclass
class WriteReport:
    written: int = 0  # files created or replaced
    removed: int = 0  # files that no artifact produces any more
    unchanged: int = 0  # files left as they were
    files: dict[str, list] = field(default_factory=dict)  # the records of every file now in the folder
    folders: dict[str, int] | None = None  # the time of every folder in it now (`folder_times`), when known


def signature(artifact: Artifact) -> str:
    if artifact.copy_from is not None:
        st = os.stat(artifact.copy_from)
        return f"copy:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
    return hashlib.sha256(artifact.content or b"").hexdigest()[:32]


def walk_files(root: str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry]]:
    """(output path, entry) of every file or link under `root`; links to folders are not followed.
    os.scandir, not os.walk: a 10,000-page site is checked on every build."""
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from walk_files(entry.path, prefix + entry.name + "/")
            elif not prefix and entry.name == MARKER:
                continue
            else:
                yield prefix + entry.name, entry


def same_bytes(target: Path, record: list) -> bool:
    """The file holds the recorded bytes though its time differs: an output folder restored from a
    deploy cache, or copied. Compared by hash, so such a folder is reused, not rewritten."""
    if record[0].startswith("copy:"):
        return False
    try:
        if os.path.getsize(target) != record[1]:
            return False
        with open(target, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()[:32] == record[0]
    except OSError:
        return False


def restat(target: Path | str, sign: str) -> list:
    st = os.stat(target)
    return [sign, st.st_size, st.st_mtime_ns]


def present_files(out_dir: Path) -> set[str]:
    """Every file (or link) in the folder, as output paths."""
    return {rel for rel, _ in walk_files(str(out_dir))}


def folder_times(out_dir: Path) -> dict[str, int]:
    """The modification time of the folder and of every folder in it (links not followed), by path
    relative to it ("" for itself): adding, removing or renaming a file changes its folder's time."""
    found: dict[str, int] = {}
    pending = [("", str(out_dir))]
    while pending:
        rel, path = pending.pop()
        found[rel] = os.stat(path).st_mtime_ns
        with os.scandir(path) as entries:
            pending += [
                (rel + entry.name + "/", entry.path)
                for entry in entries
                if entry.is_dir(follow_symlinks=False)
            ]
    return found


def matches(out_dir: Path, files: dict[str, list], folders: dict[str, int] | None = None) -> bool:
    """The folder holds exactly the recorded files, each with its recorded size and time.

    With the times of its folders as recorded after the last write (`folder_times`), no folder is
    listed: each recorded file and folder is looked at once (a no-op rebuild at 10,000 pages spent
    most of its time listing 10,000 folders). A file added, removed or renamed changes its folder's
    time; a file changed in place changes its own."""
    if not out_dir.is_dir():
        return False
    if folders:
        return _matches_recorded(str(out_dir), files, folders)
    count = 0
    try:
        for rel, entry in walk_files(str(out_dir)):
            record = files.get(rel)
            if record is None:
                return False
            st = entry.stat()
            if st.st_size != record[1] or st.st_mtime_ns != record[2]:
                return False
            count += 1
    except OSError:
        return False
    return count == len(files)


def _matches_recorded(root: str, files: dict[str, list], folders: dict[str, int]) -> bool:
    if not folders_as_recorded(root, folders):
        return False
    try:
        for rel, record in files.items():
            st = os.lstat(os.path.join(root, rel))
            if st.st_size != record[1] or st.st_mtime_ns != record[2]:
                return False
    except OSError:
        return False
    return True


def folders_as_recorded(root: str, folders: dict[str, int]) -> bool:
    try:
        for rel, mtime in folders.items():
            st = os.lstat(os.path.join(root, rel)) if rel else os.stat(root)
            if st.st_mtime_ns != mtime or not stat.S_ISDIR(st.st_mode):
                return False
    except OSError:
        return False
    return True


def folders_after(root: str, folders: dict[str, int], touched: list[str]) -> dict[str, int]:
    """`folders` with the time of every folder above a file written or removed looked at again (a
    folder created for it, or emptied and removed, included); the others were not touched."""
    found = dict(folders)
    above = {""}
    for key in touched:
        parts = key.split("/")[:-1]
        above.update("".join(part + "/" for part in parts[:depth]) for depth in range(1, len(parts) + 1))
    for rel in above:
        try:
            st = os.lstat(os.path.join(root, rel)) if rel else os.stat(root)
        except OSError:
            found.pop(rel, None)
            continue
        found[rel] = st.st_mtime_ns
    return found
