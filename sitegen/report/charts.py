"""SVG charts of the dashboard, drawn in Python: columns, bars and a funnel, each with its numbers.

Each function returns markup for the page (escaped); none loads anything or needs a script.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

WIDTH, HEIGHT = 560, 260
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def figure(ident: str, title: str, svg: str, series: list | None = None) -> str:
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


def columns_chart(labels: list[str], series: list[tuple[str, list[float]]], unit: str = "", fmt=None) -> str:  # type: ignore[no-untyped-def]
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


def bars_chart(labels: list[str], series: list[tuple[str, list[float]]]) -> str:
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


def funnel_chart(steps: list[tuple[str, int | None]]) -> str:
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
