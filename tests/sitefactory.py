"""Small real sites in a temporary folder, for tests: the starter that `sitegen init` writes, then edits."""
from __future__ import annotations

import hashlib
from pathlib import Path

from sitegen.scaffold import create_site


def make_site(root: Path) -> Path:
    site = root / "site"
    create_site(site)
    return site


def write(site: Path, rel_path: str, text: str) -> Path:
    file = site / "content" / rel_path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


def edit(site: Path, rel_path: str, old: str, new: str) -> None:
    file = site / "content" / rel_path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel_path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder with a hash of its bytes: equal snapshots mean nothing changed."""
    return {
        f.relative_to(folder).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(folder.rglob("*")) if f.is_file()
    }
