"""Content rules: links and anchors, alt text, image weight, orphan pages, links to drafts."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

from sitegen.checks.registry import (
    CheckContext,
    Finding,
    attributes,
    declare,
    document_fact,
    line_of,
    rule,
)
from sitegen.content.bodies import body_digest
from sitegen.content.kinds import KINDS
from sitegen.content.loader import Loaded
from sitegen.core.errors import SourceLocation
from sitegen.core.urls import split_url
from sitegen.models.content import Page
from sitegen.render.images import ADVISED_PIXELS, MAX_BYTES, MAX_PIXELS
from sitegen.site.crosschecks import images_of

_IMG = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"}
ORPHAN_KINDS = frozenset(kind.name for kind in KINDS.values() if kind.must_be_linked)


declare(
    "SG222",
    "warning",
    "Content",
    "pages with no translation into one of the site's other languages: that edition links to the main "
    "language's page",
    "a patient who chose Spanish should know which pages are in English; silence it in site.yaml with the "
    "reason when some pages are meant to stay in one language",
)


@rule(
    "SG320",
    "error",
    "Content",
    "a link to an anchor (#part) that is not on the page it leads to",
    "the visitor lands at the top of the page instead of the part promised",
)
def broken_anchors(ctx: CheckContext) -> Iterator[Finding]:
    for doc in ctx.published:
        base = doc.model.url.split("#")[0]
        for ref in doc.references:
            parts = split_url(ref.url)
            if ref.is_image or ref.removed or parts.scheme or parts.netloc or not parts.fragment:
                continue
            target = urljoin(base, parts.path) if parts.path else base
            found = _missing_anchor(ctx, target, unquote(parts.fragment))
            if found:
                yield Finding(
                    SourceLocation(doc.raw.src_path, ref.line),
                    f"the link {ref.url} {found}",
                    "link to a heading's id (shown in the page address when you click it in the table "
                    "of contents) or remove the #part",
                )
    config = ctx.site.config
    for name, links in (("menu", config.menu), ("footer_links", config.footer_links)):
        for index, link in enumerate(links, start=1):
            parts = split_url(link.url)
            if parts.scheme or parts.netloc or not parts.fragment:
                continue
            found = _missing_anchor(ctx, parts.path or "/", unquote(parts.fragment))
            if found:
                yield Finding(
                    SourceLocation(
                        config.src_path, config.at_line(f"{name}[{index}].url") or config.at_line(name)
                    ),
                    f"{name}: the link {link.url} {found}",
                    "link to an id that exists on that page",
                )


def _missing_anchor(ctx: CheckContext, path: str, fragment: str) -> str:
    ids = ctx.ids(path) if path.endswith("/") else (ctx.ids(path + "/") or ctx.ids(path))
    if ids is None or fragment in ids:
        return ""  # a missing page is SG302's to report
    return f"leads to #{fragment}, which is not on {path}"


@rule(
    "SG302",
    "error",
    "Content",
    "a link to a page that does not exist, or to a draft (in Markdown, in site.yaml's menus, or written by a "
    "template)",
    "a broken link loses the patient; a draft is not ready to be read",
)
def _site_links(ctx: CheckContext) -> Iterator[Finding]:
    """Links the Markdown check cannot see: site.yaml's menus and the links templates write."""
    config = ctx.site.config
    drafts = {
        d.model.url.split("#")[0]: d
        for d in ctx.documents
        if d.model.url and d.model.url not in ctx.doc_by_url and getattr(d.model, "draft", False)
    }
    for name, links in (("menu", config.menu), ("footer_links", config.footer_links)):
        for index, link in enumerate(links, start=1):
            parts = split_url(link.url)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            where = SourceLocation(
                config.src_path, config.at_line(f"{name}[{index}].url") or config.at_line(name)
            )
            if parts.path in drafts:
                yield Finding(
                    where,
                    f"{name}: {link.url} is a draft ({drafts[parts.path].raw.src_path})",
                    "publish it (remove `draft: true`) or take the link out of site.yaml",
                )
            elif not ctx.exists(parts.path):
                yield Finding(
                    where, f"{name}: broken link, no page at {parts.path}", "link to a page that exists"
                )

    def in_markdown(url: str, path: str) -> bool:  # then the build's own check has reported it, with its line
        doc = ctx.doc_by_url.get(url)
        return doc is not None and any(ctx.target(url, r.url) == path for r in doc.references)

    config_urls = {split_url(link.url).path for link in (*config.menu, *config.footer_links)}
    # each address linked to is looked up once (10,000 pages share most of theirs); only the pages that
    # link to a missing one or a draft are walked, in page order
    linked = set().union(*ctx.targets.values()) - config_urls
    wrong = {path for path in linked if path in drafts or not ctx.exists(path)}
    reported: set[str] = set()
    for url, targets in ctx.targets.items() if wrong else ():
        if wrong.isdisjoint(targets):
            continue
        for path in targets:
            if path in reported or path not in wrong:
                continue
            if in_markdown(url, path):
                continue
            if path in drafts:
                reported.add(path)
                yield Finding(
                    ctx.source_of(url),
                    f"{url} links to {path}, a draft ({drafts[path].raw.src_path})",
                    "the link comes from a template: publish the page or change the template",
                )
            elif not ctx.exists(path):
                reported.add(path)
                yield Finding(
                    ctx.source_of(url),
                    f"{url} links to {path}, which is not on the site",
                    "the link comes from a template or a form's text: fix it there",
                )


