"""Time `sitegen serve`'s rebuild after a one-page edit: how long until the edited page is served, and
until the whole-site checks are done. Run by run.py in a process of its own, on a site that run.py has
just built (so the build cache holds its documents, as after any `sitegen build`).

    python bench/serve_edit.py SITE N_DOCS [EDITS]

Prints JSON: {"start": seconds to the first build, "shown": [...], "checked": [...], "title_shown":
[...], "title_done": [...]}, one per edit, in wall seconds, and the same keys ending in "_cpu", in this
process's CPU seconds (the machine may be shared; the dev server rebuilds in one process). First EDITS
edits of one sentence (`corpus.edit_one`), then EDITS edits of the same post's title
(`corpus.retitle_one`, shown first as a preview, then built in full).
The dev server's own rebuild is timed in process, from the moment it is told that files changed (the
file watcher's wait of about 50 ms after the last save comes before that and is not counted).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

from sitegen.serve.server import DevSite


def main() -> int:
    site_dir, size = Path(sys.argv[1]), int(sys.argv[2])
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    docs = corpus.documents(size)
    site = DevSite(site_dir)
    started = time.perf_counter()
    site.rebuild()
    found: dict[str, list[float] | float] = {"start": time.perf_counter() - started}
    publish = site._publish
    cpu: dict[str, list[float]] = {}
    for kind, first, last, make_edit in (
        ("text", "shown", "checked", lambda: corpus.edit_one("sitegen", site_dir, docs)),
        ("title", "title_shown", "title_done", lambda: corpus.retitle_one(site_dir, docs)),
    ):
        found[first], found[last] = [], []
        cpu[first + "_cpu"], cpu[last + "_cpu"] = [], []
        for _ in range(edits):
            make_edit()
            shown: list[tuple[float, float]] = []
            site._publish = lambda snapshot, shown=shown: (
                shown.append((time.perf_counter(), time.process_time())) or publish(snapshot)
            )  # type: ignore[method-assign]
            started, started_cpu = time.perf_counter(), time.process_time()
            site.rebuild()
            # an edit of texts is shown once (checked after), a title edit twice (a preview, then the full
            # build)
            assert site.snapshot.files and len(shown) == (1 if kind == "text" else 2), (
                f"the {kind} edit was not shown first"
            )
            found[first].append(shown[0][0] - started)  # type: ignore[union-attr]
            found[last].append(time.perf_counter() - started)  # type: ignore[union-attr]
            cpu[first + "_cpu"].append(shown[0][1] - started_cpu)
            cpu[last + "_cpu"].append(time.process_time() - started_cpu)
    print(json.dumps({**found, **cpu}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
