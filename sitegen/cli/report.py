"""`sitegen report`: the program's numbers and the rewards ledger from the form service's exports."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cli.group import echo_diagnostics, log, main
from sitegen.core.errors import ContentError
from sitegen.output.lock import site_lock


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
@click.option(
    "--refers",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The `refer` form's export: invitations with a code count as referrals.",
)
@click.option(
    "--exclusions",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV of people who may not earn rewards (staff, households): email, phone, reason.",
)
@click.option(
    "--ledger",
    "ledgers",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Last report's rewards.csv (or a given.csv) with given_on and given_by filled in; repeatable.",
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
    try:
        with site_lock(site_dir, "report", log):  # never while a build of the site writes its cache
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
    except ContentError as exc:
        echo_diagnostics(exc.diagnostics)
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
