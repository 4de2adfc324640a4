"""What needs the whole site to check: unique addresses, references between documents, links, images
and aliases. Each reports diagnostics at the line of the field or link concerned."""

from __future__ import annotations

import dataclasses
import re
import typing
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any
from urllib.parse import urljoin

from sitegen.content.kinds import KINDS
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
    Image,
    Post,
    SiteConfig,
)
from sitegen.site.forms import thanks_url


def public_urls(published: list[Loaded], by_slug: dict[str, dict[str, Any]], config: SiteConfig) -> set[str]:
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


def check_unique_urls(published: list[Loaded], diagnostics: Diagnostics, other_languages: list[str]) -> None:
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
    # only documents whose address is reserved or shared can be reported: the others are not looked at
    # again (nor their fields' lines read), and those keep their order among themselves
    counts = Counter(doc.model.url for doc in published)
    at_issue = [d for d in published if d.model.url in reserved or counts[d.model.url] > 1]
    # documents whose slug comes from their file name claim their address first, so the error lands
    # on the `slug:` line that copied it
    for doc in sorted(at_issue, key=lambda d: d.has_field("slug")):
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


def check_references(
    published: list[Loaded],
    by_slug: dict[str, dict[str, Any]],
    invalid: frozenset[tuple[str, str]],
    diagnostics: Diagnostics,
) -> None:
    for doc in published:
        for f, kind in _referring_fields(type(doc.model)):
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


@cache
def _referring_fields(model_class: type) -> tuple[tuple[Any, str], ...]:
    """The fields of a model class that name other documents, each with the kind it names."""
    return tuple((f, f.metadata["ref"]) for f in dataclasses.fields(model_class) if f.metadata.get("ref"))


def check_links(
    published: list[Loaded], known: set[str], drafted: dict[str, Loaded], diagnostics: Diagnostics
) -> None:
    for doc in published:
        for ref in doc.references:
            if ref.is_image and not ref.removed:
                continue  # images are checked against content/static/ below
            if ref.removed:
                diagnostics.warn(
                    "SG305",
                    f"a {ref.url} link or image was removed: it could run code in the visitor's browser",
                    SourceLocation(doc.raw.src_path, ref.line),
                    "link to a page (/about/) or a web address (https://...)",
                )
                continue
            parts = split_url(ref.url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            path = _join(doc.model.url, parts.path)
            if path in known or path + "/" in known:
                continue
            location = SourceLocation(doc.raw.src_path, ref.line)
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


def check_images(
    config: SiteConfig, published: list[Loaded], static: set[str], diagnostics: Diagnostics
) -> None:
    def check(src: str, where: Callable[[], SourceLocation]) -> None:
        """SG304 or SG303 for an image on another site or missing; `where` is asked only then."""
        parts = split_url(src)
        if parts.scheme or parts.netloc:
            diagnostics.error(
                "SG304",
                f"the image {src} is on another website",
                where(),
                "download it into content/static/images/ and use /images/...: "
                "pages load nothing from third-party hosts, which would learn who visits",
            )
        elif parts.path not in static:
            diagnostics.error(
                "SG303",
                f"missing image: no file content/static{parts.path}{did_you_mean(parts.path, static)}",
                where(),
                "put the file in content/static/ and write its path from there, e.g. /images/team/ana.jpg",
            )

    config_images = [("image", config.image), ("brand.logo", config.brand.logo)]
    for name, image in config_images:
        if image is not None:
            check(
                _absolute(image.src, "/"),
                lambda name=name: SourceLocation(config.src_path, config.at_line(name)),
            )
    for doc in published:
        for name, value in images_of(doc.model):
            check(_absolute(value.src, "/"), lambda doc=doc, name=name: _image_field(doc, name))
        for ref in doc.references:
            if ref.is_image:
                check(
                    _absolute(ref.url, doc.model.url),
                    lambda doc=doc, ref=ref: SourceLocation(doc.raw.src_path, ref.line),
                )


def _image_field(doc: Loaded, name: str) -> SourceLocation:
    """Where an image field of a document is written (`photo`, `gallery[2].after`)."""
    line = field_lines(doc.raw.meta).get(name, 0) if "." in name else 0
    return SourceLocation(doc.raw.src_path, line) if line else doc.at(name.split("[")[0])


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


def check_aliases(published: list[Loaded], diagnostics: Diagnostics) -> None:
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


_IMAGE_FIELDS: dict[type, tuple[tuple[str, type | None], ...]] = {}


SAFE_ALIAS = re.compile(r"^/(?:[A-Za-z0-9._~-]+/)*[A-Za-z0-9._~-]*$")


def check_provider_types(published: list[Loaded], diagnostics: Diagnostics) -> None:
    """`physician: true` (the older spelling) beside a `type` that says otherwise is one of them wrong."""
    for doc in published:
        if doc.kind != "providers":
            continue
        provider = doc.model
        if provider.physician and provider.type not in (None, "physician"):
            diagnostics.error(
                "SG230",
                f"physician: true contradicts type: {provider.type}",
                doc.at("physician"),
                "`physician: true` is the older spelling of `type: physician`: delete the physician line and "
                "keep the type that is right",
            )


def check_booking_slugs(
    config: SiteConfig, loaded: list[Loaded], invalid: frozenset[tuple[str, str]], diagnostics: Diagnostics
) -> None:
    """SG250: a `booking.services` / `booking.locations` key must be the slug of a service / location (a
    draft counts; one whose file failed to load is already reported), else its address would never be used."""
    for kind, field in (("services", "booking.services"), ("locations", "booking.locations")):
        slugs = {d.model.slug for d in loaded if d.kind == kind}
        for slug in getattr(config.booking, kind):
            if slug in slugs or (kind, slug) in invalid:
                continue
            known = ", ".join(sorted(slugs)) or f"none: the site has no {kind}"
            diagnostics.error(
                "SG250",
                f'{field}: no {kind.rstrip("s")} has the slug "{slug}"{did_you_mean(slug, slugs)}; '
                "its booking address would never be used",
                SourceLocation(config.src_path, config.at_line(f"{field}.{slug}")),
                f"use the slug of one of the {kind} ({known}), as in its address /{kind}/<slug>/",
            )
