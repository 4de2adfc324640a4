"""Work spread over processes for large builds (`map_chunks`), with results in the items' order, so
the output is identical to one process's.

`usable_jobs` says how many: one for small jobs, on platforms without fork, or while this process
runs other threads (the dev server once it serves); by default one per core, or on a heavily loaded
machine one more per core left idle since the last look (`default_count`). Why: docs/performance.md
("Parallel builds").
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

MIN_ITEMS = 400  # below this, starting workers costs more than it saves
_work: tuple[Callable[[Sequence[Any]], Any], list[Sequence[Any]]] | None = None
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
LOADED = 2.0  # runnable processes per core (load average) from which only idle cores get a worker
_MIN_LOOK = 0.1  # seconds: over a shorter time the kernel's idle count (in ticks) says too little


def _look() -> tuple[float, float, float] | None:
    """Now; the machine's idle and I/O-wait seconds summed over its processors (Linux only); and the CPU
    seconds this process and its reaped workers have used."""
    try:
        with open("/proc/stat", "rb") as stat:
            fields = stat.readline().split()
        idle = (int(fields[4]) + int(fields[5])) / _TICKS
    except (OSError, IndexError, ValueError):
        return None
    used = os.times()
    return time.monotonic(), idle, used.user + used.system + used.children_user + used.children_system


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # not on this platform
        return 0.0


_last_look = _look()  # taken when a build imports this module, before it loads anything
_last_free: int | None = None


def idle_cores(cores: int) -> int:
    """How many processors besides this process's own (at most `cores` - 1) the machine's other work
    left free, on average, since the last look (or since this module was imported): what stayed idle,
    plus what this process's workers used beyond one core. `cores` - 1 where the kernel does not say."""
    global _last_look, _last_free
    now = _look()
    if now is None or _last_look is None:
        return cores - 1
    seconds = now[0] - _last_look[0]
    if seconds < _MIN_LOOK:  # asked twice in a row: the same answer
        return cores - 1 if _last_free is None else min(_last_free, cores - 1)
    free = (now[1] - _last_look[1] + now[2] - _last_look[2]) / seconds - 1
    _last_look, _last_free = now, max(0, min(cores - 1, int(free + 0.5)))
    return _last_free


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_count(cores: int, load: float, free: int) -> int:
    """The processes a build uses without `--jobs`: one per core, unless the machine runs over
    `LOADED` processes per core (its 1-minute `load`), where only the `free` cores (`idle_cores`) get
    a worker. Below that, a worker wins this build a larger share of shared cores; above, workers
    cost more CPU than they save (docs/performance.md, "Parallel builds")."""
    return cores if load < LOADED * cores else 1 + min(free, cores - 1)


def usable_jobs(jobs: int | None, items: int) -> int:
    """How many processes to use for `items` pieces of work; 1 means in this process; `jobs` None:
    `default_count`."""
    if items < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if threading.active_count() > 1:
        return 1
    if jobs is None:
        cores = default_jobs()
        jobs = default_count(cores, _load(), idle_cores(cores))
    if jobs <= 1:
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
