"""Opening times: the clock range of a day, and the dates a location keeps other hours (holidays)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sitegen.core.schema import spec

TIME_RANGE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)\s*[-–]\s*([01]?\d|2[0-4]):([0-5]\d)$")
RANGE_HINT = 'write hours as "09:00-17:30" (24-hour clock; 8:30 or 08:30) or closed'


def time_range(text: str) -> tuple[str, str] | None:
    """("09:00", "17:30") for "9:00-17:30" (written with or without quotes, which the schema keeps as
    text); None when it is not a range of two times of one day that ends after it starts."""
    match = TIME_RANGE.match(text.strip())
    if not match:
        return None
    opens = f"{int(match[1]):02d}:{match[2]}"
    closes = f"{int(match[3]):02d}:{match[4]}"
    if closes <= opens or closes > "24:00":
        return None
    return opens, closes


@dataclass(frozen=True, kw_only=True)
class SpecialHours:
    """A day or a run of days with other hours than the week's: a holiday closure, a short day."""

    label: str = spec("what the day is, as patients know it, e.g. Thanksgiving, Staff training")
    date: date = spec("the day, or the first day of a run of days, YYYY-MM-DD")
    until: date | None = spec("the last day of a run of days (included), YYYY-MM-DD", None)
    hours: str = spec('closed, or that day\'s hours in quotes, e.g. "10:00-14:00"', "closed")

    @property
    def last(self) -> date:
        return self.until or self.date

    @property
    def closed(self) -> bool:
        return self.hours.strip().lower() == "closed"

    @property
    def times(self) -> tuple[str, str] | None:
        """(opens, closes), or None when closed (or not a valid range: reported while loading)."""
        return None if self.closed else time_range(self.hours)


UPCOMING_DAYS = 60  # how far ahead a location page announces its holiday closures and special hours


def upcoming(special: list[SpecialHours], today: date, within: int = UPCOMING_DAYS) -> list[SpecialHours]:
    """The special days not yet over on `today` that start within `within` days, soonest first."""
    return sorted(
        (d for d in special if d.last >= today and (d.date - today).days <= within), key=lambda d: d.date
    )
