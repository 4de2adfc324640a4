"""Planned pages rendered through their templates into artifacts, with the header, footer and JSON-LD."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import jinja2

from sitegen.content.i18n import Catalogue
from sitegen.content.kinds import index_url
from sitegen.core.artifact import Artifact
from sitegen.core.errors import Diagnostics
from sitegen.core.urls import (
    FAQ_URL,
)
from sitegen.models import Link
from sitegen.render import seo
from sitegen.render.editions import Edition
from sitegen.render.templates import template_error
from sitegen.site.assembly import Site

if TYPE_CHECKING:
    pass
from sitegen.render.plans import PagePlan


class PageCache(Protocol):
    """What `render` asks of the incremental build (incremental.reuse.PageReuse): a page kept whole,
    a page kept because its context is unchanged, or a page rendered (and recorded)."""

    def keep(self, page: PagePlan) -> Artifact | None: ...

    def reuse(self, page: PagePlan, context: dict[str, Any]) -> Artifact | None: ...

    def render(self, page: PagePlan, context: dict[str, Any]) -> str: ...


def navigation(site: Site, catalogue: Catalogue) -> tuple[list[Link], list[Link]]:
    """The header menu and footer links: from site.yaml when set, else derived from what exists."""
    config = site.config
    _ = catalogue.gettext
    menu = list(config.menu)
    if not menu:
        menu = [
            Link(label=_("Treatments"), url=index_url("services")),
            Link(label=_("Our team"), url=index_url("providers")),
            Link(label=_("Locations"), url=index_url("locations")),
        ]
        menu += [Link(label=p.title, url=p.url) for p in site.pages if p.menu == "header"]
        if site.posts:
            menu.append(Link(label=_("News"), url=index_url("posts")))
        if site.faq:
            menu.append(Link(label=_("FAQ"), url=FAQ_URL))
    footer = list(config.footer_links) or [
        Link(label=p.title, url=p.url) for p in site.pages if p.menu == "footer"
    ]
    return menu, footer


def render(
    site: Site,
    plans: list[PagePlan],
    site_dir: Path,
    diagnostics: Diagnostics,
    reuse: PageCache,
    edition: Edition,
) -> list[Artifact]:
    """Render each plan; `reuse` (a reuse.PageReuse) may hand back the last build's output instead,
    and otherwise renders the page itself, noting what the page was made from. `edition` is the
    language the pages are in (their links are pointed to its pages)."""
    config = site.config
    menu, footer = navigation(site, edition.catalogue)
    practice = seo.practice(site)
    artifacts = []
    for page in plans:
        kept = reuse.keep(page)
        if kept is not None:
            artifacts.append(kept)
            continue
        trail = page.trail + [(page.title, page.url)] if page.trail else []
        jsonld = [practice] if page.url == "/" else []
        jsonld += _page_jsonld(site, page, edition.catalogue.gettext)
        if trail:
            jsonld.append(seo.breadcrumbs(config, trail))
        context = {
            "site": site,
            "config": config,
            "menu": menu,
            "footer_links": footer,
            "page_url": page.url,
            "canonical": config.base_url + edition.prefix + page.url,
            "title": page.title,
            "description": page.description,
            "breadcrumbs": trail,
            "og_image": config.base_url + (page.image or (config.image.src if config.image else ""))
            if (page.image or config.image)
            else None,
            "og_type": page.kind,
            "noindex": not page.in_sitemap,  # a page is in the sitemap or asks not to be indexed
            "jsonld": jsonld,
            "program": site.program,
            **edition.context(page.url),
            **page.context,
        }
        kept = reuse.reuse(page, context)
        if kept is not None:
            artifacts.append(kept)
            continue
        try:
            html = reuse.render(page, context)
        except (jinja2.TemplateError, LookupError, TypeError, ValueError, AttributeError) as exc:
            template_error(exc, site_dir, diagnostics, page.url)
            continue
        html = edition.localize_links(html)
        artifacts.append(Artifact(page.out_path, html.encode("utf-8"), sources=page.named_sources))
    return artifacts


def _page_jsonld(site: Site, page: PagePlan, gettext: Callable[[str], str]) -> list[dict]:
    if "location" in page.context:
        return [seo.office(site, page.context["location"])]
    if "provider" in page.context:
        return [seo.person(site, page.context["provider"], gettext)]
    if "post" in page.context:
        return [seo.article(site, page.context["post"])]
    if "service" in page.context:
        return [seo.service(site, page.context["service"])]
    if "membership" in page.context:
        return [seo.membership(site, page.context["membership"])]
    return []
