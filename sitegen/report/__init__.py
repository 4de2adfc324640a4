"""`sitegen report`: referral tracking from the form service's CSV exports.

    ingest.py     reading the exports: columns by name, rows numbered, unreadable rows flagged
    records.py    advocates, referrals, the visits index, the analysis
    metrics.py    joining the exports on the referral code; which referrals count, which succeeded
    numbers.py    the numbers of a group of referrals (month, campaign, source)
    rewards.py    tiers reached and rewards owed after the program's limits
    outputs.py    report.json
    files.py      where the files may be written, and rewards.csv
    summary.py    the terminal summary
    dashboard.py  dashboard.html (charts.py: its SVG charts), no script, nothing loaded

`run_report` is the whole command without the printing (cli.py prints). The numbers are defined in
docs/report.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.content.loader import load_config, load_document
from sitegen.content.markdown import MarkdownRenderer
from sitegen.content.sources import read_document
from sitegen.core.errors import ContentError, Diagnostics, SourceLocation
from sitegen.models.referral import Campaign, Program
from sitegen.report.dashboard import render_dashboard
from sitegen.report.files import check_out_dir, rewards_csv, write_outputs
from sitegen.report.ingest import (
    APPOINTMENTS,
    ENROLLMENTS,
    VISITS,
    CsvExport,
    ReportError,
    date_parser,
)
from sitegen.report.metrics import analyse
from sitegen.report.outputs import build_data, report_json
from sitegen.report.rewards import compute_rewards
from sitegen.report.summary import summary_lines
from sitegen.site.program import PROGRAM_FILE, load_program

__all__ = ["ReportError", "ReportRun", "run_report", "summary_lines"]


@dataclass
class ReportRun:
    data: dict[str, Any]
    written: list[Path]
    warnings: list[str]


def run_report(
    site_dir: Path,
    enrollments: Path,
    appointments: Path,
    visits: Path | None,
    out_dir: Path,
    since: date | None = None,
    until: date | None = None,
) -> ReportRun:
    if since and until and since > until:
        raise ReportError(f"--since {since} is after --until {until}")
    warnings = check_out_dir(out_dir, site_dir)
    program, campaigns, currency = load_site(site_dir)
    parse = date_parser(_timezone(program), program.report.date_format)
    columns = program.report.columns
    exports = {
        "enrollments": CsvExport(enrollments, ENROLLMENTS, columns, parse),
        "appointments": CsvExport(appointments, APPOINTMENTS, columns, parse),
        "visits": CsvExport(visits, VISITS, columns, parse) if visits is not None else None,
    }
    for export in exports.values():  # a missing file or column is reported before any file is read whole
        if export is not None:
            export.check()
    analysis = analyse(
        program,
        campaigns,
        exports["enrollments"],
        exports["appointments"],  # type: ignore[arg-type]
        exports["visits"],
        since,
        until,
    )
    data = build_data(analysis, compute_rewards(analysis), exports, currency)
    files = {
        "report.json": report_json(data),
        "rewards.csv": rewards_csv(data),
        "dashboard.html": render_dashboard(data),
    }
    return ReportRun(data, write_outputs(out_dir, files), warnings)


def load_site(site_dir: Path) -> tuple[Program, list[Campaign], str]:
    """The program, its campaigns (drafts too: their utm_campaign may be in the exports) and the currency."""
    diagnostics = Diagnostics()
    renderer = MarkdownRenderer()
    program = load_program(site_dir, renderer, diagnostics)
    if program is None and not diagnostics.errors:
        raise ReportError(
            f"there is no {site_dir / PROGRAM_FILE}: the report needs the referral program's success "
            "rule and rewards. Pass the site folder with --site."
        )
    campaigns = []
    folder = site_dir / "content" / "campaigns"
    for file in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        raw = read_document("campaigns", file, site_dir, diagnostics)
        loaded = load_document(raw, renderer, diagnostics) if raw is not None else None
        if loaded is not None:
            campaigns.append(loaded.model)
    diagnostics.raise_if_errors()
    assert program is not None
    quiet = Diagnostics()  # site.yaml only gives the currency here; the build reports its mistakes
    config = load_config(site_dir, quiet)
    return program, campaigns, config.currency if config is not None and not quiet.errors else "USD"


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
