"""How many processes a build uses by default: one more per core the machine leaves idle."""

from __future__ import annotations

import subprocess
import sys
import time

from sitegen.incremental import parallel


def _spin(seconds: float) -> None:
    started = time.process_time()
    while time.process_time() - started < seconds:
        pass


def test_a_busy_machine_gets_no_worker_and_an_explicit_count_is_kept() -> None:
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
        assert parallel.usable_jobs(None, 10_000) == 1  # asked again at once: the same answer
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
