"""The journal of the move phase, so that a build killed mid-write is undone at the next start.

`begin` writes and syncs the list of moves (`.<out>.journal` beside the output folder) before the first
move; `commit` deletes it (that deletion is the commit); `recover` undoes every move of a journal left
over, so the folder is the old site again, and removes leftover `.<out>.new-*`/`.<out>.old-*` folders.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from sitegen.core.errors import OutputError


def journal_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.journal"


def begin(out_dir: Path, entry: dict) -> None:
    """Write the journal and sync it (and its folder) before any move."""
    target = journal_path(out_dir)
    temporary = target.with_name(target.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(entry, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    _sync_folder(out_dir.parent)


def commit(out_dir: Path) -> None:
    """Every move is done: the journal goes, and with it any chance of undoing them."""
    sync_tree_roots(out_dir)
    journal_path(out_dir).unlink(missing_ok=True)
    _sync_folder(out_dir.parent)


def sync_tree_roots(out_dir: Path) -> None:
    if out_dir.is_dir():
        _sync_folder(out_dir)


def _sync_folder(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def recover(out_dir: Path) -> bool:
    """Undo the moves of a write that never finished, and remove what it left beside the folder;
    True when there was something to undo."""
    out_dir = out_dir.absolute()
    journal = journal_path(out_dir)
    undone = False
    if journal.exists():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
            if entry.get("kind") == "swap":
                _undo_swap(out_dir, entry)
            else:
                _undo_moves(out_dir, entry)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise OutputError(
                f"an interrupted build left {journal}, and it could not be undone ({exc}); "
                f"check {out_dir}, then delete that file"
            ) from exc
        journal.unlink()
        undone = True
    _remove_leftovers(out_dir)
    return undone


def _undo_moves(out_dir: Path, entry: dict) -> None:
    staging, aside = Path(entry["staging"]), Path(entry["aside"])
    for rel, had_old in reversed(entry["changes"]):
        target = out_dir / rel
        if had_old:
            if os.path.lexists(aside / rel):  # set aside (then maybe replaced): the old file goes back
                os.replace(aside / rel, target)
        elif not os.path.lexists(staging / rel) and os.path.lexists(target):  # moved in: taken out
            target.unlink()
    for rel in entry["removals"]:
        if os.path.lexists(aside / rel):
            os.replace(aside / rel, out_dir / rel)
    for rel in reversed(entry["made"]):
        folder = out_dir / rel
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _undo_swap(out_dir: Path, entry: dict) -> None:
    retired = Path(entry["retired"])
    if retired.is_dir():  # the old folder was moved aside: it comes back, whatever replaced it
        if out_dir.exists():
            shutil.rmtree(out_dir)
        retired.rename(out_dir)


def _remove_leftovers(out_dir: Path) -> None:
    """`.public.new-*` and `.public.old-*` folders of builds that were killed."""
    try:
        names = os.listdir(out_dir.parent)
    except OSError:
        return
    for name in names:
        if name.startswith((f".{out_dir.name}.new-", f".{out_dir.name}.old-")):
            shutil.rmtree(out_dir.parent / name, ignore_errors=True)
