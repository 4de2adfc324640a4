"""The site being edited: rebuilt on demand (under the site's lock), its last good build kept in memory
for the server, and browsers waiting for the next build told when it is done."""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sitegen.build.pipeline import BuildOptions, BuildResult, Mode, Session, render_site
from sitegen.checks import PageFacts
from sitegen.core.artifact import Artifact
from sitegen.core.errors import ContentError, Severity, SitegenError
from sitegen.incremental import gcpolicy
from sitegen.incremental.cache import BuildCache
from sitegen.incremental.manifest import edited_since, input_roots
from sitegen.incremental.reuse import MadeFrom
from sitegen.incremental.stores import memory_store
from sitegen.output.lock import site_lock
from sitegen.serve import submissions
from sitegen.serve.snapshot import Snapshot


class DevSite:
    """The site being edited: rebuilds on demand and tells waiting browsers when a build is done."""

    def __init__(self, site_dir: Path, *, drafts: bool = False, log: Callable[[str], None] = lambda _: None):
        self.site_dir = site_dir
        self.drafts = drafts
        self.log = log
        # the same build cache as `sitegen build`: documents from .sitegen/cache, pages kept in memory
        self.session = Session(cache=BuildCache.open(site_dir))
        self.session.page_facts = PageFacts()
        self.snapshot = Snapshot(0)
        # the input files of the last good build, with their hashes, and its day (campaigns start and end by
        # date)
        self.built_from: tuple[dict[str, list], date] | None = None
        self.changed = threading.Condition()
        self.submissions_dir = site_dir / ".sitegen" / "submissions"
        # the snapshots the last rebuild published, in order: the pages shown before the checks or a
        # preview, then the build's result (see `rebuild`); its steps are in `session.trace`
        self.published: list[Snapshot] = []

    def rebuild(self, progress: Callable[[str, int, int], None] | None = None) -> Snapshot:
        """Build again, publish the result and return its snapshot (a failed build shows the error page).

        After an edit of texts alone the pages are shown first and the whole-site checks follow
        (`show_first`); after an edit of a title, date or other field a preview is shown, then the full
        build (`preview`). Design: docs/performance.md ("The dev server").
        """
        started = time.perf_counter()
        self.published, self.session.trace = [], []
        try:
            with site_lock(self.site_dir, "serve", self.log):  # a `sitegen build` of the site takes turns
                snapshot = self._build(started, progress)
            if snapshot is not None:
                self._publish(snapshot)
        finally:
            gcpolicy.release()  # collected now, once the pages are shown, not inside the next rebuild
        return self.snapshot

    def _build(self, started: float, progress: Callable[[str, int, int], None] | None) -> Snapshot | None:
        """The next snapshot, or None when it was shown already (only texts changed and the checks found
        nothing); a failed build is a snapshot of its problems."""
        try:
            return self._rebuild(started, progress, self.snapshot.number + 1)
        except Exception as exc:  # a bug must not stop the preview: shown, logged, and the next save retried
            return self._failed(self.snapshot.number + 1, exc)  # after what this rebuild showed already

    def _rebuild(
        self, started: float, progress: Callable[[str, int, int], None] | None, number: int
    ) -> Snapshot | None:
        session = self.session
        session.cache.start_build()
        inputs, today = session.cache.scan(input_roots(self.site_dir)), date.today()
        last = self.built_from if self.built_from and self.built_from[1] == today else None
        edited = edited_since(last[0] if last else None, inputs)

        def rendered(preview: bool, pages: dict[str, Any], artifacts: dict[str, Artifact]) -> BuildResult:
            # over every core while this process runs no other thread: the first build, before the server
            # starts (parallel.usable_jobs); a save's rebuild renders in this process
            options = BuildOptions(drafts=self.drafts, today=today, jobs=None, progress=progress)
            mode = Mode(
                pages,
                memory_store(artifacts),
                session.page_facts,
                edited,
                show_first=True,
                preview=preview,
                made_from=session.made_from,  # used only while `pages` are the records it was made from
            )
            return render_site(self.site_dir, options, mode, session)

        result = rendered(True, session.pages, session.artifacts)
        shown, rendered_first = "", []
        if result.preview:  # a title or a date changed: the edited pages first, then the whole site
            if any(d.severity is Severity.ERROR for d in result.diagnostics):  # not shown, nor built upon
                result = rendered(False, session.pages, session.artifacts)
            else:
                self._publish(Snapshot.from_result(number, result))
                number += 1
                shown = f", the edited pages shown after {time.perf_counter() - started:.2f}s"
                # a page the preview rendered is kept when the whole site gives it the same context
                rendered_first = result.rendered_pages
                result = rendered(False, result.records, {a.out_path: a for a in result.artifacts})
        if result.checks_pending is not None:
            self._publish(Snapshot.from_result(number, result))
            number += 1
            result.diagnostics = result.checks_pending()
        self._keep(result, inputs, today)
        self._log_rebuild(result, started, shown, rendered_first)
        return None if result.checks_pending else Snapshot.from_result(number, result)

    def _keep(self, result: BuildResult, inputs: dict[str, list], today: date) -> None:
        """What the next save's rebuild starts from: the pages, the site's structure, the cache."""
        session = self.session
        session.pages, session.artifacts = result.records, {a.out_path: a for a in result.artifacts}
        # the next edit's pages kept without a look at each record; made now, after the pages are shown
        session.made_from = MadeFrom(result.records)
        session.structure = result.structure
        self.built_from = (inputs, today)
        session.page_facts = session.page_facts.following()
        if session.cache.notice:
            self.log(f"notice: {session.cache.notice}")
            session.cache.notice = ""
        session.cache.save_documents()

    def _log_rebuild(
        self, result: BuildResult, started: float, shown: str, rendered_first: list[str]
    ) -> None:
        for warning in result.diagnostics:
            self.log(warning.format())
        checked = f", checked after {time.perf_counter() - started:.2f}s" if result.checks_pending else shown
        rendered_now = len(set(rendered_first) | set(result.rendered_pages))
        seconds = time.perf_counter() - started if shown else result.seconds  # the preview's time counted in
        self.log(
            f"Rebuilt {result.page_count} pages in {seconds:.2f}s{checked} "
            f"({rendered_now} rendered, {result.page_count - rendered_now} unchanged)."
        )

    def _failed(self, number: int, exc: Exception) -> Snapshot:
        """The snapshot of a build that failed: its problems (file, line, hint), or what went wrong."""
        if isinstance(exc, ContentError):
            self.log(exc.format_message())
            return Snapshot(number, problems=exc.diagnostics, error=exc.message)
        if isinstance(exc, SitegenError):
            error = exc.format_message()
        elif isinstance(exc, RecursionError):  # content nested deeper than anything can be built from
            error = "the content is nested too deeply to be built (a list of lists...)"
        else:
            error = f"sitegen failed: {type(exc).__name__}: {exc}"
        self.log(
            error
            if isinstance(exc, (SitegenError, RecursionError))
            else error + "\n" + traceback.format_exc()
        )
        return Snapshot(number, error=error)

    def _publish(self, snapshot: Snapshot) -> None:
        self.published.append(snapshot)
        self.session.trace.append(f"published {snapshot.number}")
        with self.changed:
            self.snapshot = snapshot
            self.changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.snapshot.number != seen, timeout=timeout)
            return self.snapshot.number

    def store_submission(self, form_name: str, fields: list[tuple[str, str]], referrer: str) -> Path:
        """Append one row to .sitegen/submissions/<form>.csv (see `submissions.store`)."""
        return submissions.store(self.submissions_dir, form_name, fields, referrer)
