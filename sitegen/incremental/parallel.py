"""Work spread over processes for large builds (`map_chunks`), with results in the items' order, so
the output is identical to one process's.

`usable_jobs` says how many: one for small jobs, on platforms without fork, or while this process
runs other threads (the dev server once it serves). Why: docs/performance.md ("Parallel builds").
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

MIN_ITEMS = 400  # below this, starting workers costs more than it saves
_work: tuple[Callable[[Sequence[Any]], Any], list[Sequence[Any]]] | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def usable_jobs(jobs: int | None, items: int) -> int:
    """How many processes to use for `items` pieces of work; 1 means in this process."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or items < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if threading.active_count() > 1:
        return 1
    return min(jobs, max(1, items // (MIN_ITEMS // 2)))


def map_chunks(
    function: Callable[[Sequence[Any]], list[Any]],
    items: Sequence[Any],
    jobs: int,
    on_chunk: Callable[[int], None] = lambda _: None,
    arrived: Callable[[list[Any]], list[Any]] = lambda results: results,
) -> list[Any]:
    """`function` applied to consecutive chunks of `items`, results concatenated in order.

    With jobs == 1 the chunks run here; `on_chunk(n)` is called as each chunk of n items finishes,
    for progress; `arrived` is given each chunk's results as they come, here, and what it returns is
    kept instead (a full build writes each chunk's pages to disk rather than holding them all).
    """
    global _work
    chunk_size = max(1, min(200, len(items) // (jobs * 4) or 1))
    chunks = [items[i : i + chunk_size] for i in range(0, len(items), chunk_size)]
    results: list[Any] = []
    if jobs <= 1:
        for chunk in chunks:
            results.extend(arrived(function(chunk)))
            on_chunk(len(chunk))
        return results
    _work = (function, chunks)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for index, part in enumerate(pool.imap(_run_chunk, range(len(chunks)))):
                results.extend(arrived(part))
                on_chunk(len(chunks[index]))
    finally:
        _work = None
    return results


def _run_chunk(index: int) -> list[Any]:
    assert _work is not None, "a worker must be forked from map_chunks"
    function, chunks = _work
    return function(chunks[index])
