"""CPU time of one build (or check) of the starter site when one process builds several sites in turn,
as the dev server's rebuilds, a script building many practices' sites, or the test suite do.

    PYTHONPATH=. python bench/many_sites.py --sites 6 [--check]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from sitegen.build.pipeline import build, check

STARTER = Path(__file__).resolve().parent.parent / "sitegen" / "starter" / "content"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=6)
    parser.add_argument("--check", action="store_true", help="time `check` instead of `build`")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        started = time.process_time()
        for number in range(options.sites):
            site = Path(scratch) / str(number)
            shutil.copytree(STARTER, site / "content")
            check(site) if options.check else build(site, site / "public")
        spent = (time.process_time() - started) / options.sites
    print(f"{'check' if options.check else 'build'}: {spent:.3f} s of CPU a site ({options.sites} sites)")


if __name__ == "__main__":
    main()
