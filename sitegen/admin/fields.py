"""One model field to one field of the editor's configuration (a Decap CMS widget).

`editor_fields` walks a model as docs/content.md's reference does: label from the name, hint from the
`spec` doc, required when there is no default, a widget per type (docs/editor.md); `RULES` adds the
checks types cannot say (ranges, patterns, consent).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from typing import Any, Literal, Union

from sitegen.core.schema import input_fields
from sitegen.models import Colour, Image, Week
from sitegen.models.practice import DAYS

HEX = ["^#(?:[0-9a-fA-F]{3}){1,2}$", 'a colour as a hex code, e.g. "#2f5d62"']
HOURS = [
    r"^(?:closed|([01]\d|2[0-3]):[0-5]\d\s*-\s*([01]\d|2[0-3]):[0-5]\d)$",
    "hours as 09:00-17:30 (24-hour clock) or closed",
]
SLUG = ["^[a-z0-9]+(?:-[a-z0-9]+)*$", "lower-case letters, digits and hyphens, e.g. spring-offer"]
TWO_LETTERS = ["^[A-Z]{2}$", "a two-letter code in capitals, e.g. TX"]
NOT_NEGATIVE = {"min": 0}

# (model, field) -> what the editor checks beyond the type; the build checks the same or more.
RULES: dict[tuple[str, str], dict[str, Any]] = {
    ("Testimonial", "rating"): {"min": 1, "max": 5},
    ("Testimonial", "consent"): {"required": True},  # without it the testimonial is never published
    ("PhotoPair", "consent"): {"required": True},
    ("Consent", "scope"): {"min": 1},
    ("Price", "amount"): NOT_NEGATIVE,
    ("Package", "price"): NOT_NEGATIVE,
    ("Reward", "value"): NOT_NEGATIVE,
    ("ReturnInterval", "min_weeks"): {"min": 1},
    ("ReturnInterval", "max_weeks"): {"min": 1},
    ("SiteConfig", "posts_per_page"): {"min": 1},
    ("Address", "region"): {"pattern": TWO_LETTERS},
    ("Address", "country"): {"pattern": TWO_LETTERS},
    ("SiteConfig", "country"): {"pattern": TWO_LETTERS},
    ("SiteConfig", "base_url"): {
        "pattern": ["^https?://[^/\\s]+", "a full address, e.g. https://www.example.com"]
    },
    ("FormField", "name"): {"pattern": ["^[a-z0-9_]+$", "a-z, 0-9 and _ only, e.g. first_name"]},
}
for _model in ("Page", "Post", "Service", "Provider", "Location", "Campaign", "Testimonial", "Gallery"):
    RULES[(_model, "slug")] = {"pattern": SLUG}
# (model, field) -> a widget other than the type's: long texts
WIDGETS: dict[tuple[str, str], str] = {
    ("Testimonial", "quote"): "text",
    ("Campaign", "summary"): "text",
    ("Service", "summary"): "text",
    ("Post", "summary"): "text",
    ("SiteConfig", "description"): "text",
}


def label(name: str) -> str:
    """`return_interval` -> "Return interval"."""
    return name.replace("_", " ").capitalize()


def unwrap(hint: Any) -> tuple[Any, bool]:
    """(the type inside `X | None`, whether None is allowed)."""
    if typing.get_origin(hint) in (Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return (args[0] if len(args) == 1 else hint), len(args) < len(typing.get_args(hint))
    return hint, False


def has_default(field: dataclasses.Field) -> bool:
    return field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING


def default_of(field: dataclasses.Field) -> Any:
    value = field.default if field.default is not dataclasses.MISSING else field.default_factory()
    for plain in (bool, int, float, str):  # a Colour is written as its text
        if isinstance(value, plain):
            return plain(value) if value != "" else None
    return None


def editor_fields(cls: type) -> list[dict[str, Any]]:
    """The editor's fields of one model, in the model's order; `dict` fields (name -> value tables,
    rare settings) are left to the file."""
    hints = typing.get_type_hints(cls)
    fields = []
    for field in input_fields(cls):
        widget = editor_field(cls, field, hints[field.name])
        if widget is not None:
            fields.append(widget)
    return fields


def editor_field(cls: type, field: dataclasses.Field, hint: Any) -> dict[str, Any] | None:
    """One field's configuration, or None when the editor cannot show it (a name -> value table)."""
    inner, optional = unwrap(hint)
    body = _widget(inner, field.metadata.get("ref", ""), f"{cls.__name__}.{field.name}")
    if body is None:
        return None
    config: dict[str, Any] = {"name": field.name, "label": label(field.name), **body}
    if field.metadata.get("doc"):
        config["hint"] = field.metadata["doc"]
    config["required"] = not (has_default(field) or optional)
    if (widget := WIDGETS.get((cls.__name__, field.name))) is not None:
        config["widget"] = widget
    if has_default(field) and (value := default_of(field)) is not None and config["widget"] != "list":
        config["default"] = value
    config.update(RULES.get((cls.__name__, field.name), {}))
    if config["widget"] == "object" and not config["required"]:
        config["collapsed"] = True
        config["fields"] = optional_fields(config["fields"])
    if "pattern" in config and not config["required"]:
        config["pattern"] = [f"^$|{config['pattern'][0]}", config["pattern"][1]]
    return config


