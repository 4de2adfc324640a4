"""`sitegen build`, `check` and `serve`."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sitegen.cli.group import echo_diagnostics, failing_on_content_errors, format_option, log, main
from sitegen.output.lock import site_lock
from sitegen.output.ownership import check_output_dir

if TYPE_CHECKING:  # imported by the build only once it knows something changed
    from sitegen.incremental.manifest import Previous


@main.command()
@click.argument("site_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: SITE_DIR/public).",
)
@click.option("--drafts", is_flag=True, help="Include documents marked draft: true.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for large builds (default: one per core; small sites always use one).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Ignore the build cache in SITE_DIR/.sitegen/cache: render every page, rewrite every file.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Take over an output folder that holds files sitegen did not write (they are deleted).",
)
def build(
    site_dir: Path, out_dir: Path | None, drafts: bool, jobs: int | None, no_cache: bool, force: bool
) -> None:
    """Build SITE_DIR (default: the current folder) into a static site.

    Every problem in the content is listed as file:line with a hint; when there is one, nothing is
    written and the previous output stays as it was. A rebuild renders only the pages whose content
    or templates changed and writes only files whose bytes changed (cache: SITE_DIR/.sitegen/cache).
    A build replaces everything in its output folder, so it refuses a folder sitegen did not fill
    (unless --force), and waits while another build of the same site runs.

    \b
    Examples:
      sitegen build                      build ./content into ./public
      sitegen build my-site --out /tmp/preview --drafts
      sitegen build --no-cache --jobs 4  render everything, on four processes
    """
    out_dir = out_dir if out_dir is not None else site_dir / "public"
    started = time.perf_counter()
    check_output_dir(out_dir, site_dir, force)  # before the lock: a refused folder leaves no trace
    with site_lock(site_dir, "build", log):
        _build(site_dir, out_dir, drafts, jobs, no_cache, force, started)


def _build(
    site_dir: Path, out_dir: Path, drafts: bool, jobs: int | None, no_cache: bool, force: bool, started: float
) -> None:
    """`build`, under the site's lock: answered from the cache when nothing changed, else run."""
    from datetime import date

    from sitegen.incremental import manifest as incremental
    from sitegen.output import writer

    writer.check_output_dir(out_dir, site_dir, force)
    previous = incremental.previous_build(
        site_dir,
        out_dir,
        site_dir / incremental.KIT_FOLDER,
        use_cache=not no_cache,
        drafts=drafts,
        today=date.today(),
    )
    if not previous.unchanged:
        _run_build(site_dir, out_dir, drafts, jobs, no_cache, previous, started)
        return
    # nothing to load, render or write: answered without importing the build
    notices = [previous.cache.notice] if previous.cache.notice else []
    warnings = incremental.warnings_from_json(previous.entry.get("warnings", []))
    pages = previous.pages_kept
    seconds = time.perf_counter() - started
    _summary(out_dir, notices, warnings, pages, len(previous.files) - pages, seconds, 0, pages, 0, 0)


def _run_build(
    site_dir: Path,
    out_dir: Path,
    drafts: bool,
    jobs: int | None,
    no_cache: bool,
    previous: Previous,
    started: float,
) -> None:
    """The build itself (load, render, write), with a progress bar on a terminal; `previous` is what
    the cache knows of the last build."""
    from sitegen.build.pipeline import build as run_build

    bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        with failing_on_content_errors():
            result = run_build(
                site_dir,
                out_dir,
                drafts=drafts,
                jobs=jobs,
                use_cache=not no_cache,
                progress=bar,
                previous=previous,
            )
    finally:
        if bar:
            bar.close()
    _summary(
        out_dir,
        result.notices,
        result.diagnostics,
        result.page_count,
        len(result.artifacts) - result.page_count,
        time.perf_counter() - started,
        result.rendered,
        result.reused,
        result.written,
        result.removed,
    )


