"""The numbers of a group of referrals: counts, conversion, medians and 90th percentiles, by month,
campaign or source. docs/report.md defines each."""

from __future__ import annotations

import functools
import math
import statistics
from collections import defaultdict
from datetime import date

from sitegen.content.i18n import format_money
from sitegen.report.records import NONE, Analysis, Referral


@functools.lru_cache(maxsize=4096)
def money(amount: float, currency: str, locale: str = "en_US") -> str:
    """format_money, remembered: a big report writes the same few amounts thousands of times."""
    return format_money(amount, currency, locale)


def median(values: list[int]) -> float | int | None:
    if not values:
        return None
    middle = statistics.median(values)
    return int(middle) if float(middle).is_integer() else middle


def p90(values: list[int]) -> int | None:
    """The 90th percentile by nearest rank: the smallest value at least 90% of the values do not exceed."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def group_metrics(analysis: Analysis, referrals: list[Referral], enrolled: int) -> dict[str, object]:
    """The numbers of one group of counted referrals in the period (all of them, a month, a campaign...)."""
    statuses = [r.status for r in referrals]
    known = analysis.visits_given
    successful = statuses.count("successful") if known else None
    to_appointment = [r.days_to_appointment for r in referrals]
    to_visit = [d for r in referrals if (d := r.days_to_first_visit) is not None]
    return {
        "enrolled": enrolled,
        "active_advocates": len({r.advocate.code for r in referrals if r.advocate is not None}),
        "referrals": len(referrals),
        "successful": successful,
        "pending": statuses.count("pending") if known else None,
        "conversion_rate": round(successful / len(referrals), 4)
        if known and referrals and successful is not None
        else None,
        "median_days_to_appointment": median(to_appointment),
        "p90_days_to_appointment": p90(to_appointment),
        "median_days_to_first_visit": median(to_visit) if known else None,
        "p90_days_to_first_visit": p90(to_visit) if known else None,
    }


def months_between(first: date, last: date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def grouped(analysis: Analysis, key_of_referral, key_of_advocate) -> dict[str, dict[str, object]]:  # type: ignore[no-untyped-def]
    """Metrics per value of a key (month, campaign, source), over the counted referrals in the period."""
    referrals: dict[str, list[Referral]] = defaultdict(list)
    enrolled: dict[str, int] = defaultdict(int)
    for referral in analysis.referrals:
        if referral.in_period:
            referrals[key_of_referral(referral) or NONE].append(referral)
    for advocate in analysis.advocates:
        if analysis.in_period(advocate.enrolled_on):
            enrolled[key_of_advocate(advocate) or NONE] += 1
    keys = set(referrals) | set(enrolled)
    return {key: group_metrics(analysis, referrals.get(key, []), enrolled.get(key, 0)) for key in keys}
