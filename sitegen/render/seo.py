"""Structured data (schema.org JSON-LD) that search engines read: the practice, its offices, its people.

No `AggregateRating` or `Review` markup is ever emitted for the practice's own testimonials: search
engines treat it as self-serving (see COMPLIANCE.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sitegen.models import Financing, Location, Membership, Post, Price, Provider, Service, SiteConfig
from sitegen.models.practicetypes import OCCUPATIONS, PROFILES, schema_value
from sitegen.site.assembly import Site

MEDICAL_ORGANIZATIONS = frozenset(
    {"MedicalOrganization", "MedicalClinic", "Dentist", "Physician"}
)  # and subtypes
_DAY_NAMES = {
    "monday": "Monday",
    "tuesday": "Tuesday",
    "wednesday": "Wednesday",
    "thursday": "Thursday",
    "friday": "Friday",
    "saturday": "Saturday",
    "sunday": "Sunday",
}


def _absolute(config: SiteConfig, url: str) -> str:
    return config.base_url + url


SCHEMA_ORG = "https://schema.org"


def _document(kind: Any, **fields: Any) -> dict[str, Any]:
    """A JSON-LD document: schema.org's context, its `kind` (@type), then `fields` in the order given."""
    return {"@context": SCHEMA_ORG, "@type": kind, **fields}


def _practice_ref(config: SiteConfig) -> dict[str, str]:
    """The practice, named by its @id (the home page's practice document)."""
    return {"@id": _absolute(config, "/#practice")}


def practice(site: Site) -> dict[str, Any]:
    config = site.config
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": schema_value(config.schema_types),
        "@id": _absolute(config, "/#practice"),
        "name": config.name,
        "description": config.description,
        "url": _absolute(config, "/"),
        "telephone": config.contact.phone,
    }
    if PROFILES[config.type].specialty:
        data["medicalSpecialty"] = PROFILES[config.type].specialty
    if config.contact.email:
        data["email"] = config.contact.email
    if config.brand.logo:
        data["logo"] = _absolute(config, config.brand.logo.src)
    if config.image:
        data["image"] = _absolute(config, config.image.src)
    if config.social:
        data["sameAs"] = [link.url for link in config.social]
    data.update(_payment(config.schema_types, list(config.insurance), list(config.financing)))
    if site.locations:
        data["department"] = [office(site, loc, nested=True) for loc in site.locations]
    return data


def office(site: Site, location: Location, nested: bool = False) -> dict[str, Any]:
    config = site.config
    address = location.address
    data: dict[str, Any] = {
        "@type": location.business_type or schema_value(config.schema_types),
        "@id": _absolute(config, location.url + "#office"),
        "name": f"{config.name} – {location.name}",
        "url": _absolute(config, location.url),
        "telephone": location.phone,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": address.street,
            "addressLocality": address.city,
            "addressRegion": address.region,
            "postalCode": address.postal_code,
            "addressCountry": address.country,
        },
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": _DAY_NAMES[h.day],
                "opens": h.opens,
                "closes": h.closes,
            }
            for h in location.hours.days
            if not h.closed
        ],
    }
    special = _special_hours(location, site.today or date.today())
    if special:
        data["specialOpeningHoursSpecification"] = special
    types = (location.business_type,) if location.business_type else config.schema_types
    data.update(_payment(types, site.insurance_at(location), site.financing_at(location)))
    if location.email:
        data["email"] = location.email
    if not nested:
        data["@context"] = SCHEMA_ORG
        data["parentOrganization"] = _practice_ref(config)
    return data


def _special_hours(location: Location, today: date) -> list[dict[str, Any]]:
    """The special days not over yet; a closed day opens and closes at 00:00 (schema.org's way)."""
    return [
        {
            "@type": "OpeningHoursSpecification",
            "name": day.label,
            "validFrom": day.date.isoformat(),
            "validThrough": day.last.isoformat(),
            "opens": (day.times or ("00:00", "00:00"))[0],
            "closes": (day.times or ("00:00", "00:00"))[1],
        }
        for day in sorted(location.special_hours, key=lambda d: d.date)
        if day.last >= today
    ]


