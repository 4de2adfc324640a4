"""Diagnostics: every content problem is a value that knows where it came from.

Stages collect diagnostics instead of raising at the first problem, so a user sees every mistake in
one run. Only when a stage cannot go on does it raise `ContentError`, which carries all of them.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import click


class Severity(str, Enum):  # noqa: UP042 - a StrEnum's str() and format() give the value, not Severity.ERROR
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A place in a source file; `line` is 1-based, 0 when the whole file is meant."""

    src_path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.src_path}:{self.line}" if self.line else self.src_path


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the content: a stable code (see docs/errors.md), where, what, and how to fix."""

    code: str
    message: str
    location: SourceLocation
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        text = f"{self.location}: {self.severity.value}[{self.code}] {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


@dataclass
class Diagnostics:
    """A collector passed through a stage; `errors` decides whether the build may go on."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._seen.update(self.items)

    def error(self, code: str, message: str, location: SourceLocation, hint: str = "") -> None:
        self.add(Diagnostic(code, message, location, hint, Severity.ERROR))

    def warn(self, code: str, message: str, location: SourceLocation, hint: str = "") -> None:
        self.add(Diagnostic(code, message, location, hint, Severity.WARNING))

    def add(self, diagnostic: Diagnostic) -> None:
        """Once only: each language of a site checks the documents it shares with the others again."""
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        for diagnostic in other:
            self.add(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.items)


class SitegenError(click.ClickException):
    """Base of every error a user should see as a message, never as a traceback."""

    exit_code = 1


class ContentError(SitegenError):
    """The site's content has one or more errors; carries every diagnostic found, sorted by place."""

    def __init__(self, diagnostics: Iterable[Diagnostic], silenced: int = 0):
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.location, d.code))
        self.silenced = silenced  # diagnostics dropped because a file silences their rule
        errors = [d for d in self.diagnostics if d.severity is Severity.ERROR]
        super().__init__(f"{len(errors)} error(s) in the content; nothing was written.")

    def format_message(self) -> str:
        lines = [d.format() for d in self.diagnostics]
        lines.append(self.message)
        return "\n".join(lines)


class OutputError(SitegenError):
    """The output folder could not be written (permissions, a path in the way)."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean "x"?)' suffix when a close match exists, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def relative_to(path: Path, root: Path) -> str:
    """How a file is named in messages: relative to the site folder, with forward slashes."""
    text, base = str(path), str(root)
    prefix = "" if base == "." else base + os.sep  # `sitegen build` in the site's folder: root is "."
    if (
        os.sep == "/"
        and text.startswith(prefix)
        and not (prefix == "" and text.startswith("/"))
        and "/./" not in text
        and "/../" not in text
    ):
        return text[len(prefix) :]  # the usual case, without pathlib's cost (10,000 documents per build)
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
