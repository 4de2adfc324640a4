"""Personal referral codes: the alphabet, the check character, and what a mistyped code probably was.

A code is 8 characters of `ALPHABET` (31, none easily confused): 7 random and a check character
(`make_code`) that makes every single mistyped character and every swap of neighbours detectable
(`is_valid_code`); `suggest_code` names the one likely repair. Shown as ABCD-EFGH (`readable`); dash,
spaces and case are ignored when read back. The algorithm and why: docs/referral.md; the browser's
copy (themes/default/static/js/referral.js) is tested against this one.
"""

from __future__ import annotations

import re

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
N = len(ALPHABET)
LENGTH = 8
_SEPARATORS = re.compile(r"[\s\-_.]+")
_FORMAT = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def normalize_code(typed: str) -> str:
    """The code as stored: upper case, without dashes or spaces ("abcd-2345" -> "ABCD2345")."""
    return _SEPARATORS.sub("", typed or "").upper()


def _sum(code: str) -> int:
    return sum(weight * ALPHABET.index(char) for weight, char in enumerate(code, start=1)) % N


def check_character(payload: str) -> str:
    """The check character of 7 characters of ALPHABET: 8 * c = -sum (mod 31), and 8 * 4 = 1 (mod 31)."""
    return ALPHABET[(-4 * _sum(payload)) % N]


def is_valid_code(code: str) -> bool:
    """True when `code` (as typed: any case, dashes allowed) has the format and a correct check character."""
    code = normalize_code(code)
    return bool(_FORMAT.match(code)) and _sum(code) == 0


def make_code(payload: str) -> str:
    """A full code from 7 characters of ALPHABET (the browser draws them at random)."""
    return payload + check_character(payload)


def suggest_code(typed: str) -> str | None:
    """The code `typed` most probably meant, or None when no single answer stands out.

    A valid code is returned as is (normalized). Otherwise each pair of neighbouring characters is
    swapped in turn; when exactly one such variant is valid it is the suggestion ("ABCD-2354" ->
    "ABCD2345" when that is a real code). A single wrong character has a valid repair at every
    position, so it cannot be guessed: None."""
    code = normalize_code(typed)
    if is_valid_code(code):
        return code
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    found = set()
    for i in range(LENGTH - 1):
        swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
        if swapped != code and is_valid_code(swapped):
            found.add(swapped)
    return found.pop() if len(found) == 1 else None


def readable(code: str) -> str:
    """ABCD2345 -> ABCD-2345, as the pages show it."""
    code = normalize_code(code)
    return f"{code[:4]}-{code[4:]}" if len(code) == LENGTH else code
