"""Where a kept page's last output comes from: nowhere, the output folder on disk, or memory (the dev server).

Light on purpose: the no-op path asks for a store without importing Jinja.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sitegen.core.artifact import Artifact
from sitegen.output.writer import same_bytes

Store = Callable[[str, tuple[str, ...]], "Artifact | None"]


def no_store(out_path: str, sources: tuple[str, ...]) -> Artifact | None:
    return None


def folder_store(out_dir: Path, files: dict[str, list], intact: bool = False) -> Store:
    """Outputs of the last build still in `out_dir`, as recorded (size and time) when written; `intact`:
    the folder was found to hold exactly the recorded files at their recorded sizes and times (with
    `writer.matches`, as the no-op path looks), so a recorded page is there as written.

    The path is made absolute because `writer.update` recognises a kept page by its `copy_from`
    being the very file it would write (an absolute path): with `sitegen build` in the site's folder
    (`public`, relative) every kept page was otherwise copied onto itself and counted as written."""
    out_dir = out_dir.absolute()

    def get(out_path: str, sources: tuple[str, ...]) -> Artifact | None:
        record = files.get(out_path)
        if not record:
            return None
        target = out_dir / out_path
        if intact:
            return Artifact(out_path, copy_from=target, sources=sources)
        try:
            st = os.stat(target)
        except OSError:
            return None
        if [st.st_size, st.st_mtime_ns] != record[1:3] and not same_bytes(target, record):
            return None
        return Artifact(out_path, copy_from=target, sources=sources)

    return get


def memory_store(artifacts: dict[str, Artifact]) -> Store:
    def get(out_path: str, sources: tuple[str, ...]) -> Artifact | None:
        return artifacts.get(out_path)

    return get
