"""The whole site, assembled and cross-checked: references, duplicate addresses, links and images.

`assemble` runs after every document has been loaded on its own; it is where one document's mistake
about another (an author who is not on the team, a link to a page that does not exist) is found.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from sitegen.content.kinds import KINDS, url_for
from sitegen.content.loader import Loaded, field_lines
from sitegen.core.errors import Diagnostics, SourceLocation, did_you_mean
from sitegen.core.urls import (
    CARD_URL,
    FAQ_URL,
    FEEDBACK_URL,
    REFER_URL,
    REVIEW_URL,
    TAGS_URL,
    TERMS_URL,
    WELCOME_URL,
    slugify,
    split_url,
    tag_url,
)
from sitegen.models import (
    FaqItem,
    Image,
    Location,
    Page,
    Post,
    Provider,
    Service,
    SiteConfig,
)
from sitegen.models.forms import Form
from sitegen.models.referral import Campaign, Program
from sitegen.models.testimonials import Gallery, Testimonial
from sitegen.site import formservices
from sitegen.site.consent import publishable, with_disclosure
from sitegen.site.forms import FormView, thanks_url
from sitegen.site.program import campaign_status


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
        return [p for p in self.posts if p.author == provider.slug]

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
    """`invalid` holds (kind, slug) of documents that failed to load: already reported, so references
    to them are not reported again as if the documents did not exist. Given `later`, the checks of
    every document's references, links and images are put there to run after the pages are shown
    (the dev server, when only texts changed: see `build.render_site`). Given `cross_check`, only the
    documents it accepts have theirs checked (another language's edition: its translations; the
    other documents are the main edition's, checked there)."""
    today = today or date.today()
    for doc in loaded:
        if doc.kind == "campaigns" and doc.model.end < doc.model.start:
            diagnostics.error(
                "SG209",
                f"the campaign ends ({doc.model.end}) before it starts ({doc.model.start})",
                doc.at("end"),
                "check the dates: start is the first day, end the last",
            )
    loaded = [_with_status(d, today) for d in loaded]
    published = [
        d
        for d in loaded
        if drafts or not (getattr(d.model, "draft", False) or getattr(d.model, "status", "") == "upcoming")
    ]
    # a patient's words or photos only with their authorization for the web, even in a --drafts preview
    published = [
        with_disclosure(p, config.name, program.name if program else "")
        for p in (publishable(d, today, diagnostics) for d in published)
        if p is not None
    ]
    if program is None:
        for doc in published:
            if doc.kind == "campaigns":
                diagnostics.error(
                    "SG301",
                    "a campaign needs a referral program: there is no content/program.yaml",
                    doc.at(),
                    "add content/program.yaml (see docs/referral.md)",
                )
    _check_unique_urls(published, diagnostics, config.languages[1:])
    by_slug: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
    for doc in published:
        by_slug[doc.kind].setdefault(doc.model.slug, doc.model)
    by_slug["forms"] = dict(forms or {})
    published_sources = {d.raw.src_path for d in published}
    drafted = {d.model.url: d for d in loaded if d.raw.src_path not in published_sources}
    _check_aliases(published, diagnostics)

    def cross_checks(found: Diagnostics) -> None:
        checked = published if cross_check is None else [d for d in published if cross_check(d)]
        _check_references(checked, by_slug, invalid, found)
        known_urls = (
            _public_urls(published, by_slug, config)
            | set(static_files)
            | {url_for(kind, slug) for kind, slug in invalid}
        )
        _check_links(checked, known_urls, drafted, found)
        _check_images(config, checked, set(static_files), found)

    if later is None:
        cross_checks(diagnostics)
    else:
        later.append(cross_checks)

    def sort(kind: str) -> tuple:
        return tuple(sorted((d.model for d in published if d.kind == kind), key=KINDS[kind].order))

    posts = sort("posts")
    home = by_slug["pages"].get("index")
    placed = {d.model.form for d in published if getattr(d.model, "form", "") in by_slug["forms"]}
    if program is not None:
        placed |= {"enroll", "refer", "feedback", "appointment"} & set(by_slug["forms"])
    placed = sorted(placed)
    form_views = {name: formservices.view(by_slug["forms"][name], config, diagnostics) for name in placed}
    if placed and config.forms.privacy_page not in by_slug["pages"]:
        diagnostics.warn(
            "SG306",
            f'forms link to the privacy page "{config.forms.privacy_page}", which does not exist',
            SourceLocation(config.src_path, config.at_line("forms.privacy_page")),
            "add content/pages/privacy.md, or name your privacy page in forms.privacy_page",
        )
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
        forms=form_views,
        program=program,
        campaigns=sort("campaigns"),
        testimonials=sort("testimonials"),
        galleries=sort("gallery"),
    )


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


