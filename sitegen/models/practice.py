"""The practice: its treatments, its people, its offices and the questions patients ask."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sitegen.core.schema import Invalid, derived, spec
from sitegen.models.common import CheckSettings, Image, Url
from sitegen.models.content import Document

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True, kw_only=True)
class Price:
    label: str = spec("what is priced, e.g. Per unit, Full face, Consultation")
    amount: float | None = spec("the price as a number; leave out for 'ask us'", None)
    prefix: str = spec("text before the amount, e.g. from", "")
    unit: str = spec("what the amount is for, e.g. unit, session, syringe", "")
    note: str = spec("small print shown under the price", "")


@dataclass(frozen=True, kw_only=True)
class Package:
    name: str = spec("package name, e.g. Series of three")
    price: float = spec("total price of the package")
    includes: list[str] = spec("what the package contains, one item per line", factory=list)
    saving: str = spec("how it compares to single visits, e.g. Save $150", "")


@dataclass(frozen=True, kw_only=True)
class ReturnInterval:
    """How often patients typically come back; drives the 'book your next visit' call to action."""

    min_weeks: int = spec("earliest typical return, in weeks")
    max_weeks: int | None = spec("latest typical return, in weeks (for a range)", None)
    note: str = spec("a sentence explaining the interval", "")


@dataclass(frozen=True, kw_only=True)
class FaqItem:
    question: str = spec("the question, as a patient would ask it")
    answer: str = spec("the answer, in Markdown")
    category: str = spec("group heading on the FAQ page", "General")
    html: str = derived("")


@dataclass(frozen=True, kw_only=True)
class Service(Document):
    title: str = spec("treatment name")
    summary: str = spec("one or two sentences shown on cards and link previews")
    category: str = spec("group on the services page, e.g. Injectables, Skin, Laser", "Treatments")
    image: Image | None = spec("lead picture", None)
    duration: str = spec("how long a visit takes, e.g. 30 minutes", "")
    downtime: str = spec("recovery time, e.g. None, 2-3 days of redness", "")
    results: str = spec("when results show and how long they last", "")
    prices: list[Price] = spec("price list; be transparent, patients compare", factory=list)
    packages: list[Package] = spec("bundles of visits or products", factory=list)
    return_interval: ReturnInterval | None = spec("typical time until the next visit", None)
    preparation: list[str] = spec("what to do before the visit, one step per item", factory=list)
    aftercare: list[str] = spec("what to do after the visit, one step per item", factory=list)
    providers: list[str] = spec("slugs of the providers who perform it", factory=list, ref="providers")
    locations: list[str] = spec(
        "slugs of the locations that offer it; default: all", factory=list, ref="locations"
    )
    faq: list[FaqItem] = spec("questions about this treatment", factory=list)
    aliases: list[str] = spec(
        "old addresses of this page (e.g. /botox/); each redirects here with 301", factory=list
    )
    order: int = spec("position in lists, lowest first", 100)
    slug: str = spec("last part of the URL; default: the file name", "")
    draft: bool = spec("true keeps it out of the site unless built with --drafts", False)
    check: CheckSettings = spec(
        "rules of `sitegen check` silenced for this file, with the reason", factory=CheckSettings
    )

    @property
    def starting_price(self) -> tuple[str, Price] | None:
        """The lowest listed price for cards, with "from" when it is not the only one."""
        priced = [p for p in self.prices if p.amount is not None]
        if not priced:
            return None
        lowest = min(priced, key=lambda p: p.amount or 0)
        return ("from" if len(priced) > 1 or lowest.prefix else ""), lowest


@dataclass(frozen=True, kw_only=True)
class Provider(Document):
    name: str = spec("full name as patients address them, e.g. Dr. Maya Okafor")
    role: str = spec("role at the practice, e.g. Medical Director")
    credentials: str = spec("degrees and certifications after the name, e.g. MD, FAAD", "")
    photo: Image | None = spec("portrait in content/static/", None)
    physician: bool = spec("true for a licensed physician (MD/DO): search engines see a Physician", False)
    specialties: list[str] = spec("areas of focus", factory=list)
    education: list[str] = spec("degrees, residencies, board certifications, one per item", factory=list)
    languages: list[str] = spec("languages spoken with patients", factory=list)
    locations: list[str] = spec(
        "slugs of the locations where they see patients", factory=list, ref="locations"
    )
    aliases: list[str] = spec(
        "old addresses of this page (e.g. /botox/); each redirects here with 301", factory=list
    )
    order: int = spec("position on the team page, lowest first", 100)
    slug: str = spec("last part of the URL; default: the file name", "")
    draft: bool = spec("true keeps it out of the site unless built with --drafts", False)
    check: CheckSettings = spec(
        "rules of `sitegen check` silenced for this file, with the reason", factory=CheckSettings
    )

    @property
    def title(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True, kw_only=True)
class OpeningHours:
    day: str
    opens: str = ""
    closes: str = ""

    @property
    def closed(self) -> bool:
        return not self.opens


@dataclass(frozen=True, kw_only=True)
class Address:
    street: str = spec("street and number, suite")
    city: str = spec("city")
    region: str = spec("state, as its two-letter code, e.g. TX")
    postal_code: str = spec('ZIP code, in quotes, e.g. "78704"')
    country: str = spec("two-letter country code", "US")


@dataclass(frozen=True, kw_only=True)
class Week:
    """Opening hours by day: `monday: "09:00-17:00"` or `sunday: closed`; days left out are closed."""

    days: tuple[OpeningHours, ...] = ()
    EXAMPLE = 'monday: "09:00-17:00"\ntuesday: "09:00-17:00"\nsaturday: closed'

    @classmethod
    def from_yaml(cls, data: Any) -> Week:
        return parse_week(data)


def _line(data: Any, key: str) -> int:
    return data.line_of(key) if hasattr(data, "line_of") else 0


def parse_week(data: Any) -> Week:
    """Parse the `hours:` mapping; raises Invalid with the offending day."""
    if not isinstance(data, dict):
        raise Invalid('expected one line per day, e.g. monday: "09:00-17:00"')
    days, by_day = [], {}
    for key in data:
        day = str(key).strip().lower()
        if day not in DAYS:
            raise Invalid(f'"{key}" is not a day of the week', "use monday … sunday", _line(data, key))
        if day in by_day:
            raise Invalid(f'"{key}" is given twice', "give each day once", _line(data, key))
        written = data.source_of(key) if hasattr(data, "source_of") else None  # 8:30, not 510
        by_day[day] = (data[key] if written is None else written, _line(data, key))
    for day in DAYS:
        value, line = by_day.get(day, (None, 0))
        if value is None or str(value).strip().lower() == "closed":
            days.append(OpeningHours(day=day))
            continue
        match = HOURS.match(str(value).strip())
        if not match:
            raise Invalid(
                f'{day}: "{value}" is not a time range',
                'write hours as "09:00-17:30" (24-hour clock, in quotes) or closed',
                line,
            )
        days.append(OpeningHours(day=day, opens=f"{match[1]}:{match[2]}", closes=f"{match[3]}:{match[4]}"))
    return Week(days=tuple(days))


@dataclass(frozen=True, kw_only=True)
class Location:
    name: str = spec("name of the office, e.g. South Congress")
    address: Address = spec("postal address")
    phone: str = spec("the office's phone number")
    tracking_phone: str = spec(
        "a separate number printed on referral materials, to count calls from them", ""
    )
    email: str = spec("the office's email", "")
    hours: Week = spec("opening hours, one line per day", factory=Week)
    map_url: Url = spec(
        "link to the office on a map; default: an OpenStreetMap search for the address", Url("")
    )
    directions: str = spec("parking and access notes, in Markdown", "")
    photo: Image | None = spec(
        "a photo of the office (its front, the entrance), on its page and its cards; cropped to 3:2", None
    )
    order: int = spec("position in lists, lowest first", 100)
    slug: str = spec("last part of the URL; default: the file name", "")
    draft: bool = spec("true keeps it out of the site unless built with --drafts", False)
    check: CheckSettings = spec(
        "rules of `sitegen check` silenced for this file, with the reason", factory=CheckSettings
    )

    src_path: str = derived("")
    url: str = derived("")
    directions_html: str = derived("")

    @property
    def title(self) -> str:
        return self.name
