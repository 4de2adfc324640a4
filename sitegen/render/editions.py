"""One edition of the site per language: the main one at `/`, the others under `/<lang>/`.

Each `Edition` is the same site in the language's interface strings, each document in its translation
when there is one (an untranslated document has no page there). `Edition.localize_links` points a
page's links at the edition's own pages, so templates and translated Markdown need no language-aware
links; a link to an untranslated page keeps leading to the original. Rules: docs/languages.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sitegen.content.i18n import Catalogue, language_name

ATTRIBUTE = re.compile(r'(\s[\w:-]+=")([^"]*)(")')
TAG_OR_TEXT = re.compile(r"(<[^>]*>)|([^<]+)")
HREF = re.compile(r'\shref="(/[^"]*)"')


@dataclass
class Edition:
    """A language's edition: which pages it has (by main-language address) and how to link them."""

    lang: str
    languages: tuple[str, ...]
    catalogue: Catalogue
    base_url: str
    plans: list[Any] = field(default_factory=list)  # its pages (render.plans.PagePlan)
    others: dict[str, Edition] = field(default_factory=dict)  # every edition by language, this one too

    @cached_property
    def pages(self) -> set[str]:
        """The main-language addresses of the pages this edition renders."""
        return {plan.url for plan in self.plans}

    @property
    def prefix(self) -> str:
        return "" if self.lang == self.languages[0] else f"/{self.lang}"

    def address(self, url: str) -> str:
        """`/refer/` in this edition: `/es/refer/`; an address it has no page for stays as it is."""
        path = url.split("?", 1)[0].split("#", 1)[0]
        return self.prefix + url if self.prefix and path in self.pages else url

    def alternates(self, url: str) -> list[tuple[str, str]]:
        """(language, absolute address) of the page in every language that has it, when more than one does."""
        having = [e for e in (self.others[lang] for lang in self.languages) if url in e.pages]
        return [(e.lang, self.base_url + e.prefix + url) for e in having] if len(having) > 1 else []

    def context(self, url: str) -> dict[str, Any]:
        """What base.html needs to name the page's language and link its translations."""
        alternates = [{"lang": lang, "href": href} for lang, href in self.alternates(url)]
        main = self.others[self.languages[0]]
        switcher = [
            {
                "lang": e.lang,
                "name": language_name(e.lang),
                "current": e.lang == self.lang,
                "url": e.prefix + (url if url in e.pages else "/"),
            }
            for e in self.others.values()
        ]
        return {
            "lang": self.lang,
            "og_locale": self.catalogue.locale if "_" in self.catalogue.locale else self.lang,
            "alternates": alternates,
            "x_default": self.base_url + main.prefix + url if alternates else "",
            "switcher": switcher if len(switcher) > 1 else [],
            # the main edition's links are written as they are; another edition's depend on the pages that
            # exist
            "edition": self.digest if self.prefix else "",
            "lang_prefix": self.prefix,  # for addresses made in the browser (the personal link /es/r/<code>)
        }

    @cached_property
    def digest(self) -> str:
        """Which pages every edition has: a page's links depend on it, so its cache key does too."""
        h = hashlib.blake2b(digest_size=12)
        for lang in self.languages:
            h.update(lang.encode() + b"\0" + "\0".join(sorted(self.others[lang].pages)).encode() + b"\1")
        return h.hexdigest()

    def localize_links(self, html: str) -> str:
        """Point every link of this page to this edition's page where it has one. Tags with an
        `hreflang` (the language switcher, the alternates) name their language's page on purpose."""
        if not self.prefix:
            return html
        base = self.base_url

        def value(match: re.Match) -> str:
            text = match.group(2)
            if text.startswith("/") and not text.startswith("//"):
                text = self.address(text)
            elif base and text.startswith(base + "/"):
                text = base + self.address(text[len(base) :])
            return match.group(1) + text + match.group(3)

        main = self.others[self.languages[0]]

        def part(match: re.Match) -> str:
            tag, text = match.group(1), match.group(2)
            if tag is not None:
                if "hreflang=" in tag:
                    return tag
                if tag.startswith("<a ") and (href := HREF.search(tag)):
                    path = href.group(1).split("?", 1)[0].split("#", 1)[0]
                    if path not in self.pages and path in main.pages:  # a page this language does not have
                        return tag[:-1].rstrip() + f' hreflang="{main.lang}">'
                return ATTRIBUTE.sub(value, tag)
            if base and f'"{base}/' in text:  # structured data (JSON-LD) names pages by absolute address
                return re.sub(
                    re.escape(f'"{base}') + r'(/[^"]*)"',
                    lambda m: f'"{base}{self.address(m.group(1))}"',
                    text,
                )
            return text

        return TAG_OR_TEXT.sub(part, html)


def link_editions(editions: Iterable[Edition]) -> list[Edition]:
    found = list(editions)
    by_lang = {e.lang: e for e in found}
    for edition in found:
        edition.others = by_lang
    return found
