"""Emitters: each turns the Site into artifacts (path, bytes, sources) and never touches the disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Artifact:
    """One file of the output: its path in the output folder, its bytes (or a file to copy), and where a
    message about it points (what fed it, the main source first)."""

    out_path: str
    content: bytes | None = None
    copy_from: Path | None = None
    sources: tuple[str, ...] = ()

    @property
    def is_page(self) -> bool:
        return self.out_path.endswith(".html")
