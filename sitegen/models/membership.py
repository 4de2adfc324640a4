"""Memberships and packages: a monthly or yearly plan, or a bundle bought once, with its own page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sitegen.core.schema import spec
from sitegen.models import fields
from sitegen.models.common import CheckSettings, Image
from sitegen.models.content import Document


@dataclass(frozen=True, kw_only=True)
class Membership(Document):
    title: str = spec("its name, e.g. Glow Membership or Laser Series of Six")
    summary: str = spec("one or two sentences shown on the listing and in link previews")
    price: float = spec("what it costs each month or year, or the package's price, as a number")
    per: Literal["month", "year", "package"] = spec(
        "month or year for a membership billed again until cancelled; package for a price paid once"
    )
    includes: list[str] = spec("what members get, one item per line", factory=list)
    terms: str = spec("the terms in plain words: who may join, billing, what happens to unused credit", "")
    cancellation: str = spec(
        "how to cancel and when it takes effect; required in substance for a monthly or yearly plan", ""
    )
    form: str = spec(
        "the sign-up form shown on its page: contact, appointment, or one in content/forms/",
        "contact",
        ref="forms",
    )
    image: Image | None = spec("picture for the page and link previews", None)
    aliases: list[str] = fields.aliases()
    order: int = fields.order()
    slug: str = fields.slug()
    draft: bool = fields.draft()
    check: CheckSettings = fields.check()

    @property
    def recurring(self) -> bool:
        return self.per != "package"
