"""Time `sitegen serve`'s rebuild after a one-page edit: how long until the edited page is served, and
until the whole-site checks are done. Run by run.py in a process of its own, on a site that run.py has
just built (so the build cache holds its documents, as after any `sitegen build`).

    python bench/serve_edit.py SITE N_DOCS [EDITS]

Prints JSON: {"start": seconds to the first build, "shown": [...], "checked": [...], "title_shown":
[...], "title_done": [...]}, one per edit: first EDITS edits of one sentence (`corpus.edit_one`), then
EDITS edits of the same post's title (`corpus.retitle_one`, shown first as a preview, then built in full).
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
    for kind, first, last, make_edit in (
        ("text", "shown", "checked", lambda: corpus.edit_one("sitegen", site_dir, docs)),
        ("title", "title_shown", "title_done", lambda: corpus.retitle_one(site_dir, docs)),
    ):
        found[first], found[last] = [], []
        for _ in range(edits):
            make_edit()
            shown: list[float] = []
            site._publish = lambda snapshot, shown=shown: (
                shown.append(time.perf_counter()) or publish(snapshot)
            )  # type: ignore[method-assign]
            started = time.perf_counter()
            site.rebuild()
            # an edit of texts is shown once (checked after), a title edit twice (a preview, then the full
            # build)
            assert site.snapshot.files and len(shown) == (1 if kind == "text" else 2), (
                f"the {kind} edit was not shown first"
            )
            found[first].append(shown[0] - started)  # type: ignore[union-attr]
            found[last].append(time.perf_counter() - started)  # type: ignore[union-attr]
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
