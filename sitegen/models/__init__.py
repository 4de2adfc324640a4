"""The content model: frozen dataclasses, no I/O. Each kind's fields document themselves."""
from .common import Colour, Image, Link
from .config import Brand, Contact, SiteConfig
from .content import Document, Page, Post
from .practice import (Address, FaqItem, Location, OpeningHours, Package, Price, Provider,
                       ReturnInterval, Service, Week)

__all__ = [
    "Address", "Brand", "Colour", "Contact", "Document", "FaqItem", "Image", "Link", "Location",
    "OpeningHours", "Package", "Page", "Post", "Price", "Provider", "ReturnInterval", "Service",
    "SiteConfig", "Week",
]
