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
    url: str = spec("where it leads: a path on this site (/about/) or a full https:// address")


@dataclass(frozen=True, kw_only=True)
class CheckSettings:
    """`check: {ignore: [SG321], reason: "..."}`: rules of `sitegen check` silenced for one file."""

    ignore: list[str] = spec(
        "ids of the rules to silence for this file, e.g. [SG321] (see docs/checks.md)", factory=list
    )
    reason: str = spec(
        "why they do not apply here; silencing without a reason is itself a warning (SG221)", ""
    )