@document_fact("body_digest")
def digest_of_body(doc: Loaded) -> str:
    """A digest of a document's Markdown ("" for none): whether a translation's text is its original's
    (testimonials) and whether its file still holds the text loaded (privacy), once the texts are let go
    (content/bodies.py)."""
    return body_digest(getattr(doc.model, "body", "") or "")


@document_fact("images_without_alt")
def images_without_alt(doc: Loaded) -> tuple[tuple[int, str], ...]:
    """(line, address) of each image in a document's Markdown without alt text: found when it is loaded
    (scanning every document's HTML each build was a twelfth of a one-page edit at 10,000 documents)."""
    found = []
    for match in _IMG.finditer(getattr(doc.model, "html", "") or ""):
        attrs = attributes(match[1])
        if attrs.get("alt", "").strip():
            continue
        src = attrs.get("src", "")
        found.append(
            (next((r.line for r in doc.references if r.is_image and r.url == src), doc.model.body_line), src)
        )
    return tuple(found)


@rule(
    "SG220",
    "warning",
    "Content",
    "an image without alt text (in Markdown, a picture field, a gallery photo)",
    "people who cannot see it learn nothing from it (WCAG 1.1.1)",
)
def missing_alt(ctx: CheckContext) -> Iterator[Finding]:
    hint = (
        "describe what it shows, e.g. ![A nurse applying numbing cream](/images/peel.jpg); for a purely "
        "decorative image, silence SG220 for the file with a reason"
    )
    for doc in ctx.published:
        for line, src in ctx.fact(doc, "images_without_alt"):
            yield Finding(SourceLocation(doc.raw.src_path, line), f"the image {src} has no alt text", hint)
        for name, image in images_of(doc.model):
            shown_without_fallback = (
                (name in ("image",) and doc.kind in ("services", "posts"))
                or ".before" in name
                or ".after" in name
            )
            if shown_without_fallback and not image.alt.strip():
                line = line_of(doc, name) or doc.line_of(name.split("[")[0])
                yield Finding(
                    SourceLocation(doc.raw.src_path, line),
                    f"{name}: the image {image.src} has no alt text",
                    "write it as `"
                    + name.rsplit(".", 1)[-1]
                    + ": {src: "
                    + image.src
                    + ", alt: what it shows}`"
                    + (" (for a result photo, describe the result)" if "." in name else ""),
                )


@rule(
    "SG520",
    "warning",
    "Content",
    f"an image too large for the web (over {MAX_BYTES // 1024} KB, or over {MAX_PIXELS} pixels wide or high)",
    "heavy images make pages slow on phones and mobile data",
)
def large_images(ctx: CheckContext) -> Iterator[Finding]:
    static = ctx.site_dir / "content" / "static"
    for public in ctx.site.static_files:
        file = static / public.lstrip("/")
        if file.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        try:
            size = file.stat().st_size
        except OSError:
            continue
        where = SourceLocation(f"content/static{public}")
        if size > MAX_BYTES:
            yield Finding(
                where,
                f"the image {public} weighs {size // 1024} KB",
                f"save it smaller (under {MAX_BYTES // 1024} KB): at most {ADVISED_PIXELS} pixels on its "
                "longest side, JPEG at 80% or WebP",
            )
            continue
        width, height = image_size(file)
        if max(width, height) > MAX_PIXELS:
            yield Finding(
                where,
                f"the image {public} is {width}×{height} pixels",
                f"resize it to at most {ADVISED_PIXELS} "
                "pixels on its longest side; screens seldom show more, and the widest copy stays light",
            )


