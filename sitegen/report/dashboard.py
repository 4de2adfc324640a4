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
from typing import Any

from sitegen.report.charts import bars_chart, columns_chart, figure, funnel_chart
from sitegen.report.dashboard_tables import escaped as _e
from sitegen.report.dashboard_tables import tables
from sitegen.report.numbers import money as money_text
from sitegen.report.summary import period_text

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
        return "unknown" if value is None else money_text(value, currency)

    parts = [
        *_head(data["program"], period_text(data["period"])),
        *_numbers(data, money),
        *_charts(data, known),
        '<section aria-labelledby="tables"><h2 id="tables">Numbers</h2>',
        *tables(data, known, money),
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
                columns_chart(month_labels, owed, fmt=lambda v: money_text(v, currency)),
            )
        )
    parts.append("</div></section>")
    return parts


def _notes(notes: list[str]) -> list[str]:
    if not notes:
        return []
    return [
        '<h2 id="notes">Notes</h2><ul class="notes">' + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>"
    ]


def _days(value: Any) -> str:
    return "none yet" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _advocate_name(advocate: dict[str, Any]) -> str:
    code = advocate["codes"][0] if advocate["codes"] else ""
    return f"{advocate['first_name'] or advocate['email'] or '?'} ({code})"
