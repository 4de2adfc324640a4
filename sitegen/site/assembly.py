"""The whole site, assembled and cross-checked: references, duplicate addresses, links and images.

`assemble` runs after every document has been loaded on its own; it is where one document's mistake
about another (an author who is not on the team, a link to a page that does not exist) is found.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from sitegen.content.kinds import KINDS, url_for
from sitegen.content.loader import Loaded
from sitegen.core.errors import Diagnostics, SourceLocation
from sitegen.core.urls import (
    slugify,
    tag_url,
)
from sitegen.models import (
    FaqItem,
    Location,
    Page,
    Post,
    Provider,
    Service,
    SiteConfig,
)
from sitegen.models.forms import Form
from sitegen.models.membership import Membership
from sitegen.models.payment import Financing
from sitegen.models.referral import Campaign, Program
from sitegen.models.testimonials import Gallery, Testimonial
from sitegen.site import formservices
from sitegen.site.consent import publishable
from sitegen.site.crosschecks import (
    check_aliases,
    check_booking_slugs,
    check_images,
    check_links,
    check_provider_types,
    check_references,
    check_unique_urls,
    public_urls,
)
from sitegen.site.forms import FormView
from sitegen.site.program import campaign_status, check_campaign


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    url: str
    posts: tuple[Post, ...]


@dataclass(frozen=True)
class Site:
    """Everything a template may show, sorted and cross-referenced; drafts already left out."""

    config: SiteConfig
    home: Page | None
    pages: tuple[Page, ...]
    services: tuple[Service, ...]
    providers: tuple[Provider, ...]
    locations: tuple[Location, ...]
    posts: tuple[Post, ...]
    tags: tuple[Tag, ...]
    faq: tuple[FaqItem, ...]
    static_files: tuple[str, ...]  # public paths of files in content/static/
    by_slug: dict[str, dict[str, Any]] = field(default_factory=dict)
    forms: dict[str, FormView] = field(
        default_factory=dict
    )  # forms placed on a page, as their service needs them
    program: Program | None = None
    campaigns: tuple[Campaign, ...] = ()
    testimonials: tuple[Testimonial, ...] = ()  # only those whose consent covers the web today
    galleries: tuple[Gallery, ...] = ()  # only the photo pairs whose consent covers the web today
    memberships: tuple[Membership, ...] = ()
    today: date | None = None  # the build's date: what is upcoming (holiday closures) is counted from it
    lang: str = ""  # the edition's language; "" for a site in one language
    prefix: str = ""  # the edition's folder, "/es", or "" for the main language
    translated: frozenset[str] = frozenset()  # addresses of the documents this edition has in its language

    def testimonials_for(self, service_slug: str) -> list[Testimonial]:
        return [t for t in self.testimonials if t.service == service_slug]

    def galleries_for(self, service_slug: str) -> list[Gallery]:
        return [g for g in self.galleries if g.service == service_slug]

    def get(self, kind: str, slug: str) -> Any:
        return self.by_slug[kind].get(slug)

    def provider(self, slug: str) -> Provider | None:
        return self.by_slug["providers"].get(slug)

    def services_by(self, provider: Provider) -> list[Service]:
        return [s for s in self.services if provider.slug in s.providers]

    def services_at(self, location: Location) -> list[Service]:
        return [s for s in self.services if not s.locations or location.slug in s.locations]

    def providers_at(self, location: Location) -> list[Provider]:
        return [p for p in self.providers if location.slug in p.locations]

    def posts_by(self, provider: Provider) -> list[Post]:
        return list(self._posts_by_author.get(provider.slug, ()))

    @cached_property
    def _posts_by_author(self) -> dict[str, list[Post]]:
        """The posts of each author, in the site's order: found once, not once per provider (a tenth of
        a one-page edit at 10,000 documents went to asking each provider's posts of all 8,000)."""
        found: dict[str, list[Post]] = {}
        for post in self.posts:
            found.setdefault(post.author, []).append(post)
        return found

    def insurance_at(self, location: Location) -> list[str]:
        """The plans accepted at an office: its own list, or the practice's."""
        return list(location.insurance or self.config.insurance)

    def financing_at(self, location: Location) -> list[Financing]:
        return list(location.financing or self.config.financing)

    def location(self, slug: str) -> Location | None:
        return self.by_slug["locations"].get(slug)