def image_size(file: Path) -> tuple[int, int]:
    """Width and height from a PNG, GIF, JPEG or WebP header; (0, 0) when unknown (SVG, damaged)."""
    try:
        with file.open("rb") as handle:
            head = handle.read(64 * 1024)
    except OSError:
        return 0, 0
    try:
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return struct.unpack(">II", head[16:24])
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return struct.unpack("<HH", head[6:10])
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            if head[12:16] == b"VP8X":
                return 1 + int.from_bytes(head[24:27], "little"), 1 + int.from_bytes(head[27:30], "little")
            if head[12:16] == b"VP8 ":
                w, h = struct.unpack("<HH", head[26:30])
                return w & 0x3FFF, h & 0x3FFF
            if head[12:16] == b"VP8L":
                bits = int.from_bytes(head[21:25], "little")
                return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if head[:2] == b"\xff\xd8":
            index = 2
            while index + 9 < len(head):
                if head[index] != 0xFF:
                    index += 1
                    continue
                marker = head[index + 1]
                if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                    h, w = struct.unpack(">HH", head[index + 5 : index + 9])
                    return w, h
                index += 2 + struct.unpack(">H", head[index + 2 : index + 4])[0]
    except struct.error:
        pass
    return 0, 0


@rule(
    "SG321",
    "warning",
    "Content",
    "an orphan page: published, but no other page links to it",
    "visitors and search engines can only find it by its address",
)
def orphan_pages(ctx: CheckContext) -> Iterator[Finding]:
    linked: set[str] = set()
    for url, targets in ctx.targets.items():
        linked.update(target for target in targets if target != url)
    home = ctx.site.home
    for doc in ctx.published:
        if doc.kind not in ORPHAN_KINDS or doc.model is home or doc.model.url in linked:
            continue
        if isinstance(doc.model, Page) and doc.model.url == "/":
            continue
        line = doc.line_of("menu") or getattr(doc.raw.meta, "line", 0) or 1
        yield Finding(
            SourceLocation(doc.raw.src_path, line),
            f"no page links to {doc.model.url}",
            f"link to it from another page, or {_how_to_list(ctx, doc)}; "
            "mark it `draft: true` if it is not ready",
        )


def _listed_by_site(ctx: CheckContext) -> dict[str, str]:
    """Which `menu:` values of a page site.yaml overrides, with the list that does: a page's
    `menu: header` is ignored once site.yaml has a `menu:` list, `menu: footer` once `footer_links:`."""
    config = ctx.site.config
    return {
        place: name
        for place, name, links in (
            ("header", "menu", config.menu),
            ("footer", "footer_links", config.footer_links),
        )
        if links
    }


def _how_to_list(ctx: CheckContext, doc: Any) -> str:
    """How this site lets a page into its menus: the page's own `menu:` field, or site.yaml's lists."""
    overridden = _listed_by_site(ctx)
    ways = []
    if isinstance(doc.model, Page):
        ways += [f"`menu: {place}` here" for place in ("header", "footer") if place not in overridden]
    ways += [f"a link under `{name}:` in site.yaml" for name in overridden.values()]
    return "add " + " or ".join(ways) if ways else "add it to the menu in site.yaml (`menu:`)"


@rule(
    "SG322",
    "warning",
    "Content",
    "a page's `menu: header` (or `menu: footer`) that has no effect, because site.yaml lists the menu "
    "(`menu:`) or the footer links (`footer_links:`) itself",
    "the writer expects the page in the menu, and it is not there",
)
def ignored_menu_fields(ctx: CheckContext) -> Iterator[Finding]:
    overridden = _listed_by_site(ctx)
    config = ctx.site.config
    for doc in ctx.published:
        place = getattr(doc.model, "menu", "none") if isinstance(doc.model, Page) else "none"
        if place not in overridden:
            continue
        name = overridden[place]
        links = config.menu if name == "menu" else config.footer_links
        if doc.model.url in {split_url(link.url).path for link in links}:
            continue  # site.yaml lists it too: the field changes nothing, but nothing is missing either
        yield Finding(
            SourceLocation(doc.raw.src_path, doc.line_of("menu") or 1),
            f"`menu: {place}` is ignored: site.yaml lists the {'menu' if name == 'menu' else 'footer links'} "
            f"itself (`{name}:`, line {config.at_line(name) or 1}), and {doc.model.url} is not in it",
            f"add `- label: {doc.model.title}` with `url: {doc.model.url}` under `{name}:` in site.yaml, "
            f"or remove `menu: {place}` here",
        )
