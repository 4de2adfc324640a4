"""The report's files: report.json (the numbers), rewards.csv (for staff), the terminal summary, and
where they may be written. They hold patient data, so they are never written into the site's
published folder, files are readable by their owner only, and a folder inside a git repository that
git does not ignore is warned about.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from sitegen.build.output import MARKER
from sitegen.content.i18n import format_money
from sitegen.core.paths import SHIPPED_THEMES
from sitegen.report.ingest import FLAG_EFFECTS, CsvExport, ReportError, shown
from sitegen.report.metrics import (
    NONE,
    Analysis,
    group_metrics,
    grouped,
    months_between,
)
from sitegen.report.rewards import AdvocateRewards, RewardLine

FORMAT = "sitegen-report/1"
FLAG_NAMES = {
    "unreadable_row": ("unreadable row", "unreadable rows"),
    "unknown_code": ("unknown code", "unknown codes"),
    "self_referral": ("self-referral", "self-referrals"),
    "duplicate_friend": ("duplicate friend", "duplicate friends"),
    "outside_program_dates": ("outside the program's dates", "outside the program's dates"),
    "existing_patient": ("existing patient", "existing patients"),
    "enrolment_without_code": ("enrolment without a code", "enrolments without a code"),
    "duplicate_enrolment": ("duplicate enrolment", "duplicate enrolments"),
    "outside_campaign_dates": ("outside its campaign's dates", "outside their campaign's dates"),
}
REWARDS_COLUMNS = [
    "earned_on",
    "first_name",
    "email",
    "code",
    "reward",
    "kind",
    "description",
    "value",
    "owed",
    "capped_by",
    "referral",
    "referral_id",
    "note",
]


# -- where the files may go -----------------------------------------------------------------------


def check_out_dir(out_dir: Path, site_dir: Path) -> list[str]:
    """Refuse the site's published folders; warnings (to show) when git would commit the files."""
    out = out_dir.resolve()
    for name, what in (
        ("public", "the site's output folder, which is published"),
        ("content", "the site's content (content/static/ is published as it is)"),
        ("themes", "the site's themes (their static/ files are published)"),
        ("templates", "the site's templates"),
        ("promotion-kit", "the promotion kit, which is handed out"),
        (SHIPPED_THEMES, "sitegen's shipped themes (their static/ files are published)"),
    ):
        folder = (site_dir / name).resolve()
        if out == folder or folder in out.parents:
            raise ReportError(
                f"refusing to write the report into {out_dir}: it is inside {site_dir / name}, {what}. "
                f"The report holds patient data; use --out outside it, e.g. --out {site_dir / 'reports'}."
            )
    for folder in (out, *out.parents):
        if (folder / MARKER).is_file():  # an output folder of some build, which is published
            raise ReportError(
                f"refusing to write the report into {out_dir}: {folder} is a sitegen output folder, which "
                f"is published. The report holds patient data; use --out {site_dir / 'reports'}."
            )
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out_dir} is a file, not a folder")
    return [w for w in [_git_warning(out, out_dir)] if w]


def _git_warning(out: Path, shown_as: Path) -> str:
    root = next((p for p in (out, *out.parents) if (p / ".git").exists()), None)
    if root is None:
        return ""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "check-ignore", "-q", str(out / "report.json")],
            capture_output=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return (
            f"{shown_as} is inside the git repository {root}, and git could not be asked whether it ignores "
            "it: make sure the report files are never committed"
        )
    if result.returncode == 1:
        relative = out.relative_to(root).as_posix()
        return (
            f"{shown_as} is inside the git repository {root} and git does not ignore it: the report files "
            f"hold patient data; add `{relative}/` to {root / '.gitignore'} before committing anything"
        )
    return ""


