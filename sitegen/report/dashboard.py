"""dashboard.html: the report as one self-contained page, for staff, readable offline.

Charts are SVG drawn here, in Python; the page has no script at all and loads nothing: a
Content-Security-Policy in the page allows only its own style element (by hash), so a browser
refuses any request the page might make. Every value from an export is escaped. Each chart is
followed by the table of its numbers, for screen readers and for copying.
"""

from __future__ import annotations

import base64
import hashlib
import math
from html import escape
from typing import Any

from sitegen.content.i18n import format_money
from sitegen.report.outputs import FLAG_NAMES, period_text

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
WIDTH, HEIGHT = 560, 260
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def render_dashboard(data: dict[str, Any]) -> str:
    program, period = data["program"], data["period"]
    currency = program["currency"]
    known = data["successful"] is not None
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    policy = (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    span = period_text(period)

    def money(value: Any) -> str:
        return "unknown" if value is None else format_money(value, currency)

    parts = [
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
        '<section aria-labelledby="numbers"><h2 id="numbers">In numbers</h2><dl class="kpis">',
    ]
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
    parts += [f"<div><dt>{_e(label)}</dt><dd>{_e(str(value))}</dd></div>" for label, value in kpis]
    parts.append("</dl></section>")

    months = data["by_month"]
    month_labels = [m["month"] for m in months]
    parts.append('<section aria-labelledby="charts"><h2 id="charts">Charts</h2><div class="charts">')
    series = [("Referrals", [m["referrals"] for m in months])]
    if known:
        series.append(("Successful", [m["successful"] or 0 for m in months]))
    parts.append(_figure("c-month", "Referrals per month", _columns(month_labels, series), series))
    funnel = data["funnel"]
    steps = [
        ("Appointment requests", funnel["appointment_requests"]),
        ("Referrals (with a code)", funnel["referrals"]),
    ]
    if known:
        steps += [("Came for a first visit", funnel["first_visits"]), ("Successful", funnel["successful"])]
    parts.append(_figure("c-funnel", "Conversion funnel", _funnel(steps)))
    to_request = data["distributions"]["days_to_appointment"]
    parts.append(
        _figure(
            "c-days",
            "Days from enrolment to the friend's appointment request",
            _columns(list(to_request), [("Referrals", list(to_request.values()))], unit="days"),
        )
    )
    to_visit = data["distributions"]["days_to_first_visit"]
    if to_visit is not None:
        parts.append(
            _figure(
                "c-visit",
                "Days from appointment request to first visit",
                _columns(list(to_visit), [("Referrals", list(to_visit.values()))], unit="days"),
            )
        )
    top = data["advocates"][:10]
    top_series = [("Referrals", [a["referrals"] for a in top])]
    if known:
        top_series.append(("Successful", [a["successful"] or 0 for a in top]))
    parts.append(
        _figure("c-top", "Top advocates", _bars([_advocate_name(a) for a in top], top_series), top_series)
    )
    if known:
        owed = [("Owed", [m["rewards_owed"] for m in months])]
        parts.append(
            _figure(
                "c-owed",
                f"Rewards owed per month ({currency})",
                _columns(month_labels, owed, fmt=lambda v: format_money(v, currency)),
            )
        )
    parts.append("</div></section>")

    parts.append('<section aria-labelledby="tables"><h2 id="tables">Numbers</h2>')
    metric_columns = [
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
    parts.append(
        _table(
            "By month",
            [("month", "Month")] + metric_columns + [("rewards_owed", "Rewards owed")],
            months,
            money=money,
        )
    )
    parts.append(
        _table(
            "By campaign (utm_campaign)",
            [("campaign", "Campaign"), ("title", "Title")] + metric_columns,
            data["by_campaign"],
            money=money,
        )
    )
    parts.append(
        _table(
            "By source (utm_source)", [("source", "Source")] + metric_columns, data["by_source"], money=money
        )
    )
    parts.append(
        _table(
            "Advocates",
            [
                ("first_name", "First name"),
                ("email", "Email"),
                ("codes", "Codes"),
                ("enrolled_on", "Enrolled"),
                ("referrals", "Referrals"),
                ("successful", "Successful"),
                ("successful_to_date", "Successful to date"),
                ("tier", "Tier"),
                ("rewards_owed", "Rewards owed"),
            ],
            data["advocates"][:200],
            money=money,
            more=len(data["advocates"]) - 200,
        )
    )
    if known:
        parts.append(
            _table(
                "Rewards owed",
                [
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
                ],
                data["rewards"],
                money=money,
            )
        )
    flag_rows = [
        {"what": FLAG_NAMES[f["kind"]][0], **f, "where": f"{f['file']}:{f['row']}"}
        for f in data["flags"][:500]
    ]
    parts.append(
        _table(
            "Flags",
            [
                ("where", "File and row"),
                ("what", "What"),
                ("effect", "Effect"),
                ("date", "Date"),
                ("code", "Code"),
                ("message", "Why"),
            ],
            flag_rows,
            money=money,
            more=len(data["flags"]) - 500,
            empty="No flags: every row was read and counted.",
        )
    )
    if data["notes"]:
        parts.append(
            '<h2 id="notes">Notes</h2><ul class="notes">'
            + "".join(f"<li>{_e(note)}</li>" for note in data["notes"])
            + "</ul>"
        )
    parts.append("</section></main>")
    parts.append(
        "<footer>Made by <code>sitegen report</code>. Every number is defined in docs/report.md. "
        "Friends appear only as a file and row number of the export.</footer></body></html>\n"
    )
    return "\n".join(parts)


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _days(value: Any) -> str:
    return "none yet" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _advocate_name(advocate: dict[str, Any]) -> str:
    code = advocate["codes"][0] if advocate["codes"] else ""
    return f"{advocate['first_name'] or advocate['email'] or '?'} ({code})"


def _figure(ident: str, title: str, svg: str, series: list | None = None) -> str:
    key = ""
    if series and len(series) > 1:
        key = (
            '<ul class="key" aria-hidden="true">'
            + "".join(f'<li><span class="k{i}"></span>{_e(name)}</li>' for i, (name, _) in enumerate(series))
            + "</ul>"
        )
    return (
        f'<figure id="{ident}"><figcaption>{_e(title)}</figcaption>'
        f"{svg.replace('{title}', _e(title))}{key}</figure>"
    )


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    for step in (
        1,
        2,
        5,
        10,
        20,
        25,
        50,
        100,
        200,
        250,
        500,
        1000,
        2000,
        2500,
        5000,
        10000,
        25000,
        50000,
        100000,
    ):
        if value <= step * 4:
            return step * 4 if value > step * 2 else (step * 2 if value > step else step)
    return value


def _empty(message: str) -> str:
    return (
        f'<svg viewBox="0 0 {WIDTH} 80" role="img" aria-label="{{title}}: {_e(message)}">'
        f'<text x="{WIDTH / 2}" y="44" text-anchor="middle" class="muted">{_e(message)}</text></svg>'
    )


def _columns(labels: list[str], series: list[tuple[str, list[float]]], unit: str = "", fmt=None) -> str:  # type: ignore[no-untyped-def]
    """Vertical bars, one group per label, one bar per series, with the value above each bar."""
    fmt = fmt or (lambda v: f"{v:g}")
    top = max((v for _, values in series for v in values), default=0)
    if not labels or top <= 0:
        return _empty("Nothing in this period")
    ceiling = _nice_max(max(top, 4))
    left = max(
        44, 12 + 7 * max(len(fmt(ceiling * step / 4)) for step in range(5))
    )  # room for the widest tick
    right, upper, lower = 8, 16, 40
    plot_w, plot_h = WIDTH - left - right, HEIGHT - upper - lower
    group_w = plot_w / len(labels)
    bar_w = max(2.0, min(36.0, group_w * 0.8 / len(series)))
    summary = "; ".join(
        f"{label}: " + ", ".join(f"{name} {fmt(values[i])}" for name, values in series)
        for i, label in enumerate(labels)
    )
    out = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{{title}}. {_e(summary)}">']
    for step in range(5):
        value = ceiling * step / 4
        y = upper + plot_h - plot_h * step / 4
        out.append(f'<line class="grid" x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="muted">{_e(fmt(value))}</text>'
        )
    every = max(1, math.ceil(34 / group_w))  # a label needs about 34 pixels
    for i, label in enumerate(labels):
        x0 = left + group_w * i + (group_w - bar_w * len(series)) / 2
        for s, (_, values) in enumerate(series):
            value = values[i]
            h = plot_h * value / ceiling
            x, y = x0 + bar_w * s, upper + plot_h - h
            out.append(f'<rect class="s{s}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}"/>')
            if value and len(labels) * len(series) <= 24:
                out.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" '
                    f'text-anchor="middle">{_e(fmt(value))}</text>'
                )
        if i % every == 0:
            x = left + group_w * (i + 0.5)
            first, second = _axis_label(label, i == 0)
            out.append(
                f'<text x="{x:.1f}" y="{HEIGHT - lower + 16}" text-anchor="middle" '
                f'class="muted">{_e(first)}</text>'
            )
            if second:
                out.append(
                    f'<text x="{x:.1f}" y="{HEIGHT - lower + 30}" text-anchor="middle" '
                    f'class="muted">{_e(second)}</text>'
                )
    if unit:
        out.append(
            f'<text x="{WIDTH - right}" y="{HEIGHT - 4}" text-anchor="end" class="muted">{_e(unit)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _axis_label(label: str, first: bool) -> tuple[str, str]:
    """A month `2026-03` is shown as Mar, with the year under the first month and under each January."""
    if (
        len(label) == 7
        and label[4] == "-"
        and label[:4].isdigit()
        and label[5:].isdigit()
        and 1 <= int(label[5:]) <= 12
    ):
        return MONTHS[int(label[5:]) - 1], label[:4] if first or label.endswith("-01") else ""
    return label, ""


def _bars(labels: list[str], series: list[tuple[str, list[float]]]) -> str:
    """Horizontal bars, one row per label (top advocates)."""
    top = max((v for _, values in series for v in values), default=0)
    if not labels or top <= 0:
        return _empty("No referrals in this period")
    left, right, row_h = 190, 40, 26
    height = 12 + row_h * len(labels)
    bar_h = (row_h - 8) / len(series)
    plot_w = WIDTH - left - right
    summary = "; ".join(
        f"{label}: " + ", ".join(f"{name} {values[i]:g}" for name, values in series)
        for i, label in enumerate(labels)
    )
    out = [f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{{title}}. {_e(summary)}">']
    for i, label in enumerate(labels):
        y0 = 6 + row_h * i
        shown = label if len(label) <= 28 else label[:27] + "…"
        out.append(f'<text x="{left - 8}" y="{y0 + row_h / 2 + 2:.1f}" text-anchor="end">{_e(shown)}</text>')
        for s, (_, values) in enumerate(series):
            w = plot_w * values[i] / top
            y = y0 + 2 + bar_h * s
            out.append(
                f'<rect class="s{s}" x="{left}" y="{y:.1f}" width="{w:.1f}" height="{bar_h - 1:.1f}"/>'
            )
            out.append(
                f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 3:.1f}" class="muted">{values[i]:g}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def _funnel(steps: list[tuple[str, int | None]]) -> str:
    first = steps[0][1] or 0
    if first <= 0:
        return _empty("No appointment requests in this period")
    row_h, left = 46, 8
    height = 8 + row_h * len(steps)
    summary = "; ".join(f"{label}: {value}" for label, value in steps)
    out = [f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{{title}}. {_e(summary)}">']
    previous = None
    for i, (label, value) in enumerate(steps):
        value = value or 0
        w = max(2.0, (WIDTH - 2 * left) * value / first)
        y = 4 + row_h * i
        share = "" if previous in (None, 0) else f" · {value / previous * 100:.0f}% of the step above"
        out.append(
            f'<rect class="s{min(i, 2)}" x="{(WIDTH - w) / 2:.1f}" y="{y + 18}" width="{w:.1f}" height="22"/>'
        )
        out.append(
            f'<text x="{left}" y="{y + 13}">{_e(label)}: <tspan font-weight="600">{value}</tspan>'
            f'<tspan class="muted">{_e(share)}</tspan></text>'
        )
        previous = value
    out.append("</svg>")
    return "".join(out)


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