def _payment(types: tuple[str, ...], insurance: list[str], financing: list[Financing]) -> dict[str, Any]:
    """Financing as `paymentAccepted` (a LocalBusiness property); the plans as `healthPlanNetworkId`,
    which only a MedicalOrganization has (not the plain MedicalBusiness type)."""
    data: dict[str, Any] = {}
    if financing:
        data["paymentAccepted"] = ", ".join(option.provider for option in financing)
    if insurance and MEDICAL_ORGANIZATIONS.intersection(types):
        data["healthPlanNetworkId"] = list(insurance)
    return data


def service(site: Site, item: Service) -> dict[str, Any]:
    """A treatment with its offers: each price that states an amount, as written (see `offer`)."""
    config = site.config
    data: dict[str, Any] = _document(
        "Service",
        name=item.title,
        description=item.summary,
        url=_absolute(config, item.url),
        provider=_practice_ref(config),
    )
    offers = [offer(config, price) for price in item.prices if price.amount is not None]
    if offers:
        data["offers"] = offers
    return data


def offer(config: SiteConfig, price: Price) -> dict[str, Any]:
    """One price, saying no more than the page: an exact amount as `price`; a "from" price as
    `minPrice` only; a range as `minPrice` and `maxPrice`; the unit as `unitText`."""
    data: dict[str, Any] = {"@type": "Offer", "name": price.label, "priceCurrency": config.currency}
    amount = _number(price.amount or 0)
    if not price.unit and price.up_to is None and not price.starting:
        data["price"] = amount
        return data
    spec: dict[str, Any] = {"@type": "UnitPriceSpecification", "priceCurrency": config.currency}
    if price.up_to is not None:
        spec.update(minPrice=amount, maxPrice=_number(price.up_to))
    elif price.starting:
        spec["minPrice"] = amount
    else:
        spec["price"] = amount
    if price.unit:
        spec["unitText"] = price.unit
    data["priceSpecification"] = spec
    return data


def membership(site: Site, item: Membership) -> dict[str, Any]:
    config = site.config
    spec: dict[str, Any] = {
        "@type": "UnitPriceSpecification",
        "price": _number(item.price),
        "priceCurrency": config.currency,
    }
    if item.recurring:
        spec["unitText"] = item.per
    return _document(
        "Offer",
        name=item.title,
        description=item.summary,
        url=_absolute(config, item.url),
        priceCurrency=config.currency,
        price=_number(item.price),
        priceSpecification=spec,
        itemOffered={"@type": "Service", "name": item.title, "description": "; ".join(item.includes)},
        offeredBy=_practice_ref(config),
    )


def _number(amount: float) -> float | int:
    return int(amount) if float(amount).is_integer() else amount


def person(site: Site, provider: Provider, gettext: Callable[[str], str] = str) -> dict[str, Any]:
    """A provider as a Physician or a Person; `gettext` translates their occupation to the page's language."""
    config = site.config
    physician = provider.profession == "physician"
    data: dict[str, Any] = _document(
        "Physician" if physician else "Person",
        name=provider.name,
        url=_absolute(config, provider.url),
    )
    if physician:
        data["medicalSpecialty"] = list(provider.specialties)
        data["parentOrganization"] = _practice_ref(config)
    else:
        data["jobTitle"] = provider.role
        data["worksFor"] = _practice_ref(config)
        if OCCUPATIONS[provider.profession]:
            data["hasOccupation"] = {"@type": "Occupation", "name": gettext(OCCUPATIONS[provider.profession])}
        if provider.credentials:
            data["honorificSuffix"] = provider.credentials
    if provider.photo:
        data["image"] = _absolute(config, provider.photo.src)
    return data


def article(site: Site, post: Post) -> dict[str, Any]:
    config = site.config
    data: dict[str, Any] = _document(
        "BlogPosting",
        headline=post.title,
        description=post.summary,
        datePublished=post.date.isoformat(),
        dateModified=(post.updated or post.date).isoformat(),
        url=_absolute(config, post.url),
        publisher=_practice_ref(config),
    )
    author = site.provider(post.author) if post.author else None
    if author:
        data["author"] = {"@type": "Person", "name": author.name, "url": _absolute(config, author.url)}
    if post.image:
        data["image"] = _absolute(config, post.image.src)
    return data


def breadcrumbs(config: SiteConfig, trail: list[tuple[str, str]]) -> dict[str, Any]:
    return _document(
        "BreadcrumbList",
        itemListElement=[
            {"@type": "ListItem", "position": index, "name": name, "item": _absolute(config, url)}
            for index, (name, url) in enumerate(trail, start=1)
        ],
    )
