"""What one walk over a document's Markdown events tells the renderer besides the HTML.

pulldown-cmark (through pyromark) gives every event the byte range of the text it came from, so each
link and image gets the exact line it is written on, headings get their text for the ids, raw HTML
is seen with its line, and writing from the previous dialect (Python-Markdown's `extra`) that is now
published as typed is noticed where it is.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Target:
    """A link or image in the Markdown or in its raw HTML, with the body line it is on."""

    url: str
    line: int
    is_image: bool


@dataclass(frozen=True)
class Heading:
    """A Markdown heading: `id` is the `{#id}` written after it, or "" for one made from the text."""

    level: int
    text: str
    id: str


@dataclass(frozen=True)
class Note:
    """Something written for the previous dialect that is now published as typed (warning SG216)."""

    line: int
    message: str
    hint: str


@dataclass
class Scan:
    targets: list[Target] = field(default_factory=list)
    # every heading start tag the HTML will hold, in order: a Markdown heading, or None for raw HTML's
    heading_tags: list[Heading | None] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


_RAW_HEADING = re.compile(r"<h[1-6][\s/>]", re.IGNORECASE)
_RAW_TARGET = re.compile(
    r"<([a-z][\w-]*)\b[^>]*?\s(?:href|src)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))", re.IGNORECASE
)
_MARKDOWN_ATTRIBUTE = re.compile(r"\smarkdown\s*=\s*[\"']?(?:1|block|span)\b", re.IGNORECASE)
_ATTRIBUTE_LIST = re.compile(r"\{:[^{}\n]*\}|\{\s*[#.][\w-][^{}\n]*\}")
_ABBREVIATION = re.compile(r"^\*\[[^\]\n]+\]:", re.MULTILINE)

_OLD_SYNTAX = (
    (
        _ABBREVIATION,
        "an abbreviation definition (*[ABBR]: ...) is not read any more: it is published as typed",
        "spell the term out the first time it is used, e.g. 'intense pulsed light (IPL)'",
    ),
    (
        _ATTRIBUTE_LIST,
        "an attribute list ({: .class} or {#id}) is read only at the end of a heading: here it is "
        "published as typed",
        "remove it; a heading takes its own address as `## Prices {#prices}`",
    ),
)


class _Lines:
    """Byte offsets (pyromark's ranges are UTF-8 byte offsets) to body lines, counted from `first`."""

    def __init__(self, text: str, first: int) -> None:
        self._text, self._first = text, first
        self._breaks: list[int] | None = None

    def at(self, offset: int) -> int:
        if self._breaks is None:
            data = self._text.encode()
            self._breaks = [m.start() for m in re.finditer(b"\n", data)]
        return self._first + bisect_right(self._breaks, offset - 1)


def scan(events: Iterable[tuple[Any, dict[str, int]]], text: str, first_line: int) -> Scan:
    """Walk `events_with_range(text, merge_text=True)` once."""
    found = Scan()
    lines = _Lines(text, first_line)
    heading: tuple[int, str] | None = None  # (level, explicit id) while inside a heading
    parts: list[str] = []
    in_image = in_code = 0
    for event, span in events:
        if isinstance(event, str):  # SoftBreak, HardBreak, Rule
            parts.append(" ")
            continue
        kind, value = next(iter(event.items()))
        if kind == "Text" or kind == "Code":
            if heading is not None and not in_image:
                parts.append(value)
            # every old-dialect pattern needs one of these: the rest of the text is not searched
            if kind == "Text" and not in_code and ("{" in value or "*[" in value or "TOC" in value):
                _old_syntax(value, lines.at(span["start"]), found.notes)
        elif kind == "Start" and isinstance(value, dict):
            name, data = next(iter(value.items()))
            if name == "Heading":
                heading, parts = (int(data["level"][1]), data["id"] or ""), []
            elif name == "Link" or name == "Image":
                found.targets.append(Target(data["dest_url"], lines.at(span["start"]), name == "Image"))
                in_image += name == "Image"
            elif name == "CodeBlock":
                in_code += 1
        elif kind == "End":
            if isinstance(value, dict) and "Heading" in value and heading is not None:
                found.heading_tags.append(Heading(heading[0], " ".join("".join(parts).split()), heading[1]))
                heading = None
            elif value == "Image":
                in_image -= 1
            elif value == "CodeBlock":
                in_code -= 1
        elif kind == "Html" or kind == "InlineHtml":
            _raw_html(value, lines.at(span["start"]), found)
    return found


def _raw_html(fragment: str, line: int, found: Scan) -> None:
    found.heading_tags.extend(None for _ in _RAW_HEADING.finditer(fragment))
    for m in _RAW_TARGET.finditer(fragment):
        url = html.unescape(next(g for g in (m[2], m[3], m[4]) if g is not None))
        at = line + fragment.count("\n", 0, m.start())
        found.targets.append(Target(url, at, m[1].lower() == "img"))
    if _MARKDOWN_ATTRIBUTE.search(fragment):
        found.notes.append(
            Note(
                line,
                'markdown="1" is not read any more: Markdown inside an HTML block is published as typed',
                "leave a blank line after the opening tag and before the closing one: the text between "
                "them is then read as Markdown",
            )
        )


def _old_syntax(value: str, line: int, notes: list[Note]) -> None:
    if value.strip() == "[TOC]":
        notes.append(
            Note(
                line,
                "[TOC] is not replaced by a table of contents any more: it is published as typed",
                "remove it; the headings keep their addresses (#their-text) for links",
            )
        )
    for pattern, message, hint in _OLD_SYNTAX:
        if pattern.search(value):
            notes.append(Note(line, message, hint))


def slugify(value: str, separator: str = "-") -> str:
    """A heading's id, exactly as Python-Markdown's `toc` made it (so every #anchor keeps working)."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(rf"[{separator}\s]+", separator, value)


_NUMBERED = re.compile(r"^(.*)_([0-9]+)$")


def unique(id: str, ids: set[str]) -> str:
    """`id`, or `id_1`, `id_2`... when taken (an empty id is `_1`), as Python-Markdown's `toc` did."""
    if id in ids or not id:
        m = _NUMBERED.match(id)
        base, count = (m[1], int(m[2])) if m else (id, 0)
        count += 1
        while f"{base}_{count}" in ids:
            count += 1
        id = f"{base}_{count}"
    ids.add(id)
    return id
