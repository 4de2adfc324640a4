"""Markdown to safe HTML, noting every link and image so the site can check them.

Python-Markdown does the parsing; nh3 (a Rust HTML sanitiser, the maintained successor of bleach)
removes whatever raw HTML in a content file could run script or break the layout, so a pasted snippet
can never put `<script>` or an `onerror=` into a patient-facing page. Obsolete presentational
attributes are dropped too, which keeps the output valid HTML under a strict Content-Security-Policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

import markdown as md
import nh3

EXTENSIONS = ["extra", "sane_lists", "smarty", "toc"]
EXTENSION_CONFIGS = {"toc": {"permalink": False}, "smarty": {"smart_angled_quotes": False}}

_OBSOLETE_TAGS = {"acronym", "center", "strike", "tt"}
_OBSOLETE_ATTRIBUTES = {"align", "char", "charoff", "size", "width", "summary"}
ALLOWED_TAGS = (set(nh3.ALLOWED_TAGS) - _OBSOLETE_TAGS) | {"section"}
ALLOWED_ATTRIBUTES = {tag: set(attrs) - _OBSOLETE_ATTRIBUTES for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
ALLOWED_ATTRIBUTES["img"] |= {"width", "height", "loading"}
ALLOWED_ATTRIBUTES["a"] |= {"title"}
ALLOWED_ATTRIBUTES["*"] = {"id", "class", "lang", "title"}
URL_SCHEMES = {"http", "https", "mailto", "tel", "sms"}


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


_REFERENCE = re.compile(r'<(a|img)\s[^>]*?\b(href|src)="([^"]*)"')
_DANGEROUS = re.compile(r'\b(?:href|src)\s*=\s*["\']?\s*(javascript|vbscript|data):', re.IGNORECASE)


class MarkdownRenderer:
    """One configured converter, reused across documents (building one per file is slow).

    It remembers what it rendered in the previous build, so the dev server re-renders only the
    documents whose text changed; `start_build` forgets what the last build no longer used.
    """

    def __init__(self, allow_html: bool = False) -> None:
        self._md = md.Markdown(
            extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
        )
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
        return "raw-html" if self.allow_html else "sanitised"

    def start_build(self) -> None:
        self._previous, self._current = self._current, {}

    def render(self, text: str, first_line: int = 1) -> Rendered:
        key = (text, first_line)
        cached = self._current.get(key) or self._previous.get(key)
        if cached is None:
            cached = self._render(text, first_line)
        self._current[key] = cached
        return cached

    def _render(self, text: str, first_line: int) -> Rendered:
        self._md.reset()
        raw_html = self._md.convert(text)
        html = (
            raw_html
            if self.allow_html
            else nh3.clean(
                raw_html,
                tags=ALLOWED_TAGS,
                attributes=ALLOWED_ATTRIBUTES,
                url_schemes=URL_SCHEMES,
                link_rel=None,
            )
        )
        html = html.replace("<img ", '<img loading="lazy" ')
        # a wide table scrolls sideways on a phone; keyboard users need to be able to focus it to scroll
        html = html.replace(
            "<table>", '<div class="table-scroll" tabindex="0" role="region" aria-label="Table"><table>'
        ).replace("</table>", "</table></div>")
        lines = text.splitlines()
        # read from the sanitised HTML, so raw HTML in the Markdown is checked too
        references = [
            Reference(url, first_line + _line_index(lines, url), tag == "img")
            for tag, _, url in ((m[1], m[2], unescape(m[3])) for m in _REFERENCE.finditer(html))
        ]
        lowered = [line.lower() for line in lines]
        references += (
            [
                Reference(
                    m[1].lower() + ":", first_line + _line_index(lowered, m[1].lower() + ":"), removed=True
                )
                for m in _DANGEROUS.finditer(raw_html)
            ]
            if not self.allow_html
            else []
        )
        headings = [
            (token["id"], token["name"]) for token in _walk(self._md.toc_tokens) if token["level"] == 2
        ]  # type: ignore[attr-defined]
        return Rendered(html, references, headings)


def _line_index(lines: list[str], needle: str) -> int:
    for index, line in enumerate(lines):
        if needle in line:
            return index
    return 0


def _walk(tokens: list[dict]) -> list[dict]:
    flat = []
    for token in tokens:
        flat.append(token)
        flat.extend(_walk(token.get("children", [])))
    return flat
