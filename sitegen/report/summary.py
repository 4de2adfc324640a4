"""The terminal summary of `sitegen report`: the numbers, the flags and the notes, in a few lines."""

from __future__ import annotations

from typing import Any

from sitegen.report.ingest import shown, shown_path
from sitegen.report.numbers import money as money_text

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
    "invitation_without_code": ("invitation without a code", "invitations without a code"),
    "excluded_referrer": ("referral by an excluded referrer", "referrals by excluded referrers"),
    "referrer_without_paid_visit": (
        "referrer without a paid visit of their own",
        "referrers without a paid visit of their own",
    ),
    "charity_not_chosen": ("charity not chosen", "charities not chosen"),
    "referrer_named_not_coded": ("referrer named, not coded", "referrers named, not coded"),
    "probably_mistyped_code": ("probably mistyped code", "probably mistyped codes"),
}


def summary_lines(data: dict[str, Any], limit: int = 10) -> list[str]:
    """The terminal summary of report.json's data: the period and files, the numbers, the rewards and the
    ledger, the campaigns and sources, the flags (every one that needs staff, `limit` of the others)."""
    return [
        f"Referral report: {data['program']['name']}, {period_text(data['period'])}",
        *_counts(data),
        *_rewards(data, data["program"]["currency"]),
        *_groups(data),
        *_flags(data, limit),
        *(f"  Note: {note}" for note in data["notes"]),
    ]


def _counts(data: dict[str, Any]) -> list[str]:
    """The files read, the advocates, the referrals and the days they took."""

    def days(median: Any, p90: Any) -> str:
        return "none yet" if median is None else f"median {_num(median)}, p90 {_num(p90)}"

    files = ", ".join(
        f"{kind} {info['rows']:,} rows"
        + (f" ({info['unreadable']:,} unreadable)" if info["unreadable"] else "")
        for kind, info in data["files"].items()
        if info
    )
    lines = [
        f"  Read: {files}",
        f"  Advocates: {data['enrolled']:,} enrolled, {data['active_advocates']:,} active "
        f"(with a referral in the period)",
    ]
    of = f"  Referrals: {data['referrals']:,} of {data['appointment_requests']:,} appointment requests; "
    if data["successful"] is None:
        lines.append(of + "successful: unknown without --visits")
    else:
        rate = "" if data["conversion_rate"] is None else f" ({data['conversion_rate'] * 100:.1f}%)"
        lines.append(of + f"successful {data['successful']:,}{rate}, pending {data['pending']:,}")
    lines.append(
        "  Days from enrolment to appointment request: "
        f"{days(data['median_days_to_appointment'], data['p90_days_to_appointment'])}"
    )
    if data["successful"] is not None:
        lines.append(
            "  Days from request to first visit: "
            f"{days(data['median_days_to_first_visit'], data['p90_days_to_first_visit'])}"
        )
    return lines


def _rewards(data: dict[str, Any], currency: str) -> list[str]:
    """What is owed for the period, what is outstanding from any month, and the donations (when the visits
    are known: without them, nothing is)."""
    if data["successful"] is None:
        return []
    capped = sum(1 for r in data["rewards"] if r["capped_by"])
    owed_to = len({r["email"] or r["code"] for r in data["rewards"] if r["owed"] > 0})
    lines = [
        f"  Rewards owed: {money_text(data['rewards_owed'], currency)} to {owed_to:,} advocate(s), "
        f"{len(data['rewards']):,} reward(s)"
        + (f", {capped:,} cut by the program's limits" if capped else "")
    ]
    if data["outstanding"]:
        oldest = max(r["days_outstanding"] for r in data["outstanding"])
        total = money_text(data["outstanding_total"], currency)
        lines.append(
            f"  Outstanding (not yet given, any month): {total} "
            f"in {len(data['outstanding']):,} reward(s), the oldest earned {oldest:,} day(s) ago"
        )
    for row in data["donations"]:
        amount = money_text(row["amount"], currency)
        lines.append(f"  Donations {row['month']}: {shown(row['charity'])} {amount} ({row['donations']:,})")
    return lines


def _groups(data: dict[str, Any]) -> list[str]:
    """The five campaigns and sources with the most referrals."""
    lines = []
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
    return lines


def _flags(data: dict[str, Any], limit: int) -> list[str]:
    """How many flags of each kind; every one that needs staff (nobody is credited until they match it
    by hand), then the first `limit` others."""
    counts = {kind: n for kind, n in data["flag_counts"].items() if n}
    if not counts:
        return ["  Flags: none"]
    lines = ["  Flags: " + ", ".join(f"{n:,} {FLAG_NAMES[kind][n != 1]}" for kind, n in counts.items())]
    staff = [f for f in data["flags"] if f["effect"] == "needs staff"]
    others = [f for f in data["flags"] if f["effect"] != "needs staff"]
    if staff:
        lines.append(f"  Needs staff ({len(staff):,}; nothing credited until matched by hand):")
        lines.extend(_flag_line(flag) for flag in staff)
    lines.extend(_flag_line(flag) for flag in others[:limit])
    if len(others) > limit:
        lines.append(f"    ... and {len(others) - limit:,} more in report.json")
    return lines


def _flag_line(flag: dict[str, Any]) -> str:
    code = f" [{shown(flag['code'])}]" if flag["code"] else ""
    return f"    {shown_path(flag['file'])}:{flag['row']}: {flag['kind']}{code}: {flag['message']}"


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
