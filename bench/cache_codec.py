"""CPU time to read the build cache back: sitegen's data-only format (`incremental/codec.py`) against
pickle of the same values, in turn, over a benchmark site's cache (docs/performance.md).

    PYTHONPATH=.:bench python bench/cache_codec.py --documents 2000

Builds the benchmark corpus of `--documents` posts once (bench/corpus.py) in `--work`, then decodes
every file of its cache with the codec and unpickles the same values, `--rounds` times in turn, and
prints the median ratio codec / pickle with the CPU seconds of each.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import statistics
import subprocess
import sys
import time
from pathlib import Path

import corpus

from sitegen.incremental import codec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path("bench/work-codec"))
    args = parser.parse_args()
    site = corpus.write_sitegen(args.work, corpus.documents(args.documents))
    subprocess.run([sys.executable, "-m", "sitegen", "build", str(site)], check=True, capture_output=True)
    cache = site / ".sitegen" / "cache"
    encoded = [f.read_bytes() for f in sorted(cache.rglob("*.data"))]
    pickled = [pickle.dumps(codec.decode(data), protocol=pickle.HIGHEST_PROTOCOL) for data in encoded]
    ours, theirs = [], []
    for _ in range(args.rounds):
        ours.append(_cpu(lambda: [codec.decode(data) for data in encoded]))
        theirs.append(_cpu(lambda: [pickle.loads(data) for data in pickled]))
    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    print(f"{len(encoded)} cache files, {sum(map(len, encoded)) / 1e6:.1f} MB")
    print(f"codec {statistics.median(ours):.3f} s CPU, pickle {statistics.median(theirs):.3f} s CPU")
    print(
        f"codec / pickle: median {statistics.median(ratios):.2f}x"
        f" (range {min(ratios):.2f} to {max(ratios):.2f})"
    )


def _cpu(work: object) -> float:
    gc.disable()  # as the cache reads with it off
    started = time.process_time()
    work()  # type: ignore[operator]
    spent = time.process_time() - started
    gc.enable()
    return spent


if __name__ == "__main__":
    main()