def write_outputs(out_dir: Path, files: dict[str, str]) -> list[Path]:
    """Write each file whole (a temporary file, then renamed), readable by its owner only."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ReportError(f"cannot create {out_dir}: {exc.strerror}") from None
    written = []
    for name, text in files.items():
        target = out_dir / name
        try:
            handle, temp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            os.chmod(temp, 0o600)
            os.replace(temp, target)
        except OSError as exc:
            raise ReportError(f"cannot write {target}: {exc.strerror}") from None
        written.append(target)
    return written


# -- report.json ----------------------------------------------------------------------------------


def build_data(
    analysis: Analysis,
    rewards: dict[int, AdvocateRewards],
    exports: dict[str, CsvExport | None],
    currency: str,
) -> dict[str, Any]:
    program = analysis.program
    period_referrals = [r for r in analysis.referrals if r.in_period]
    enrolled = sum(1 for a in analysis.advocates if analysis.in_period(a.enrolled_on))
    overall = group_metrics(analysis, period_referrals, enrolled)
    lines = sorted(
        (line for outcome in rewards.values() for line in outcome.lines if line.in_period),
        key=lambda line: (line.earned_on, line.advocate.email, line.referral.row),
    )
    known = analysis.visits_given
    months = _months(analysis, lines)
    by_month = grouped(analysis, lambda r: _month(r.day), lambda a: _month(a.enrolled_on))
    owed_by_month: dict[str, float] = {}
    for line in lines:
        owed_by_month[_month(line.earned_on)] = owed_by_month.get(_month(line.earned_on), 0.0) + line.owed
    empty = group_metrics(analysis, [], 0)
    campaigns = grouped(analysis, lambda r: r.utm_campaign, lambda a: a.utm_campaign)
    sources = grouped(analysis, lambda r: r.utm_source, lambda a: a.utm_source)
    flags = list(analysis.flags)
    return {
        "format": FORMAT,
        "program": {
            "name": program.name,
            "model": program.model,
            "currency": currency,
            "success": {"event": program.success.event, "within_days": program.success.within_days},
            "start": analysis.start.isoformat(),
            "end": analysis.end.isoformat() if analysis.end else None,
            "limits": {
                "per_referral": program.limits.per_referral,
                "per_year": program.limits.per_year,
                "referrals_per_year": program.limits.referrals_per_year,
            },
            "tiers": [
                {"name": t.name, "referrals": t.referrals, "value": t.reward.value or 0}
                for t in program.tiers
            ],
        },
        "period": {
            "since": _iso(analysis.since),
            "until": _iso(analysis.until),
            "as_of": analysis.as_of.isoformat(),
        },
        "files": {
            kind: None
            if export is None
            else {
                "path": export.label,
                "rows": export.rows_seen,
                "unreadable": sum(1 for f in flags if f.kind == "unreadable_row" and f.file == export.label),
            }
            for kind, export in exports.items()
        },
        **overall,
        "appointment_requests": analysis.requests_in_period,
        "funnel": {
            "appointment_requests": analysis.requests_in_period,
            "referrals": len(period_referrals),
            "first_visits": sum(1 for r in period_referrals if r.first_visit) if known else None,
            "successful": overall["successful"],
        },
        "distributions": {
            "days_to_appointment": _buckets([r.days_to_appointment for r in period_referrals]),
            "days_to_first_visit": _buckets(
                [d for r in period_referrals if (d := r.days_to_first_visit) is not None]
            )
            if known
            else None,
        },
        "rewards_owed": round(sum(line.owed for line in lines), 2) if known else None,
        "rewards": [_reward(line) for line in lines],
        "advocates": _advocates(analysis, rewards, lines),
        "by_month": [
            {
                "month": m,
                **by_month.get(m, empty),
                "rewards_owed": round(owed_by_month.get(m, 0.0), 2) if known else None,
            }
            for m in months
        ],
        "by_campaign": [
            {"campaign": key, "title": _campaign_title(analysis, key), **values}
            for key, values in _ranked(campaigns)
        ],
        "by_source": [{"source": key, **values} for key, values in _ranked(sources)],
        "flag_counts": {kind: sum(1 for f in flags if f.kind == kind) for kind in FLAG_EFFECTS},
        "flags": [
            {
                "kind": f.kind,
                "effect": f.effect,
                "file": f.file,
                "row": f.row,
                "date": _iso(f.day),
                "code": f.code,
                "message": f.message,
            }
            for f in flags
        ],
        "notes": list(analysis.notes),
    }


BUCKETS = [(0, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, 180), (181, None)]


def _buckets(values: list[int]) -> dict[str, int]:
    """How many values fall in each range of days: 0-7, 8-14, 15-30, 31-60, 61-90, 91-180, 181+."""
    counts = {f"{low}-{high}" if high is not None else f"{low}+": 0 for low, high in BUCKETS}
    for value in values:
        for (low, high), label in zip(BUCKETS, counts):
            if value >= low and (high is None or value <= high):
                counts[label] += 1
                break
    return counts


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(analysis: Analysis, lines: list[RewardLine]) -> list[str]:
    days = [r.day for r in analysis.referrals if r.in_period]
    days += [a.enrolled_on for a in analysis.advocates if analysis.in_period(a.enrolled_on)]
    days += [line.earned_on for line in lines]
    return months_between(min(days), max(days)) if days else []


def _ranked(groups: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return sorted(
        groups.items(),
        key=lambda item: (-item[1]["referrals"], -item[1]["enrolled"], item[0] == NONE, item[0]),
    )


def _campaign_title(analysis: Analysis, key: str) -> str | None:
    campaign = analysis.campaigns.get(key.lower())
    return campaign.title if campaign else None


def _reward(line: RewardLine) -> dict[str, Any]:
    return {
        "earned_on": line.earned_on.isoformat(),
        "first_name": line.advocate.first_name,
        "email": line.advocate.email,
        "code": line.referral.code,
        "reward": line.name,
        "kind": line.reward.kind,
        "description": line.reward.description,
        "value": line.value,
        "owed": round(line.owed, 2),
        "capped_by": list(line.capped_by),
        "referral": line.referral.where,
        "referral_id": line.referral.ref_id,
        "note": "; ".join(line.notes),
    }


def _advocates(
    analysis: Analysis, rewards: dict[int, AdvocateRewards], lines: list[RewardLine]
) -> list[dict[str, Any]]:
    referrals: dict[int, list] = {}
    for referral in analysis.referrals:
        if referral.in_period:
            referrals.setdefault(id(referral.advocate), []).append(referral)
    owed: dict[int, float] = {}
    for line in lines:
        owed[id(line.advocate)] = owed.get(id(line.advocate), 0.0) + line.owed
    found = []
    for advocate in analysis.advocates:
        key = id(advocate)
        mine = referrals.get(key, [])
        if not (mine or key in owed or analysis.in_period(advocate.enrolled_on)):
            continue
        outcome = rewards.get(key, AdvocateRewards())
        known = analysis.visits_given
        found.append(
            {
                "first_name": advocate.first_name,
                "email": advocate.email,
                "codes": list(advocate.codes),
                "enrolled_on": advocate.enrolled_on.isoformat(),
                "referrals": len(mine),
                "successful": sum(1 for r in mine if r.success_on) if known else None,
                "successful_to_date": outcome.successful_to_date if known else None,
                "tier": outcome.tier if known else None,
                "rewards_owed": round(owed.get(key, 0.0), 2) if known else None,
            }
        )
    found.sort(
        key=lambda a: (-(a["successful"] or 0), -a["referrals"], -(a["rewards_owed"] or 0), a["email"])
    )
    return found


def report_json(data: dict[str, Any]) -> str:
    """Indented at the top, one line per item of the long lists: readable, and fast for big exports."""
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(json.dumps(item, ensure_ascii=False) for item in value)
            parts.append(f"  {json.dumps(key)}: [\n    {items}\n  ]")
        else:
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            parts.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


# -- rewards.csv ----------------------------------------------------------------------------------


def rewards_csv(data: dict[str, Any]) -> str:
    """One row per reward earned in the period; cells that a spreadsheet would run as a formula are
    prefixed with ' (names come from a public form)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REWARDS_COLUMNS)
    for reward in data["rewards"]:
        row = {
            **reward,
            "value": f"{reward['value']:.2f}",
            "owed": f"{reward['owed']:.2f}",
            "capped_by": " ".join(reward["capped_by"]),
        }
        writer.writerow([_cell(str(row[column])) for column in REWARDS_COLUMNS])
    return buffer.getvalue()


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# -- the terminal summary -------------------------------------------------------------------------


