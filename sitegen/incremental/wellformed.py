"""Whether the build cache can be used at all: its folder, and the kinds of its manifest's values.

The manifest is signed (see cache.py), but a value of the wrong kind, signed by this machine's key (a
hand edit, a bug, a restored cache of another layout) must still end in a notice and a full build,
never a traceback; so must a cache folder that is a file or cannot be written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

SEVERITIES = ("error", "warning")


def unusable_folder(folder: Path) -> str:
    """Why the cache folder cannot be used ("" when it can): it, or a folder above it inside the site,
    is a file, or it cannot be made or written. Made here, so every later write has its folder."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe.{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except FileExistsError:
        return f"{folder} is a file, not a folder (delete it)"
    except NotADirectoryError:
        return f"a file is in the way of the folder {folder} (delete it)"
    except OSError as exc:
        return f"{folder} cannot be written ({exc.strerror}; make it writable, or build with --no-cache)"
    return ""


def _is(value: Any, *kinds: type) -> bool:
    """`value` is a list of exactly these kinds (bool is not an int here)."""
    return (
        isinstance(value, list)
        and len(value) == len(kinds)
        and all(
            isinstance(v, k) and not (k is int and isinstance(v, bool))
            for v, k in zip(value, kinds, strict=True)
        )
    )


def _files(records: Any) -> bool:
    """An output folder's files: path -> [hash, size, mtime]."""
    return isinstance(records, dict) and all(_is(r, str, int, int) for r in records.values())


def _output(output: Any) -> bool:
    if not isinstance(output, dict) or not isinstance(output.get("state", ""), str):
        return False
    if not _files(output.get("files", {})) or not (output.get("kit") is None or _files(output["kit"])):
        return False
    folders = output.get("folders", {})
    if not isinstance(folders, dict) or not all(isinstance(v, int) for v in folders.values()):
        return False
    warnings = output.get("warnings", [])
    if not isinstance(warnings, list) or not all(
        _is(w, str, str, str, int, str, str) and w[5] in SEVERITIES for w in warnings
    ):
        return False
    return all(
        output.get(part) is None
        or (isinstance(output[part], dict) and all(_is(f, str, str) for f in output[part].values()))
        for part in ("pages_shards", "facts_shards")
    )


def well_formed(manifest: dict[str, Any]) -> bool:
    """The manifest's values are of the kinds the build reads (`inputs` and `outputs` are dicts)."""
    shards = manifest.get("shards", {})
    return (
        isinstance(shards, dict)
        and all(isinstance(v, str) for v in shards.values())
        and all(_is(record, str, int, int, int) for record in manifest["inputs"].values())
        and all(_output(output) for output in manifest["outputs"].values())
    )
