"""report.json: every number of the report, made from the analysis and the rewards (the data the
other outputs are made from)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sitegen.report.ingest import FLAG_EFFECTS, CsvExport, Flag
from sitegen.report.numbers import group_metrics, grouped, months_between
from sitegen.report.records import NONE, Analysis, Referral
from sitegen.report.rewards import AdvocateRewards, RewardLine

FORMAT = "sitegen-report/2"


# -- report.json ----------------------------------------------------------------------------------


def build_data(
    analysis: Analysis,
    rewards: dict[str, AdvocateRewards],
    exports: dict[str, CsvExport | None],
    currency: str,
    ledger: LedgerView | None = None,
) -> dict[str, Any]:
    """report.json's data, in its order: the program and period, the files read, the period's numbers,
    the rewards (earned in the period; the ledger's view of all of them), the advocates, the numbers by
    month, campaign and source, the flags and the notes. docs/report.md defines each."""
    ledger = ledger or LedgerView()
    period_referrals = [r for r in analysis.referrals if r.in_period]
    enrolled = sum(1 for a in analysis.advocates if analysis.in_period(a.enrolled_on))
    overall = group_metrics(analysis, period_referrals, enrolled)
    every = sorted(
        (line for outcome in rewards.values() for line in outcome.lines),
        key=lambda line: (line.earned_on, line.advocate.email, line.referral.row),
    )
    lines = [line for line in every if line.in_period]
    return {
        "format": FORMAT,
        "program": _program(analysis, currency),
        "period": {
            "since": _iso(analysis.since),
            "until": _iso(analysis.until),
            "as_of": analysis.as_of.isoformat(),
        },
        "files": _files(exports, analysis.flags),
        **overall,
        "appointment_requests": analysis.requests_in_period,
        "funnel": {
            "appointment_requests": analysis.requests_in_period,
            "referrals": len(period_referrals),
            "first_visits": sum(1 for r in period_referrals if r.first_visit)
            if analysis.visits_given
            else None,
            "successful": overall["successful"],
        },
        "distributions": _distributions(period_referrals, analysis.visits_given),
        **_rewards(analysis, lines, every, ledger),
        "advocates": _advocates(analysis, rewards, lines),
        **_groups(analysis, lines),
        **_flags(analysis.flags),
        "notes": list(analysis.notes),
    }


def _program(analysis: Analysis, currency: str) -> dict[str, Any]:
    """The program the numbers are counted by: its success rule, dates, limits and tiers."""
    program = analysis.program
    return {
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
            {"name": t.name, "referrals": t.referrals, "value": t.reward.value or 0} for t in program.tiers
        ],
    }


def _files(exports: dict[str, CsvExport | None], flags: list[Flag]) -> dict[str, dict[str, Any] | None]:
    """Each export given: its path, the rows read and how many of them could not be read."""
    return {
        kind: None
        if export is None
        else {
            "path": export.label,
            "rows": export.rows_seen,
            "unreadable": sum(1 for f in flags if f.kind == "unreadable_row" and f.file == export.label),
        }
        for kind, export in exports.items()
    }


def _distributions(referrals: list[Referral], known: bool) -> dict[str, dict[str, int] | None]:
    return {
        "days_to_appointment": _buckets([r.days_to_appointment for r in referrals]),
        "days_to_first_visit": _buckets([d for r in referrals if (d := r.days_to_first_visit) is not None])
        if known
        else None,
    }


def _rewards(
    analysis: Analysis, lines: list[RewardLine], every: list[RewardLine], ledger: LedgerView
) -> dict[str, Any]:
    """The rewards earned in the period (`lines`), the ones still owed from any period, the donations,
    and the ledger's view of all of them (`every`)."""
    known = analysis.visits_given
    outstanding = [line for line in every if _status(line) == "owed"]
    return {
        "rewards_owed": round(sum(_due(line) for line in lines), 2) if known else None,
        "rewards": [_reward(line, analysis, ledger) for line in lines],
        "outstanding_total": round(sum(line.owed for line in outstanding), 2) if known else None,
        "outstanding": [
            {
                "reward_id": line.reward_id,
                "earned_on": line.earned_on.isoformat(),
                "days_outstanding": (analysis.as_of - line.earned_on).days,
                "first_name": line.advocate.first_name,
                "email": line.advocate.email,
                "owed": round(line.owed, 2),
                "description": line.reward.description,
            }
            for line in outstanding
        ],
        "donations": _donations(lines),
        "ledger": {
            "given": sum(1 for line in every if line.given_on),
            "rewards": [_reward(line, analysis, ledger) for line in every],
            "not_earned_now": ledger.orphans,
        },
    }


def _groups(analysis: Analysis, lines: list[RewardLine]) -> dict[str, list[dict[str, Any]]]:
    """The period's numbers by month (every month of the period, with the rewards owed), by campaign and
    by source (most referrals first)."""
    known = analysis.visits_given
    by_month = grouped(analysis, lambda r: _month(r.day), lambda a: _month(a.enrolled_on))
    owed_by_month: dict[str, float] = {}
    for line in lines:
        owed_by_month[_month(line.earned_on)] = owed_by_month.get(_month(line.earned_on), 0.0) + _due(line)
    empty = group_metrics(analysis, [], 0)
    campaigns = grouped(analysis, lambda r: r.utm_campaign, lambda a: a.utm_campaign)
    sources = grouped(analysis, lambda r: r.utm_source, lambda a: a.utm_source)
    return {
        "by_month": [
            {
                "month": m,
                **by_month.get(m, empty),
                "rewards_owed": round(owed_by_month.get(m, 0.0), 2) if known else None,
            }
            for m in _months(analysis, lines)
        ],
        "by_campaign": [
            {"campaign": key, "title": _campaign_title(analysis, key), **values}
            for key, values in _ranked(campaigns)
        ],
        "by_source": [{"source": key, **values} for key, values in _ranked(sources)],
    }


def _flags(flags: list[Flag]) -> dict[str, Any]:
    """How many flags of each kind, and each flag with its file, row and effect."""
    return {
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
                "typed": f.typed,
                "suggested": f.suggested,
            }
            for f in flags
        ],
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


