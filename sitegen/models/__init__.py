"""The content model: frozen dataclasses, no I/O. Each kind's fields document themselves."""

from sitegen.models.common import Colour, Image, Link
from sitegen.models.config import Brand, Contact, SiteConfig
from sitegen.models.content import Document, Page, Post
from sitegen.models.practice import (
    Address,
    FaqItem,
    Location,
    OpeningHours,
    Package,
    Price,
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
    "Image",
    "Link",
    "Location",
    "OpeningHours",
    "Package",
    "Page",
    "Post",
    "Price",
    "Provider",
    "ReturnInterval",
    "Service",
    "SiteConfig",
    "Week",
]