def _public_urls(published: list[Loaded], by_slug: dict[str, dict[str, Any]], config: SiteConfig) -> set[str]:
    urls = {d.model.url for d in published}
    urls |= {k.index_url for k in KINDS.values() if k.index_url and (by_slug[k.name] or k.index_when_empty)}
    urls |= {REVIEW_URL} if config.reviews else set()
    urls |= {FAQ_URL, TAGS_URL, "/", "/sitemap.xml", "/robots.txt", "/404.html"}
    urls |= {"/feed.xml"} if by_slug["posts"] else set()  # a site without posts has no news page, no feed
    urls |= {thanks_url(d.model.form) for d in published if getattr(d.model, "form", "")}
    urls |= {REFER_URL, TERMS_URL, FEEDBACK_URL, WELCOME_URL, CARD_URL} | {
        thanks_url(f) for f in ("enroll", "refer", "feedback", "appointment")
    }
    posts = list(by_slug["posts"].values())
    urls |= {tag_url(slugify(t)) for p in posts for t in p.tags}
    return urls


def _check_unique_urls(published: list[Loaded], diagnostics: Diagnostics, other_languages: list[str]) -> None:
    reserved = {k.index_url: f"the {k.name} index" for k in KINDS.values() if k.index_url}
    reserved.update({f"/{lang}/": f"the site in its language {lang}" for lang in other_languages})
    reserved.update(
        {
            FAQ_URL: "the FAQ page",
            TAGS_URL: "the tags page",
            "/assets/": "the theme's files",
            REFER_URL: "the referral program",
            WELCOME_URL: "the invited friend's page",
            "/r/": "personal referral links",
            "/print/": "the printable referral kit",
            "/thanks/": "the thank-you pages",
            REVIEW_URL: "the page that links to the practice's review profiles",
        }
    )
    seen: dict[str, Loaded] = {}
    # documents whose slug comes from their file name claim their address first, so the error lands
    # on the `slug:` line that copied it
    for doc in sorted(published, key=lambda d: d.has_field("slug")):
        url = doc.model.url
        where = doc.at("slug") if doc.has_field("slug") else doc.at()
        if url in reserved:
            diagnostics.error(
                "SG208",
                f"the address {url} is already used by {reserved[url]}",
                where,
                "give the page another slug (file name)",
            )
        elif url in seen:
            diagnostics.error(
                "SG208",
                f"the address {url} is also used by {seen[url].raw.src_path}",
                where,
                "every document of a kind needs its own slug: rename one of the files or set `slug:`",
            )
        else:
            seen[url] = doc
    for doc in published:
        if isinstance(doc.model, Post) and doc.model.tags:
            for name in doc.model.tags:
                if not slugify(name):
                    diagnostics.error(
                        "SG209",
                        f'the tag "{name}" has no letters or digits',
                        doc.at("tags"),
                        "tags become addresses: use words, e.g. skin care",
                    )


def _check_references(
    published: list[Loaded],
    by_slug: dict[str, dict[str, Any]],
    invalid: frozenset[tuple[str, str]],
    diagnostics: Diagnostics,
) -> None:
    for doc in published:
        for f in dataclasses.fields(doc.model):
            kind = f.metadata.get("ref")
            if not kind:
                continue
            value = getattr(doc.model, f.name)
            for slug in value if isinstance(value, list) else [value]:
                if slug and slug not in by_slug[kind] and (kind, slug) not in invalid:
                    label = kind.rstrip("s")
                    if kind == "forms":
                        diagnostics.error(
                            "SG301",
                            f'{f.name}: no form "{slug}"{did_you_mean(slug, by_slug[kind])}',
                            doc.at(f.name),
                            f"use a built-in form ({', '.join(sorted(by_slug[kind]))}) or add "
                            f"content/forms/{slug}.yaml",
                        )
                        continue
                    diagnostics.error(
                        "SG301",
                        f'{f.name}: no {label} "{slug}"{did_you_mean(slug, by_slug[kind])}',
                        doc.at(f.name),
                        f"use the file name (without extension) of a {label} in content/{kind}/",
                    )


def _check_links(
    published: list[Loaded], known: set[str], drafted: dict[str, Loaded], diagnostics: Diagnostics
) -> None:
    for doc in published:
        for ref in doc.references:
            location = SourceLocation(doc.raw.src_path, ref.line)
            parts = split_url(ref.url)
            if ref.removed:
                diagnostics.warn(
                    "SG305",
                    f"a {ref.url} link or image was removed: it could run code in the visitor's browser",
                    location,
                    "link to a page (/about/) or a web address (https://...)",
                )
                continue
            if parts.scheme or parts.netloc or not parts.path:
                continue
            path = _join(doc.model.url, parts.path)
            if ref.is_image:
                continue  # images are checked against content/static/ below
            if path in known or path + "/" in known:
                continue
            if path in drafted or path + "/" in drafted:
                diagnostics.error(
                    "SG302",
                    f"the link {ref.url} points to a draft "
                    f"({drafted.get(path, drafted.get(path + '/')).raw.src_path})",
                    location,
                    "publish that page (remove `draft: true`) or remove the link",
                )
            else:
                diagnostics.error(
                    "SG302",
                    f"broken link: no page at {path}{did_you_mean(path, known)}",
                    location,
                    "link to an existing page, e.g. /services/ or /about/",
                )


