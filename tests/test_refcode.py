"""Referral codes as patients and the front desk type and read them: the printed form, a blank field, and
the suggestion for two neighbouring characters swapped anywhere in the code (sitegen/site/refcode.py).

Written from the mutation run of refcode.py (docs/testing.md): the other tests compared `readable()` with
itself and only ever swapped the last two characters."""

from __future__ import annotations

import pytest

from sitegen.site.refcode import ALPHABET, is_valid_code, make_code, normalize_code, readable, suggest_code

CODE = make_code("K7M2QX9")


def test_a_code_is_printed_in_two_groups_of_four() -> None:
    assert CODE.startswith("K7M2QX9") and len(CODE) == 8 and CODE[7] in ALPHABET
    assert readable(CODE.lower()) == f"K7M2-QX9{CODE[7]}"
    assert readable("abc-de") == "ABCDE"  # not a code: shown as typed (normalized), never split


def test_a_blank_referral_field_stays_blank() -> None:
    assert normalize_code("") == "" and normalize_code(None) == ""  # type: ignore[arg-type]
    assert suggest_code("") is None and not is_valid_code("")


def test_a_valid_code_is_its_own_suggestion() -> None:
    typed = f" {CODE[:4].lower()}-{CODE[4:]} "
    assert suggest_code(typed) == CODE


@pytest.mark.parametrize("position", range(7))
def test_two_swapped_neighbours_are_repaired_wherever_they_are(position: int) -> None:
    code = make_code("ABCD234")
    assert len(set(code)) == 8  # every swap changes the code
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert not is_valid_code(swapped) and suggest_code(readable(swapped)) == code
