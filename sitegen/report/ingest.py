"""Reading the CSV exports: columns found by name, every row numbered, nothing dropped unseen.

`CsvExport` reads a file once, as a stream, matching columns by `header_key` (case, spaces and hyphens
ignored; program.yaml's `report.columns` first). An unreadable row becomes a `Flag` with its file and
row number; a file that cannot be read at all is a `ReportError`. Rules: docs/report.md.
"""

from __future__ import annotations

import codecs
import csv
import math
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from sitegen.core.errors import SitegenError
from sitegen.models.referral import ReportColumns
from sitegen.report.identity import phone_key

WHO_LABEL = "who_referred_you?_(name_or_code)"  # header_key() of the field's English label
# sitegen's name of a column -> the names it is found under in exports, in order of preference
ALIASES: dict[str, tuple[str, ...]] = {
    "referral_code": ("referral_code",),
    "created_at": (
        "created_at",
        "created",
        "submitted_at",
        "submitted",
        "submission_date",
        "date",
        "timestamp",
    ),
    "email": ("email", "e_mail", "email_address"),
    "phone": ("phone", "phone_number", "telephone", "mobile"),
    "first_name": ("first_name",),
    "utm_source": ("utm_source",),
    "utm_medium": ("utm_medium",),
    "utm_campaign": ("utm_campaign",),
    "visit_date": ("visit_date", "date_of_service", "service_date", "date"),
    "amount": ("amount", "amount_paid", "paid", "total"),
    "id": ("id",),
    "charity": ("charity",),
    "landing_page": ("landing_page",),
    "language": ("language", "lang"),
    "friend_email": ("friend_email",),
    "friend_phone": ("friend_phone",),
    "reason": ("reason",),
    # the appointment form's visible "Who referred you? (name or code)"; exports that write labels too
    "referred_by": ("referred_by", "referredby", "who_referred_you", "who_referred_you?", WHO_LABEL),
}


@dataclass(frozen=True)
class FileKind:
    """What `report` needs from one export: columns it cannot do without, and ones it uses when present."""

    name: str  # enrollments, appointments, visits
    option: str  # the command-line option that names the file
    required: tuple[str, ...]
    optional: tuple[str, ...]
    one_of: tuple[str, ...] = ()
    date_column: str = "created_at"

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.one_of + self.optional


ENROLLMENTS = FileKind(
    "enrollments",
    "--enrollments",
    ("referral_code", "created_at"),
    (
        "email",
        "first_name",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "id",
        "charity",
        "landing_page",
        "language",
    ),
)
APPOINTMENTS = FileKind(
    "appointments",
    "--appointments",
    ("referral_code", "created_at"),
    ("email", "phone", "utm_source", "utm_medium", "utm_campaign", "id", "referred_by"),
)
VISITS = FileKind(
    "visits",
    "--visits",
    ("visit_date",),
    ("amount", "referral_code", "id"),
    one_of=("email", "phone"),
    date_column="visit_date",
)
REFERS = FileKind(
    "refers",
    "--refers",
    ("referral_code", "created_at"),
    ("utm_source", "utm_medium", "utm_campaign", "id"),
    one_of=("friend_email", "friend_phone"),
)

FLAG_EFFECTS = {
    "unreadable_row": "excluded",
    "unknown_code": "excluded",
    "self_referral": "excluded",
    "duplicate_friend": "excluded",
    "outside_program_dates": "excluded",
    "existing_patient": "excluded",
    "enrolment_without_code": "excluded",
    "duplicate_enrolment": "noted",
    "outside_campaign_dates": "noted",
    "invitation_without_code": "excluded",
    "excluded_referrer": "no reward",
    "referrer_without_paid_visit": "no reward",
    "charity_not_chosen": "noted",
    "referrer_named_not_coded": "needs staff",
    "probably_mistyped_code": "needs staff",
}


class ReportError(SitegenError):
    """An export or a setting the report cannot work with; shown as a message, exit status 1."""


