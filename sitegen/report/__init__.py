"""`sitegen report`: referral tracking from the form service's CSV exports.

    ingest.py       reading the exports: columns by name, rows numbered, unreadable rows flagged
    dates.py        the dates the exports write, as days in the practice's time zone
    records.py      advocates, referrals, the visits index, the analysis
    enrolments.py   who owns which code
    visits.py       the visits index, and the referrals the front desk recorded
    appointments.py the appointment requests with a code
    invitations.py  the refer form's invitations with a code
    metrics.py      joining the exports on the referral code; which referrals count, which succeeded
    numbers.py      the numbers of a group of referrals (month, campaign, source)
    rewards.py      tiers reached and rewards owed after the program's limits
    outputs.py      report.json
    files.py        where the files may be written, and rewards.csv
    summary.py      the terminal summary
    dashboard.py    dashboard.html (charts.py: its SVG charts), no script, nothing loaded

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
from sitegen.content.sources import list_sources, read_document
from sitegen.core.errors import ContentError, Diagnostics, SourceLocation
from sitegen.models.referral import Campaign, Program
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
from sitegen.report.ledger import apply_ledger, read_ledgers
from sitegen.report.messages import MessageContext, message
from sitegen.report.metrics import analyse
from sitegen.report.outputs import LedgerView, build_data, report_json
from sitegen.report.rewards import compute_rewards
from sitegen.report.sheets import date_order as date_order_of
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
    *,
    refers: Path | None = None,
    exclusions: Path | None = None,
    ledgers: list[Path] | None = None,
    date_order: str | None = None,
) -> ReportRun:
    if since and until and since > until:
        raise ReportError(f"--since {since} is after --until {until}")
    warnings = check_out_dir(out_dir, site_dir)
    site = load_site(site_dir)
    program = site.program
    parse = date_parser(_timezone(program), program.report.date_format)
    columns = program.report.columns
    exports = {
        "enrollments": CsvExport(enrollments, ENROLLMENTS, columns, parse),
        "appointments": CsvExport(appointments, APPOINTMENTS, columns, parse),
        "visits": CsvExport(visits, VISITS, columns, parse) if visits is not None else None,
        "refers": CsvExport(refers, REFERS, columns, parse) if refers is not None else None,
    }
    for export in exports.values():  # a missing file or column is reported before any file is read whole
        if export is not None:
            export.check()
    excluded = load_exclusions(program, exclusions)
    order = date_order_of(date_order, site.country)
    ledger = read_ledgers(list(ledgers or []), order)
    analysis = analyse(
        program,
        site.campaigns,
        exports["enrollments"],
        exports["appointments"],  # type: ignore[arg-type]
        exports["visits"],
        since,
        until,
        refers=exports["refers"],
        languages=site.languages,
    )
    apply_eligibility(analysis, excluded, bool(exports["visits"] and "amount" in exports["visits"].present))
    rewards = compute_rewards(analysis)
    lines = [line for outcome in rewards.values() for line in outcome.lines]
    orphans = apply_ledger(lines, ledger)
    analysis.notes.extend(ledger.conflicts)
    if ledgers:
        analysis.notes.append(
            f"Ledger: {len(ledger.given)} reward(s) marked given in {', '.join(map(str, ledgers))} "
            f"(dates like 03/12/2026 read as {'month/day' if order.order == 'mdy' else 'day/month'}, "
            f"from {order.because}); they are not owed again."
        )
    if orphans:
        analysis.notes.append(
            f"{len(orphans)} reward(s) marked given in the ledger are not earned by these exports any more; "
            "they stay in rewards.csv as given."
        )
    context = MessageContext(site.practice, site.currency, site.country, program, site.translated)
    texts = {
        line.reward_id: message(line, context) for line in lines if line.given_on is None and line.owed > 0
    }
    data = build_data(analysis, rewards, exports, site.currency, LedgerView(texts, orphans))
    files = {
        "report.json": report_json(data),
        "rewards.csv": rewards_csv(data),
        "dashboard.html": render_dashboard(data),
    }
    return ReportRun(data, write_outputs(out_dir, files), warnings)


@dataclass(frozen=True)
class SiteFacts:
    """What the report needs of the site: the program (also in each language), campaigns, and how the
    practice names itself, counts money and writes dates."""

    program: Program
    campaigns: list[Campaign]
    currency: str
    country: str
    practice: str
    languages: tuple[str, ...]
    translated: dict[str, Program]


def load_site(site_dir: Path) -> SiteFacts:
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
    quiet = Diagnostics()  # the build reports misnamed files; the report needs only the campaigns
    for kind, file in list_sources(
        site_dir, quiet
    ):  # the build's own listing: translations are not documents
        if kind != "campaigns":
            continue
        raw = read_document(kind, file, site_dir, diagnostics)
        loaded = load_document(raw, renderer, diagnostics) if raw is not None else None
        if loaded is not None:
            campaigns.append(loaded.model)
    diagnostics.raise_if_errors()
    assert program is not None
    quiet = Diagnostics()  # site.yaml only gives the currency here; the build reports its mistakes
    config = load_config(site_dir, quiet)
    if config is None or quiet.errors:
        return SiteFacts(program, campaigns, "USD", "US", "", ("en",), {"en": program})
    languages = tuple(config.languages) or ("en",)
    translated = {languages[0]: program}
    for lang in languages[1:]:
        found = Diagnostics()
        other = load_program(site_dir, renderer, found, lang)
        translated[lang] = other if other is not None and not found.errors else program
    return SiteFacts(program, campaigns, config.currency, config.country, config.name, languages, translated)


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
