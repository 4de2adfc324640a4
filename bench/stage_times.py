"""CPU time of a sitegen build's stages, in one process (docs/performance.md, "Where a cold build's
time goes").

    python bench/stage_times.py bench/work/1000/sitegen            # a cold build: cache and output removed
    python bench/stage_times.py SITE --edit posts/post-09999.md    # a sentence appended, then a rebuild

Each stage's function is wrapped to add up the process's CPU time (`time.process_time`) spent inside
it (a call inside a call of the same function counts once), so the figures carry no profiler's
overhead per Python call, which inflates Jinja's many small calls several times under cProfile. The
build runs with `--jobs 1`, so every stage's work is in this process, unless `--jobs N` asks for more:
then each stage's line also gives its wall time and the CPU of the workers it forked (`children`), which
shows the parts of a parallel build that run in this process alone. With `--edit`, the site keeps its
cache and output (build it once first) and the build is the one-page edit's (docs/performance.md, "The
targets of issue 25").

    python bench/stage_times.py bench/work/1000/sitegen --jobs 2
"""

from __future__ import annotations

import argparse
import collections
import functools
import importlib
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

STARTED = time.process_time()
import sitegen.build.pipeline  # noqa: E402, F401  (what a build imports: Jinja, YAML, the models...)
from sitegen.cli import main as sitegen_main  # noqa: E402

IMPORTED = time.process_time() - STARTED

STAGES = {  # what the build does, in order: module:function or module:Class.method
    "the last build's record (input scan, manifest, output folder)": (
        "sitegen.incremental.manifest:previous_build"
    ),
    "reading page records and facts": "sitegen.incremental.cache:BuildCache.side_file",
    "loading documents": "sitegen.incremental.documents:load_all",
    "  of which decoding the cached documents": "sitegen.incremental.cache:BuildCache._load_shards",
    "  of which Markdown (pyromark, event walk, nh3)": "sitegen.content.markdown:MarkdownRenderer._render",
    "  of which YAML front matter": "sitegen.content.sources:parse_yaml",
    "  of which validation against the models": "sitegen.core.schema:coerce_object",
    "  of which reading and hashing the files": "sitegen.content.sources:read_text",
    "assembling the site": "sitegen.build.stages:assemble_site",
    "planning every edition's pages": "sitegen.build.stages:plan_editions",
    "rendering pages": "sitegen.build.stages:render_editions",
    "  of which Jinja (rendering; compiling the templates it extends and imports)": (
        "jinja2.environment:Template.render"
    ),
    "  of which compiling templates (all of them, partly counted in Jinja's line too)": (
        "jinja2.environment:Environment.compile"
    ),
    "  of which keying each page's context for the next build": "sitegen.incremental.reuse:PageReuse.reuse",
    "  of which writing each page (a folder and a file)": "sitegen.output.writer:Staging.put",
    "site files (feed, sitemap, redirects, QR codes)": "sitegen.build.stages:site_files",
    "the rules of sitegen check": "sitegen.build.stages:run_checks",
    "swapping the output folder in, recording its files": "sitegen.output.writer:write",
    "saving the build cache (documents)": "sitegen.incremental.cache:BuildCache.save",
    "saving the build cache (manifest, page records)": "sitegen.incremental.manifest:Previous.save",
}


WALL: collections.Counter[str] = collections.Counter()  # each stage's wall time
CHILDREN: collections.Counter[str] = collections.Counter()  # the CPU of workers reaped during each stage


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(spent: collections.Counter[str], label: str, function: Any) -> Any:
    depth = [0]

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if depth[0]:
            return function(*args, **kwargs)
        depth[0] += 1
        started, wall, children = time.process_time(), time.perf_counter(), _children_cpu()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started
            WALL[label] += time.perf_counter() - wall
            CHILDREN[label] += _children_cpu() - children
            depth[0] -= 1

    return wrapper


def wrap(spent: collections.Counter[str]) -> None:
    """Replace each stage's function by a timed one, wherever a module holds it."""
    for label, target in STAGES.items():
        module_name, _, name = target.partition(":")
        module = importlib.import_module(module_name)
        if "." in name:
            owner_name, method = name.split(".")
            owner = getattr(module, owner_name)
            setattr(owner, method, timed(spent, label, getattr(owner, method)))
            continue
        original = getattr(module, name)
        replacement = timed(spent, label, original)
        for held in list(sys.modules.values()):
            for key, value in list(getattr(held, "__dict__", {}).items()):
                if value is original:
                    setattr(held, key, replacement)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--jobs", type=int, default=1, help="processes (default 1: every stage here)")
    parser.add_argument("--edit", metavar="FILE", help="under content/: append a sentence, keep the cache")
    args = parser.parse_args()
    if args.edit:
        with (args.site / "content" / args.edit).open("a", encoding="utf-8") as file:
            file.write(f"\nUpdated guidance {time.time_ns()}.\n")
    else:
        for path in (args.site / ".sitegen", args.site / "public"):
            shutil.rmtree(path, ignore_errors=True)
    spent: collections.Counter[str] = collections.Counter()
    wrap(spent)
    wall = time.perf_counter()
    try:
        sitegen_main(["build", str(args.site), "--jobs", str(args.jobs)], standalone_mode=False)
    finally:
        total, wall = time.process_time(), time.perf_counter() - wall
        print(f"CPU {total:.2f} s in all; imports {IMPORTED:.2f} s ({100 * IMPORTED / total:.0f}%)")
        if args.jobs > 1:
            print(f"workers' CPU {_children_cpu():.2f} s; wall {wall:.2f} s after the imports")
        for label in STAGES:
            line = f"{spent[label]:6.2f} s {100 * spent[label] / total:4.0f}%  {label}"
            if args.jobs > 1:
                line += f"  (wall {WALL[label]:.2f} s, workers {CHILDREN[label]:.2f} s)"
            print(line)
        rest = total - IMPORTED - sum(v for k, v in spent.items() if not k.startswith(" "))
        print(f"{rest:6.2f} s {100 * rest / total:4.0f}%  the rest (settings, theme, site files...)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
