"""The registry of content kinds: one record per folder of `content/`, asked by every stage.

Loading (folder, suffix, model), addresses (index and pattern), the site's order, `sitegen new`, the
dev server's preview and the checks all read what a kind is here. Adding a kind is one record here,
one model in `sitegen/models/` and one template (docs/architecture.md shows how).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sitegen.core.urls import HOME_SLUG
from sitegen.models import Location, Membership, Page, Post, Provider, Service
from sitegen.models.referral import Campaign
from sitegen.models.testimonials import Gallery, Testimonial


@dataclass(frozen=True)
class Kind:
    """What one kind of content document is, for every stage of the build."""

    name: str  # its folder in content/, and its name everywhere else ("services")
    singular: str  # `sitegen new <singular>` ("service")
    model: type  # the frozen dataclass a document is validated into
    suffix: str  # ".md" (front matter and Markdown) or ".yaml" (fields only)
    index_url: str  # the page listing the kind, "" when it has none
    url_pattern: str  # one document's address, with {slug}
    order: Callable[[Any], Any]  # sort key of its documents in the site
    own_page: bool = True  # each document has a page of its own (else an anchor on the index)
    index_when_empty: bool = False  # the index page exists with no document (it says there is none yet)
    previewable: bool = False  # the dev server may show an edit of it before building the whole site
    must_be_linked: bool = False  # a published document no page links to is reported (SG3xx)
    creatable: bool = True  # `sitegen new` can write one

    def url_for(self, slug: str) -> str:
        if self.name == "pages" and slug == HOME_SLUG:
            return "/"
        return self.url_pattern.format(slug=slug)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "pages",
            "page",
            Page,
            ".md",
            "",
            "/{slug}/",
            lambda p: (p.order, p.title),
            previewable=True,
            must_be_linked=True,
        ),
        Kind(
            "services",
            "service",
            Service,
            ".md",
            "/services/",
            "/services/{slug}/",
            lambda s: (s.order, s.title),
            previewable=True,
            must_be_linked=True,
            index_when_empty=True,
        ),
        Kind(
            "providers",
            "provider",
            Provider,
            ".md",
            "/team/",
            "/team/{slug}/",
            lambda p: (p.order, p.name),
            previewable=True,
            must_be_linked=True,
            index_when_empty=True,
        ),
        Kind(
            "locations",
            "location",
            Location,
            ".yaml",
            "/locations/",
            "/locations/{slug}/",
            lambda loc: (loc.order, loc.name),
            must_be_linked=True,
            index_when_empty=True,
        ),
        Kind(
            "posts",
            "post",
            Post,
            ".md",
            "/posts/",
            "/posts/{slug}/",
            lambda p: (-p.date.toordinal(), p.slug),
            previewable=True,
            must_be_linked=True,
        ),
        Kind(
            "memberships",
            "membership",
            Membership,
            ".md",
            "/memberships/",
            "/memberships/{slug}/",
            lambda m: (m.order, m.title),
            previewable=True,
            must_be_linked=True,
        ),
        Kind("campaigns", "campaign", Campaign, ".md", "", "/campaigns/{slug}/", lambda c: (c.start, c.slug)),
        Kind(
            "testimonials",
            "testimonial",
            Testimonial,
            ".md",
            "/testimonials/",
            "/testimonials/#testimonial-{slug}",
            lambda t: (t.order, -t.date.toordinal(), t.slug),
            own_page=False,
        ),
        Kind(
            "gallery",
            "gallery",
            Gallery,
            ".yaml",
            "/gallery/",
            "/gallery/#gallery-{slug}",
            lambda g: (g.order, g.title),
            own_page=False,
        ),
    )
}


def url_for(kind: str, slug: str) -> str:
    """The address of the document `slug` of `kind`."""
    return KINDS[kind].url_for(slug)


def index_url(kind: str) -> str:
    """The page listing `kind` ("" when it has none)."""
    return KINDS[kind].index_url


BY_SINGULAR: dict[str, Kind] = {kind.singular: kind for kind in KINDS.values() if kind.creatable}
PREVIEWABLE = frozenset(kind.name for kind in KINDS.values() if kind.previewable)
