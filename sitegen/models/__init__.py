"""The content model: frozen dataclasses, no I/O. Each kind's fields document themselves."""

from sitegen.models.common import Colour, Image, Link
from sitegen.models.config import Brand, Contact, SiteConfig
from sitegen.models.content import Document, Page, Post
from sitegen.models.hours import SpecialHours
from sitegen.models.membership import Membership
from sitegen.models.payment import Financing, Price
from sitegen.models.practice import (
    Address,
    FaqItem,
    Location,
    OpeningHours,
    Package,
    Provider,
    ReturnInterval,
    Service,
    Week,
)

__all__ = [
    "Address",
    "Brand",
    "Colour",
    "Contact",
    "Document",
    "FaqItem",
    "Financing",
    "Image",
    "Link",
    "Location",
    "Membership",
    "OpeningHours",
    "Package",
    "Page",
    "Post",
    "Price",
    "Provider",
    "ReturnInterval",
    "Service",
    "SiteConfig",
    "SpecialHours",
    "Week",
]
