"""The command line: the only module that prints or exits."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from sitegen import __version__
from sitegen.build.lock import site_lock
from sitegen.build.output import check_output_dir
from sitegen.core.errors import ContentError, Severity

# `build` (and with it Jinja, Markdown, YAML, the models) is imported by the commands that use it, and by
# `sitegen build` only once it knows something changed: a no-op rebuild is mostly Python starting.


def _echo_diagnostics(diagnostics: list) -> None:
    for diagnostic in diagnostics:
        colour = "red" if diagnostic.severity is Severity.ERROR else "yellow"
        head, _, hint = diagnostic.format().partition("\n")
        click.secho(head, fg=colour, err=True)
        if hint:
            click.echo(hint, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def main() -> None:
    """sitegen builds a healthcare practice's website from the files in content/.

    \b
    Start a site:      sitegen init my-practice
    Build it:          sitegen build my-practice
    """


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
    with site_lock(site_dir, "build", _log):
        _build(site_dir, out_dir, drafts, jobs, no_cache, force, started)


def _build(
    site_dir: Path, out_dir: Path, drafts: bool, jobs: int | None, no_cache: bool, force: bool, started: float
) -> None:
    """`build`, under the site's lock."""
    from datetime import date

    from sitegen.build import writer
    from sitegen.incremental import manifest as incremental

    writer.check_output_dir(out_dir, site_dir, force)
    previous = incremental.previous_build(
        site_dir,
        out_dir,
        site_dir / incremental.KIT_FOLDER,
        use_cache=not no_cache,
        drafts=drafts,
        today=date.today(),
    )
    if previous.unchanged:  # nothing to load, render or write: answered without importing the build
        notices = [previous.cache.notice] if previous.cache.notice else []
        pages = previous.pages_kept
        _summary(
            out_dir,
            notices,
            incremental.warnings_from_json(previous.entry.get("warnings", [])),
            pages,
            len(previous.files) - pages,
            time.perf_counter() - started,
            0,
            pages,
            0,
            0,
        )
        return
    from sitegen.build.pipeline import build as run_build

    bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        result = run_build(
            site_dir,
            out_dir,
            drafts=drafts,
            jobs=jobs,
            use_cache=not no_cache,
            progress=bar,
            previous=previous,
        )
    except ContentError as exc:
        _echo_diagnostics(exc.diagnostics)
        raise click.ClickException(exc.message) from None
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
    _echo_diagnostics(diagnostics)
    click.echo(
        f"Built {pages} pages and {other} other files into {out_dir} in {seconds:.2f}s. "
        f"Pages: {rendered} rendered, {reused} reused. "
        f"Files: {written} written, {removed} removed."
    )


@main.command()
@click.argument("site_dir", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json (documented in docs/checks.md) for scripts and CI.",
)
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
        for diagnostic in report.diagnostics:
            colour = "red" if diagnostic.severity is Severity.ERROR else "yellow"
            head, _, hint = diagnostic.format().partition("\n")
            click.secho(head, fg=colour)
            if hint:
                click.echo(hint)
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

    def log(message: str) -> None:
        if bar:
            bar.close()  # the bar's line, if shown, gives way to the message
        _log(message)

    try:
        run(site_dir, host, port, drafts=drafts, open_browser=open_browser, log=log, progress=bar)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror}; try another --port"
        ) from None


def _log(message: str) -> None:
    click.echo(message, err=True)


@main.command()
@click.argument(
    "kind", type=click.Choice(["service", "provider", "post", "page", "location", "testimonial", "campaign"])
)
@click.argument("title")
@click.option(
    "--site",
    "site_dir",
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder (default: the current folder).",
)
def new(kind: str, title: str, site_dir: Path) -> None:
    """Start a new content file of KIND titled TITLE, with every field explained.

    Required fields come first; optional ones are commented out with what they mean. The file name
    is made from the title and never overwrites an existing file.

    \b
    Examples:
      sitegen new service "Chemical peels"
      sitegen new post "Sunscreen after laser" --site my-site
      sitegen new testimonial "Sarah K."       (then fill in her consent record)
      sitegen new campaign "May friends month"
    """
    from datetime import date

    from sitegen.scaffold import new_document

    path = new_document(site_dir, kind, title, date.today())
    click.echo(path)


@main.command()
@click.argument("site_dir", type=click.Path(file_okay=False, path_type=Path))
def init(site_dir: Path) -> None:
    """Create a new practice site in SITE_DIR from a small, working starter.

    \b
    Example:
      sitegen init my-practice && sitegen build my-practice
    """
    from sitegen.scaffold import create_site

    created = create_site(site_dir)
    click.echo(
        f"Created {len(created)} files in {site_dir}. Next: edit {site_dir}/content/site.yaml, then run "
        f"`sitegen build {site_dir}`."
    )


@main.command()
@click.option(
    "--enrollments",
    "enrollments",
    required=True,
    type=click.Path(path_type=Path),
    help="CSV export of the enroll form (advocates and their codes).",
)
@click.option(
    "--appointments",
    "appointments",
    required=True,
    type=click.Path(path_type=Path),
    help="CSV export of the appointment form (requests, with the friend's referral code).",
)
@click.option(
    "--visits",
    "visits",
    type=click.Path(path_type=Path),
    default=None,
    help="CSV from the practice-management system: email or phone, visit_date, optional amount and "
    "referral_code. Without it, success and rewards cannot be known.",
)
@click.option(
    "--site",
    "site_dir",
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder, whose content/program.yaml gives the rules (default: the current folder).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for report.json, rewards.csv and dashboard.html (default: SITE/reports). "
    "Never inside SITE/public or SITE/content.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="What to print: a summary, or report.json itself.",
)
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="First day of the period, YYYY-MM-DD (earlier rows still count toward tiers and limits).",
)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Last day of the period, YYYY-MM-DD (later rows are left out, as if not yet exported).",
)
def report(
    enrollments: Path,
    appointments: Path,
    visits: Path | None,
    site_dir: Path,
    out_dir: Path | None,
    output_format: str,
    since,
    until,
) -> None:  # type: ignore[no-untyped-def]
    """Referral report from the form service's CSV exports: who referred whom, what converted, how
    fast, and which rewards are owed.

    Writes report.json, rewards.csv and dashboard.html into --out and prints a summary. Rows it
    cannot count are flagged with file and row number, never dropped unseen. The files hold patient
    data: keep them private (see docs/report.md).

    \b
    Examples:
      sitegen report --enrollments enroll.csv --appointments appointment.csv --visits visits.csv
      sitegen report --enrollments .sitegen/submissions/enroll.csv \\
                     --appointments .sitegen/submissions/appointment.csv --since 2026-05-01 --until 2026-05-31
    """
    import json

    from sitegen.report import run_report, summary_lines

    out_dir = out_dir if out_dir is not None else site_dir / "reports"
    try:
        with site_lock(site_dir, "report", _log):
            result = run_report(
                site_dir,
                enrollments,
                appointments,
                visits,
                out_dir,
                since.date() if since else None,
                until.date() if until else None,
            )
    except ContentError as exc:
        _echo_diagnostics(exc.diagnostics)
        raise click.ClickException(exc.message) from None
    for warning in result.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    if output_format == "json":
        click.echo(json.dumps(result.data, indent=2, ensure_ascii=False))
    else:
        for line in summary_lines(result.data):
            click.echo(line)
        click.echo(
            f"Wrote {', '.join(str(p) for p in result.written)}. They hold patient data: keep them private."
        )
