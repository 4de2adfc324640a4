"""The build cache's file format (sitegen/incremental/codec.py): every kind of value a build keeps comes
back equal and of the same type, and bytes naming anything outside sitegen are refused, never imported.

Written for the mutation run of codec.py (docs/testing.md): the format was tested only through whole
builds (test_cache.py, test_security.py), a few seconds each."""

from __future__ import annotations

import datetime
import gc
import marshal
import re
from pathlib import Path, PurePosixPath

import pytest
from markupsafe import Markup

from sitegen.core.errors import Diagnostic, Severity, SourceLocation
from sitegen.core.yamlmarks import load_yaml
from sitegen.incremental import codec
from sitegen.models.common import Url
from sitegen.report.ingest import Flag


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test reads as a new build does: no class looked up yet by an earlier decode."""
    monkeypatch.setattr(codec, "_classes", {})


def round_trip(value: object) -> object:
    return codec.decode(codec.encode(value))


VALUES = [
    "text",
    0,
    -7,
    2.5,
    True,
    None,
    b"\x00bytes",
    [1, "a", [None]],
    {"a": 1, 2: "b", (1, 2): [3]},
    (1, ("a", None), ()),
    {1, 2, 3},
    {1, "a", (2, "b")},  # mixed kinds: written in a fixed order, so the same site gives the same bytes
    frozenset({"x", "y"}),
    Markup("<b>bold</b>"),
    datetime.date(2026, 3, 14),
    datetime.datetime(2026, 3, 14, 9, 30, 5, 12),
    datetime.time(8, 30, 1),
    datetime.timedelta(days=2, seconds=7, microseconds=9),
    Path("content/posts/a.md"),
    PurePosixPath("/posts/a/"),
    Severity.WARNING,
    Url("https://example.com/"),
    Flag("late", "forms.csv", 4, "after the program ended"),  # a class without __dict__ (slots)
    Diagnostic("SG205", "unknown field", SourceLocation("a.md", 3), "hint", Severity.WARNING),
]


@pytest.mark.parametrize("value", VALUES, ids=[type(v).__name__ + str(i) for i, v in enumerate(VALUES)])
def test_every_kind_of_value_comes_back_equal_and_of_its_type(value: object) -> None:
    back = round_trip(value)
    assert back == value and type(back) is type(value)
    if isinstance(value, (list, dict, tuple)):
        assert repr(back) == repr(value)  # nested types too (a tuple stays a tuple inside a list)


def test_a_yaml_mapping_keeps_its_lines() -> None:
    data = load_yaml("title: A\nlist:\n  - one\n  - two\n", line_offset=10)
    back = round_trip(data)
    assert type(back) is type(data) and back == data
    assert back.line_of("title") == 11 and back.line_of("list") == 12
    assert type(back["list"]) is type(data["list"]) and back["list"].item_lines == [13, 14]


def test_a_value_from_outside_sitegen_cannot_be_written() -> None:
    with pytest.raises(TypeError, match=re.escape("cannot hold a builtins.complex")):
        codec.encode([1j])


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ((1, "os:mkdir", {}), "the cache names os:mkdir, which it may not contain"),
        ((1, "sitegen.core.errors:os.system", {}), "names sitegen.core.errors:os.system"),
        (
            (1, "sitegen.core.errors:did_you_mean", {}),
            "names sitegen.core.errors:did_you_mean",
        ),  # not a class
        (
            (1, "sitegen.core.schema:Diagnostics", {}),
            "names sitegen.core.schema:Diagnostics",
        ),  # imported there
        ((11, "enum:Enum", 1), "names enum:Enum"),
        ((12, "collections:OrderedDict", {}, {}), "names collections:OrderedDict"),
        ((99, "x"), "not a sitegen cache value (tag 99)"),
        ([1j], "not a sitegen cache value (a complex)"),
        ((), "not a sitegen cache value"),
    ],
)
def test_bytes_naming_anything_else_are_refused(node: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        codec.decode(marshal.dumps(node))


def test_decoding_leaves_the_garbage_collector_as_it_was() -> None:
    assert gc.isenabled()
    round_trip([{"a": datetime.date(2026, 1, 1)}] * 100)
    with pytest.raises(ValueError):
        codec.decode(b"not marshal")
    assert gc.isenabled()  # paused while decoding only; a build would otherwise grow without collecting
