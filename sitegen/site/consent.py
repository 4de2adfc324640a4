"""Whether a patient's words or photos may be published: only with a written authorization that covers
the web, has been signed and has not expired (HIPAA, 45 CFR 164.508; docs/content.md).

A testimonial or a before-and-after photo tells the world that someone is a patient, so it needs the
patient's authorization (HIPAA, 45 CFR 164.508; a first name with a treatment can identify).

A rewarded author's disclosure (FTC Endorsement Guides, 16 CFR 255) is their file's `disclosure` when it
has one; otherwise the theme writes the default in the page's language (partials/testimonials.html:
a donation in a charitable program, a reward otherwise), and SG623 checks it is shown next to the quote.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from sitegen.content.loader import Loaded, field_lines
from sitegen.core.errors import Diagnostics, SourceLocation
from sitegen.models.testimonials import Consent, Gallery, Testimonial


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    hint: str
    field: str  # the field whose line the message names


def refusal(consent: Consent | None, today: date, what: str) -> Refusal | None:
    """Why `consent` does not allow publishing on the web today, or None when it does."""
    if consent is None:
        return Refusal(
            "SG620",
            f"{what} has no consent record: it is not published",
            "add `consent:` with the date the patient signed the authorization, its scope "
            "(web, social, print) and where the signed form is kept (reference)",
            "",
        )
    if "web" not in consent.scope:
        return Refusal(
            "SG621",
            f"{what}: the consent covers {', '.join(consent.scope) or 'nothing'}, not the web: "
            "it is not published",
            "publish it only after the patient authorizes use on the website "
            "(add web to consent.scope with the new authorization's date)",
            "consent.scope",
        )
    if consent.date > today:
        return Refusal(
            "SG621",
            f"{what}: the consent is dated {consent.date}, after today: it is not published yet",
            "check consent.date: it is the day the patient signed",
            "consent.date",
        )
    if consent.expires is not None and consent.expires < today:
        return Refusal(
            "SG622",
            f"{what}: the consent expired on {consent.expires}: it is no longer published",
            "ask the patient to renew the authorization and update consent.date and consent.expires, "
            "or delete the file",
            "consent.expires",
        )
    return None


def publishable(doc: Loaded, today: date, diagnostics: Diagnostics) -> Loaded | None:
    """The document as it may be published (a gallery keeps only its authorized pairs), or None."""
    model: Any = doc.model
    if isinstance(model, Testimonial):
        found = refusal(model.consent, today, f"the testimonial of {model.name}")
        if found is None:
            return doc
        diagnostics.warn(
            found.code, found.message, _at(doc, found.field or "consent", _start(doc)), found.hint
        )
        return None
    if isinstance(model, Gallery):
        kept = []
        for index, pair in enumerate(model.pairs, start=1):
            found = refusal(pair.consent, today, f"photo pair {index} of the gallery")
            if found is None:
                kept.append(dataclasses.replace(pair, number=index))
                continue
            name = f"pairs[{index}]" + (f".{found.field}" if found.field else "")
            diagnostics.warn(
                found.code,
                found.message,
                _at(doc, name, _at(doc, f"pairs[{index}]", doc.at("pairs"))),
                found.hint,
            )
        if not kept:
            return None
        withheld = len(model.pairs) - len(kept)
        return dataclasses.replace(doc, model=dataclasses.replace(model, pairs=kept, withheld=withheld))
    return doc


def _start(doc: Loaded) -> SourceLocation:
    """The first line of a document's fields: where a missing one belongs."""
    return SourceLocation(doc.raw.src_path, getattr(doc.raw.meta, "line", 0) or 1)


def _at(doc: Loaded, dotted: str, fallback: SourceLocation) -> SourceLocation:
    """The line of a nested field (`pairs[2].consent.scope`) in the document's front matter or YAML."""

    line = field_lines(doc.raw.meta).get(dotted, 0)
    return SourceLocation(doc.raw.src_path, line) if line else fallback
