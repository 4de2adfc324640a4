"""Turn YAML values into typed, frozen dataclasses, reporting every problem with its line.

The models' annotations are the schema (`str`, `int`, `float`, `bool`, `date`, `Literal`, `X | None`,
`list[X]`, `dict[str, X]`, nested dataclasses); a field's `spec(doc=...)` documents it for
docs/content.md. A value that cannot be coerced is reported (SG2xx) and skipped, never raised.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Callable
from dataclasses import MISSING
from datetime import date
from typing import Any, Literal, Union

from sitegen.core.errors import Diagnostics, SourceLocation, did_you_mean
from sitegen.core.yamlmarks import YAML12_FLOAT, YAML12_HEX, YAML12_INT, YAML12_OCT, LocatedDict, LocatedList

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def spec(doc: str, default: Any = MISSING, *, factory: Any = MISSING, ref: str = "") -> Any:
    """Declare a model field with its documentation; `ref` names the kind a slug must point at."""
    metadata = {"doc": doc, "ref": ref}
    if factory is not MISSING:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


class Invalid(Exception):
    """Raised by a custom scalar parser; the message is shown to the user at the value's line."""

    def __init__(self, message: str, hint: str = "", line: int = 0):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.line = line  # a more precise line than the value's own, when the parser knows it


@dataclasses.dataclass
class Context:
    """Where coercion is: the file, for messages, and the collector."""

    src_path: str
    diagnostics: Diagnostics

    def at(self, line: int) -> SourceLocation:
        return SourceLocation(self.src_path, line)


_SKIP = object()  # a value that failed and has already been reported


def input_fields(cls: type) -> list[dataclasses.Field]:
    """The fields a content file may set; derived ones are filled in by the loader."""
    return [f for f in dataclasses.fields(cls) if is_input(f)]


@functools.cache
def _shape(cls: type) -> tuple[dict[str, Any], dict[str, dataclasses.Field]]:
    """A model class's resolved annotations and input fields, worked out once per class (resolving the
    annotations was a twentieth of a cold build when done for every object loaded); read-only."""
    return typing.get_type_hints(cls), {f.name: f for f in input_fields(cls)}


def coerce_object(cls: type, data: Any, line: int, ctx: Context, where: str = "") -> Any:
    """Build `cls` from a YAML mapping; returns None (after reporting) when it cannot be built."""
    parse = getattr(cls, "from_yaml", None)
    if parse is None and not isinstance(data, dict):
        parse = getattr(cls, "from_scalar", None)
    if parse is not None:
        try:
            return parse(data)
        except Invalid as exc:
            ctx.diagnostics.error("SG209", _prefix(where, exc.message), ctx.at(exc.line or line), exc.hint)
            return None
    if not isinstance(data, dict):
        ctx.diagnostics.error(
            "SG203",
            _prefix(where, f"expected a set of fields, found {_describe(data)}"),
            ctx.at(line),
            "write one `name: value` per line, indented under this key",
        )
        return None
    hints, fields = _shape(cls)
    values: dict[str, Any] = {}
    ok = _known_fields_only(data, fields, line, ctx, where)
    for name, field in fields.items():
        field_where = f"{where}.{name}" if where else name
        required = field.default is MISSING and field.default_factory is MISSING
        written = data.get(name)
        if name not in data or (
            not _is_optional(hints[name]) and (written is None or (required and _blank(written)))
        ):
            if required:
                doc = field.metadata.get("doc", "")
                if name in data:  # written, but left empty
                    message, where_line = f'the required field "{field_where}" is empty', data.line_of(name)
                else:
                    message, where_line = f'missing required field "{field_where}"', line
                ctx.diagnostics.error(
                    "SG202",
                    message,
                    ctx.at(where_line),
                    f"add `{name}:` with {doc}" if doc else f"add `{name}:`",
                )
                ok = False
            continue
        value_line = data.line_of(name) if isinstance(data, LocatedDict) else line
        source = data.source_of(name) if isinstance(data, LocatedDict) else None
        value = coerce_value(hints[name], data[name], value_line, ctx, field_where, source)
        if value is _SKIP:
            ok = False
        else:
            values[name] = value
    if not ok:
        return None
    return cls(**values)


