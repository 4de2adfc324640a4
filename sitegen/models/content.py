"""Free pages and news posts: the editorial content of the site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sitegen.core.schema import derived, spec
from sitegen.models import fields
from sitegen.models.common import CheckSettings, Image


@dataclass(frozen=True, kw_only=True)
class Document:
    """What every Markdown document has once loaded: where it came from, its slug and body."""

    src_path: str = derived("")
    url: str = derived("")
    body: str = derived("")
    html: str = derived("")
    body_line: int = derived(1)


@dataclass(frozen=True, kw_only=True)
class Page(Document):
    title: str = spec("heading and browser title")
    description: str = spec("one-sentence summary for search engines and link previews", "")
    slug: str = fields.slug("last part of the URL; default: the file name (pages/about.md -> /about/)")
    menu: Literal["none", "header", "footer"] = spec(
        "where the page is linked: header, footer or none", "none"
    )
    order: int = fields.order("position among linked pages, lowest first")
    updated: date | None = spec("date of the last meaningful change, shown on policies", None)
    image: Image | None = spec("picture for link previews", None)
    hero: Image | None = spec(
        "a wide photo at the top of the page (the home page: beside the headline on a wide screen, under "
        "the booking button on a phone); cropped to the slot's shape, so keep the subject in the middle",
        None,
    )
    aliases: list[str] = fields.aliases()
    form: str = spec(
        "name of a form shown after the text: appointment, contact, feedback, or one in content/forms/",
        "",
        ref="forms",
    )
    draft: bool = fields.draft("the page")
    check: CheckSettings = fields.check()


@dataclass(frozen=True, kw_only=True)
class Post(Document):
    title: str = spec("headline")
    date: date = spec("publication date, YYYY-MM-DD")
    summary: str = spec("one or two sentences shown in lists, feeds and link previews")
    tags: list[str] = spec("topics; each gets a page listing its posts", factory=list)
    author: str = spec("slug of a provider (file name in providers/ without .md)", "", ref="providers")
    image: Image | None = spec("lead picture", None)
    updated: date | None = spec("date of the last meaningful change", None)
    aliases: list[str] = fields.aliases()
    slug: str = fields.slug()
    draft: bool = fields.draft("the post")
    check: CheckSettings = fields.check()
