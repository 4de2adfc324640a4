"""The only code that touches the output folder: everything is written aside, then swapped in.

A build that fails, or is interrupted, never leaves a half-written site: the new site is written to a
sibling temporary folder, and only when every file is there does it replace the old one. A folder
that holds the site's sources can never be chosen as the output, since it would be replaced.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sitegen.core.artifact import Artifact
from sitegen.core.errors import OutputError


def check_output_dir(out_dir: Path, site_dir: Path) -> None:
    """Refuse an output folder that the swap would destroy: the site itself, a parent of it, its content."""
    out, site = out_dir.resolve(), site_dir.resolve()
    if out == site or out in site.parents:
        raise OutputError(
            f"refusing to build into {out_dir}: it holds the site's own files, which would be replaced"
        )
    if (
        site / "content" in [out, *out.parents]
        or site / "templates" in [out, *out.parents]
        or site / "themes" in [out, *out.parents]
    ):
        raise OutputError(f"refusing to build into {out_dir}: it is inside the site's sources")
    if (out.exists() and (out / "content" / "site.yaml").exists()) or (out / ".git").exists():
        raise OutputError(
            f"refusing to build into {out_dir}: it looks like a site or a repository, not a build output"
        )


def safe_relative(out_path: str) -> PurePosixPath:
    """An artifact path that stays inside the output folder, or an OutputError."""
    path = PurePosixPath(out_path)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in out_path:
        raise OutputError(f"refusing to write {out_path!r}: it would land outside the output folder")
    return path


def _key(out_path: str) -> str:
    """`safe_relative(out_path).as_posix()`, without making a path object for the usual, already
    normal path (`posts/x/index.html`): 10,000 of them are checked on every build."""
    if (
        out_path
        and "\\" not in out_path
        and not out_path.startswith("/")
        and all(part not in ("", ".", "..") for part in out_path.split("/"))
    ):
        return out_path
    return safe_relative(out_path).as_posix()


def _checked(artifacts: list[Artifact]) -> dict[str, Artifact]:
    seen: dict[str, Artifact] = {}
    for artifact in artifacts:
        key = _key(artifact.out_path)
        if key in seen:
            raise OutputError(
                f"two things want to write {key}: {', '.join(seen[key].sources[:1] + artifact.sources[:1])}"
            )
        seen[key] = artifact
    return seen


def _beside(out_dir: Path, role: str) -> Path:
    """A new hidden folder next to the output folder (`.public.new-xxxx`): on the same file system, so
    files are moved in and out of the output folder by renaming."""
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.{role}-", dir=out_dir.parent))


class Staging:
    """The fresh folder of a full build, filled with pages as they are rendered (`put`), so that 10,000
    pages are never all held in memory (185 MB at 10,000 documents); `write` adds the rest and swaps it
    in. A build that fails `discard`s it: the output folder is not touched until `write`."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.absolute()
        self.folder: Path | None = None
        self.digests: dict[str, str] = {}  # the hash of each file put here, as `signature` makes it of bytes

    def put(self, artifact: Artifact) -> Artifact:
        """Write an artifact's bytes into the folder; the artifact is then that file."""
        key = _key(artifact.out_path)
        if self.folder is None:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            self.folder = _beside(self.out_dir, "new")
        target = self.folder / key
        data = artifact.content or b""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except OSError as exc:
            raise OutputError(f"could not write the site to {self.out_dir}: {exc}") from exc
        self.digests[key] = hashlib.sha256(data).hexdigest()[:32]
        return Artifact(artifact.out_path, copy_from=target, sources=artifact.sources)

    def discard(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def write(artifacts: list[Artifact], out_dir: Path, staged: Staging | None = None) -> int:
    """Write every artifact into a fresh folder (`staged`'s, which holds some already) and swap it for
    `out_dir`; returns the number of files."""
    seen = _checked(artifacts)
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = staged.folder if staged is not None and staged.folder is not None else (_beside(out_dir, "new"))
    try:
        for key, artifact in sorted(seen.items()):
            target = staging / key
            if artifact.copy_from == target:
                continue  # put there while rendering
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
    finally:
        if staged is not None:
            staged.folder = None  # swapped in, or removed: nothing left to discard
    return len(seen)


def _swap(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = _beside(out_dir, "old")
    retired.rmdir()
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except OSError:
        retired.rename(out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


# -- incremental updates (see `update`) ----------------------------------------------------------
# A record is what the last build left at an output path: [signature, size, mtime_ns]. The signature
# is a hash of the bytes, or for a copied file the size and times of its source.


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


def walk_files(root: str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry]]:
    """(output path, entry) of every file or link under `root`; links to folders are not followed.
    os.scandir, not os.walk: a 10,000-page site is checked on every build."""
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from walk_files(entry.path, prefix + entry.name + "/")
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


def _restat(target: Path | str, sign: str) -> list:
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
    if not _folders_as_recorded(root, folders):
        return False
    try:
        for rel, record in files.items():
            st = os.lstat(os.path.join(root, rel))
            if st.st_size != record[1] or st.st_mtime_ns != record[2]:
                return False
    except OSError:
        return False
    return True


def update(
    artifacts: list[Artifact], out_dir: Path, files: dict[str, list], folders: dict[str, int] | None = None
) -> WriteReport:
    """Bring an existing output folder in line with `artifacts`, touching only what differs.

    `files` are the records the last build left. A file whose bytes are unchanged is left alone (an
    artifact that names its own output file as `copy_from` is a page kept from the last build);
    files no artifact produces are removed, recorded or not, so the folder ends up exactly as a clean
    build would leave it. Keeps `write`'s guarantee: new files are first written aside; then each is
    moved into place while the file it replaces is kept (hard-linked) aside, and if anything fails
    or the build is interrupted every move is undone, so the folder is left as it was.

    With the times of its folders as the last build recorded them (`folder_times`), and each still
    the same, the folder holds no file that was not recorded (adding one changes its folder's time),
    so it is not listed, and the folders' new times are found for the folders this update touched.
    """
    seen = _checked(artifacts)
    out_dir = out_dir.absolute()
    root = str(out_dir)
    as_recorded = bool(folders) and _folders_as_recorded(root, folders)  # type: ignore[arg-type]
    report = WriteReport()
    changes = []
    for key, artifact in sorted(seen.items()):
        record = files.get(key)
        if (
            artifact.copy_from is not None
            and record is not None
            and str(artifact.copy_from) == os.path.join(root, key)
        ):
            report.files[key] = _restat(artifact.copy_from, record[0])  # a page kept from the last build
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
        report.folders = _folders_after(root, folders, [key for key, _, _ in changes] + removals)  # type: ignore[arg-type]
    return report


def _folders_as_recorded(root: str, folders: dict[str, int]) -> bool:
    try:
        for rel, mtime in folders.items():
            st = os.lstat(os.path.join(root, rel)) if rel else os.stat(root)
            if st.st_mtime_ns != mtime or not stat.S_ISDIR(st.st_mode):
                return False
    except OSError:
        return False
    return True


def _folders_after(root: str, folders: dict[str, int], touched: list[str]) -> dict[str, int]:
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


def _commit(out_dir: Path, changes: list[tuple[str, Artifact, str]], removals: list[str]) -> None:
    staging, aside = _beside(out_dir, "new"), _beside(out_dir, "old")
    done: list[tuple[str, bool]] = []  # (output path, whether an old file was set aside)
    made: list[Path] = []  # folders created in the output folder
    try:
        for key, artifact, _ in changes:
            staged = staging / key
            staged.parent.mkdir(parents=True, exist_ok=True)
            if artifact.copy_from is not None:
                shutil.copyfile(artifact.copy_from, staged)
            else:
                staged.write_bytes(artifact.content or b"")
        for key, _, _ in changes:
            target = out_dir / key
            for parent in reversed(target.relative_to(out_dir).parents[:-1]):
                folder = out_dir / parent
                if not folder.is_dir():
                    folder.mkdir()
                    made.append(folder)
            old = os.path.lexists(target)
            if old:
                _set_aside(target, aside / key)
            os.replace(staging / key, target)
            done.append((key, old))
        for key in removals:
            _set_aside(out_dir / key, aside / key, move=True)
            done.append((key, True))
    except BaseException as exc:
        for key, old in reversed(done):
            target = out_dir / key
            if old:
                os.replace(aside / key, target)
            else:
                target.unlink()
        for folder in reversed(made):
            folder.rmdir()
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(aside, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"could not write the site to {out_dir}: {exc}") from exc
        raise
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(aside, ignore_errors=True)
    for key in removals:  # folders emptied by removals go too, as in a clean build
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
