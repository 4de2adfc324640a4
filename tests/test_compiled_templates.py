"""Templates compiled once serve every build of the process (the dev server's rebuilds, a script building
many sites, `check`), and each site's build cache still receives them for its next process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from sitegen.build.pipeline import build

STARTER = Path(__file__).resolve().parent.parent / "sitegen" / "starter" / "content"


def _site(root: Path) -> Path:
    shutil.copytree(STARTER, root / "content")
    return root


def _compiled(site: Path) -> set[str]:
    return {p.name for p in (site / ".sitegen" / "cache" / "templates").glob("*/*.code")}


def test_a_second_site_in_the_same_process_still_gets_the_compiled_templates_in_its_cache(
    tmp_path: Path,
) -> None:
    first, second = _site(tmp_path / "first"), _site(tmp_path / "second")
    build(first, first / "public")
    build(second, second / "public")
    assert _compiled(first) and _compiled(second) == _compiled(first)


def test_the_many_sites_benchmark_runs_and_reports_a_time_per_site() -> None:
    root = Path(__file__).resolve().parent.parent
    for extra in ([], ["--check"]):
        result = subprocess.run(
            [sys.executable, str(root / "bench" / "many_sites.py"), "--sites", "2", *extra],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert re.fullmatch(r"(build|check): \d+\.\d{3} s of CPU a site \(2 sites\)\n", result.stdout)
