"""How many processes a build uses by default: one per core, but on a heavily loaded machine one
more only per core left idle."""

from __future__ import annotations

import subprocess
import sys
import time

from sitegen.incremental import parallel


def _spin(seconds: float) -> None:
    started = time.process_time()
    while time.process_time() - started < seconds:
        pass


def test_cores_kept_busy_are_not_counted_idle_and_an_explicit_count_is_kept() -> None:
    cores = parallel.default_jobs()
    busy = [
        subprocess.Popen(
            [sys.executable, "-c", "import time\nt = time.time() + 1.5\nwhile time.time() < t: pass"]
        )
        for _ in range(cores)
    ]
    try:
        time.sleep(0.2)
        parallel.idle_cores(cores)  # look from now on, while every core is taken
        _spin(0.5)
        assert parallel.idle_cores(cores) == 0
        assert parallel.idle_cores(cores) == 0  # asked again at once: the same answer
        assert parallel.usable_jobs(2, 10_000) == 2  # `--jobs 2` is obeyed whatever the load
    finally:
        for process in busy:
            process.wait()


def test_small_jobs_stay_in_this_process_and_the_answer_is_bounded() -> None:
    assert parallel.usable_jobs(None, parallel.MIN_ITEMS - 1) == 1
    assert parallel.usable_jobs(4, parallel.MIN_ITEMS - 1) == 1
    time.sleep(0.15)
    assert 0 <= parallel.idle_cores(parallel.default_jobs()) <= parallel.default_jobs() - 1
    assert parallel.idle_cores(1) == 0


def test_a_heavily_loaded_machine_gets_a_worker_only_for_an_idle_core() -> None:
    assert parallel.default_count(2, load=0.3, free=1) == 2
    assert parallel.default_count(2, load=1.9, free=0) == 2  # one other process: a worker still pays
    assert parallel.default_count(2, load=16.0, free=0) == 1
    assert parallel.default_count(2, load=16.0, free=1) == 2
    assert parallel.default_count(8, load=20.0, free=3) == 4
    assert parallel.default_count(1, load=0.0, free=0) == 1