@dataclass(frozen=True, slots=True)
class Flag:
    """A row the report did not count as it stands, or counted with a remark; never silent."""

    kind: str
    file: str
    row: int
    message: str
    code: str = ""
    day: date | None = None
    typed: str = ""  # what the friend typed in "Who referred you?", for staff to match by hand
    suggested: str = ""  # the enrolled code a mistyped one probably was, for staff to confirm

    @property
    def effect(self) -> str:
        return FLAG_EFFECTS[self.kind]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.row}"


def header_key(name: str) -> str:
    """How column names are compared: `Created At`, `created-at` and `CREATED_AT` are the same."""
    return re.sub(r"[\s\-]+", "_", name.strip().lstrip("\ufeff").lower())


_SEPARATORS = re.compile(r"[\s\-]+")


def normal_email(text: str) -> str:
    return text.strip().lower()


def normal_phone(text: str) -> str:
    """Digits only (full-width ones too), without a leading US country code; '' when too short."""
    return phone_key(text)


def normal_code(text: str) -> str:
    """Codes are shown as ABCD-EFGH and made of capitals; spaces, hyphens and case do not matter."""
    return _SEPARATORS.sub("", text).upper() if text else ""


def parse_amount(text: str) -> float:
    """A money amount as exports write it ($1,200.00, (15.00) for a refund); ValueError for text that is
    not a number, and for nan, inf or 1e999 (which float() reads, but which are no amount)."""
    cleaned = re.sub(r"[\s$€£,]", "", text)
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = "-" + cleaned[1:-1]
    value = float(cleaned) if cleaned else 0.0
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


