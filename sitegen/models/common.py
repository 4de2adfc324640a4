"""Small value types shared by several content kinds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sitegen.core.schema import Invalid, scalar, spec

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def _colour(text: str) -> str:
    if not HEX_COLOUR.match(text):
        raise Invalid(f'"{text}" is not a colour', 'write colours as hex codes in quotes, e.g. "#2f5d62"')
    return text.lower()


@scalar(_colour)
class Colour(str):
    """A CSS hex colour such as "#2f5d62"."""


LINK_HINT = "write a path on this site (/about/) or a full https:// address; also mailto: and tel:"


def _link_address(text: str) -> str:
    """Where a link of the settings may lead: a path of the site, an http(s) address with a host,
    mailto: or tel:. Anything else (`javascript:`, `data:`, `//host`, a backslash that browsers read as
    `/`) could run code or leave the site unannounced on every page. The allowed prefixes are checked,
    and control characters (which browsers drop: `java<tab>script:`) refused, so nothing slips
    through. Empty stays empty (the field's default applies)."""
    value = text.strip()
    if not value:
        return value
    lower = value.lower()
    if "\\" not in value and not _CONTROL.search(value):
        if value.startswith(("/", "#")) and not value.startswith("//"):
            return value
        if lower.startswith(("https://", "http://")) and value.split("/")[2]:
            return value
        if lower.startswith(("mailto:", "tel:")):
            return value
    raise Invalid(f'"{value[:80]}" is not a safe link address', LINK_HINT)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@scalar(_link_address)
class Url(str):
    """The address a link leads to: /path, https://..., http://..., mailto: or tel: (see _link_address)."""


def _https_address(text: str) -> str:
    value = text.strip()
    if not value.lower().startswith("https://") or not value.split("/")[2] or _link_address(value) != value:
        raise Invalid(f'"{value[:80]}" is not an https:// address', "write the full https:// address")
    return value


@scalar(_https_address)
class Https(str):
    """A full https:// address with a host (what a page may load a script from, or send data to)."""


@dataclass(frozen=True, kw_only=True)
class Image:
    """An image from `content/static/`, named by its public path, with its text alternative."""

    src: str = spec("public path of a file in content/static/, e.g. /images/team/ana.jpg")
    alt: str = spec("what the image shows, for people who cannot see it; empty only for decoration", "")

    @classmethod
    def from_scalar(cls, value: Any) -> Image:
        if not isinstance(value, str) or not value.strip():
            raise Invalid("expected the path of an image, e.g. /images/team/ana.jpg")
        return cls(src=value.strip())


@dataclass(frozen=True, kw_only=True)
class Link:
    """A labelled link, for menus and social profiles."""

    label: str = spec("the text people see")
    url: Url = spec("where it leads: a path on this site (/about/), a full https:// address, mailto: or tel:")


@dataclass(frozen=True, kw_only=True)
class CheckSettings:
    """`check: {ignore: [SG321], reason: "..."}`: rules of `sitegen check` silenced for one file."""

    ignore: list[str] = spec(
        "ids of the rules to silence for this file, e.g. [SG321] (see docs/checks.md)", factory=list
    )
    reason: str = spec(
        "why they do not apply here; silencing without a reason is itself a warning (SG221)", ""
    )
