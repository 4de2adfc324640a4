"""`sitegen report`: referral tracking from the form service's CSV exports.

`run_report` is the whole command without the printing (cli/report.py prints); the numbers are
defined in docs/report.md, and the package's modules are listed in docs/architecture.md ("report/").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.core.errors import ContentError, Diagnostics, SourceLocation
from sitegen.models.referral import Program
from sitegen.report.dashboard import render_dashboard
from sitegen.report.dates import date_parser
from sitegen.report.eligibility import apply_eligibility, load_exclusions
from sitegen.report.files import check_out_dir, rewards_csv, write_outputs
from sitegen.report.ingest import (
    APPOINTMENTS,
    ENROLLMENTS,
    REFERS,
    VISITS,
    CsvExport,
    ReportError,
)
from sitegen.report.ledger import Ledger, apply_ledger, read_ledgers
from sitegen.report.messages import MessageContext, message
from sitegen.report.metrics import analyse
from sitegen.report.outputs import LedgerView, build_data, report_json
from sitegen.report.rewards import RewardLine, compute_rewards
from sitegen.report.sheets import DateOrder
from sitegen.report.sheets import date_order as date_order_of
from sitegen.report.site import SiteFacts, load_site
from sitegen.report.summary import summary_lines
from sitegen.site.program import PROGRAM_FILE

__all__ = ["ReportError", "ReportRun", "run_report", "summary_lines"]


@dataclass
class ReportRun:
    data: dict[str, Any]
    written: list[Path]
    warnings: list[str]


@dataclass(frozen=True)
class Sources:
    """The files a report reads: the exports (required and optional), the exclusions and the ledgers."""

    enrollments: Path
    appointments: Path
    visits: Path | None = None
    refers: Path | None = None
    exclusions: Path | None = None
    ledgers: tuple[Path, ...] = ()


def run_report(
    site_dir: Path,
    enrollments: Path,
    appointments: Path,
    visits: Path | None,
    out_dir: Path,
    since: date | None = None,
    until: date | None = None,
    *,
    refers: Path | None = None,
    exclusions: Path | None = None,
    ledgers: list[Path] | None = None,
    date_order: str | None = None,
) -> ReportRun:
    """The whole command without the printing: read the site and the exports, weigh the referrals, credit
    the rewards, lay the ledger over them, and write report.json, rewards.csv and dashboard.html."""
    if since and until and since > until:
        raise ReportError(f"--since {since} is after --until {until}")
    sources = Sources(enrollments, appointments, visits, refers, exclusions, tuple(ledgers or ()))
    warnings = check_out_dir(out_dir, site_dir)
    site = load_site(site_dir)
    exports = open_exports(site.program, sources)
    excluded = load_exclusions(site.program, sources.exclusions)
    order = date_order_of(date_order, site.country)
    ledger = read_ledgers(list(sources.ledgers), order)
    analysis = analyse(
        site.program,
        site.campaigns,
        exports["enrollments"],
        exports["appointments"],  # type: ignore[arg-type]
        exports["visits"],
        since,
        until,
        refers=exports["refers"],
        languages=site.languages,
    )
    visits_export = exports["visits"]
    apply_eligibility(analysis, excluded, bool(visits_export and "amount" in visits_export.present))
    rewards = compute_rewards(analysis)
    lines = [line for outcome in rewards.values() for line in outcome.lines]
    orphans = apply_ledger(lines, ledger)
    analysis.notes.extend(ledger_notes(ledger, sources.ledgers, order, orphans))
    data = build_data(
        analysis, rewards, exports, site.currency, LedgerView(owed_messages(lines, site), orphans)
    )
    return ReportRun(data, write_outputs(out_dir, render_files(data)), warnings)


def open_exports(program: Program, sources: Sources) -> dict[str, CsvExport | None]:
    """The exports, each checked (the file is there, the columns it needs are) before any is read whole."""
    parse = date_parser(_timezone(program), program.report.date_format)
    columns = program.report.columns

    def export(path: Path | None, kind: Any) -> CsvExport | None:
        return None if path is None else CsvExport(path, kind, columns, parse)

    exports = {
        "enrollments": export(sources.enrollments, ENROLLMENTS),
        "appointments": export(sources.appointments, APPOINTMENTS),
        "visits": export(sources.visits, VISITS),
        "refers": export(sources.refers, REFERS),
    }
    for found in exports.values():
        if found is not None:
            found.check()
    return exports


def ledger_notes(ledger: Ledger, paths: tuple[Path, ...], order: DateOrder, orphans: list) -> list[str]:
    """What the reader must know of the ledgers: conflicting dates, how many rewards they mark given and
    how their dates were read, and given rewards these exports no longer earn."""
    notes = list(ledger.conflicts)
    if paths:
        notes.append(
            f"Ledger: {len(ledger.given)} reward(s) marked given in {', '.join(map(str, paths))} "
            f"(dates like 03/12/2026 read as {'month/day' if order.order == 'mdy' else 'day/month'}, "
            f"from {order.because}); they are not owed again."
        )
    if orphans:
        notes.append(
            f"{len(orphans)} reward(s) marked given in the ledger are not earned by these exports any more; "
            "they stay in rewards.csv as given."
        )
    return notes


def owed_messages(lines: list[RewardLine], site: SiteFacts) -> dict[str, tuple[str, str]]:
    """(language, text) for staff to send, for every reward still owed, by reward id."""
    context = MessageContext(
        site.practice, site.currency, site.country, site.program, site.translated, site.campaigns_in
    )
    return {
        line.reward_id: message(line, context) for line in lines if line.given_on is None and line.owed > 0
    }


def render_files(data: dict[str, Any]) -> dict[str, str]:
    return {
        "report.json": report_json(data),
        "rewards.csv": rewards_csv(data),
        "dashboard.html": render_dashboard(data),
    }


def _timezone(program: Program) -> ZoneInfo:
    try:
        return ZoneInfo(program.report.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        line = program.at_line("report.timezone") or program.at_line("report")
        diagnostics = Diagnostics()
        diagnostics.error(
            "SG209",
            f'report.timezone: "{program.report.timezone}" is not a time zone',
            SourceLocation(PROGRAM_FILE, line),
            "write a name from the tz database, e.g. America/Chicago",
        )
        raise ContentError(diagnostics.items) from None
