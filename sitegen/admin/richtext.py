"""Markdown a person typed into Decap's rich-text editor, made into the Markdown they meant.

Decap's rich-text mode treats what is typed as text and escapes Markdown's characters when it saves
(`\\[Book](/book/)`, `\\*\\*bold\\*\\*`, `\\- item`, `\\## Hours`: decap-cms issues #558, #4360);
links, lists and headings made with its toolbar are written plainly. `as_typed` un-escapes, outside
fenced code, a typed link, bold text, a list item and a heading, so they reach the site as meant
(docs/editor.md). The local backend applies it to every Markdown file it saves; a Git backend cannot,
and `sitegen check` warns of what is left (SG687, sitegen/checks/editor.py).
"""

from __future__ import annotations

import re

FENCE = re.compile(r"^\s*(```|~~~)")
TYPED_LINK = re.compile(r"\\\[([^\[\]\n]+?)\\?\]\(([^()\s]+)\)")  # `\[words](/address/)`
TYPED_BOLD = re.compile(r"\\([*_])\\\1(?=\S)([^\n]+?)(?<=\S)\\\1\\\1")  # `\*\*bold\*\*`, `\_\_bold\_\_`
TYPED_BLOCK = re.compile(r"^(\s*)\\([-*+]|#{1,6})(?= )")  # `\- item`, `\* item`, `\## Heading`
TYPED_NUMBER = re.compile(r"^(\s*\d{1,9})\\([.)])(?= )")  # `1\. first`


def _line(line: str) -> tuple[str, str]:
    """The line un-escaped, and the marker of a typed list item ("" when it is none)."""
    item = TYPED_NUMBER.match(line) or TYPED_BLOCK.match(line)
    marker = item.group(2) if item and not item.group(2).startswith("#") else ""
    line = TYPED_NUMBER.sub(r"\1\2", TYPED_BLOCK.sub(r"\1\2", line))
    return TYPED_BOLD.sub(r"\1\1\2\1\1", TYPED_LINK.sub(r"[\1](\2)", line)), marker


def as_typed(raw: str) -> str:
    """A Markdown file's text (front matter kept as it is) with typed links, bold, list items and
    headings un-escaped in its body; fenced code is left alone. Typed items, each a paragraph of its own
    in the editor, become one list (the blank line between two items with the same marker dropped)."""
    lines = raw.split("\n")
    start = lines.index("---", 1) + 1 if lines[:1] == ["---"] and "---" in lines[1:] else 0
    fenced, items = False, dict[int, str]()
    for number in range(start, len(lines)):
        if FENCE.match(lines[number]):
            fenced = not fenced
        elif not fenced:
            lines[number], marker = _line(lines[number])
            if marker:
                items[number] = marker
    between = {n for n in items if items.get(n - 2) == items[n] and not lines[n - 1].strip()}
    return "\n".join(line for n, line in enumerate(lines) if n + 1 not in between)


# For the published editor (a Git backend, which saves the rich text as Decap writes it): a body
# holding none of the typed Markdown that sitegen check reports (SG687), as a pattern in the syntax
# both JavaScript's RegExp (the editor's field validation) and Python's re read.
_ESCAPED = "|".join(
    (
        r"\\\[[^\[\]\n]+?\\?\]\([^()\s]+\)",  # a link
        r"\\\*\\\*\S[^\n]*?\\\*\\\*|\\_\\_\S[^\n]*?\\_\\_",  # bold
        r"(?:^|\n) {0,3}\\#{1,6}[ \t]+[^\d\s]",  # a heading
        r"(?:^|\n) {0,3}\\([-*+])[ \t]+\S[^\n]*\n(?:[ \t]*\n)* {0,3}\\\1[ \t]+\S",  # two list items
        r"(?:^|\n) {0,3}\d{1,9}\\[.)][ \t]+\S[^\n]*\n(?:[ \t]*\n)* {0,3}\d{1,9}\\[.)][ \t]+\S",
    )
)
NOTHING_TYPED = rf"^(?![\s\S]*(?:{_ESCAPED}))[\s\S]*$"
NOTHING_TYPED_MESSAGE = (
    "Markdown typed here is kept as text (the page would show its [brackets](...), **asterisks** and "
    "## hashes). Make links, bold text, headings and lists with the toolbar's buttons, or switch to "
    "Markdown above the text and type it there"
)
