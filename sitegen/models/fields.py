"""The fields every published document kind has (aliases, order, slug, draft, check), written once.

A kind declares them as `order: int = fields.order()`, in the place where its reference lists them, and passes
its own wording where it differs (a page is "the page"; a testimonial's slug names its anchor)."""

from __future__ import annotations

from typing import Any

from sitegen.core.schema import spec
from sitegen.models.common import CheckSettings

ALIASES_DOC = "old addresses of this page (e.g. /botox/); each redirects here with 301"


def aliases() -> Any:
    """`aliases`: old addresses that redirect to the document."""
    return spec(ALIASES_DOC, factory=list)


def order(doc: str = "position in lists, lowest first") -> Any:
    """`order`: the document's position in lists, 100 unless given."""
    return spec(doc, 100)


def slug(doc: str = "last part of the URL; default: the file name") -> Any:
    """`slug`: the document's name in addresses, its file name unless given."""
    return spec(doc, "")


def draft(what: str = "it") -> Any:
    """`draft`: true keeps the document (`what` names it in the doc) out of a build without --drafts."""
    return spec(f"true keeps {what} out of the site unless built with --drafts", False)


def check() -> Any:
    """`check`: the rules of `sitegen check` silenced for this file."""
    return spec("rules of `sitegen check` silenced for this file, with the reason", factory=CheckSettings)