def find_static_files(site_dir: Path) -> list[str]:
    static = site_dir / "content" / "static"
    if not static.is_dir():
        return []
    # _redirects and _headers are merged into the generated ones, not copied over them
    return sorted(
        "/" + f.relative_to(static).as_posix()
        for f in static.rglob("*")
        if f.is_file() and f.relative_to(static).as_posix() not in ("_redirects", "_headers")
    )


def assemble(
    config: SiteConfig,
    loaded: list[Loaded],
    faq: list[FaqItem],
    static_files: list[str],
    diagnostics: Diagnostics,
    *,
    drafts: bool = False,
    invalid: frozenset[tuple[str, str]] = frozenset(),
    forms: dict[str, Form] | None = None,
    program: Program | None = None,
    today: date | None = None,
    later: list[Callable[[Diagnostics], None]] | None = None,
    cross_check: Callable[[Loaded], bool] | None = None,
) -> Site:
    """The site of the published documents, with duplicate addresses and aliases reported now.

    `invalid`: (kind, slug) of documents that failed to load (references to them are not reported
    again). With `later`, the reference, link and image checks are appended there, to run once the pages
    are shown (the dev server's text-only rebuild). With `cross_check`, only the documents it accepts
    have theirs checked (another language's edition checks its translations only)."""
    today = today or date.today()
    loaded = [_with_status(d, today) for d in _dated_campaigns(loaded, diagnostics)]
    published = _published(config, loaded, program, today, drafts, diagnostics)
    check_unique_urls(published, diagnostics, config.languages[1:])
    by_slug: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
    for doc in published:
        by_slug[doc.kind].setdefault(doc.model.slug, doc.model)
    by_slug["forms"] = dict(forms or {})
    published_sources = {d.raw.src_path for d in published}
    drafted = {d.model.url: d for d in loaded if d.raw.src_path not in published_sources}
    check_aliases(published, diagnostics)
    check_provider_types(published, diagnostics)
    if cross_check is None:  # the main edition's site.yaml; another language's only lays texts over it
        check_booking_slugs(config, loaded, invalid, diagnostics)

    def cross_checks(found: Diagnostics) -> None:
        checked = published if cross_check is None else [d for d in published if cross_check(d)]
        _check_across(config, published, checked, by_slug, drafted, static_files, invalid, found)

    if later is None:
        cross_checks(diagnostics)
    else:
        later.append(cross_checks)
    return _site(config, published, by_slug, faq, static_files, program, today, diagnostics)


def _check_across(
    config: SiteConfig,
    published: list[Loaded],
    checked: list[Loaded],
    by_slug: dict[str, dict[str, Any]],
    drafted: dict[str, Loaded],
    static_files: list[str],
    invalid: frozenset[tuple[str, str]],
    found: Diagnostics,
) -> None:
    """Reports the `checked` documents' references, links and images that point nowhere."""
    check_references(checked, by_slug, invalid, found)
    known_urls = (
        public_urls(published, by_slug, config)
        | set(static_files)
        | {url_for(kind, slug) for kind, slug in invalid}
    )
    check_links(checked, known_urls, drafted, found)
    check_images(config, checked, set(static_files), found)


def _site(
    config: SiteConfig,
    published: list[Loaded],
    by_slug: dict[str, dict[str, Any]],
    faq: list[FaqItem],
    static_files: list[str],
    program: Program | None,
    today: date,
    diagnostics: Diagnostics,
) -> Site:
    """The `Site` of the published documents, each kind in its registry order."""

    of_kind: dict[str, list[Any]] = {}
    for d in published:  # one pass, not one per kind
        of_kind.setdefault(d.kind, []).append(d.model)

    def sort(kind: str) -> tuple:
        return tuple(sorted(of_kind.get(kind, ()), key=KINDS[kind].order))

    posts = sort("posts")
    home = by_slug["pages"].get("index")
    return Site(
        config=config,
        home=home,
        pages=tuple(p for p in sort("pages") if p is not home),
        services=sort("services"),
        providers=sort("providers"),
        locations=sort("locations"),
        posts=posts,
        tags=_collect_tags(posts),
        faq=tuple(faq),
        static_files=tuple(static_files),
        by_slug=by_slug,
        forms=_placed_forms(config, published, by_slug, program, diagnostics),
        program=program,
        campaigns=sort("campaigns"),
        testimonials=sort("testimonials"),
        galleries=sort("gallery"),
        memberships=sort("memberships"),
        today=today,
    )


