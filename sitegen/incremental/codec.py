"""The cache's file format: data only, never code. `encode` turns documents, page records and facts
into plain values (str, bytes, numbers, lists, dicts, tagged tuples) written with `marshal` (which
reads values, never runs or imports anything); `decode` rebuilds them, constructing only sitegen's
own classes and a fixed set of value types (dates, Markup, paths). A file naming anything else is
refused with `ValueError`. See docs/security.md ("the build cache")."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import importlib
import marshal
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import Markup

from sitegen.incremental import gcpolicy

# Every tuple in an encoded value is a tagged node: (tag, ...). Tuples of the original are tag TUPLE.
(TUPLE, OBJECT, DATE, DATETIME, TIME, TIMEDELTA, SET, FROZENSET, MARKUP, PATH, POSIXPATH, ENUM, DERIVED) = (
    range(13)
)
_BASES = (str, dict, list)  # sitegen's own kinds of these (a YAML mapping with its lines) are DERIVED
_MARSHAL_VERSION = 4
_PLAIN = (str, int, float, bool, bytes, type(None))
_LEAVES = frozenset(_PLAIN)  # values that are themselves, decoded
_classes: dict[str, type] = {}
# fields rebuilt only when first read: the class keeps each one's rebuilding in `_later` (a one-page edit
# at 10,000 documents reads the lines of no unchanged document's front matter; they were a third of
# decoding the documents). The class's `__getattr__` does the rebuilding (`content.sources.RawDocument`).
LATER: dict[str, frozenset[str]] = {"sitegen.content.sources:RawDocument": frozenset({"meta"})}


def encode(value: Any) -> bytes:
    """The bytes of `value`: plain values and sitegen's objects, anything else a `TypeError`."""
    return marshal.dumps(_plain(value), _MARSHAL_VERSION)


def decode(data: bytes) -> Any:
    """The value `encode` wrote; `ValueError` for bytes that are not such a value (with the garbage
    collector paused: it would otherwise scan the growing heap of new objects again and again)."""
    try:
        with gcpolicy.paused():
            return _value(marshal.loads(data))
    except (EOFError, TypeError, IndexError, KeyError, AttributeError, ImportError) as exc:
        raise ValueError(f"not a sitegen cache value ({exc})") from exc


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is list:
        return [_plain(v) for v in value]
    if kind is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    if kind is tuple:
        return (TUPLE, *(_plain(v) for v in value))
    if kind is Markup:
        return (MARKUP, str(value))
    if kind is datetime.date:
        return (DATE, value.toordinal())
    if kind is datetime.datetime:
        return (DATETIME, value.isoformat())
    if kind is datetime.time:
        return (TIME, value.isoformat())
    if kind is datetime.timedelta:
        return (TIMEDELTA, value.days, value.seconds, value.microseconds)
    if kind is set or kind is frozenset:
        return (SET if kind is set else FROZENSET, *sorted((_plain(v) for v in value), key=repr))
    if isinstance(value, PurePosixPath):
        return (POSIXPATH if kind is PurePosixPath else PATH, str(value))
    if isinstance(value, enum.Enum):
        return (ENUM, _name_of(kind), _plain(value.value))
    if kind.__module__.startswith("sitegen.") and isinstance(value, _BASES):
        base = next(b for b in _BASES if isinstance(value, b))
        return (DERIVED, _name_of(kind), _plain(base(value)), _plain(_state(value)))
    if kind.__module__.startswith("sitegen."):
        return _object(value, kind)
    raise TypeError(f"the build cache cannot hold a {kind.__module__}.{kind.__qualname__}")


def _object(value: Any, kind: type) -> tuple:
    """One of sitegen's objects; a field still waiting in `_later` (see `LATER`) is written again as it
    was read, without rebuilding it."""
    state = _plain(_state(value))
    later = getattr(value, "__dict__", {}).get("_later")
    if later:
        state.update({name: rebuild.args[0] for name, rebuild in later.items()})
    return (OBJECT, _name_of(kind), state)


def _state(value: Any) -> dict[str, Any]:
    if hasattr(value, "__dict__"):
        state = dict(value.__dict__)
        state.pop("_later", None)  # see `_object`
        return state
    if not dataclasses.is_dataclass(value):
        return {}
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


def _name_of(kind: type) -> str:
    return f"{kind.__module__}:{kind.__qualname__}"


def _value(node: Any) -> Any:
    kind = type(node)
    if kind is str:
        return node
    if kind is list:
        return [v if type(v) in _LEAVES else _value(v) for v in node]
    if kind is dict:
        return {
            k if type(k) is str else _value(k): v if type(v) in _LEAVES else _value(v)
            for k, v in node.items()
        }
    if kind is not tuple:
        if kind in _PLAIN:
            return node
        raise ValueError(f"not a sitegen cache value (a {kind.__name__})")
    tag = node[0]
    if tag == OBJECT:
        later = LATER.get(node[1])
        if later is None:
            return _fill(object.__new__(_class(node[1])), node[2])
        state = node[2]
        deferred = {name: partial(_value, state[name]) for name in later & state.keys()}
        made = _fill(object.__new__(_class(node[1])), {k: v for k, v in state.items() if k not in deferred})
        object.__setattr__(made, "_later", deferred)
        return made
    if tag == TUPLE:
        return tuple([v if type(v) in _LEAVES else _value(v) for v in node[1:]])
    if tag == DERIVED:
        kind, base = _class(node[1]), _value(node[2])
        if issubclass(kind, str):
            made = str.__new__(kind, base)
        elif issubclass(kind, dict):
            made = dict.__new__(kind)
            dict.update(made, base)
        else:
            made = list.__new__(kind)
            list.extend(made, base)
        return _fill(made, node[3])
    if tag == MARKUP:
        return Markup(node[1])
    if tag == DATE:
        return datetime.date.fromordinal(node[1])
    if tag == DATETIME:
        return datetime.datetime.fromisoformat(node[1])
    if tag == TIME:
        return datetime.time.fromisoformat(node[1])
    if tag == TIMEDELTA:
        return datetime.timedelta(node[1], node[2], node[3])
    if tag == SET:
        return {_value(v) for v in node[1:]}
    if tag == FROZENSET:
        return frozenset([v if type(v) in _LEAVES else _value(v) for v in node[1:]])
    if tag == PATH:
        return Path(node[1])
    if tag == POSIXPATH:
        return PurePosixPath(node[1])
    if tag == ENUM:
        return _class(node[1])(_value(node[2]))
    raise ValueError(f"not a sitegen cache value (tag {tag!r})")


def _fill(made: Any, state: dict[str, Any]) -> Any:
    """Set an object's fields as they were, without running its constructor (as a copy would)."""
    values = {name: v if type(v) in _LEAVES else _value(v) for name, v in state.items()}
    if hasattr(made, "__dict__"):
        made.__dict__.update(values)
    else:
        for name, value in values.items():
            object.__setattr__(made, name, value)
    return made


def _class(name: str) -> type:
    """One of sitegen's own classes, by `module:qualname`; imports only modules of the sitegen package
    (which are loaded already when a build reads its cache) and refuses any other name."""
    found = _classes.get(name)
    if found is None:
        module_name, _, qualname = name.partition(":")
        if not module_name.startswith("sitegen.") or not qualname.isidentifier():
            raise ValueError(f"the cache names {name}, which it may not contain")
        found = getattr(importlib.import_module(module_name), qualname, None)
        if not isinstance(found, type) or found.__module__ != module_name:
            raise ValueError(f"the cache names {name}, which it may not contain")
        _classes[name] = found
    return found
