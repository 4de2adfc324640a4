"""The schema: forgiving where a mistake is harmless, strict where it is not, always located."""

from __future__ import annotations

from datetime import date

import pytest

from sitegen.core.errors import Diagnostics
from sitegen.core.schema import Context, coerce_object
from sitegen.core.yamlmarks import YamlSyntaxError, load_yaml
from sitegen.models import Location, Post, Service


def coerce(cls: type, text: str) -> tuple[object, Diagnostics]:
    diagnostics = Diagnostics()
    data = load_yaml(text)
    return coerce_object(cls, data, data.line, Context("x.md", diagnostics)), diagnostics


def test_yaml_keeps_the_line_of_every_key_and_item() -> None:
    data = load_yaml("a: 1\nlist:\n  - one\n  - two: 2\n", line_offset=10)
    assert data.line_of("a") == 11 and data.line_of("list") == 12
    assert data["list"].item_lines == [13, 14] and data["list"][1].line_of("two") == 14


def test_yaml_refuses_a_key_given_twice() -> None:
    with pytest.raises(YamlSyntaxError) as error:
        load_yaml("title: A\nsummary: B\ntitle: C\n")
    assert error.value.line == 3 and 'the key "title" appears twice' in error.value.message


def test_yaml_never_builds_python_objects() -> None:
    with pytest.raises(YamlSyntaxError):
        load_yaml("x: !!python/object/apply:os.system ['true']\n")


def test_a_single_tag_is_accepted_as_a_list_and_numbers_as_text() -> None:
    post, diagnostics = coerce(Post, "title: 2026\ndate: 2026-01-02\nsummary: S\ntags: skin care\n")
    assert diagnostics.items == []
    assert post.tags == ["skin care"] and post.title == "2026" and post.date == date(2026, 1, 2)


def test_nested_errors_name_the_nested_line_and_path() -> None:
    _, diagnostics = coerce(
        Service,
        "title: T\nsummary: S\nprices:\n  - label: A\n    amount: 10\n  - label: B\n"
        "    amount: ten dollars\n",
    )
    (problem,) = diagnostics.items
    assert (problem.code, problem.location.line) == ("SG203", 7)
    assert problem.message.startswith("prices[2].amount: expected a number")


def test_choices_suggest_the_closest_value() -> None:
    _, diagnostics = coerce(__import__("sitegen.models", fromlist=["Page"]).Page, "title: T\nmenu: heder\n")
    (problem,) = diagnostics.items
    assert (
        problem.code == "SG206" and 'did you mean "header"' in problem.message and problem.location.line == 2
    )


def test_opening_hours_are_parsed_per_day() -> None:
    location, diagnostics = coerce(
        Location,
        'name: N\nphone: "1"\naddress: {street: S, city: C, region: TX, postal_code: "1"}\n'
        'hours:\n  Monday: "08:30-17:00"\n  saturday: closed\n',
    )
    assert diagnostics.items == []
    monday, *_, saturday, sunday = location.hours.days
    assert (monday.opens, monday.closes) == ("08:30", "17:00") and saturday.closed and sunday.closed