def _known_fields_only(data: dict, fields: dict[str, Any], line: int, ctx: Context, where: str) -> bool:
    """Reports each key that is not a field of the model (SG205, with the nearest name); False if any."""
    ok = True
    for key in data:
        if key not in fields:
            ctx.diagnostics.error(
                "SG205",
                _prefix(where, f'unknown field "{key}"{did_you_mean(str(key), fields)}'),
                ctx.at(data.line_of(key) if isinstance(data, LocatedDict) else line),
                f"allowed here: {', '.join(sorted(fields))} (see docs/content.md)",
            )
            ok = False
    return ok


def coerce_value(
    hint: Any, value: Any, line: int, ctx: Context, where: str, source: str | None = None
) -> Any:
    """Coerce one value to the annotated type; reports and returns _SKIP when it cannot. `source` is
    the unquoted text written, when YAML read it as a number or true/false (see yamlmarks)."""
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None:
            return None
        return coerce_value(options[0], value, line, ctx, where, source)
    if origin is Literal:
        return _coerce_choice(typing.get_args(hint), value, line, ctx, where, source)
    if origin is dict:
        return _coerce_mapping(typing.get_args(hint)[1], value, line, ctx, where)
    if origin in (list, tuple):
        items = _coerce_items(typing.get_args(hint)[0], value, line, ctx, where, source)
        return tuple(items) if origin is tuple and items is not _SKIP else items
    if dataclasses.is_dataclass(hint):
        built = coerce_object(hint, value, getattr(value, "line", line), ctx, where)
        return _SKIP if built is None else built
    return _coerce_scalar(hint, value, line, ctx, where, source)


def _coerce_choice(
    choices: tuple[Any, ...], value: Any, line: int, ctx: Context, where: str, source: str | None
) -> Any:
    """One of a `Literal`'s `choices` (as written, when YAML read it as another type), or SG206."""
    if value in choices:
        return value
    if source in choices:
        return source
    written = value if source is None else source
    ctx.diagnostics.error(
        "SG206",
        f'{where}: "{written}" is not allowed{did_you_mean(str(written), map(str, choices))}',
        ctx.at(line),
        "choose one of: " + ", ".join(map(str, choices)),
    )
    return _SKIP


def _coerce_mapping(value_hint: Any, value: Any, line: int, ctx: Context, where: str) -> Any:
    """A `dict[str, value_hint]`, each value at its own line; _SKIP (reported) when one fails."""
    if not isinstance(value, dict):
        ctx.diagnostics.error(
            "SG203",
            f"{where}: expected one `name: value` per line, found {_describe(value)}",
            ctx.at(line),
        )
        return _SKIP
    mapping = {}
    for key, item in value.items():
        located = isinstance(value, LocatedDict)
        name = str(value.key_sources.get(key, key) if located else key)
        item_line = value.line_of(key) if located else line
        item_source = value.source_of(key) if located else None
        coerced = coerce_value(value_hint, item, item_line, ctx, f"{where}.{name}", item_source)
        if coerced is _SKIP:
            return _SKIP
        mapping[name] = coerced
    return mapping


def _coerce_items(item_hint: Any, value: Any, line: int, ctx: Context, where: str, source: str | None) -> Any:
    """A list of `item_hint` (a single value is a list of one); _SKIP (reported) when one fails."""
    items = value if isinstance(value, list) else [value]
    result = []
    for index, item in enumerate(items):
        located = isinstance(value, LocatedList)
        item_line = value.line_of(index) if located else line
        item_source = value.source_of(index) if located else source
        coerced = coerce_value(item_hint, item, item_line, ctx, f"{where}[{index + 1}]", item_source)
        if coerced is _SKIP:
            return _SKIP
        result.append(coerced)
    return result