def _summary(
    out_dir: Path,
    notices: list[str],
    diagnostics: list,
    pages: int,
    other: int,
    seconds: float,
    rendered: int,
    reused: int,
    written: int,
    removed: int,
) -> None:
    """The notices, the warnings, and the one line every build ends with."""
    for notice in notices:
        click.secho(f"notice: {notice}", fg="yellow", err=True)
    echo_diagnostics(diagnostics)
    click.echo(
        f"Built {pages} pages and {other} other files into {out_dir} in {seconds:.2f}s. "
        f"Pages: {rendered} rendered, {reused} reused. "
        f"Files: {written} written, {removed} removed."
    )


@main.command()
@click.argument("site_dir", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@format_option("text for people; json (documented in docs/checks.md) for scripts and CI.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on errors.")
@click.option("--drafts", is_flag=True, help="Check as if built with --drafts.")
def check(site_dir: Path, output_format: str, strict: bool, drafts: bool) -> None:
    """Check SITE_DIR (default: the current folder) without building it: every content error of the
    build, plus the rules for links, images, the referral program, testimonials, privacy and required
    pages (docs/checks.md). Nothing is written.

    Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage error (including a folder that
    is not a sitegen site). A file can silence a rule for itself: check: {ignore: [SG321], reason: "..."}.

    \b
    Examples:
      sitegen check                      check ./content
      sitegen check my-site --strict     fail on warnings too (for CI)
      sitegen check --format json > check.json
    """
    import json

    from sitegen.build.pipeline import check as run_check

    report = run_check(site_dir, drafts=drafts)
    not_a_site = any(d.code == "SG101" for d in report.diagnostics)
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "format": "sitegen-check/1",
                    "site": str(site_dir),
                    "summary": {
                        "errors": len(report.errors),
                        "warnings": len(report.warnings),
                        "silenced": report.silenced,
                    },
                    "diagnostics": [
                        {
                            "rule": d.code,
                            "severity": d.severity.value,
                            "file": d.location.src_path,
                            "line": d.location.line,
                            "message": d.message,
                            "hint": d.hint,
                        }
                        for d in report.diagnostics
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        echo_diagnostics(report.diagnostics, err=False)
        silenced = f", {report.silenced} silenced" if report.silenced else ""
        click.echo(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s){silenced}.")
    if not_a_site:
        sys.exit(2)
    if report.errors or (strict and report.warnings):
        sys.exit(1)


class _ProgressBar:
    """A one-line bar on the terminal (stderr) for builds long enough to wait on."""

    STAGES = {"load": "Loading ", "render": "Rendering"}

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.shown = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if time.monotonic() - self.started < 0.5 or not total:
            return
        width = 30
        filled = width * done // total
        line = f"\r{self.STAGES.get(stage, stage)} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if line != self.shown:
            click.echo(line, nl=False, err=True)
            self.shown = line

    def close(self) -> None:
        if self.shown:
            click.echo("\r" + " " * (len(self.shown) + 2) + "\r", nl=False, err=True)
            self.shown = ""


@main.command()
@click.argument("site_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default keeps the preview on this computer.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in the web browser.")
@click.option("--drafts", is_flag=True, help="Include documents marked draft: true.")
def serve(site_dir: Path, port: int, host: str, open_browser: bool, drafts: bool) -> None:
    """Preview SITE_DIR in the browser, rebuilding and reloading the page on every save.

    The preview behaves like the deployed site (redirects, headers, 404 page). When the content has
    a mistake, every page shows it, with file, line and hint, until the file is fixed. Forms posted
    on the preview are saved in SITE_DIR/.sitegen/submissions/<form>.csv, never sent anywhere.

    \b
    Examples:
      sitegen serve                      preview ./content at http://127.0.0.1:8000/
      sitegen serve my-site --port 9000 --open
    """
    from sitegen.serve.server import run

    bar = (
        _ProgressBar() if sys.stderr.isatty() else None
    )  # for the first build, which takes a while on a large site

    def log_clearing_the_bar(message: str) -> None:
        if bar:
            bar.close()  # the bar's line, if shown, gives way to the message
        log(message)

    try:
        run(
            site_dir,
            host,
            port,
            drafts=drafts,
            open_browser=open_browser,
            log=log_clearing_the_bar,
            progress=bar,
        )
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror}; try another --port"
        ) from None
