"""What the editor's rich text saved escaped: Markdown a person typed there (SG687).

Decap CMS's rich-text mode treats typed Markdown as text and escapes it (`\\[our prices](/prices/)`,
`\\*\\*Saturdays\\*\\*`, `\\## Hours`, `\\- Cleanings`); the page then shows the brackets, asterisks and
hashes. The local backend of `sitegen serve` saves it as meant (sitegen.admin.richtext); a Git backend
(the published /admin/) cannot. Only what no writer escapes on purpose is reported: a link (an escaped
`[` before `](address)`), bold (escaped pairs around words), a heading (an escaped `#` before a space
and words) and a list (two typed items or more in a row); a single `\\*` or `1984\\.` is left alone,
and so is anything in code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sitegen.admin.richtext import TYPED_BOLD, TYPED_LINK
from sitegen.checks.registry import CheckContext, Finding, document_fact, rule
from sitegen.content.loader import Loaded
from sitegen.core.errors import SourceLocation

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)[^`]*?\1")
HEADING = re.compile(r"^ {0,3}\\(#{1,6})[ \t]+(?=[^\d\s])")  # `\## Hours`; not `\# 1 choice`
ITEM = re.compile(r"^ {0,3}(?:\\([-*+])|\d{1,9}\\([.)]))[ \t]+\S")  # `\- item`, `1\. item`
HINT = (
    "in /admin/, make it with the toolbar instead (select the words, then the Link button, B for bold, "
    "Headings, or a list button), or switch the text to Markdown above it and type it there; in the "
    "file, delete the backslashes"
)


@dataclass(frozen=True)
class Escaped:
    """One typed piece of Markdown saved escaped: its line in the body (from 0), what it was meant as,
    the text as saved and as meant."""

    index: int
    meant: str
    saved: str
    fixed: str


def escaped_markdown(body: str) -> list[Escaped]:
    """The typed links, bold text, headings and lists (two items or more) of a Markdown body that were
    saved escaped; fenced and indented code and code spans are not looked at."""
    found: list[Escaped] = []
    run: list[tuple[int, str, str]] = []  # (line, marker, text) of typed list items in a row
    fence = ""
    for index, line in enumerate(body.split("\n")):
        opened = FENCE.match(line)
        if fence:
            fence = (
                ""
                if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence)
                else fence
            )
            continue
        if opened:
            fence = opened.group(1)
            continue
        if line.startswith(("    ", "\t")) and not run:  # indented code (a list's lines may be indented)
            continue
        if not line.strip():
            continue
        item = ITEM.match(line)
        marker = (item.group(1) or item.group(2)) if item else ""
        if run and (not item or _kind(marker) != _kind(run[-1][1])):
            found += _list(run)
            run = []
        if item:
            run.append((index, marker, line.strip()))
        found += _inline(index, CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line), line)
    return sorted(found + _list(run), key=lambda e: e.index)


def _kind(marker: str) -> str:
    return marker if marker in "-*+" else "1."


def _list(run: list[tuple[int, str, str]]) -> list[Escaped]:
    if len(run) < 2:  # one escaped `\*` or `2024\.` at a line's start is how a writer keeps it from a list
        return []
    first = run[0][2]
    fixed = first.replace("\\", "", 1)
    return [Escaped(run[0][0], f"a list of {len(run)} items", first, fixed)]


def _inline(index: int, visible: str, line: str) -> list[Escaped]:
    """Links, bold text and a heading in one line (`visible` is the line with code spans blanked)."""
    found = []
    for match in TYPED_LINK.finditer(visible):
        saved = line[match.start() : match.end()]
        image = match.start() > 0 and visible[match.start() - 1] == "!"
        meant = f"an image ({match.group(2)})" if image else f"a link to {match.group(2)}"
        found.append(Escaped(index, meant, saved, f"[{match.group(1)}]({match.group(2)})"))
    for match in TYPED_BOLD.finditer(visible):
        mark = match.group(1) * 2
        found.append(Escaped(index, "bold text", match.group(0), f"{mark}{match.group(2)}{mark}"))
    heading = HEADING.match(visible)
    if heading:
        level = len(heading.group(1))
        found.append(Escaped(index, f"a heading (level {level})", line.strip(), line.strip()[1:]))
    return found


def _documents(ctx: CheckContext) -> Iterator[Loaded]:
    seen = set()
    for doc in [*ctx.documents, *ctx.translated]:
        if doc.raw.src_path not in seen:  # a document without a text has no finding
            seen.add(doc.raw.src_path)
            yield doc


@rule(
    "SG687",
    "warning",
    "Content",
    "Markdown typed into the editor's rich text and saved escaped (`\\[words](/address/)`, "
    "`\\*\\*bold\\*\\*`, `\\## Heading`, a list of `\\- items`): the page shows the brackets, asterisks "
    "and hashes",
    "the published /admin/ (a Git backend) saves what is typed in its rich text as text; the toolbar's "
    "links, bold, headings and lists are written as Markdown",
)
def escaped_by_the_editor(ctx: CheckContext) -> Iterator[Finding]:
    for doc in _documents(ctx):
        for index, meant, saved, fixed in ctx.fact(doc, "escaped_markdown"):
            yield Finding(
                SourceLocation(doc.raw.src_path, doc.raw.body_line + index),
                f"{meant} was typed into the editor's rich text and saved as text: the page shows "
                f"`{saved.replace(chr(92), '')}` as it is, not formatted",
                f"{HINT}: `{fixed}`",
            )


@document_fact("escaped_markdown")
def escaped_in(doc: Loaded) -> tuple[tuple[int, str, str, str], ...]:
    """(line in the body, meant, saved, fixed) of each escaped piece of a document's Markdown: found when
    it is loaded and kept in the build cache with it (scanning every text each build was a fifth of a
    one-page edit at 2,000 documents)."""
    return tuple((e.index, e.meant, e.saved, e.fixed) for e in escaped_markdown(doc.raw.body or ""))
