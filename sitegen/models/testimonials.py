"""Patients' own words and photos: testimonials (content/testimonials/*.md) and before-and-after galleries
(content/gallery/*.yaml). Both identify a patient, so both carry the patient's written authorization
(`consent`); whatever it does not cover is never published (see sitegen/consent.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sitegen.core.schema import derived, spec
from sitegen.models import fields
from sitegen.models.common import CheckSettings, Image
from sitegen.models.content import Document

Channel = Literal["web", "social", "print"]


@dataclass(frozen=True, kw_only=True)
class Consent:
    """The patient's written authorization (HIPAA, 45 CFR 164.508): keep the signed form itself in the
    practice's records for six years; the site only names it."""

    date: date = spec("the day the patient signed the authorization")
    scope: list[Channel] = spec("where it may be used: web, social, print (the website needs web)")
    reference: str = spec("where the signed form is kept, e.g. its number in the practice-management system")
    expires: date | None = spec(
        "the last day the authorization is valid; after it the words or photos leave the site", None
    )


@dataclass(frozen=True, kw_only=True)
class Testimonial(Document):
    name: str = spec("how the patient is named: first name and initial by default, e.g. Sarah K.")
    quote: str = spec("the patient's words as given; mark any shortening with […], never reword")
    date: date = spec("the day the patient gave it (its provenance, with source and consent)")
    consent: Consent | None = spec(
        "the patient's authorization: date, scope, reference, expires; "
        "without one that covers the web the testimonial is never published",
        None,
    )
    service: str = spec(
        "slug of the treatment it is about; it then appears on that treatment's page", "", ref="services"
    )
    source: str = spec(
        "how it reached the practice, e.g. post-visit survey, email, card left at the front desk", ""
    )
    rating: int | None = spec(
        "the patient's own rating from 1 to 5, shown as text; never marked up for search engines", None
    )
    photo: Image | None = spec("a photo of the patient, covered by the same authorization", None)
    rewarded: bool = spec(
        "true when the author received a referral reward or any other benefit from the practice: "
        "the disclosure is shown next to the quote",
        False,
    )
    disclosure: str = spec(
        "your own wording of that disclosure, e.g. for a free treatment or a family tie; "
        "default: a sentence naming the referral reward",
        "",
    )
    order: int = fields.order("position in lists, lowest first; then newest first")
    slug: str = fields.slug(
        "its name in addresses (/testimonials/#testimonial-<slug>); default: the file name"
    )
    draft: bool = fields.draft()
    check: CheckSettings = fields.check()

    @property
    def title(self) -> str:
        return self.name

    @property
    def anchor(self) -> str:
        return f"testimonial-{self.slug}"


@dataclass(frozen=True, kw_only=True)
class PhotoPair:
    before: Image = spec("the photo before treatment, with alt text saying what it shows")
    after: Image = spec("the photo after treatment, with alt text that describes the result")
    caption: str = spec(
        "what was done and when the photo was taken, e.g. One syringe; photographed two weeks later"
    )
    consent: Consent | None = spec(
        "the patient's authorization; a pair without one covering the web is never published", None
    )
    rewarded: bool = spec(
        "true when the patient received a benefit for the photos (a discounted treatment, a reward)", False
    )
    disclosure: str = spec("your own wording of that disclosure; default: a sentence naming the benefit", "")

    number: int = derived(0)  # its position in the file, counted from 1, for messages


@dataclass(frozen=True, kw_only=True)
class Gallery(Document):
    title: str = spec("heading of the gallery, e.g. Lip filler: before and after")
    service: str = spec(
        "slug of the treatment the photos show; the gallery appears on its page", ref="services"
    )
    pairs: list[PhotoPair] = spec("the before-and-after pairs, each with its own consent", factory=list)
    intro: str = spec("a sentence above the photos", "")
    order: int = fields.order("position on the gallery page, lowest first")
    slug: str = fields.slug("its name in addresses (/gallery/#gallery-<slug>); default: the file name")
    draft: bool = fields.draft()
    check: CheckSettings = fields.check()

    withheld: int = derived(0)  # pairs left out because their consent does not cover the web

    @property
    def anchor(self) -> str:
        return f"gallery-{self.slug}"
