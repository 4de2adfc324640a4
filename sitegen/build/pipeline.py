"""The build: one function that the CLI, the dev server, the tests and the benchmark all call.

load → validate → assemble → render → write. Every stage adds to one list of diagnostics; the build
stops before writing anything if there is a single error, so the previous site stays as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sitegen import checks
from sitegen.build import stages
from sitegen.build.run import DEFAULTS, FULL, BuildOptions, Inputs, Mode, Run
from sitegen.build.session import BuildResult, Session
from sitegen.core.errors import ContentError, Diagnostic, Diagnostics, Severity
from sitegen.incremental import gcpolicy
from sitegen.incremental import manifest as incremental
from sitegen.incremental.edits import NONE as NO_EDIT
from sitegen.incremental.edits import Edit, plan_edit
from sitegen.output import writer
from sitegen.render import referral_pages as referral

__all__ = ["FULL", "BuildOptions", "BuildResult", "Mode", "Session", "build", "check", "render_site"]


def render_site(
    site_dir: Path, options: BuildOptions = DEFAULTS, mode: Mode = FULL, session: Session | None = None
) -> BuildResult:
    """Load, validate and render the whole site in memory; raises ContentError listing every problem.

    `mode` says what may be kept from the last build (see `stages.Mode`); `session` is what the last
    build in this process left (the dev server's). The stages are in build/stages.py.
    """
    run = Run(site_dir, options, session or Session())
    inputs = stages.read_inputs(run)
    if inputs.cache_rejected:  # a damaged cache: its page records are not trusted either
        mode = mode.without_records()
    edit = _edit(run, inputs, mode)
    run.lap("load")
    later: list[Any] | None = [] if edit.check_later else None
    site = (
        edit.shortcut[0][inputs.config.language]
        if edit.shortcut
        else stages.assemble_site(run, inputs, run.diagnostics, later)
    )
    theme = stages.load_theme(run, inputs)
    run.lap("validate")
    sites, editions = edit.shortcut or stages.plan_editions(
        run, inputs, site, theme.catalogues, run.diagnostics
    )
    run.stop_if_errors()
    result, pages = _rendered(run, inputs, site, sites, editions, theme, mode, edit)
    if edit.outlines:  # a preview: shown unchecked, then the site is built again in full
        return result
    check_all = _whole_site_checks(run, inputs, site, theme, result, pages, mode, edit, later)
    if later is not None:
        result.checks_pending = lambda: _checked_later(run.diagnostics, check_all)
        return result
    check_all(run.diagnostics)
    run.lap("check")
    result.seconds, result.diagnostics = time.perf_counter() - run.started, run.diagnostics.items
    result.silenced = run.silencer.silenced if run.silencer else 0
    return result


def _rendered(
    run: Run,
    inputs: Inputs,
    site: Any,
    sites: dict[str, Any],
    editions: list[Any],
    theme: Any,
    mode: Mode,
    edit: Edit,
) -> tuple[BuildResult, Any]:
    """The render stage's result: every page and file, not yet checked; and the pages as rendered."""
    pages, static_files, _ = stages.render_editions(run, inputs, sites, editions, theme, mode, edit)
    artifacts = (
        pages.artifacts + theme.files + static_files + stages.site_files(run, sites, editions, mode, edit)
    )
    run.lap("render")
    result = BuildResult(
        site,
        artifacts,
        run.diagnostics.items,
        time.perf_counter() - run.started,
        timings=run.timings,
        kit=referral.promotion_kit(site),
        rendered_pages=pages.rendered,
        reused=pages.reused,
        records=pages.records,
        silenced=run.silencer.silenced if run.silencer else 0,
        structure=stages.structure_of(sites, editions, inputs),
        preview=bool(edit.outlines),
        trace=run.session.trace,
    )
    return result, pages


def _whole_site_checks(
    run: Run,
    inputs: Inputs,
    site: Any,
    theme: Any,
    result: BuildResult,
    pages: Any,
    mode: Mode,
    edit: Edit,
    later: list[Any] | None,
) -> Callable[[Diagnostics], None]:
    """The checks of the whole site over the main edition's pages, run now or after the pages are
    shown (then the site skipped by an edit's shortcut is assembled first, for the next edit)."""
    editions = result.structure.editions if result.structure else []
    main_pages = [
        a
        for a in result.artifacts
        if not any(a.out_path.startswith(e.prefix.lstrip("/") + "/") for e in editions[1:])
    ]

    def check_all(found: Diagnostics) -> None:
        structure, checked_site = result.structure, site
        assert structure is not None
        if edit.shortcut:  # what was skipped, for its report and for the next edit
            checked_site = stages.assemble_site(run, inputs, found, later)
            structure.sites, structure.editions = stages.plan_editions(
                run, inputs, checked_site, theme.catalogues, found
            )
        for cross_checks in later or ():
            cross_checks(found)
        stages.run_checks(run, inputs, checked_site, structure, main_pages, pages.env, mode, found)

    return check_all


def _checked_later(diagnostics: Diagnostics, check_all: Callable[[Diagnostics], None]) -> list[Diagnostic]:
    """Every diagnostic of the build once the checks left for later have run (or ContentError)."""
    found = Diagnostics()
    found.extend(diagnostics.items)
    check_all(found)
    return found.items


def _edit(run: Run, inputs: Inputs, mode: Mode) -> Edit:
    """What the last build lets this one skip after an edit (nothing without its page records)."""
    if not mode.previous:
        return NO_EDIT
    session = run.session
    return plan_edit(
        mode.edited,
        inputs,
        session.cache,
        session.renderer,
        session.structure,
        check_later=mode.show_first,
        preview=mode.preview,
        records=mode.previous,
        store=mode.store,
        made_from=mode.made_from,
    )


@dataclass
class CheckReport:
    """What `sitegen check` found: every diagnostic, sorted by place, and how many files silenced."""

    diagnostics: list[Diagnostic]
    silenced: int = 0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def check(site_dir: Path, *, drafts: bool = False, today: date | None = None) -> CheckReport:
    """`sitegen check`: load, render in memory and run every rule; nothing is written, no cache is used."""
    try:
        with gcpolicy.build_scope():
            result = render_site(site_dir, BuildOptions(drafts=drafts, today=today))
    except ContentError as exc:
        return CheckReport(list(exc.diagnostics), exc.silenced)
    return CheckReport(sorted(result.diagnostics, key=lambda d: (d.location, d.code)), result.silenced)


KIT_FOLDER = incremental.KIT_FOLDER


def build(
    site_dir: Path,
    out_dir: Path,
    *,
    drafts: bool = False,
    today: date | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Any = None,
    previous: incremental.Previous | None = None,
) -> BuildResult:
    """Render the site and, only if nothing is wrong, bring `out_dir` in line with it.

    With the build cache (see cache.py and incremental.py) only pages whose inputs changed are
    rendered and only files whose bytes changed are written; `use_cache=False` renders everything
    and replaces the folder whole. Either way the folder ends up byte for byte the same.
    """
    writer.check_output_dir(out_dir, site_dir)
    started = time.perf_counter()
    kit_dir = site_dir / KIT_FOLDER
    if previous is None:  # the CLI asks first (see incremental.py), to spare a no-op its imports
        previous = incremental.previous_build(
            site_dir, out_dir, kit_dir, use_cache=use_cache, drafts=drafts, today=today or date.today()
        )
    notices = [previous.cache.notice] if previous.cache.notice else []
    if previous.unchanged:
        return BuildResult(
            None,
            previous.unchanged_artifacts(),
            incremental.warnings_from_json(previous.entry.get("warnings", [])),
            time.perf_counter() - started,
            reused=previous.pages_kept,
            notices=notices,
        )
    facts = checks.PageFacts(
        previous.page_facts(), previous.kept_signatures()
    )  # what the rules found per page
    with gcpolicy.build_scope():
        return _build(site_dir, out_dir, drafts, today, jobs, progress, previous, facts, started, kit_dir)


def _build(
    site_dir: Path,
    out_dir: Path,
    drafts: bool,
    today: date | None,
    jobs: int | None,
    progress: Any,
    previous: incremental.Previous,
    facts: checks.PageFacts,
    started: float,
    kit_dir: Path,
) -> BuildResult:
    """`build` once it is known that something changed: render, write, remember."""
    staging = (
        None if previous.files else writer.Staging(out_dir)
    )  # a full build: pages go to disk as they come
    if staging is not None:
        facts.kept = staging.digests  # the rules know a page on disk by its hash
    try:
        options = BuildOptions(drafts=drafts, today=today, jobs=jobs, progress=progress)
        mode = Mode(
            previous.pages, previous.store, facts, previous.edited(), spool=staging.put if staging else None
        )
        result = render_site(site_dir, options, mode, Session(cache=previous.cache))
    except BaseException as exc:
        if staging is not None:
            staging.discard()
        if isinstance(exc, ContentError):
            previous.save_documents()
        raise
    result.notices = [previous.cache.notice] if previous.cache.notice else []  # also when found while loading
    write_started = time.perf_counter()
    if previous.files:
        report = writer.update(
            result.artifacts, out_dir, previous.files, previous.entry.get("folders"), previous.intact
        )
    else:
        report = writer.WriteReport(written=writer.write(result.artifacts, out_dir, staging))
        report.files = writer.records(result.artifacts, out_dir, staging) if previous.cache.enabled else {}
    result.written, result.removed = report.written, report.removed
    kit = None
    if result.kit:
        writer.write(result.kit, kit_dir)
        kit = writer.records(result.kit, kit_dir)
    previous.save(report.files, result.records, result.diagnostics, kit, facts.found, report.folders)
    result.timings["write"] = time.perf_counter() - write_started
    result.seconds = time.perf_counter() - started
    return result
