"""The build's one policy for Python's garbage collector.

A build keeps everything it loads to its end, so collections that scan those objects again and again
are wasted (a fifth of a rebuild's time at 10,000 documents, docs/performance.md). What the build has
loaded is frozen out of collection as each stage completes (`keep_to_the_end`); `build_scope` thaws it
when the build is over, and `paused` stops collection while a large cache is read.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def keep_to_the_end() -> None:
    """What exists now lives until the build ends: no collection scans it, no forked worker copies it."""
    gc.freeze()


@contextmanager
def build_scope() -> Iterator[None]:
    """One build: what it froze is thawed after it."""
    try:
        yield
    finally:
        gc.unfreeze()


def release() -> None:
    """After a build the dev server keeps: thaw and collect now, so that no full collection (0.6 s at
    10,000 documents) falls inside the next rebuild."""
    gc.unfreeze()
    gc.collect()


@contextmanager
def paused() -> Iterator[None]:
    """No collection while many new objects are made at once (reading the document cache)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