@dataclass(frozen=True)
class LedgerView:
    """What the ledger and the messages add to the rewards: the texts by reward id, the given rows of
    ids no reward has now."""

    messages: dict[str, tuple[str, str]] = field(default_factory=dict)
    orphans: list[dict[str, str]] = field(default_factory=list)


def _status(line: RewardLine) -> str:
    """given (the ledger says so), owed, or nothing_owed (a limit took it all)."""
    if line.given_on is not None:
        return "given"
    return "owed" if line.owed > 0 else "nothing_owed"


def _due(line: RewardLine) -> float:
    return 0.0 if line.given_on is not None else line.owed


def _donations(lines: list[RewardLine]) -> list[dict[str, Any]]:
    """Donations earned in the period, per month and charity: how many, how much, how much given."""
    totals: dict[tuple[str, str], list[float]] = {}
    for line in lines:
        if line.reward.kind != "donation":
            continue
        key = (_month(line.earned_on), line.advocate.charity or "(not chosen)")
        count, amount, given = totals.get(key, [0, 0.0, 0.0])
        totals[key] = [count + 1, amount + line.owed, given + (line.owed if line.given_on else 0.0)]
    return [
        {"month": m, "charity": c, "donations": int(n), "amount": round(a, 2), "given": round(g, 2)}
        for (m, c), (n, a, g) in sorted(totals.items())
    ]


def _reward(line: RewardLine, analysis: Analysis, ledger: LedgerView) -> dict[str, Any]:
    language, message = ledger.messages.get(line.reward_id, (line.advocate.language, ""))
    status = _status(line)
    return {
        "reward_id": line.reward_id,
        "status": status,
        "days_outstanding": (analysis.as_of - line.earned_on).days if status == "owed" else None,
        "given_on": _iso(line.given_on),
        "given_by": line.given_by,
        "charity": line.advocate.charity,
        "language": language,
        "message": message if status == "owed" else "",
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
    analysis: Analysis, rewards: dict[str, AdvocateRewards], lines: list[RewardLine]
) -> list[dict[str, Any]]:
    referrals: dict[str, list] = {}
    for referral in analysis.referrals:
        if referral.in_period and referral.advocate is not None:
            referrals.setdefault(referral.advocate.code, []).append(referral)
    owed: dict[str, float] = {}
    for line in lines:
        owed[line.advocate.code] = owed.get(line.advocate.code, 0.0) + _due(line)
    found = []
    for advocate in analysis.advocates:
        key = advocate.code
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
    """Indented objects, one line per item of a list (also of a list inside an object, like the ledger's
    rewards): readable, and each line written by json's C encoder, fast for big exports."""
    return _json(data, "") + "\n"


def _json(value: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = (f"{inner}{json.dumps(key)}: {_json(item, inner)}" for key, item in value.items())
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and value:
        items = (inner + json.dumps(item, ensure_ascii=False) for item in value)
        return "[\n" + ",\n".join(items) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)
