"""The schema: forgiving where a mistake is harmless, strict where it is not, always located."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitegen.content.i18n import load_catalogues
from sitegen.content.translations import overlay
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


@pytest.mark.parametrize(
    ("written", "published"),
    [
        ("04101", "04101"),  # YAML 1.1: octal 2113
        ("8:30", "8:30"),  # YAML 1.1: base 60, 510
        ("no", "no"),  # YAML 1.1: false
        ("on", "on"),
        ("1e3", "1e3"),
        ("1.5e+3", "1.5e+3"),  # YAML 1.1: 1500.0
        ("0x1F", "0x1F"),  # YAML 1.1: 31
        ("1_000", "1_000"),  # YAML 1.1: 1000
        ("007", "007"),
    ],
)
def test_a_text_field_keeps_exactly_what_was_written(written: str, published: str) -> None:
    location, diagnostics = coerce(
        Location,
        f"name: {written}\nphone: {written}\n"
        f"address: {{street: S, city: C, region: {written}, postal_code: {written}}}\n",
    )
    assert diagnostics.items == []
    assert (location.name, location.phone, location.address.region, location.address.postal_code) == (
        published,
        published,
        published,
        published,
    )


def test_a_list_of_texts_and_a_mapping_of_texts_keep_what_was_written() -> None:
    post, diagnostics = coerce(Post, "title: T\ndate: 2026-01-02\nsummary: S\ntags: [no, 0123, 8:30]\n")
    assert diagnostics.items == [] and post.tags == ["no", "0123", "8:30"]
    data = load_yaml("theme_settings:\n  no: 0755\n")
    assert data["theme_settings"] == {"no": 493} and data["theme_settings"].source_of("no") == "0755"


@pytest.mark.parametrize(("written", "value"), [("010", 10), ("30", 30), ("-5", -5), ("0o17", 15)])
def test_whole_numbers_are_read_by_yaml_1_2_rules(written: str, value: int) -> None:
    location, diagnostics = coerce(
        Location,
        f'name: N\nphone: "1"\naddress: {{street: S, city: C, region: TX, postal_code: "1"}}\n'
        f"order: {written}\n",
    )
    assert diagnostics.items == [] and location.order == value


@pytest.mark.parametrize("written", ["8:30", "1_000", "yes", "0b101"])
def test_yaml_1_1_numbers_in_a_number_field_are_a_located_error(written: str) -> None:
    _, diagnostics = coerce(
        Location,
        f'name: N\nphone: "1"\naddress: {{street: S, city: C, region: TX, postal_code: "1"}}\n'
        f"order: {written}\n",
    )
    (problem,) = diagnostics.items
    assert (problem.code, problem.location.line) == ("SG203", 4)
    assert problem.message == f'order: expected a whole number, found "{written}"'


def test_prices_read_yaml_1_2_numbers_and_refuse_base_60() -> None:
    service, diagnostics = coerce(
        Service,
        "title: T\nsummary: S\nprices:\n  - label: A\n    amount: 012.50\n  - label: B\n    amount: 1e3\n",
    )
    assert diagnostics.items == []  # 1e3 is text to YAML 1.1 but a number here
    assert [p.amount for p in service.prices] == [12.5, 1000.0]
    _, diagnostics = coerce(Service, "title: T\nsummary: S\nprices:\n  - label: A\n    amount: 1:30\n")
    (problem,) = diagnostics.items
    assert (problem.code, problem.location.line, problem.message) == (
        "SG203",
        5,
        'prices[1].amount: expected a number, found "1:30"',
    )


def test_yes_and_no_still_answer_a_true_or_false_field() -> None:
    post, diagnostics = coerce(Post, "title: T\ndate: 2026-01-02\nsummary: S\ndraft: yes\n")
    assert diagnostics.items == [] and post.draft is True


def test_opening_hours_name_a_base_60_time_as_written() -> None:
    _, diagnostics = coerce(
        Location,
        'name: N\nphone: "1"\naddress: {street: S, city: C, region: TX, postal_code: "1"}\n'
        "hours:\n  monday: 8:30\n",
    )
    (problem,) = diagnostics.items
    assert problem.location.line == 5 and problem.message == 'hours: monday: "8:30" is not a time range'


def test_a_translation_keeps_the_originals_written_digits() -> None:
    original = load_yaml(
        "name: Portland\nphone: 0123\naddress: {street: S, city: C, region: ME, postal_code: 04101}\n"
    )
    merged = overlay(original, load_yaml("name: Oficina de Portland\n"), "x.es.yaml", Diagnostics())
    diagnostics = Diagnostics()
    location = coerce_object(Location, merged, 1, Context("x.es.yaml", diagnostics))
    assert diagnostics.items == []
    assert (location.name, location.phone, location.address.postal_code) == (
        "Oficina de Portland",
        "0123",
        "04101",
    )


def test_an_interface_catalogue_keeps_yes_and_no_as_written(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "i18n"
    folder.mkdir(parents=True)
    (folder / "es.yaml").write_text('Yes: Sí\n"No": No\nOn: Encendido\n', encoding="utf-8")
    diagnostics = Diagnostics()
    (catalogue,) = load_catalogues(tmp_path, [], ["es"], "US", diagnostics).values()
    assert diagnostics.items == []
    assert catalogue.messages == {"Yes": "Sí", "No": "No", "On": "Encendido"}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a:\n\t- x\n", 2),
        ("a:\n  b: 1\n\tc: 2\n", 3),
        ("- a\n\t- b\n", 2),
        ("a:\n \tb: 1\n", 2),
        ("a: |\n\tx\n", 2),
    ],
)
def test_a_tab_is_named_as_the_mistake(text: str, line: int) -> None:
    with pytest.raises(YamlSyntaxError) as error:
        load_yaml(text, line_offset=1)
    assert (error.value.line, error.value.message) == (
        line + 1,
        "invalid YAML: this line is indented with a tab; YAML needs spaces",
    )
    assert "spaces" in error.value.hint
