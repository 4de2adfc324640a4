"""The tables of dashboard.html: each chart's numbers, the advocates, the rewards owed, what is still
outstanding from any month (with its age), the donations per charity and month, and the flags. Every
value from an export is escaped."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from sitegen.report.summary import FLAG_NAMES

METRIC_COLUMNS = [
    ("enrolled", "Enrolled"),
    ("active_advocates", "Active"),
    ("referrals", "Referrals"),
    ("successful", "Successful"),
    ("pending", "Pending"),
    ("conversion_rate", "Conversion"),
    ("median_days_to_appointment", "Median days to request"),
    ("p90_days_to_appointment", "p90"),
    ("median_days_to_first_visit", "Median days to visit"),
    ("p90_days_to_first_visit", "p90"),
]
ADVOCATE_COLUMNS = [
    ("first_name", "First name"),
    ("email", "Email"),
    ("codes", "Codes"),
    ("enrolled_on", "Enrolled"),
    ("referrals", "Referrals"),
    ("successful", "Successful"),
    ("successful_to_date", "Successful to date"),
    ("tier", "Tier"),
    ("rewards_owed", "Rewards owed"),
]
REWARD_COLUMNS = [
    ("earned_on", "Earned"),
    ("first_name", "First name"),
    ("email", "Email"),
    ("code", "Code"),
    ("reward", "Reward"),
    ("description", "Description"),
    ("value", "Value"),
    ("owed", "Owed"),
    ("capped_by", "Cut by"),
    ("note", "Note"),
]
OUTSTANDING_COLUMNS = [
    ("days_outstanding", "Days outstanding"),
    ("earned_on", "Earned"),
    ("first_name", "First name"),
    ("email", "Email"),
    ("description", "Reward"),
    ("owed", "Owed"),
    ("reward_id", "Reward id"),
]
DONATION_COLUMNS = [
    ("month", "Month"),
    ("charity", "Charity"),
    ("donations", "Donations"),
    ("amount", "Amount"),
    ("given", "Given"),
]
FLAG_COLUMNS = [
    ("where", "File and row"),
    ("what", "What"),
    ("effect", "Effect"),
    ("date", "Date"),
    ("code", "Code"),
    ("message", "Why"),
]


def tables(data: dict[str, Any], known: bool, money: Callable[[Any], str]) -> list[str]:
    """The tables of numbers: by month, campaign and source, the advocates (200 at most), the rewards owed
    (when the visits are known) and the flags (500 at most)."""
    tables = [
        table(
            "By month",
            [("month", "Month")] + METRIC_COLUMNS + [("rewards_owed", "Rewards owed")],
            data["by_month"],
            money=money,
        ),
        table(
            "By campaign (utm_campaign)",
            [("campaign", "Campaign"), ("title", "Title")] + METRIC_COLUMNS,
            data["by_campaign"],
            money=money,
        ),
        table(
            "By source (utm_source)", [("source", "Source")] + METRIC_COLUMNS, data["by_source"], money=money
        ),
        table(
            "Advocates",
            ADVOCATE_COLUMNS,
            data["advocates"][:200],
            money=money,
            more=len(data["advocates"]) - 200,
        ),
    ]
    if known:
        tables.append(table("Rewards owed", REWARD_COLUMNS, data["rewards"], money=money))
        tables.extend(ledger_tables(data, money))
    flag_rows = [
        {"what": FLAG_NAMES[f["kind"]][0], **f, "where": f"{f['file']}:{f['row']}"}
        for f in data["flags"][:500]
    ]
    tables.append(
        table(
            "Flags",
            FLAG_COLUMNS,
            flag_rows,
            money=money,
            more=len(data["flags"]) - 500,
            empty="No flags: every row was read and counted.",
        )
    )
    return tables


def ledger_tables(data: dict[str, Any], money: Callable[[Any], str]) -> list[str]:
    """What is still owed from any month, the oldest first (500 at most), with its total; and the
    donations per charity and month of a charitable program, ready for the payment to each charity."""
    outstanding = sorted(data["outstanding"], key=lambda r: (-r["days_outstanding"], r["reward_id"]))
    found = [
        table(
            f"Outstanding: not yet given, from any month ({money(data['outstanding_total'])} "
            f"in {len(outstanding)} reward(s))",
            OUTSTANDING_COLUMNS,
            outstanding[:500],
            money=money,
            more=len(outstanding) - 500,
            empty="Nothing outstanding: every reward earned is marked given.",
        )
    ]
    if data["program"]["model"] == "charitable":
        found.append(
            table(
                "Donations per charity and month",
                DONATION_COLUMNS,
                data["donations"],
                money=money,
                empty="No donations earned in this period.",
            )
        )
    return found


def escaped(text: Any) -> str:
    return escape(str(text), quote=True)


_e = escaped


def table(
    caption: str,
    columns: list[tuple[str, str]],
    rows: list[dict[str, Any]],
    *,
    money,
    more: int = 0,  # type: ignore[no-untyped-def]
    empty: str = "Nothing in this period.",
) -> str:
    money_keys = {"rewards_owed", "value", "owed", "amount", "given"}
    head = "".join(f'<th scope="col"{num_class(key)}>{_e(label)}</th>' for key, label in columns)
    body = []
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row.get(key)
            if key in money_keys:
                text = money(value)
            elif key == "conversion_rate":
                text = "" if value is None else f"{value * 100:.1f}%"
            elif isinstance(value, list):
                text = ", ".join(map(str, value))
            else:
                text = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
            cells.append(f"<td{num_class(key)}>{_e(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(columns)}">{_e(empty)}</td></tr>')
    if more > 0:
        body.append(f'<tr><td colspan="{len(columns)}">… and {more} more in report.json</td></tr>')
    return (
        '<div class="table" role="region" tabindex="0" '
        f'aria-label="{_e(caption)}"><table><caption>{_e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def num_class(key: str) -> str:
    textual = {
        "month",
        "campaign",
        "title",
        "source",
        "first_name",
        "email",
        "codes",
        "enrolled_on",
        "tier",
        "earned_on",
        "code",
        "reward",
        "description",
        "capped_by",
        "note",
        "where",
        "what",
        "effect",
        "date",
        "message",
        "charity",
        "reward_id",
    }
    return "" if key in textual else ' class="n"'
