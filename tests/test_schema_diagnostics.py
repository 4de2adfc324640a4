"""What a content author reads when front matter is wrong: the whole diagnostic (file, line, code, message,
hint) as `sitegen build` prints it, for each way the schema refuses a value, and the values it accepts.

Written from the mutation run of sitegen/core/schema.py (docs/testing.md): tests/test_schema.py checked
codes in a few places only, so a misspelt code, a lost hint or a wrong line went unnoticed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from sitegen.core.errors import Diagnostics
from sitegen.core.schema import Context, coerce_object, spec
from sitegen.core.yamlmarks import load_yaml
from sitegen.models import Page, Post, Service


@dataclass(frozen=True, kw_only=True)
class Visit:
    """A small model using each kind of annotation the schema reads."""

    room: str = spec("room name")
    slots: tuple[int, ...] = spec("minutes past the hour", ())
    fees: dict[str, float] = spec("fee by item", factory=dict)
    labels: dict[str, str] = spec("label by item", factory=dict)
    nurse: bool = spec("a nurse attends", False)
    note: str | None = spec("small print", None)


def coerce(cls: type, text: str) -> tuple[object, list[str]]:
    diagnostics = Diagnostics()
    data = load_yaml(text)
    built = coerce_object(cls, data, data.line, Context("x.md", diagnostics))
    return built, [d.format() for d in diagnostics.items]


def test_an_unknown_field_is_named_at_its_line_with_a_suggestion_and_the_allowed_fields() -> None:
    built, shown = coerce(Visit, "room: A\nnures: true\n")
    assert built is None
    assert shown == [
        'x.md:2: error[SG205] unknown field "nures" (did you mean "nurse"?)\n'
        "    hint: allowed here: fees, labels, note, nurse, room, slots (see docs/content.md)"
    ]


def test_a_missing_required_field_is_named_with_what_to_write() -> None:
    built, shown = coerce(Post, "title: T\n\nsummary: S\n")
    assert built is None
    assert shown == [
        'x.md:1: error[SG202] missing required field "date"\n'
        "    hint: add `date:` with publication date, YYYY-MM-DD"
    ]


def test_a_required_field_left_empty_is_named_at_its_own_line() -> None:
    built, shown = coerce(Post, "title: T\nsummary: S\ndate:\n")
    assert built is None
    assert shown == [
        'x.md:3: error[SG202] the required field "date" is empty\n'
        "    hint: add `date:` with publication date, YYYY-MM-DD"
    ]


def test_an_optional_field_left_empty_is_none_not_an_error() -> None:
    visit, shown = coerce(Visit, "room: A\nnote:\n")
    assert shown == [] and visit == Visit(room="A", note=None)


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    _, shown = coerce(Post, "title: T\nsumary: S\ndate: 2026-13-01\n")
    assert [line.split("\n")[0] for line in shown] == [
        'x.md:2: error[SG205] unknown field "sumary" (did you mean "summary"?)',
        'x.md:3: error[SG204] date: "2026-13-01" is not a valid date',
        'x.md:1: error[SG202] missing required field "summary"',
    ]
    assert shown[1].endswith("hint: write dates as YYYY-MM-DD, e.g. 2025-03-14")


def test_a_wrong_choice_lists_the_choices() -> None:
    _, shown = coerce(Page, "title: T\nmenu: top\n")
    assert shown == [
        'x.md:2: error[SG206] menu: "top" is not allowed\n    hint: choose one of: none, header, footer'
    ]


def test_a_list_where_fields_are_expected_says_so() -> None:
    built, shown = coerce(Service, "title: T\nsummary: S\nreturn_interval:\n  - 4\n")
    assert built is None and shown == [
        "x.md:4: error[SG203] return_interval: expected a set of fields, found a list\n"
        "    hint: write one `name: value` per line, indented under this key"
    ]


def test_a_nested_unknown_field_names_its_path_and_line() -> None:
    _, shown = coerce(Service, "title: T\nsummary: S\nprices:\n  - label: A\n    amont: 10\n")
    assert shown[0].startswith(
        'x.md:5: error[SG205] prices[1]: unknown field "amont" (did you mean "amount"?)'
    )


def test_an_image_given_as_a_path_is_built_and_a_bad_one_is_located() -> None:
    post, shown = coerce(Post, "title: T\ndate: 2026-01-02\nsummary: S\nimage: /images/a.jpg\n")
    assert shown == [] and post.image.src == "/images/a.jpg"
    _, shown = coerce(Post, "title: T\ndate: 2026-01-02\nsummary: S\nimage: 12\n")
    assert shown == ["x.md:4: error[SG209] image: expected the path of an image, e.g. /images/team/ana.jpg"]


def test_opening_hours_are_reported_at_the_days_own_line() -> None:
    text = 'name: N\nphone: "1"\naddress: {street: S, city: C, region: TX, postal_code: "1"}\nhours:\n'
    _, shown = coerce(
        __import__("sitegen.models", fromlist=["Location"]).Location, text + "  moonday: closed\n"
    )
    assert shown == [
        'x.md:5: error[SG209] hours: "moonday" is not a day of the week\n    hint: use monday … sunday'
    ]


def test_mappings_tuples_and_numbers_keep_their_values_and_keys_as_written() -> None:
    visit, shown = coerce(Visit, "room: 101\nslots: [0, 030]\nfees:\n  1: 12.50\n  cream: 1_0\n")
    assert shown == [
        'x.md:5: error[SG203] fees.cream: expected a number, found "1_0"\n'
        "    hint: write numbers without currency signs, e.g. 450 or 12.50"
    ]
    visit, shown = coerce(Visit, "room: 101\nslots: [0, 030, 0x10]\nfees:\n  010: 12.50\n  cream: 0o10\n")
    assert shown == []
    assert visit == Visit(room="101", slots=(0, 30, 16), fees={"010": 12.5, "cream": 8})
    assert isinstance(visit.slots, tuple)


def test_a_mapping_field_given_one_value_says_what_to_write() -> None:
    _, shown = coerce(Visit, "room: A\nfees: 12\n")
    assert shown == ['x.md:2: error[SG203] fees: expected one `name: value` per line, found "12"']


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (
            "room: [A, B]",
            "x.md:1: error[SG203] room: expected text, found a list\n"
            "    hint: put the text in quotes if it starts with a special character",
        ),
        (
            "room: {a: 1}",
            "x.md:1: error[SG203] room: expected text, found a set of fields\n"
            "    hint: put the text in quotes if it starts with a special character",
        ),
        ("room: A\nnurse: maybe", 'x.md:2: error[SG203] nurse: expected true or false, found "maybe"'),
        ("room: A\nnurse: 1", 'x.md:2: error[SG203] nurse: expected true or false, found "1"'),
        (
            "room: A\nslots: [5, true]",
            'x.md:2: error[SG203] slots[2]: expected a whole number, found "true"\n'
            "    hint: write digits only, e.g. 30 or 100",
        ),
        (
            "room: A\nslots:\n  - 5\n  - 8:30",
            'x.md:4: error[SG203] slots[2]: expected a whole number, found "8:30"\n'
            "    hint: write digits only, e.g. 30 or 100",
        ),
        (
            "room: A\nfees: {cream: true}",
            'x.md:2: error[SG203] fees.cream: expected a number, found "true"\n'
            "    hint: write numbers without currency signs, e.g. 450 or 12.50",
        ),
    ],
)
def test_a_value_of_the_wrong_kind_is_named_as_written(written: str, shown: str) -> None:
    built, diagnostics = coerce(Visit, written + "\n")
    assert built is None and diagnostics == [shown]


def test_a_date_written_as_text_in_quotes_is_read_and_a_wrong_one_quoted() -> None:
    post, shown = coerce(Post, 'title: T\ndate: "2026-01-02"\nsummary: S\nupdated: 2026-02-30\n')
    assert post is None
    assert shown == [
        'x.md:4: error[SG204] updated: "2026-02-30" is not a valid date\n'
        "    hint: write dates as YYYY-MM-DD, e.g. 2025-03-14"
    ]
    post, shown = coerce(Post, 'title: T\ndate: "2026-01-02"\nsummary: S\n')
    assert shown == [] and post.date == date(2026, 1, 2)


def test_fields_the_loader_fills_in_cannot_be_set_in_front_matter() -> None:
    built, shown = coerce(Page, "title: T\nurl: /elsewhere/\n")
    assert built is None and shown[0].startswith('x.md:2: error[SG205] unknown field "url"')


def test_text_in_quotes_is_refused_where_a_number_is_asked() -> None:
    built, shown = coerce(Page, 'title: T\norder: "ten"\n')
    assert built is None
    assert shown == [
        'x.md:2: error[SG203] order: expected a whole number, found "ten"\n'
        "    hint: write digits only, e.g. 30 or 100"
    ]
    _, shown = coerce(Service, 'title: T\nsummary: S\nprices:\n  - label: A\n    amount: "ten"\n')
    assert shown[0].startswith('x.md:5: error[SG203] prices[1].amount: expected a number, found "ten"')


def test_a_yes_no_field_names_the_number_as_written() -> None:
    _, shown = coerce(Visit, "room: A\nnurse: 010\n")
    assert shown == ['x.md:2: error[SG203] nurse: expected true or false, found "010"']


def test_a_whole_price_stays_whole_so_it_is_shown_without_decimals() -> None:
    visit, shown = coerce(Visit, "room: A\nfees: {visit: 450, cream: 12.50}\nlabels: {visit: First visit}\n")
    assert (
        shown == []
        and visit.fees == {"visit": 450, "cream": 12.5}
        and visit.labels == {"visit": "First visit"}
    )
    assert str(visit.fees["visit"]) == "450"


def test_opening_hours_written_on_one_line_are_refused_with_the_form_to_use() -> None:
    text = 'name: N\nphone: "1"\naddress: {street: S, city: C, region: TX, postal_code: "1"}\n'
    built, shown = coerce(
        __import__("sitegen.models", fromlist=["Location"]).Location, text + "hours: closed\n"
    )
    assert built is None
    assert shown == ['x.md:4: error[SG209] hours: expected one line per day, e.g. monday: "09:00-17:00"']