def _check_images(
    config: SiteConfig, published: list[Loaded], static: set[str], diagnostics: Diagnostics
) -> None:
    def check(src: str, location: SourceLocation) -> None:
        parts = split_url(src)
        if parts.scheme or parts.netloc:
            diagnostics.error(
                "SG304",
                f"the image {src} is on another website",
                location,
                "download it into content/static/images/ and use /images/...: "
                "pages load nothing from third-party hosts, which would learn who visits",
            )
        elif parts.path not in static:
            diagnostics.error(
                "SG303",
                f"missing image: no file content/static{parts.path}{did_you_mean(parts.path, static)}",
                location,
                "put the file in content/static/ and write its path from there, e.g. /images/team/ana.jpg",
            )

    config_images = [("image", config.image), ("brand.logo", config.brand.logo)]
    for name, image in config_images:
        if image is not None:
            check(_absolute(image.src, "/"), SourceLocation(config.src_path, config.at_line(name)))
    for doc in published:
        lines: dict[str, int] | None = None
        for name, value in images_of(doc.model):
            if "." in name and lines is None:
                lines = field_lines(doc.raw.meta)
            line = (lines or {}).get(name, 0) if "." in name else 0
            check(
                _absolute(value.src, "/"),
                SourceLocation(doc.raw.src_path, line) if line else doc.at(name.split("[")[0]),
            )
        for ref in doc.references:
            if ref.is_image:
                check(_absolute(ref.url, doc.model.url), SourceLocation(doc.raw.src_path, ref.line))


def images_of(model: Any, prefix: str = "") -> Iterator[tuple[str, Image]]:
    """Every image a model names, nested ones too, with its dotted field name (`pairs[2].after`);
    an item that knows its original position (`number`, a gallery pair) is named by it."""
    for name, item_kind in _image_fields(type(model)):
        value = getattr(model, name)
        if item_kind is None:
            if isinstance(value, Image):
                yield prefix + name, value
            continue
        for index, item in enumerate(value or (), start=1):
            yield from images_of(item, f"{prefix}{name}[{getattr(item, 'number', 0) or index}].")


_IMAGE_FIELDS: dict[type, tuple[tuple[str, type | None], ...]] = {}


def _image_fields(kind: type) -> tuple[tuple[str, type | None], ...]:
    """(name, None) of each field of `kind` declared as an image, (name, item class) of each list of
    models that can hold one: read once per class from its annotations, so that the 10,000 posts of
    a large site, which have one such field, are not walked field by field twice a build."""
    plan = _IMAGE_FIELDS.get(kind)
    if plan is None:
        _IMAGE_FIELDS[kind] = ()  # a model nested in itself ends here
        hints = typing.get_type_hints(kind)
        found: list[tuple[str, type | None]] = []
        for f in dataclasses.fields(kind):
            hint = hints[f.name]
            if Image in (typing.get_args(hint) or (hint,)):
                found.append((f.name, None))
            elif typing.get_origin(hint) is list:
                item = typing.get_args(hint)[0]
                if isinstance(item, type) and dataclasses.is_dataclass(item) and _image_fields(item):
                    found.append((f.name, item))
        plan = _IMAGE_FIELDS[kind] = tuple(found)
    return plan


def _absolute(src: str, base: str) -> str:
    parts = split_url(src)
    if parts.scheme or parts.netloc:
        return src
    return _join(base, parts.path)


def _join(base: str, path: str) -> str:
    """urljoin, without its cost for the usual site-absolute path (tens of thousands on a big site)."""
    return path if path.startswith("/") and "/." not in path and "//" not in path else urljoin(base, path)


SAFE_ALIAS = re.compile(r"^/(?:[A-Za-z0-9._~-]+/)*[A-Za-z0-9._~-]*$")


def _check_aliases(published: list[Loaded], diagnostics: Diagnostics) -> None:
    """Old addresses become redirect rules: each must be a plain path on this site, used once."""
    urls = {d.model.url: d for d in published}
    seen: dict[str, Loaded] = {}
    for doc in published:
        for alias in getattr(doc.model, "aliases", []):
            where = doc.at("aliases")
            if not SAFE_ALIAS.match(alias) or any(part in ("..", ".") for part in alias.split("/")):
                diagnostics.error(
                    "SG207",
                    f'aliases: "{alias}" is not a plain address on this site',
                    where,
                    "write the old address as a path from the site's root, e.g. /botox/",
                )
            elif alias in urls or alias.rstrip("/") + "/" in urls:
                diagnostics.error(
                    "SG208",
                    f"aliases: {alias} is the address of "
                    f"{urls.get(alias, urls.get(alias.rstrip('/') + '/')).raw.src_path}",
                    where,
                    "an old address cannot redirect while a page still lives there",
                )
            elif alias in seen:
                diagnostics.error(
                    "SG208",
                    f"aliases: {alias} is also an alias of {seen[alias].raw.src_path}",
                    where,
                    "an old address can lead to one page only",
                )
            else:
                seen[alias] = doc
