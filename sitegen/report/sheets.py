"""Files staff edit in a spreadsheet and give back: the rewards ledger and the exclusion list.

`read_sheet` reads rows with the separator their header uses; `unprotect` strips the report's
protecting `'`; `parse_sheet_date` reads ISO dates or dates in the `date_order` given, else raises
ValueError. Why (Excel's byte-order mark, `;`, regional dates): docs/report.md.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sitegen.report.ingest import ReportError, header_key, shown

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
MONTH_FIRST_COUNTRIES = {"US", "PH", "FM", "MH", "PW"}


@dataclass(frozen=True)
class DateOrder:
    """How a spreadsheet's dates like 03/12/2026 are read: "mdy" or "dmy", and where that came from."""

    order: str
    because: str


def date_order(option: str | None, country: str) -> DateOrder:
    if option:
        return DateOrder(option, f"--date-order {option}")
    order = "mdy" if country.upper() in MONTH_FIRST_COUNTRIES else "dmy"
    return DateOrder(order, f"site.yaml country {country or 'US'}")


def parse_sheet_date(text: str, order: DateOrder) -> date:
    """ISO dates and timestamps, or d/m/y and m/d/y with / . or - as the order says; ValueError with a
    sentence saying what was expected."""
    value = text.strip()
    try:
        return datetime.fromisoformat(value).date() if len(value) > 10 else date.fromisoformat(value)
    except ValueError:
        pass
    found = _NUMERIC.match(value)
    if found:
        first, second, year = (int(part) for part in found.groups())
        month, day = (first, second) if order.order == "mdy" else (second, first)
        try:
            return date(year, month, day)
        except ValueError:
            other = "dmy" if order.order == "mdy" else "mdy"
            raise ValueError(
                f'"{shown(value)}" is not a date when read as {_order_words(order.order)} ({order.because}); '
                f"if the spreadsheet writes {_order_words(other)}, run with --date-order {other}"
            ) from None
    raise ValueError(
        f'"{shown(value)}" is not a date: write YYYY-MM-DD, or {_order_words(order.order)} '
        f"({order.because}; --date-order mdy or dmy to change it)"
    )


def _order_words(order: str) -> str:
    return "month/day/year" if order == "mdy" else "day/month/year"


def unprotect(text: str) -> str:
    """A cell as written before the report protected it: `'=x` is `=x`, `'O'Brien` stays as it is."""
    value = text.strip()
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_START else value


def read_sheet(path: Path, option: str, needs: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column: value}) of each non-empty row, columns by `header_key`; the header is row 1.
    A file that cannot be read, or has none of `needs`, is a ReportError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file ({option})") from None
    except OSError as exc:
        raise ReportError(f"cannot read {path}: {exc.strerror}") from None
    encoding = "utf-16" if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReportError(
            f"{path} is not UTF-8 text (byte 0x{raw[exc.start]:02x}): save it from the spreadsheet as "
            '"CSV UTF-8"'
        ) from None
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].strip():
        raise ReportError(f"{path} is empty: it has no header row ({option})")
    first = lines[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(lines, delimiter=delimiter)
    header = [header_key(h) for h in next(reader)]
    missing = [name for name in needs if name not in header]
    if missing:
        raise ReportError(
            f"{path} has no {' and '.join(missing)} column (its columns: {', '.join(header) or 'none'}); "
            f"{option} needs the file the report wrote, or one with these columns"
        )
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        yield reader.line_num, {name: unprotect(value) for name, value in zip(header, record)}
