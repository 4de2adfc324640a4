"""`sitegen report`: the program's numbers and the rewards ledger from the form service's exports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sitegen.cli.group import failing_on_content_errors, format_option, log, main, site_option
from sitegen.output.lock import site_lock


def _csv_option(
    flag: str,
    help: str,
    dest: str = "",
    *,
    required: bool = False,
    file_only: bool = False,
    multiple: bool = False,
) -> Callable[[Any], Any]:
    """An option naming an export (a CSV file); `file_only` refuses a folder before the command runs."""
    decls = (flag, dest) if dest else (flag,)
    path = click.Path(dir_okay=not file_only, path_type=Path)
    given = {"required": True} if required else {"multiple": True} if multiple else {"default": None}
    return click.option(*decls, type=path, help=help, **given)


def _day_option(flag: str, help: str) -> Callable[[Any], Any]:
    """An option naming a day, YYYY-MM-DD (None when not given)."""
    return click.option(flag, type=click.DateTime(["%Y-%m-%d"]), default=None, help=help)


@main.command()
@_csv_option("--enrollments", "CSV export of the enroll form (advocates and their codes).", required=True)
@_csv_option(
    "--appointments",
    "CSV export of the appointment form (requests, with the friend's referral code).",
    required=True,
)
@_csv_option(
    "--visits",
    "CSV from the practice-management system: email or phone, visit_date, optional amount and "
    "referral_code. Without it, success and rewards cannot be known.",
)
@site_option("The site folder, whose content/program.yaml gives the rules (default: the current folder).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for report.json, rewards.csv and dashboard.html (default: SITE/reports). "
    "Never inside SITE/public or SITE/content.",
)
@format_option("What to print: a summary, or report.json itself.")
@_day_option(
    "--since", "First day of the period, YYYY-MM-DD (earlier rows still count toward tiers and limits)."
)
@_day_option(
    "--until", "Last day of the period, YYYY-MM-DD (later rows are left out, as if not yet exported)."
)
@_csv_option(
    "--refers", "The `refer` form's export: invitations with a code count as referrals.", file_only=True
)
@_csv_option(
    "--exclusions",
    "CSV of people who may not earn rewards (staff, households): email, phone, reason.",
    file_only=True,
)
@_csv_option(
    "--ledger",
    "Last report's rewards.csv (or a given.csv) with given_on and given_by filled in; repeatable.",
    "ledgers",
    file_only=True,
    multiple=True,
)
@click.option(
    "--date-order",
    type=click.Choice(["mdy", "dmy"]),
    default=None,
    help="How the ledger's dates like 03/12/2026 read: month first or day first "
    "(default: month first in the US, day first elsewhere, from site.yaml's country).",
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
    refers: Path | None,
    exclusions: Path | None,
    ledgers: tuple[Path, ...],
    date_order: str | None,
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
    # never while a build of the site writes its cache
    with failing_on_content_errors(), site_lock(site_dir, "report", log):
        result = run_report(
            site_dir,
            enrollments,
            appointments,
            visits,
            out_dir,
            since.date() if since else None,
            until.date() if until else None,
            refers=refers,
            exclusions=exclusions,
            ledgers=list(ledgers),
            date_order=date_order,
        )
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