class CsvExport:
    """One export, read once: `rows()` yields the readable rows, `flags` collects the unreadable ones."""

    def __init__(self, path: Path, kind: FileKind, columns: ReportColumns, parse_date: Callable[[str], date]):
        self.path = path
        self.label = str(path)
        self.kind = kind
        self.mapped = {name: getattr(columns, name) for name in ALIASES if getattr(columns, name, "")}
        self.parse_date = parse_date
        self.flags: list[Flag] = []
        self.rows_seen = 0
        self.present: set[str] = set()  # the optional columns this export has
        self._header: tuple[dict[str, int], str, int] | None = None

    def rows(self) -> Iterator[tuple[int, date, tuple[str, ...]]]:
        """(row number, day, values) of each readable row; the values are in the order of
        `kind.columns`, not stripped, '' for a column the export does not have."""
        index, delimiter, width = self.check()
        try:
            with self.path.open(newline="", encoding=self._encoding()) as handle:
                handle.readline()
                getter = operator.itemgetter(*(index.get(name, width) for name in self.kind.columns))
                date_at = self.kind.columns.index(self.kind.date_column)
                for number, record in self._records(handle, delimiter):
                    if len(record) != width and not self._fit(record, width, number):
                        continue
                    record.append("")  # the value of every column the export does not have
                    values = getter(record)
                    raw_day = values[date_at].strip()
                    if not raw_day and not any(cell.strip() for cell in record):
                        continue  # a line of empty cells is no submission either
                    self.rows_seen += 1
                    day = self._day(raw_day, number)
                    if day is not None:
                        yield number, day, values
        except UnicodeDecodeError as exc:
            raise ReportError(self._not_utf8(exc)) from None
        except OSError as exc:
            raise ReportError(f"cannot read {self.label}: {exc.strerror}") from None

    def _records(self, handle: TextIO, delimiter: str) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells) of each record after the header; an empty line is no submission, a
        record the CSV reader cannot read is flagged."""
        reader = csv.reader(handle, delimiter=delimiter)
        number = 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                self.rows_seen += 1
                self._unreadable(number, f"the CSV cannot be read here ({exc})")
                continue
            number += 1
            if record:
                yield number, record

    def _fit(self, record: list[str], width: int, number: int) -> bool:
        """Fit a record to the header's width: a short one is padded, a long one cut when its extra cells
        are empty; one with values beyond the header is flagged (False)."""
        if len(record) > width:
            if any(cell.strip() for cell in record[width:]):
                self.rows_seen += 1
                self._unreadable(
                    number,
                    f"the row has {len(record)} values but the header has "
                    f"{width} columns (a comma inside a value without quotes?)",
                )
                return False
            del record[width:]
        else:
            record.extend([""] * (width - len(record)))
        return True

    def _day(self, raw_day: str, number: int) -> date | None:
        """The row's day, or None when its date column is empty or not a date (flagged)."""
        if not raw_day:
            self._unreadable(number, f"{self.kind.date_column} is empty")
            return None
        try:
            return self.parse_date(raw_day)
        except ValueError:
            self._unreadable(
                number,
                f'{self.kind.date_column} "{shown(raw_day)}" is not a date '
                "(expected YYYY-MM-DD or an ISO timestamp; set report.date_format "
                "in program.yaml for other layouts)",
            )
            return None

    def check(self) -> tuple[dict[str, int], str, int]:
        """Read the header only: the columns' positions, the delimiter and the width. Errors (no file,
        an empty file, a missing column) come here, before any file is read whole."""
        if self._header is None:
            try:
                with self.path.open(newline="", encoding=self._encoding()) as handle:
                    first = handle.readline()
            except UnicodeDecodeError as exc:
                raise ReportError(self._not_utf8(exc)) from None
            except OSError as exc:
                raise ReportError(f"cannot read {self.label}: {exc.strerror}") from None
            if not first.strip():
                raise ReportError(
                    f"{self.label} is empty: it has no header row. Export the {self.kind.name} "
                    f"form's submissions again and pass the file with {self.kind.option}."
                )
            delimiter = max((",", ";", "\t"), key=first.count) if first.count(",") == 0 else ","
            header = next(csv.reader([first], delimiter=delimiter))
            self._header = (self._resolve(header), delimiter, len(header))
        return self._header

    def _not_utf8(self, exc: UnicodeDecodeError) -> str:
        return (
            f"{self.label} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} cannot be read). Export it "
            f'again as CSV, or save it from a spreadsheet as "CSV UTF-8".'
        )

    def _encoding(self) -> str:
        try:
            with self.path.open("rb") as handle:
                start = handle.read(4)
        except FileNotFoundError:
            raise ReportError(f"{self.label}: no such file ({self.kind.option})") from None
        except IsADirectoryError:
            raise ReportError(
                f"{self.label} is a folder; {self.kind.option} needs the CSV file itself"
            ) from None
        except OSError as exc:
            raise ReportError(f"cannot read {self.label}: {exc.strerror}") from None
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        return "utf-8-sig"

    def _resolve(self, header: list[str]) -> dict[str, int]:
        """Column positions by sitegen's names; a missing required column is an error naming what is there."""
        keys = [header_key(h) for h in header]
        index: dict[str, int] = {}
        for name in self.kind.columns:
            candidates = ([header_key(self.mapped[name])] if name in self.mapped else []) + list(
                ALIASES[name]
            )
            for candidate in candidates:
                if candidate in keys:
                    index[name] = keys.index(candidate)
                    break
        missing = [name for name in self.kind.required if name not in index]
        if self.kind.one_of and not any(name in index for name in self.kind.one_of):
            missing.append(" or ".join(self.kind.one_of))
        if missing:
            found = ", ".join(h.strip() for h in header if h.strip()) or "none"
            names = " and ".join(missing) + (" columns" if len(missing) > 1 else " column")
            raise ReportError(
                f"{self.label} has no {names} (its columns: {found}). Is it the export of the "
                f"{self.kind.name}? If the column has another name, map it in content/program.yaml, e.g. "
                f'report: {{columns: {{{missing[0].split(" or ")[0]}: "Your column"}}}} (see docs/report.md).'
            )
        self.present = {name for name in index if name not in self.kind.required}
        return index

    def _unreadable(self, number: int, message: str) -> None:
        self.flags.append(Flag("unreadable_row", self.label, number, message))
        return None


def shown(text: str, limit: int = 40) -> str:
    """A value from an export as it may appear in a message: printable, and not too long."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def shown_path(path: str, limit: int = 80) -> str:
    """A file's path as a message shows it: shortened from the left when long, so its name stays."""
    clean = shown(path, len(path) + 1)
    return clean if len(clean) <= limit else "…" + clean[-(limit - 1) :]
