"""One lock per site (`fcntl.flock` on SITE/.sitegen/lock), held by `sitegen build`, each rebuild of
`sitegen serve` and `sitegen report` while they read the cache and write: two runs at the same instant
take turns instead of interleaving their writes. The lock file names its holder, so that the one that
waits can say whom it waits for. The kernel releases the lock when its process ends, even by kill -9.
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sitegen.core.errors import OutputError

LOCK_FILE = Path(".sitegen") / "lock"


@contextmanager
def site_lock(site_dir: Path, what: str, waiting: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """Hold the site's lock for the block; when another run holds it, `waiting(message)` is told who,
    then the block waits for it."""
    path = site_dir / LOCK_FILE
    if not site_dir.is_dir():  # not a site: nothing to guard, and the command says so itself
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(
            f"cannot lock the site: {path} cannot be created ({exc.strerror}); is the site folder writable?"
        ) from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 400, 0).decode("utf-8", "replace").strip() or "another sitegen"
            waiting(f"waiting for {holder} to finish with {site_dir} (lock: {path})")
            fcntl.flock(handle, fcntl.LOCK_EX)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"`sitegen {what}` (process {os.getpid()}, {sys.argv[0]})".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(handle, 0)
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)