def _dated_campaigns(loaded: list[Loaded], diagnostics: Diagnostics) -> list[Loaded]:
    """The documents, with a campaign that ends before it starts reported (SG209), and one whose
    referrer_reward the report could not credit as written (SG663-SG665)."""
    for doc in loaded:
        if doc.kind == "campaigns":
            check_campaign(doc, diagnostics)
        if doc.kind == "campaigns" and doc.model.end < doc.model.start:
            diagnostics.error(
                "SG209",
                f"the campaign ends ({doc.model.end}) before it starts ({doc.model.start})",
                doc.at("end"),
                "check the dates: start is the first day, end the last",
            )
    return loaded


def _published(
    config: SiteConfig,
    loaded: list[Loaded],
    program: Program | None,
    today: date,
    drafts: bool,
    diagnostics: Diagnostics,
) -> list[Loaded]:
    """What is published: no drafts or upcoming campaigns (unless `drafts`), a patient's words or photos
    only with their authorization for the web (even in a --drafts preview; a rewarded author's default
    disclosure is the theme's, in the page's language), and a campaign only with a program (SG301)."""
    published = [
        d
        for d in loaded
        if drafts or not (getattr(d.model, "draft", False) or getattr(d.model, "status", "") == "upcoming")
    ]
    published = [p for p in (publishable(d, today, diagnostics) for d in published) if p is not None]
    if program is None:
        for doc in published:
            if doc.kind == "campaigns":
                diagnostics.error(
                    "SG301",
                    "a campaign needs a referral program: there is no content/program.yaml",
                    doc.at(),
                    "add content/program.yaml (see docs/referral.md)",
                )
    return published


def _placed_forms(
    config: SiteConfig,
    published: list[Loaded],
    by_slug: dict[str, dict[str, Any]],
    program: Program | None,
    diagnostics: Diagnostics,
) -> dict[str, Any]:
    """The forms some page shows (the program's four when there is a program), as their service needs
    them; SG306 when they would link to a privacy page that does not exist."""
    placed = {form for form in _forms_named(published) if form in by_slug["forms"]}
    if program is not None:
        placed |= {"enroll", "refer", "feedback", "appointment"} & set(by_slug["forms"])
    views = {name: formservices.view(by_slug["forms"][name], config, diagnostics) for name in sorted(placed)}
    for name in {d.model.form for d in published if d.kind == "memberships"} & set(views):
        # a membership's page fills in which plan; every other page sends the field empty, so the form
        # has the same fields everywhere (Netlify learns a form's fields from the pages)
        views[name] = dataclasses.replace(views[name], hidden=[*views[name].hidden, ("membership", "")])
    if placed and config.forms.privacy_page not in by_slug["pages"]:
        diagnostics.warn(
            "SG306",
            f'forms link to the privacy page "{config.forms.privacy_page}", which does not exist',
            SourceLocation(config.src_path, config.at_line("forms.privacy_page")),
            "add content/pages/privacy.md, or name your privacy page in forms.privacy_page",
        )
    return views


def _with_status(doc: Loaded, today: date) -> Loaded:
    if doc.kind != "campaigns":
        return doc
    if doc.model.end < doc.model.start:
        return doc
    return dataclasses.replace(
        doc, model=dataclasses.replace(doc.model, status=campaign_status(doc.model, today))
    )


def _collect_tags(posts: Iterable[Post]) -> tuple[Tag, ...]:
    grouped: dict[str, tuple[str, list[Post]]] = {}
    for post in posts:
        for name in post.tags:
            slug = slugify(name)
            grouped.setdefault(slug, (name, []))[1].append(post)
    return tuple(
        Tag(name, slug, tag_url(slug), tuple(items)) for slug, (name, items) in sorted(grouped.items())
    )


def _forms_named(published: list[Loaded]) -> Iterable[str]:
    """The form each document names, of the kinds that have one (asked of each model's class once:
    10,000 failed lookups on posts were a thirtieth of a one-page edit)."""
    return (d.model.form for d in published if _has_form(type(d.model)))


@cache
def _has_form(model_class: type) -> bool:
    """Whether a model of this class has a `form`: a field (with or without a default) or an attribute."""
    fields = dataclasses.fields(model_class) if dataclasses.is_dataclass(model_class) else ()
    return hasattr(model_class, "form") or any(f.name == "form" for f in fields)
