"""The rewards ledger as staff fill it in (sitegen/report/ledger.py): every row after a blank, an unfilled
or a conflicting one is still read, who gave a reward is kept, and the rows of rewards no longer earned
are kept as given.

Written from the mutation run of ledger.py (docs/testing.md): the month-to-month report tests never had a
blank or unfilled row before a given one, two ledgers disagreeing, or a given reward no longer earned."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitegen.report.ingest import ReportError
from sitegen.report.ledger import apply_ledger, read_ledgers
from sitegen.report.sheets import DateOrder

DMY = DateOrder("dmy", "test")


def sheet(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_after_a_blank_or_unfilled_row_are_still_read(tmp_path: Path) -> None:
    ledger = read_ledgers(
        [
            sheet(
                tmp_path / "rewards.csv",
                "reward_id,given_on,given_by,email\n"
                ",,,stray@example.com\n"  # a row without an id
                "R-1,,,ana@example.com\n"  # earned, not given yet
                "r-2,3.2.2026,Rosa,ben@example.com\n",
            )
        ],
        DMY,
    )
    assert list(ledger.given) == ["R-2"]
    given = ledger.given["R-2"]
    assert (given.on, given.by, given.where) == (date(2026, 2, 3), "Rosa", f"{tmp_path / 'rewards.csv'}:4")
    assert ledger.conflicts == []


def test_two_ledgers_that_disagree_keep_the_first_and_say_so_then_read_on(tmp_path: Path) -> None:
    first = sheet(tmp_path / "a.csv", "reward_id,given_on,given_by\nR-1,2026-02-03,Rosa\n")
    second = sheet(
        tmp_path / "b.csv",
        "reward_id,given_on,given_by\nR-1,2026-02-04,Ian\nR-1,2026-02-03,Ian\nR-3,2026-03-01,Ian\n",
    )
    ledger = read_ledgers([first, second], DMY)
    assert ledger.conflicts == [
        f"R-1 is marked given on 2026-02-03 ({first}:2) and on 2026-02-04 ({second}:2); the first is kept"
    ]  # the same day twice (row 3) is no conflict
    assert {ident: (g.on, g.by) for ident, g in ledger.given.items()} == {
        "R-1": (date(2026, 2, 3), "Rosa"),
        "R-3": (date(2026, 3, 1), "Ian"),
    }


def test_a_ledger_with_only_the_day_given_is_read(tmp_path: Path) -> None:
    ledger = read_ledgers([sheet(tmp_path / "given.csv", "reward_id;given_on\nR-1;2026-02-03\n")], DMY)
    assert ledger.given["R-1"].by == "" and ledger.given["R-1"].on == date(2026, 2, 3)
    ledger = read_ledgers([sheet(tmp_path / "ids.csv", "reward_id\nR-1\n")], DMY)
    assert ledger.given == {}


def test_who_gave_it_without_the_day_is_a_located_error(tmp_path: Path) -> None:
    path = sheet(tmp_path / "rewards.csv", "reward_id,given_on,given_by\nR-1,,Rosa\n")
    with pytest.raises(ReportError) as error:
        read_ledgers([path], DMY)
    assert str(error.value) == (
        f"{path}:2: given_by is filled in (Rosa) but given_on is empty: write the day the reward was given"
    )


def test_a_missing_ledger_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as error:
        read_ledgers([tmp_path / "nowhere.csv"], DMY)
    assert str(error.value) == f"{tmp_path / 'nowhere.csv'}: no such file (--ledger)"


def test_a_given_reward_no_longer_earned_stays_in_the_ledger_as_given(tmp_path: Path) -> None:
    path = sheet(
        tmp_path / "rewards.csv", "reward_id,given_on,given_by,email\nr-9,03/02/2026,Rosa,ana@example.com\n"
    )
    kept = apply_ledger([], read_ledgers([path], DMY))
    assert kept == [
        {"reward_id": "R-9", "given_on": "2026-02-03", "given_by": "Rosa", "email": "ana@example.com"}
    ]


def test_a_row_cut_short_before_the_reward_id_column_is_passed_over(tmp_path: Path) -> None:
    """A spreadsheet drops a row's trailing empty cells: with reward_id not first, a row holding only a
    note has no reward_id cell at all. It is read as a row without an id, never a traceback."""
    ledger = read_ledgers(
        [
            sheet(
                tmp_path / "rewards.csv",
                "note,given_on,reward_id,given_by\n"
                "called twice\n"  # the rest of the row cut off
                "ok,3.2.2026,R-2,Rosa\n",
            )
        ],
        DMY,
    )
    assert list(ledger.given) == ["R-2"]
