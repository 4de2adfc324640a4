"""The dates the form exports write: a layout of program.yaml's choosing, YYYY-MM-DD, or ISO timestamps,
each taken as a day in the practice's time zone."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

_CLOCK = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?")


def date_parser(timezone: ZoneInfo, date_format: str = "") -> Callable[[str], date]:
    """A parser of the dates exports write: `date_format` first when set, then YYYY-MM-DD and ISO
    timestamps (`2026-03-04T15:20:00Z`, `2026-03-04 15:20:00 UTC`, with or without fractions or an
    offset). A timestamp with an offset is converted to the practice's time zone before its day is
    taken; one without is taken as the practice's local time."""

    utc = timezone.key == "UTC"

    def parse(text: str) -> date:
        value = text.strip()
        if date_format:
            try:
                return _local_day(datetime.strptime(value, date_format), timezone)
            except ValueError:
                pass
        if len(value) == 10:
            return date.fromisoformat(value)
        if (
            utc
            and value.endswith(("Z", "+00:00"))
            and value[4:5] == "-"
            and value[10:11] in ("T", " ")
            and _CLOCK.fullmatch(value, 11, len(value) - (1 if value[-1] == "Z" else 6))
        ):
            return date.fromisoformat(value[:10])  # the common case, without building a datetime
        if value.endswith((" UTC", " GMT")):
            value = value[:-4] + "+00:00"
        return _local_day(datetime.fromisoformat(value), timezone)

    return parse


def _local_day(moment: datetime, timezone: ZoneInfo) -> date:
    return (moment.astimezone(timezone) if moment.tzinfo else moment).date()