def summary_lines(data: dict[str, Any], limit: int = 10) -> list[str]:
    program, period = data["program"], data["period"]
    currency = program["currency"]

    def days(median: Any, p90: Any) -> str:
        return "none yet" if median is None else f"median {_num(median)}, p90 {_num(p90)}"

    lines = [f"Referral report: {program['name']}, {period_text(period)}"]
    files = ", ".join(
        f"{kind} {info['rows']:,} rows"
        + (f" ({info['unreadable']:,} unreadable)" if info["unreadable"] else "")
        for kind, info in data["files"].items()
        if info
    )
    lines.append(f"  Read: {files}")
    lines.append(
        f"  Advocates: {data['enrolled']:,} enrolled, {data['active_advocates']:,} active "
        f"(with a referral in the period)"
    )
    if data["successful"] is None:
        lines.append(
            f"  Referrals: {data['referrals']:,} of {data['appointment_requests']:,} appointment requests; "
            "successful: unknown without --visits"
        )
    else:
        rate = "" if data["conversion_rate"] is None else f" ({data['conversion_rate'] * 100:.1f}%)"
        lines.append(
            f"  Referrals: {data['referrals']:,} of {data['appointment_requests']:,} appointment requests; "
            f"successful {data['successful']:,}{rate}, pending {data['pending']:,}"
        )
    lines.append(
        "  Days from enrolment to appointment request: "
        f"{days(data['median_days_to_appointment'], data['p90_days_to_appointment'])}"
    )
    if data["successful"] is not None:
        lines.append(
            "  Days from request to first visit: "
            f"{days(data['median_days_to_first_visit'], data['p90_days_to_first_visit'])}"
        )
        capped = sum(1 for r in data["rewards"] if r["capped_by"])
        owed_to = len({r["email"] or r["code"] for r in data["rewards"] if r["owed"] > 0})
        lines.append(
            f"  Rewards owed: {format_money(data['rewards_owed'], currency)} to {owed_to:,} advocate(s), "
            f"{len(data['rewards']):,} reward(s)"
            + (f", {capped:,} cut by the program's limits" if capped else "")
        )
    for title, key, rows in (
        ("Campaigns", "campaign", data["by_campaign"]),
        ("Sources", "source", data["by_source"]),
    ):
        shown_rows = [r for r in rows if r["referrals"]][:5]
        if shown_rows:
            lines.append(
                f"  {title}: "
                + ", ".join(
                    f"{shown(r[key])} {r['referrals']:,}"
                    + ("" if r["successful"] is None else f"/{r['successful']:,}")
                    for r in shown_rows
                )
                + (" (referrals/successful)" if data["successful"] is not None else " referrals")
            )
    counts = {kind: n for kind, n in data["flag_counts"].items() if n}
    if counts:
        lines.append(
            "  Flags: " + ", ".join(f"{n:,} {FLAG_NAMES[kind][n != 1]}" for kind, n in counts.items())
        )
        for flag in data["flags"][:limit]:
            code = f" [{shown(flag['code'])}]" if flag["code"] else ""
            lines.append(
                f"    {shown(flag['file'], 80)}:{flag['row']}: {flag['kind']}{code}: {flag['message']}"
            )
        if len(data["flags"]) > limit:
            lines.append(f"    ... and {len(data['flags']) - limit:,} more in report.json")
    else:
        lines.append("  Flags: none")
    lines.extend(f"  Note: {note}" for note in data["notes"])
    return lines


def period_text(period: dict[str, Any]) -> str:
    since, until, as_of = period["since"], period["until"], period["as_of"]
    if since and until:
        return f"{since} to {until}"
    if since:
        return f"{since} to {as_of} (the last date in the exports)"
    if until:
        return f"everything up to {until}"
    return f"everything up to {as_of} (the last date in the exports)"


def _num(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
