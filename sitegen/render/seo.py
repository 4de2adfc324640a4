"""Structured data (schema.org JSON-LD) that search engines read: the practice, its offices, its people.

No `AggregateRating` or `Review` markup is ever emitted for the practice's own testimonials: search
engines treat it as self-serving (see COMPLIANCE.md).
"""

from __future__ import annotations

from typing import Any

from sitegen.models import Location, Post, Provider, SiteConfig
from sitegen.models.practicetypes import OCCUPATIONS, PROFILES, schema_value
from sitegen.site.assembly import Site

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


def practice(site: Site) -> dict[str, Any]:
    config = site.config
    data: dict[str, Any] = {
        "@context": "https://schema.org",
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
    if location.email:
        data["email"] = location.email
    if not nested:
        data["@context"] = "https://schema.org"
        data["parentOrganization"] = {"@id": _absolute(config, "/#practice")}
    return data


def person(site: Site, provider: Provider) -> dict[str, Any]:
    config = site.config
    physician = provider.profession == "physician"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Physician" if physician else "Person",
        "name": provider.name,
        "url": _absolute(config, provider.url),
    }
    if physician:
        data["medicalSpecialty"] = list(provider.specialties)
        data["parentOrganization"] = {"@id": _absolute(config, "/#practice")}
    else:
        data["jobTitle"] = provider.role
        data["worksFor"] = {"@id": _absolute(config, "/#practice")}
        if OCCUPATIONS[provider.profession]:
            data["hasOccupation"] = {"@type": "Occupation", "name": OCCUPATIONS[provider.profession]}
        if provider.credentials:
            data["honorificSuffix"] = provider.credentials
    if provider.photo:
        data["image"] = _absolute(config, provider.photo.src)
    return data


def article(site: Site, post: Post) -> dict[str, Any]:
    config = site.config
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.summary,
        "datePublished": post.date.isoformat(),
        "dateModified": (post.updated or post.date).isoformat(),
        "url": _absolute(config, post.url),
        "publisher": {"@id": _absolute(config, "/#practice")},
    }
    author = site.provider(post.author) if post.author else None
    if author:
        data["author"] = {"@type": "Person", "name": author.name, "url": _absolute(config, author.url)}
    if post.image:
        data["image"] = _absolute(config, post.image.src)
    return data


def breadcrumbs(config: SiteConfig, trail: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": _absolute(config, url)}
            for index, (name, url) in enumerate(trail, start=1)
        ],
    }
