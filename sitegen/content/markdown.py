"""Markdown to safe HTML, noting every link and image (with its line) so the site can check them.

The dialect is CommonMark with GitHub's tables and the extras of docs/content.md ("How Markdown is
read"), parsed by pulldown-cmark through pyromark; nh3 then removes raw HTML that could run script or
break the layout. Why these engines: docs/performance.md ("Markdown engine"); defences: docs/security.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape
from urllib.parse import unquote

import nh3
import pyromark

from sitegen.content.markdown_scan import Heading, Note, Scan, Target, scan, slugify, unique

OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_SMART_PUNCTUATION
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_DEFINITION_LIST
    | pyromark.Options.ENABLE_HEADING_ATTRIBUTES
)
# part of every cache key: a change of dialect, options or engine version renders everything again
DIALECT = (
    f"commonmark+tables+smart+footnotes+deflist+heading-ids/pulldown-cmark/pyromark-{pyromark.__version__}"
)

# what a cached document holds of its Markdown (see content/bodies.py): a change re-reads every document
KEEPS = "markdown kept for pages, testimonials, memberships"
_OBSOLETE_TAGS = {"acronym", "center", "strike", "tt"}
_OBSOLETE_ATTRIBUTES = {"align", "char", "charoff", "size", "width", "summary"}
ALLOWED_TAGS = (set(nh3.ALLOWED_TAGS) - _OBSOLETE_TAGS) | {"section"}
ALLOWED_ATTRIBUTES = {tag: set(attrs) - _OBSOLETE_ATTRIBUTES for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
ALLOWED_ATTRIBUTES["img"] |= {"width", "height", "loading"}
ALLOWED_ATTRIBUTES["a"] |= {"title"}
ALLOWED_ATTRIBUTES["*"] = {"id", "class", "lang", "title"}
URL_SCHEMES = {"http", "https", "mailto", "tel", "sms"}
_DANGEROUS_SCHEMES = ("javascript", "vbscript", "data")
# one sanitiser for every document: nh3.clean would convert the allowed sets on each call
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None
)


@dataclass(frozen=True)
class Reference:
    """A link or image in a document body, with the body line it is on (for messages)."""

    url: str
    line: int
    is_image: bool = False
    removed: bool = False  # a link the sanitiser took out (javascript:, data:), reported as a warning


@dataclass
class Rendered:
    html: str
    references: list[Reference] = field(default_factory=list)
    headings: list[tuple[str, str]] = field(default_factory=list)  # (id, text) of each h2
    notes: list[Note] = field(default_factory=list)  # old-dialect writing published as typed (SG216)


_REFERENCE = re.compile(r'<(a|img)\s[^>]*?\b(href|src)="([^"]*)"')
_HEADING_TAG = re.compile(r"<h([1-6])(?=[\s/>])([^>]*)>", re.IGNORECASE)
_FOOTNOTE = re.compile(r'(<sup class="footnote-reference"><a href="#|<div class="footnote-definition" id=")')


class MarkdownRenderer:
    """One configured parser, reused across documents.

    It remembers what it rendered in the previous build, so the dev server re-renders only the
    documents whose text changed; `start_build` forgets what the last build no longer used.
    """

    def __init__(self, allow_html: bool = False) -> None:
        self._md = pyromark.Markdown(options=OPTIONS)
        self._previous: dict[tuple[str, int], Rendered] = {}
        self._current: dict[tuple[str, int], Rendered] = {}
        self.allow_html = allow_html

    def configure(self, allow_html: bool) -> None:
        """Follow site.yaml's `allow_html`; what was rendered under the other setting is forgotten."""
        if allow_html != self.allow_html:
            self.allow_html = allow_html
            self._previous, self._current = {}, {}

    @property
    def settings(self) -> str:
        """What, besides the text, decides the output: part of every cache key."""
        return f"{DIALECT}|{'raw-html' if self.allow_html else 'sanitised'}|{KEEPS}"

    def start_build(self) -> None:
        self._previous, self._current = self._current, {}

    def render(self, text: str, first_line: int = 1, remember: bool = True) -> Rendered:
        """`text` as HTML, with its links and headings; with `remember`, kept for this build and the next
        (a document's body is not: the build cache keeps documents, and the memory would hold every text)."""
        key = (text, first_line)
        cached = self._current.get(key) or self._previous.get(key)
        if cached is None:
            cached = self._render(text, first_line)
        if remember:
            self._current[key] = cached
        return cached

    def _render(self, text: str, first_line: int) -> Rendered:
        found = scan(self._md.events_with_range(text, merge_text=True), text, first_line)
        raw_html, headings = _heading_ids(self._md.html(text), found.heading_tags)
        # footnotes' anchors are the labels themselves ([^prices] -> #prices): prefixed, so they never
        # take a heading's id
        raw_html = _FOOTNOTE.sub(r"\1fn-", raw_html)
        html = raw_html if self.allow_html else _CLEANER.clean(raw_html)
        html = html.replace("<img ", '<img loading="lazy" ')
        # a wide table scrolls sideways on a phone; keyboard users need to be able to focus it to scroll
        html = html.replace(
            "<table>", '<div class="table-scroll" tabindex="0" role="region" aria-label="Table"><table>'
        ).replace("</table>", "</table></div>")
        return Rendered(
            html, _references(html, found, text, first_line, self.allow_html), headings, found.notes
        )


def _heading_ids(raw_html: str, tags: list[Heading | None]) -> tuple[str, list[tuple[str, str]]]:
    """Every Markdown heading without a `{#id}` gets its text's slug, made unique in the document."""
    used = {tag.id for tag in tags if tag is not None and tag.id}
    ids = [tag.id or unique(slugify(tag.text), used) if tag is not None else "" for tag in tags]
    h2 = [(id, tag.text) for tag, id in zip(tags, ids) if tag is not None and tag.level == 2]
    if not tags or all(tag is None or tag.id for tag in tags):
        return raw_html, h2
    pending = iter(zip(tags, ids))

    def add_id(m: re.Match[str]) -> str:
        tag, id = next(pending, (None, ""))
        if tag is None or tag.id:  # raw HTML's own heading, or one whose {#id} pulldown-cmark wrote
            return m[0]
        return f'<h{m[1]} id="{escape(id)}"{m[2]}>'

    return _HEADING_TAG.sub(add_id, raw_html), h2


def _references(html: str, found: Scan, text: str, first_line: int, allow_html: bool) -> list[Reference]:
    """Read from the output HTML (sanitised unless raw HTML is allowed), so raw HTML is checked too;
    each takes the line of the link or image it was written as."""
    unclaimed = list(found.targets)
    references = []
    for m in _REFERENCE.finditer(html):
        url, is_image = unescape(m[3]), m[1] == "img"
        written = next((t for t in unclaimed if t.is_image == is_image and _same(t.url, url)), None)
        if written is not None:
            unclaimed.remove(written)
            references.append(Reference(written.url, written.line, is_image))
        else:
            references.append(Reference(url, first_line + _line_index(text.splitlines(), url), is_image))
    if not allow_html:
        for target in found.targets:
            scheme = target.url.strip().lower().partition(":")[0]
            if scheme in _DANGEROUS_SCHEMES and ":" in target.url:
                references.append(Reference(scheme + ":", target.line, removed=True))
    return references


def _same(written: str, url: str) -> bool:
    return written == url or unquote(written) == unquote(url)


def _line_index(lines: list[str], needle: str) -> int:
    for index, line in enumerate(lines):
        if needle in line:
            return index
    return 0


__all__ = ["Heading", "MarkdownRenderer", "Note", "Reference", "Rendered", "Target"]
