"""The rewards ledger: rewards.csv (or a given.csv) read back with `given_on` and `given_by` filled in.

`read_ledgers` reads one or more ledgers by reward id; `apply_ledger` marks the rewards given, and keeps
a reward given that the exports no longer earn, with a note. Month to month: docs/report.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sitegen.report.ingest import ReportError
from sitegen.report.rewards import RewardLine
from sitegen.report.sheets import DateOrder, parse_sheet_date, read_sheet


@dataclass(frozen=True)
class Given:
    on: date
    by: str
    where: str  # file:row of the ledger that says so


@dataclass
class Ledger:
    given: dict[str, Given] = field(default_factory=dict)
    rows: dict[str, dict[str, str]] = field(default_factory=dict)  # every ledger row, by reward id
    conflicts: list[str] = field(default_factory=list)


def read_ledgers(paths: list[Path], order: DateOrder) -> Ledger:
    ledger = Ledger()
    for path in paths:
        for number, row in read_sheet(path, "--ledger", ("reward_id",)):
            ident = row.get("reward_id", "").strip().upper()
            if not ident:
                continue
            ledger.rows.setdefault(ident, row)
            raw_on, by = row.get("given_on", "").strip(), row.get("given_by", "").strip()
            if not raw_on:
                if by:
                    raise ReportError(
                        f"{path}:{number}: given_by is filled in ({by}) but given_on is empty: write the day "
                        "the reward was given"
                    )
                continue
            try:
                on = parse_sheet_date(raw_on, order)
            except ValueError as exc:
                raise ReportError(f"{path}:{number}: given_on {exc}") from None
            earlier = ledger.given.get(ident)
            if earlier is not None and earlier.on != on:
                ledger.conflicts.append(
                    f"{ident} is marked given on {earlier.on} ({earlier.where}) and on {on} "
                    f"({path}:{number}); the first is kept"
                )
                continue
            ledger.given.setdefault(ident, Given(on, by, f"{path}:{number}"))
    return ledger


def apply_ledger(lines: list[RewardLine], ledger: Ledger) -> list[dict[str, str]]:
    """Mark the rewards the ledger says were given; the given rows of ids no reward has now (kept)."""
    known = set()
    for line in lines:
        known.add(line.reward_id)
        given = ledger.given.get(line.reward_id)
        if given is not None:
            line.given_on, line.given_by = given.on, given.by
    return [
        {**ledger.rows[ident], "reward_id": ident, "given_on": given.on.isoformat(), "given_by": given.by}
        for ident, given in ledger.given.items()
        if ident not in known
    ]
