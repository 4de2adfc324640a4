"""dashboard.html: the report as one self-contained page, for staff, readable offline.

Charts are SVG drawn here, in Python; the page has no script at all and loads nothing: a
Content-Security-Policy in the page allows only its own style element (by hash), so a browser
refuses any request the page might make. Every value from an export is escaped. Each chart is
followed by the table of its numbers, for screen readers and for copying.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from html import escape
from typing import Any

from sitegen.content.i18n import format_money
from sitegen.report.charts import bars_chart, columns_chart, figure, funnel_chart
from sitegen.report.summary import FLAG_NAMES, period_text

STYLE = """
:root{--ink:#1f2a2e;--muted:#56656b;--line:#dcd8d2;--bg:#fbf8f4;--card:#fff;--a:#2f5d62;--b:#c17c5b;--c:#8fb3b0}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);\
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main{max-width:1180px;margin:0 auto;padding:0 20px}
header{padding-top:24px}
h1{font:600 1.7rem/1.2 Georgia,"Times New Roman",serif;margin:0 0 4px}
h2{font:600 1.25rem/1.3 Georgia,"Times New Roman",serif;margin:32px 0 12px}
h3{font-size:1rem;margin:0 0 8px}
.period{color:var(--muted);margin:0 0 12px}
.private{border-left:4px solid var(--b);background:#fff4ee;padding:8px 12px;margin:0 0 8px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:0;padding:0}
.kpis div{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px}
.kpis dt{color:var(--muted);font-size:.85rem}
.kpis dd{margin:0;font-size:1.5rem;font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px}
figcaption{font-weight:600;margin-bottom:6px}
svg{display:block;width:100%;height:auto}
svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;fill:var(--ink)}
svg .muted{fill:var(--muted)}
.grid{stroke:var(--line);stroke-width:1}
.s0{fill:var(--a)}.s1{fill:var(--b)}.s2{fill:var(--c)}
.key{display:flex;gap:16px;font-size:.85rem;color:var(--muted);margin:4px 0 0;padding:0;list-style:none}
.key span{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}
.key .k0{background:var(--a)}.key .k1{background:var(--b)}
.table{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:8px;\
margin-bottom:16px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.n,td:first-child{white-space:nowrap}
caption{text-align:left;font-weight:600;padding:8px 10px}
.notes li{margin-bottom:4px}
footer{max-width:1180px;margin:32px auto;padding:0 20px;color:var(--muted);font-size:.85rem}
@media print{.charts{grid-template-columns:1fr}figure,.table{break-inside:avoid}}
"""


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
FLAG_COLUMNS = [
    ("where", "File and row"),
    ("what", "What"),
    ("effect", "Effect"),
    ("date", "Date"),
    ("code", "Code"),
    ("message", "Why"),
]
FOOTER = (
    "<footer>Made by <code>sitegen report</code>. Every number is defined in docs/report.md. "
    "Friends appear only as a file and row number of the export.</footer></body></html>\n"
)


def render_dashboard(data: dict[str, Any]) -> str:
    """The page for report.json's data (outputs.build_data): the key numbers, the charts, the tables
    (long ones cut, the rest left to report.json) and the notes."""
    currency = data["program"]["currency"]
    known = data["successful"] is not None

    def money(value: Any) -> str:
        return "unknown" if value is None else format_money(value, currency)

    parts = [
        *_head(data["program"], period_text(data["period"])),
        *_numbers(data, money),
        *_charts(data, known),
        '<section aria-labelledby="tables"><h2 id="tables">Numbers</h2>',
        *_tables(data, known, money),
        *_notes(data["notes"]),
        "</section></main>",
        FOOTER,
    ]
    return "\n".join(parts)


def _head(program: dict[str, Any], span: str) -> list[str]:
    """The document's head, with the policy that lets the page load nothing, and the page's header."""
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    policy = (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    return [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex, nofollow">',
        f"<title>Referral report · {_e(program['name'])} · {_e(span)}</title>",
        '<link rel="icon" href="data:,">',
        f"<style>{STYLE}</style></head><body>",
        f"<header><h1>Referral report: {_e(program['name'])}</h1>",
        f'<p class="period">{_e(span[0].upper() + span[1:])}. A referral is successful when the friend\'s '
        f"{_e(program['success']['event'].replace('_', ' '))} is within "
        f"{program['success']['within_days']} days of their appointment request.</p>",
        '<p class="private"><strong>Private: this page holds patient data.</strong> '
        "Keep it on the practice's computers. Never publish it, put it in the site's folders, "
        "email it or upload it to a file-sharing service.</p>",
        "</header><main>",
    ]


def _numbers(data: dict[str, Any], money: Callable[[Any], str]) -> list[str]:
    """The section of key numbers of the period."""
    known = data["successful"] is not None
    kpis = [
        ("Advocates enrolled", data["enrolled"]),
        ("Active advocates", data["active_advocates"]),
        ("Referrals", data["referrals"]),
        ("Successful", "unknown" if not known else data["successful"]),
        (
            "Conversion",
            "unknown" if data["conversion_rate"] is None else f"{data['conversion_rate'] * 100:.1f}%",
        ),
        ("Median days to request", _days(data["median_days_to_appointment"])),
        ("Median days to first visit", _days(data["median_days_to_first_visit"])),
        ("Rewards owed", money(data["rewards_owed"])),
    ]
    return [
        '<section aria-labelledby="numbers"><h2 id="numbers">In numbers</h2><dl class="kpis">',
        *(f"<div><dt>{_e(label)}</dt><dd>{_e(str(value))}</dd></div>" for label, value in kpis),
        "</dl></section>",
    ]


def _charts(data: dict[str, Any], known: bool) -> list[str]:
    """The section of charts; the ones of visits and rewards only when the visits are known."""
    currency = data["program"]["currency"]
    months = data["by_month"]
    month_labels = [m["month"] for m in months]
    parts = ['<section aria-labelledby="charts"><h2 id="charts">Charts</h2><div class="charts">']
    series = [("Referrals", [m["referrals"] for m in months])]
    if known:
        series.append(("Successful", [m["successful"] or 0 for m in months]))
    parts.append(figure("c-month", "Referrals per month", columns_chart(month_labels, series), series))
    funnel = data["funnel"]
    steps = [
        ("Appointment requests", funnel["appointment_requests"]),
        ("Referrals (with a code)", funnel["referrals"]),
    ]
    if known:
        steps += [("Came for a first visit", funnel["first_visits"]), ("Successful", funnel["successful"])]
    parts.append(figure("c-funnel", "Conversion funnel", funnel_chart(steps)))
    to_request = data["distributions"]["days_to_appointment"]
    parts.append(
        figure(
            "c-days",
            "Days from enrolment to the friend's appointment request",
            columns_chart(list(to_request), [("Referrals", list(to_request.values()))], unit="days"),
        )
    )
    to_visit = data["distributions"]["days_to_first_visit"]
    if to_visit is not None:
        parts.append(
            figure(
                "c-visit",
                "Days from appointment request to first visit",
                columns_chart(list(to_visit), [("Referrals", list(to_visit.values()))], unit="days"),
            )
        )
    top = data["advocates"][:10]
    top_series = [("Referrals", [a["referrals"] for a in top])]
    if known:
        top_series.append(("Successful", [a["successful"] or 0 for a in top]))
    parts.append(
        figure("c-top", "Top advocates", bars_chart([_advocate_name(a) for a in top], top_series), top_series)
    )
    if known:
        owed = [("Owed", [m["rewards_owed"] for m in months])]
        parts.append(
            figure(
                "c-owed",
                f"Rewards owed per month ({currency})",
                columns_chart(month_labels, owed, fmt=lambda v: format_money(v, currency)),
            )
        )
    parts.append("</div></section>")
    return parts


def _tables(data: dict[str, Any], known: bool, money: Callable[[Any], str]) -> list[str]:
    """The tables of numbers: by month, campaign and source, the advocates (200 at most), the rewards owed
    (when the visits are known) and the flags (500 at most)."""
    tables = [
        _table(
            "By month",
            [("month", "Month")] + METRIC_COLUMNS + [("rewards_owed", "Rewards owed")],
            data["by_month"],
            money=money,
        ),
        _table(
            "By campaign (utm_campaign)",
            [("campaign", "Campaign"), ("title", "Title")] + METRIC_COLUMNS,
            data["by_campaign"],
            money=money,
        ),
        _table(
            "By source (utm_source)", [("source", "Source")] + METRIC_COLUMNS, data["by_source"], money=money
        ),
        _table(
            "Advocates",
            ADVOCATE_COLUMNS,
            data["advocates"][:200],
            money=money,
            more=len(data["advocates"]) - 200,
        ),
    ]
    if known:
        tables.append(_table("Rewards owed", REWARD_COLUMNS, data["rewards"], money=money))
    flag_rows = [
        {"what": FLAG_NAMES[f["kind"]][0], **f, "where": f"{f['file']}:{f['row']}"}
        for f in data["flags"][:500]
    ]
    tables.append(
        _table(
            "Flags",
            FLAG_COLUMNS,
            flag_rows,
            money=money,
            more=len(data["flags"]) - 500,
            empty="No flags: every row was read and counted.",
        )
    )
    return tables


def _notes(notes: list[str]) -> list[str]:
    if not notes:
        return []
    return [
        '<h2 id="notes">Notes</h2><ul class="notes">' + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>"
    ]


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _days(value: Any) -> str:
    return "none yet" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _advocate_name(advocate: dict[str, Any]) -> str:
    code = advocate["codes"][0] if advocate["codes"] else ""
    return f"{advocate['first_name'] or advocate['email'] or '?'} ({code})"


def _table(
    caption: str,
    columns: list[tuple[str, str]],
    rows: list[dict[str, Any]],
    *,
    money,
    more: int = 0,  # type: ignore[no-untyped-def]
    empty: str = "Nothing in this period.",
) -> str:
    money_keys = {"rewards_owed", "value", "owed"}
    head = "".join(f'<th scope="col"{_num_class(key)}>{_e(label)}</th>' for key, label in columns)
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
            cells.append(f"<td{_num_class(key)}>{_e(text)}</td>")
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


def _num_class(key: str) -> str:
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
    }
    return "" if key in textual else ' class="n"'
