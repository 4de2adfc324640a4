"""Which advocate's code a request names, when the friend typed it (or a name) by hand.

`code_typed` credits a typed code only when it is certain: an enrolled code, or a well-formed one;
anything else is left for staff, never guessed. `probable_code` names the one likely repair of a
mistyped code when it is enrolled (for the flag only: it is not credited). Rules: docs/report.md.
"""

from __future__ import annotations

import re
from collections.abc import Container

from sitegen.report.ingest import shown
from sitegen.site.program import is_valid_code, normalize_code, suggest_code
from sitegen.site.refcode import readable

_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{4}[\s\-]?[0-9A-Za-z]{4}(?![0-9A-Za-z])")


def code_typed(typed: str, known: Container[str]) -> str:
    """The code that "Who referred you?" holds: the whole text as a code when it is enrolled or
    well-formed, else an enrolled code written inside it ("Ann, ABCD-2345"); '' for anything else."""
    whole = normalize_code(typed)
    if whole in known or is_valid_code(whole):
        return whole
    for match in _TOKEN.finditer(typed):
        code = normalize_code(match.group())
        if code in known:
            return code
    return ""


def probable_code(code: str, known: Container[str]) -> str:
    """The enrolled code a code that is not enrolled was probably meant to be (two neighbours swapped), or
    '' when there is none or more than one."""
    suggestion = suggest_code(code)
    return suggestion if suggestion and suggestion != normalize_code(code) and suggestion in known else ""


def typed_message(typed: str, suggestion: str) -> str:
    """The flag's words for what was typed in "Who referred you?" that names no enrolled code."""
    said = f'"Who referred you?" says "{shown(typed, 60)}"'
    if suggestion:
        return (
            f"{said}: probably {readable(suggestion)} (a mistyped code); not credited until staff "
            "confirm it with the friend"
        )
    return f"{said}, which is no enrolled code: staff match it to an advocate by hand (nothing credited)"


def unknown_message(code: str, suggestion: str) -> str:
    """The flag's words for a code no enrolment has, naming its probable repair when there is one."""
    if suggestion:
        return (
            f'no enrolment has the code "{shown(code)}": probably {readable(suggestion)} (a mistyped code); '
            "not credited until staff confirm it"
        )
    return (
        f'no enrolment has the code "{shown(code)}" (was the enrolments export made before this advocate '
        "enrolled?)"
    )
