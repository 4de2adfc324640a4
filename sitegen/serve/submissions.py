"""The dev server's local form service: each post becomes a row of SITE/.sitegen/submissions/<form>.csv,
columns as in the hosted service's export (the form's fields as sent, then `referrer`, `created_at`, `id`).

`store` appends the row under an exclusive lock and syncs it before returning, so no post is lost; a
cell a spreadsheet would run as a formula is stored with a leading `'` (`neutral`). Defences:
docs/security.md.
"""

from __future__ import annotations

import csv
import fcntl
import io
import os
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

FORM_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
HONEYPOT = "bot-field"
HONEYPOTS = (HONEYPOT, "_gotcha")  # Netlify's, and Formspree's, Basin's and Getform's
SERVICE_FIELDS = ("form-name", "_next", *HONEYPOTS)  # what the services read, not what the visitor wrote
TRAILING = ("referrer", "created_at", "id")


def neutral(cell: str) -> str:
    """The cell as a spreadsheet shows it as text, never runs it as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def store(folder: Path, form_name: str, fields: list[tuple[str, str]], referrer: str) -> Path:
    """Append one row to `folder`/<form_name>.csv under the form's lock; returns the file."""
    if not FORM_NAME.match(form_name):
        raise ValueError(f"not a form name: {form_name!r}")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{form_name}.csv"
    row = {neutral(name): neutral(value) for name, value in fields if name not in SERVICE_FIELDS}
    row.update(
        referrer=neutral(referrer),
        created_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        id=uuid.uuid4().hex[:24],
    )
    lock = os.open(folder / f"{form_name}.csv.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        columns = _header(target)
        if columns is not None and all(name in columns for name in row):
            _append(target, columns, row)
        else:
            _rewrite(target, columns or [], row)
    finally:
        os.close(lock)  # closing the descriptor releases the lock
    return target


def _header(target: Path) -> list[str] | None:
    try:
        with target.open(newline="", encoding="utf-8") as handle:
            return next(csv.reader(handle), None)
    except FileNotFoundError:
        return None


def _line(columns: list[str], rows: list[dict[str, str]], header: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _append(target: Path, columns: list[str], row: dict[str, str]) -> None:
    with open(target, "ab") as handle:
        handle.write(_line(columns, [row], header=False))
        handle.flush()
        os.fsync(handle.fileno())


def _rewrite(target: Path, old: list[str], row: dict[str, str]) -> None:
    """The file with a column more (or a new file): every row kept, written aside, synced, renamed."""
    existing: list[dict[str, str]] = []
    if old:
        with target.open(newline="", encoding="utf-8") as handle:
            existing = list(csv.DictReader(handle))
    named = [c for c in old if c not in TRAILING]
    columns = named + [c for c in row if c not in named and c not in TRAILING] + list(TRAILING)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(_line(columns, existing + [row], header=True))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
