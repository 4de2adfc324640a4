"""What the rules read off each rendered page (links, anchors, forms, review markup), found once per page
and kept from one build to the next by the page's bytes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from sitegen.core.artifact import Artifact
from sitegen.core.urls import split_url

TAG = re.compile(
    r"<(a|link|img|script|iframe|source|video|audio|embed|object|form|area)\b([^>]*)>", re.IGNORECASE
)


_LOAD = re.compile(
    r"<(link|img|script|iframe|source|video|audio|embed|object)\b([^>]*?\s(?:src|data|href|srcset)\s*=\s*[\"']?(?:https?:)?//[^>]*)>",
    re.IGNORECASE,
)


HREF = re.compile(r'<(?:a|area)\s[^>]*?\bhref="([^"]*)"', re.IGNORECASE)


_ATTR = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*("([^"]*)"|\'([^\']*)\'|([^\s>]+))')


ID_ATTR = re.compile(r'\s(?:id|name)="([^"]+)"')


def attributes(text: str) -> dict[str, str]:
    """The attributes of one start tag's inside, lower-cased names, entities left as written."""
    return {m[1].lower(): next(v for v in (m[3], m[4], m[5]) if v is not None) for m in _ATTR.finditer(text)}


_FORM_START = re.compile(r"<form\b", re.IGNORECASE)


_REVIEWISH = ("Review", "Rating", 'itemprop="review', 'itemprop="aggregateRating')


REVIEW_MARKUP = re.compile(
    r'"@type"\s*:\s*\[?\s*"(AggregateRating|Review|Rating)"|schema\.org/(AggregateRating|Review)\b|'
    r'itemprop="(aggregateRating|review|reviewRating|ratingValue)"|typeof="(AggregateRating|Review)"'
)


def page_facts_of(url: str, html: str) -> dict[str, Any]:
    """What the rules ask of every page, as plain values (kept as JSON in the build cache):
    `targets` (SG302, SG321), `loads` (SG631), `form` (whether it has one: SG630), `review` (SG629's
    first match, or None). Each depends on the page's address and bytes only."""
    targets: dict[str, None] = {}
    for href in HREF.findall(html):
        path = link_target(url, href)
        if path is not None:
            targets[path] = None
    review = None
    if any(word in html for word in _REVIEWISH):
        found = REVIEW_MARKUP.search(html)
        review = next(g for g in found.groups() if g) if found else None
    return {
        "targets": list(targets),
        "loads": [[m[1].lower(), attributes(m[2]), m.start()] for m in _LOAD.finditer(html)],
        "form": _FORM_START.search(html) is not None,
        "review": review,
    }


class PageFacts:
    """`page_facts_of` per page, kept from one build to the next by the pages' bytes: the last build's
    (`known`: output path -> [hash, facts]) and the hashes of the pages kept from it (`kept`: output
    path -> the hash recorded when it was written), so a kept page is not read again."""

    def __init__(
        self,
        known: dict[str, list] | None = None,
        kept: dict[str, str] | None = None,
        digests: dict[str, tuple[bytes, str]] | None = None,
    ) -> None:
        self.known, self.kept = known or {}, kept or {}
        self.found: dict[str, list] = {}  # this build's, for the next
        # output path -> (the page's bytes, their hash): the dev server keeps pages in memory
        self._digests = digests or {}
        self._found_digests: dict[str, tuple[bytes, str]] = {}

    def following(self) -> PageFacts:
        """For the next build in this process (the dev server): what this one found, hashes remembered."""
        return PageFacts(self.found, digests=self._found_digests)

    def get(self, artifact: Artifact, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if artifact.content is not None:
            memo = self._digests.get(artifact.out_path)
            digest = (
                memo[1]
                if memo and memo[0] is artifact.content
                else hashlib.sha256(artifact.content).hexdigest()[:32]
            )
            self._found_digests[artifact.out_path] = (artifact.content, digest)
        else:
            digest = self.kept.get(artifact.out_path, "") if artifact.copy_from is not None else ""
        old = self.known.get(artifact.out_path)
        facts = old[1] if digest and old and old[0] == digest else compute()
        if digest:
            self.found[artifact.out_path] = [digest, facts]
        return facts


def link_target(url: str, href: str) -> str | None:
    """The path on this site that `href`, on the page at `url`, leads to (see CheckContext.target)."""
    parts = split_url(href)
    if parts.scheme or parts.netloc or not parts.path or href.startswith("//"):
        return None
    return parts.path if parts.path.startswith("/") and "/." not in parts.path else urljoin(url, parts.path)