def _coerce_scalar(hint: Any, value: Any, line: int, ctx: Context, where: str, source: str | None) -> Any:
    """A value of a scalar type the schema knows (`_SCALARS`), or SG204 (dates) / SG203."""
    parser = _SCALARS.get(hint)
    if parser is None:  # pragma: no cover - a model annotated with a type the schema does not know
        raise TypeError(f"schema cannot coerce {hint!r}")
    try:
        return parser(value, source)
    except Invalid as exc:
        ctx.diagnostics.error(
            "SG204" if hint is date else "SG203", f"{where}: {exc.message}", ctx.at(line), exc.hint
        )
        return _SKIP


def _is_optional(hint: Any) -> bool:
    return typing.get_origin(hint) in (Union, types.UnionType) and type(None) in typing.get_args(hint)


def _prefix(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message


def _describe(value: Any, source: str | None = None) -> str:
    if source is not None:
        return f'"{source}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    return f'"{value}"'


def _blank(value: Any) -> bool:
    """Only quotes and spaces (`title: ""`, as an editor saves an emptied field): a required field so
    written is as empty as one with no value."""
    return isinstance(value, str) and not value.strip()


def _text(value: Any, source: str | None = None) -> str:
    """Text as written: `04101`, `8:30`, `no` stay what they are, whatever YAML 1.1 made of them."""
    if isinstance(value, str):
        return value.strip()
    if source is not None:
        return source
    if isinstance(value, (bool, list, dict)) or value is None:
        raise Invalid(
            f"expected text, found {_describe(value)}",
            "put the text in quotes if it starts with a special character",
        )
    return str(value)


def _integer(value: Any, source: str | None = None) -> int:
    if source is not None:  # read by YAML 1.2's rules: 010 is ten, 8:30 and 1_000 are not numbers
        if YAML12_INT.match(source):
            return int(source, 10)
        if YAML12_OCT.match(source) or YAML12_HEX.match(source):
            return int(source, 0)
    elif isinstance(value, int) and not isinstance(value, bool):
        return value
    raise Invalid(
        f"expected a whole number, found {_describe(value, source)}", "write digits only, e.g. 30 or 100"
    )


def _number(value: Any, source: str | None = None) -> float:
    if source is not None:  # YAML 1.2's rules, as for whole numbers
        if YAML12_FLOAT.match(source):
            number = float(source)
            return int(number) if YAML12_INT.match(source) else number
        if YAML12_OCT.match(source) or YAML12_HEX.match(source):
            return int(source, 0)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise Invalid(
        f"expected a number, found {_describe(value, source)}",
        "write numbers without currency signs, e.g. 450 or 12.50",
    )


def _boolean(value: Any, source: str | None = None) -> bool:
    if isinstance(value, bool):  # yes/no and on/off too: unambiguous where true or false is asked
        return value
    raise Invalid(f"expected true or false, found {_describe(value, source)}")


def _iso_date(value: Any, source: str | None = None) -> date:
    text = str(value if source is None else source).strip()
    if ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise Invalid(f'"{value}" is not a valid date', "write dates as YYYY-MM-DD, e.g. 2025-03-14")


_SCALARS: dict[Any, Callable[[Any, str | None], Any]] = {
    str: _text,
    int: _integer,
    float: _number,
    bool: _boolean,
    date: _iso_date,
}


def scalar(parser: Callable[[Any], Any]) -> Callable[[type], type]:
    """Register a text-like type (a `str` subclass) whose values need checking, e.g. a colour."""

    def register(cls: type) -> type:
        _SCALARS[cls] = lambda value, source: cls(parser(_text(value, source)))
        return cls

    return register


def derived(default: Any = None) -> Any:
    """A model field that the loader fills in (file, URL, rendered body); never read from content."""
    return dataclasses.field(default=default, compare=False, metadata={"derived": True})


def is_input(field: dataclasses.Field) -> bool:
    return field.init and not field.metadata.get("derived")
