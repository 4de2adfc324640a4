"""The practice: its treatments, its people, its offices and the questions patients ask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitegen.core.schema import Invalid, derived, spec
from sitegen.models import fields
from sitegen.models.common import CheckSettings, Image, Url
from sitegen.models.content import Document
from sitegen.models.hours import RANGE_HINT, SpecialHours, time_range
from sitegen.models.payment import Financing, Price
from sitegen.models.practicetypes import BusinessType, ProviderType

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


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
    prices: list[Price] = spec(
        "price list; be transparent, patients compare. Cards show the first line with an amount: list "
        "the treatment itself first",
        factory=list,
    )
    packages: list[Package] = spec("bundles of visits or products", factory=list)
    insurance_note: str = spec(
        "how insurance applies to this treatment, e.g. Cosmetic, not covered by insurance; shown instead "
        "of the list of plans accepted",
        "",
    )
    financing: bool = spec("false when the practice's financing does not cover this treatment", True)
    return_interval: ReturnInterval | None = spec("typical time until the next visit", None)
    preparation: list[str] = spec("what to do before the visit, one step per item", factory=list)
    aftercare: list[str] = spec("what to do after the visit, one step per item", factory=list)
    providers: list[str] = spec("slugs of the providers who perform it", factory=list, ref="providers")
    locations: list[str] = spec(
        "slugs of the locations that offer it; default: all", factory=list, ref="locations"
    )
    faq: list[FaqItem] = spec("questions about this treatment", factory=list)
    aliases: list[str] = fields.aliases()
    order: int = fields.order()
    slug: str = fields.slug()
    draft: bool = fields.draft()
    check: CheckSettings = fields.check()

    @property
    def starting_price(self) -> tuple[str, Price] | None:
        """The price a card shows: the first line with an amount (the writer lists the treatment itself
        first; the lowest line can be an add-on or another unit), "from" for a starting price or range."""
        headline = next((p for p in self.prices if p.amount), None)  # a free consultation is not it
        if headline is None:
            return None
        return ("from" if headline.prefix or headline.up_to is not None else ""), headline


@dataclass(frozen=True, kw_only=True)
class Provider(Document):
    name: str = spec("full name as patients address them, e.g. Dr. Maya Okafor")
    role: str = spec("role at the practice, e.g. Medical Director")
    credentials: str = spec("degrees and certifications after the name, e.g. MD, FAAD", "")
    photo: Image | None = spec("portrait in content/static/", None)
    type: ProviderType | None = spec(
        "what they are: physician, dentist, dental_hygienist, nurse_practitioner, physician_assistant, "
        "nurse, "
        "optometrist, physical_therapist, aesthetician or staff; a physician is a Physician to search "
        "engines, the others a Person with that occupation; default: physician when `physician: true`, "
        "else staff",
        None,
    )
    physician: bool = spec(
        "the older spelling of `type: physician`; still read, but write `type: physician` instead", False
    )
    specialties: list[str] = spec("areas of focus", factory=list)
    education: list[str] = spec("degrees, residencies, board certifications, one per item", factory=list)
    languages: list[str] = spec("languages spoken with patients", factory=list)
    locations: list[str] = spec(
        "slugs of the locations where they see patients", factory=list, ref="locations"
    )
    aliases: list[str] = fields.aliases()
    order: int = fields.order("position on the team page, lowest first")
    slug: str = fields.slug()
    draft: bool = fields.draft()
    check: CheckSettings = fields.check()

    @property
    def title(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def profession(self) -> str:
        """The provider's type, `physician: true` read as `type: physician`."""
        return self.type or ("physician" if self.physician else "staff")


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
        times = time_range(str(value))
        if times is None:
            raise Invalid(f'{day}: "{value}" is not a time range', RANGE_HINT, line)
        days.append(OpeningHours(day=day, opens=times[0], closes=times[1]))
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
    special_hours: list[SpecialHours] = spec(
        "holiday closures and special hours by date, e.g. Thanksgiving, closed", factory=list
    )
    insurance: list[str] = spec(
        "health plans accepted at this office, one per item; default: the site's `insurance`", factory=list
    )
    financing: list[Financing] = spec(
        "ways to pay over time offered at this office; default: the site's `financing`", factory=list
    )
    map_url: Url = spec(
        "link to the office on a map; default: an OpenStreetMap search for the address", Url("")
    )
    directions: str = spec("parking and access notes, in Markdown", "")
    business_type: BusinessType | None = spec(
        "the schema.org type of this office, e.g. Optician for a shop beside the clinic; default: the "
        "practice's",
        None,
    )
    photo: Image | None = spec(
        "a photo of the office (its front, the entrance), on its page and its cards; cropped to 3:2", None
    )
    order: int = fields.order()
    slug: str = fields.slug()
    draft: bool = fields.draft()
    check: CheckSettings = fields.check()

    src_path: str = derived("")
    url: str = derived("")
    directions_html: str = derived("")

    @property
    def title(self) -> str:
        return self.name