def optional_fields(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fields of an object that may be left out as a whole: none is required on its own (the editor
    would refuse an empty photo or return interval); the build reports a half-filled one."""
    relaxed = []
    for field in fields:
        field = {**field, "required": False}
        if field["widget"] == "object":
            field["fields"] = optional_fields(field["fields"])
        relaxed.append(field)
    return relaxed


def _widget(hint: Any, ref: str, where: str) -> dict[str, Any] | None:
    """The widget of a type, without name, label or hint."""
    origin = typing.get_origin(hint)
    if origin is Literal:
        return {"widget": "select", "options": [str(a) for a in typing.get_args(hint)]}
    if origin in (list, tuple):
        item = typing.get_args(hint)[0]
        if typing.get_origin(item) is Literal:
            return {"widget": "select", "multiple": True, "options": [str(a) for a in typing.get_args(item)]}
        if ref:
            return _relation(ref, multiple=True)
        if dataclasses.is_dataclass(item) and item not in (Image,):
            return {"widget": "list", "fields": editor_fields(item), "collapsed": False}
        return {"widget": "list"}  # a list of texts: one item per entry
    if origin is dict:
        return None
    if hint is Colour:
        return {"widget": "string", "pattern": HEX}
    if hint is Image:
        return {"widget": "object", "fields": _image_fields()}
    if hint is Week:
        return {"widget": "object", "fields": [_day(day) for day in DAYS]}
    if dataclasses.is_dataclass(hint):
        return {"widget": "object", "fields": editor_fields(hint)}
    if hint is date:
        return {
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "YYYY-MM-DD",
            "time_format": False,
        }
    if hint is bool:
        return {"widget": "boolean"}
    if hint is int:
        return {"widget": "number", "value_type": "int"}
    if hint is float:
        return {"widget": "number", "value_type": "float"}
    if ref:
        return _relation(ref, multiple=False)
    return {"widget": "string"}


def _relation(kind: str, multiple: bool) -> dict[str, Any]:
    """A choice among the documents of a kind, stored as their slugs (file names)."""
    if kind == "forms":  # the built-in forms are not files: a name is typed
        return {"widget": "string"}
    shown = {"providers": "name", "locations": "name"}.get(kind, "title")
    return {
        "widget": "relation",
        "collection": kind,
        "value_field": "{{slug}}",
        "search_fields": [shown],
        "display_fields": [shown],
        "multiple": multiple,
    }


def _image_fields() -> list[dict[str, Any]]:
    hints = typing.get_type_hints(Image)
    src, alt = (editor_field(Image, f, hints[f.name]) for f in input_fields(Image))
    return [{**src, "widget": "image", "choose_url": False}, alt]  # type: ignore[dict-item]


def _day(day: str) -> dict[str, Any]:
    return {
        "name": day,
        "label": day.capitalize(),
        "widget": "string",
        "required": False,
        "hint": "09:00-17:00, or closed; a day left empty is closed",
        "pattern": ["^$|" + HOURS[0], HOURS[1]],
    }
