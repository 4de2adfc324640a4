"""Who is owed a reward (sitegen/report/eligibility.py): never someone on the exclusion list (staff, their
households), matched by email as the inbox it reaches or by phone digits; where the terms require it, only
a referrer with a paid visit of their own by the day the friend's referral succeeded. A referral refused a
reward keeps counting, with a flag saying why; the report's notes say which rule was read from where.

Written for the mutation run of eligibility.py (docs/testing.md): the rules were tested by one whole
report of the demo site (test_report.py), one referrer for each rule. These tests give the rules an
analysis made by hand: a program, a few referrers, their friends' referrals and the visits index."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from sitegen.core.errors import Diagnostics
from sitegen.core.schema import Context, coerce_object
from sitegen.core.yamlmarks import load_yaml
from sitegen.models.referral import Excluded, Program
from sitegen.report.eligibility import Exclusions, apply_eligibility, load_exclusions, needs_paid_visit
from sitegen.report.ingest import Flag, ReportError
from sitegen.report.records import Advocate, Analysis, Referral, VisitIndex

PROGRAM = """\
name: Circle
headline: Share
intro: Tell a friend.
model: direct
referrer_reward: {kind: credit, value: 10, description: a $10 credit}
friend_reward: {kind: discount, value: 50, description: $50 off}
success: {event: first_paid_visit, within_days: 90}
limits: {per_referral: 10, per_year: 70}
terms:
  version: "1"
  effective: 2026-01-01
  eligibility: current patients aged 18 or over
  new_patient: new
  reward_timing: after the visit
  privacy: private
  changes: may change
"""

PAID_VISIT_TERMS = "Current patients who have had a Paid Visit with us; never staff or their households"
STAFF_TERMS = "current patients; not our employees"
SUCCESS = date(2026, 3, 10)
READ_FROM_TERMS = (
    "terms.eligibility asks for a paid visit, so a referrer earns a reward only after a paid visit of their "
    "own (set report.referrer_paid_visit in program.yaml to say it outright)."
)


@pytest.fixture(scope="module")
def program() -> Program:
    diagnostics = Diagnostics()
    built = coerce_object(Program, load_yaml(PROGRAM), 1, Context("program.yaml", diagnostics))
    assert diagnostics.items == [] and isinstance(built, Program)
    return built


def with_terms(program: Program, eligibility: str, paid_visit: bool | None = None) -> Program:
    return replace(
        program,
        terms=replace(program.terms, eligibility=eligibility),
        report=replace(program.report, referrer_paid_visit=paid_visit),
    )


def excluding(program: Program, *people: Excluded) -> Program:
    return replace(program, report=replace(program.report, exclude=list(people)))


def advocate(name: str, email: str, *phones: str) -> Advocate:
    return Advocate(
        key=email,
        first_name=name,
        email=email,
        enrolled_on=date(2026, 1, 5),
        utm_source="",
        utm_medium="",
        utm_campaign="",
        codes=[f"{name.upper():A<4.4}2345"],
        phones=set(phones),
    )


def referral(who: Advocate | None, row: int, success_on: date | None = SUCCESS) -> Referral:
    return Referral(
        code=who.code if who else "NOPE2345",
        day=date(2026, 3, 1),
        email=f"friend{row}@example.org",
        phone="",
        utm_source="",
        utm_medium="",
        utm_campaign="",
        file="appointments.csv",
        row=row,
        ref_id="",
        origin="appointment",
        advocate=who,
        success_on=success_on,
    )


def analysis(
    program: Program,
    referrals: list[Referral],
    visits: list[tuple[str, str, date, bool]] = (),
    since: date | None = None,
    until: date | None = None,
    visits_given: bool = True,
) -> Analysis:
    index = VisitIndex()
    for email, phone, day, paid in visits:
        index.add(day, email, phone, paid)
    index.finish()
    return Analysis(
        program=program,
        since=since,
        until=until,
        as_of=date(2026, 6, 30),
        start=date(2026, 1, 1),
        end=None,
        visits_given=visits_given,
        advocates=[r.advocate for r in referrals if r.advocate],
        referrals=referrals,
        flags=[],
        requests_in_period=len(referrals),
        campaigns={},
        notes=[],
        visits=index,
    )


def owed(result: Analysis) -> dict[int, str]:
    """Row of each referral: '' when its referrer is owed the reward, else why not."""
    return {r.row: r.unrewarded for r in result.referrals}


def run(
    program: Program, referrals: list[Referral], exclusions: Exclusions | None = None, **kwargs
) -> Analysis:
    result = analysis(program, referrals, **kwargs)
    apply_eligibility(result, exclusions or load_exclusions(program, None), has_amount=True)
    return result


ANN = advocate("Ann", "ann@example.com", "5550100001")
BOB = advocate("Bob", "bob@example.com", "5550100002")
SAM = advocate("Sam", "sam.smith@gmail.com", "5550100003")


# -- The exclusion list ---------------------------------------------------------------------------------


def test_an_excluded_referrer_earns_nothing_and_the_referral_is_flagged_where_it_was_read(
    program: Program,
) -> None:
    listed = excluding(program, Excluded(email="sam.smith@gmail.com", reason="  staff (front desk) "))
    result = run(listed, [referral(ANN, 2), referral(SAM, 3)])
    assert owed(result) == {2: "", 3: "the referrer is excluded from rewards: staff (front desk)"}
    assert result.flags == [
        Flag(
            "excluded_referrer",
            "appointments.csv",
            3,
            "the referrer is excluded from rewards: staff (front desk)",
            "SAMA2345",
            date(2026, 3, 1),
        )
    ]


def test_an_exclusion_matches_the_inbox_however_the_email_is_written(program: Program) -> None:
    listed = excluding(program, Excluded(email=" Sam.Smith+referrals@GoogleMail.com", reason="staff"))
    assert owed(run(listed, [referral(SAM, 3)])) == {3: "the referrer is excluded from rewards: staff"}


def test_an_exclusion_by_phone_matches_the_digits_of_any_of_the_referrers_phones(program: Program) -> None:
    sam = advocate("Sam", "sam@example.com", "5550109999", "5550100003")
    listed = excluding(program, Excluded(phone="+1 (555) 010-0003", reason="household of a staff member"))
    assert owed(run(listed, [referral(sam, 3), referral(ANN, 4)])) == {
        3: "the referrer is excluded from rewards: household of a staff member",
        4: "",
    }


def test_an_excluded_email_gives_its_own_reason_before_a_phone_of_the_same_person(program: Program) -> None:
    listed = excluding(
        program,
        Excluded(phone="555 010 0003", reason="household of a staff member"),
        Excluded(email="sam.smith@gmail.com", reason="staff"),
    )
    assert owed(run(listed, [referral(SAM, 3)])) == {3: "the referrer is excluded from rewards: staff"}


def test_a_referrer_without_an_email_is_still_matched_by_phone(program: Program) -> None:
    nameless = advocate("Nia", "", "5550100003")
    listed = excluding(
        program, Excluded(phone="5550100003", reason="staff"), Excluded(email="x@y.z", reason="a")
    )
    assert owed(run(listed, [referral(nameless, 3)])) == {3: "the referrer is excluded from rewards: staff"}


def test_a_referral_that_has_not_succeeded_or_has_no_referrer_is_left_alone(program: Program) -> None:
    listed = excluding(program, Excluded(email="sam.smith@gmail.com", reason="staff"))
    result = run(listed, [referral(SAM, 3, success_on=None), referral(None, 4), referral(SAM, 5)])
    assert owed(result) == {3: "", 4: "", 5: "the referrer is excluded from rewards: staff"}
    assert [f.row for f in result.flags] == [5]  # the rules go on past the ones left alone


def test_a_refusal_outside_the_period_is_kept_but_not_flagged_again(program: Program) -> None:
    """A referral that succeeded before --since was flagged in that period's report: it still earns
    nothing now (the yearly sums see it), and is not listed twice."""
    listed = excluding(program, Excluded(email="sam.smith@gmail.com", reason="staff"))
    earlier, now = (
        referral(SAM, 3, success_on=date(2026, 2, 27)),
        referral(SAM, 9, success_on=date(2026, 3, 2)),
    )
    result = run(listed, [earlier, now], since=date(2026, 3, 1), until=date(2026, 3, 31))
    assert owed(result) == {3: "the referrer is excluded from rewards: staff", 9: owed(result)[3]}
    assert [f.row for f in result.flags] == [9]
    late = run(listed, [referral(SAM, 5, success_on=date(2026, 4, 1))], until=date(2026, 3, 31))
    assert late.flags == [] and owed(late) == {5: "the referrer is excluded from rewards: staff"}


def test_the_flags_are_merged_with_the_others_in_file_and_row_order(program: Program) -> None:
    listed = excluding(program, Excluded(email="sam.smith@gmail.com", reason="staff"))
    result = analysis(listed, [referral(SAM, 7), referral(SAM, 3)])
    result.flags = [
        Flag("unknown_code", "appointments.csv", 5, "no such code"),
        Flag("late", "a.csv", 9, "after the end"),
    ]
    apply_eligibility(result, load_exclusions(listed, None), has_amount=True)
    assert [(f.file, f.row) for f in result.flags] == [
        ("a.csv", 9),
        ("appointments.csv", 3),
        ("appointments.csv", 5),
        ("appointments.csv", 7),
    ]


# -- Reading the exclusion list -------------------------------------------------------------------------


def test_the_exclusion_list_joins_program_yaml_and_the_csv_and_the_first_reason_wins(
    program: Program, tmp_path: Path
) -> None:
    sheet = tmp_path / "staff.csv"
    sheet.write_text(
        "Email,Phone,Reason\n"
        "sam.smith@gmail.com,,household\n"  # already in program.yaml: its reason stays
        ",(555) 010-0002,front desk\n"
        "ann@example.com,555-010-0001,  dentist \n",
        encoding="utf-8",
    )
    listed = excluding(program, Excluded(email="Sam.Smith@gmail.com", reason="staff"))
    exclusions = load_exclusions(listed, sheet)
    assert exclusions.by_email == {"samsmith@gmail.com": "staff", "ann@example.com": "dentist"}
    assert exclusions.by_phone == {"5550100002": "front desk", "5550100001": "dentist"}
    assert len(exclusions) == 4
    assert owed(run(listed, [referral(ANN, 2), referral(BOB, 3)], exclusions)) == {
        2: "the referrer is excluded from rewards: dentist",
        3: "the referrer is excluded from rewards: front desk",
    }


@pytest.mark.parametrize(
    "row",
    [
        "sam@example.com,,",  # no reason
        "sam@example.com,,   ",  # a reason of spaces
        ",,staff",  # nobody
        ",12,staff",  # too few digits to be a phone
    ],
)
def test_an_exclusion_row_without_a_person_or_a_reason_is_refused_naming_the_row(
    program: Program, tmp_path: Path, row: str
) -> None:
    sheet = tmp_path / "staff.csv"
    sheet.write_text(f"email,phone,reason\nann@example.com,,staff\n{row}\n", encoding="utf-8")
    with pytest.raises(ReportError) as error:
        load_exclusions(program, sheet)
    assert str(error.value) == (
        f"{sheet}:3: an exclusion needs an email or a phone, and a reason (e.g. staff, or household of a "
        "staff member)"
    )


@pytest.mark.parametrize(
    ("header", "rows", "by_email", "by_phone"),
    [
        ("phone,reason", ["(555) 010-0002,front desk"], {}, {"5550100002": "front desk"}),
        ("reason;email", ["staff;Bob@Example.com"], {"bob@example.com": "staff"}, {}),
    ],
)
def test_an_exclusion_list_may_have_only_an_email_or_only_a_phone_column(
    program: Program, tmp_path: Path, header: str, rows: list[str], by_email: dict, by_phone: dict
) -> None:
    sheet = tmp_path / "staff.csv"
    sheet.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    exclusions = load_exclusions(program, sheet)
    assert (exclusions.by_email, exclusions.by_phone) == (by_email, by_phone)
    assert owed(run(program, [referral(BOB, 3)], exclusions))[3].startswith("the referrer is excluded")
    sheet.write_text("\n".join([header, *rows, ",staff" if header.startswith("phone") else "staff;"]) + "\n")
    with pytest.raises(
        ReportError, match=f"^{re.escape(str(sheet))}:3: an exclusion needs an email or a phone"
    ):
        load_exclusions(program, sheet)


def test_a_short_row_of_the_exclusion_list_is_refused_naming_the_row_not_a_crash(
    program: Program, tmp_path: Path
) -> None:
    """A row cut short by hand (no trailing commas) has no reason cell: it is told like any row without a
    reason (before, it stopped the report with a KeyError)."""
    sheet = tmp_path / "staff.csv"
    sheet.write_text("email,phone,reason\nann@example.com,,staff\nsam@example.com\n", encoding="utf-8")
    with pytest.raises(
        ReportError, match=f"^{re.escape(str(sheet))}:3: an exclusion needs an email or a phone"
    ):
        load_exclusions(program, sheet)


def test_an_exclusion_list_without_a_reason_column_is_refused_naming_the_option(
    program: Program, tmp_path: Path
) -> None:
    sheet = tmp_path / "staff.csv"
    sheet.write_text("email,phone\nsam@example.com,\n", encoding="utf-8")
    with pytest.raises(ReportError) as error:
        load_exclusions(program, sheet)
    assert str(error.value) == (
        f"{sheet} has no reason column (its columns: email, phone); --exclusions needs the file the report "
        "wrote, or one with these columns"
    )
    with pytest.raises(ReportError, match=re.escape(f"{tmp_path / 'none.csv'}: no such file (--exclusions)")):
        load_exclusions(program, tmp_path / "none.csv")


def test_an_exclusion_in_program_yaml_without_a_reason_is_refused_naming_program_yaml(
    program: Program,
) -> None:
    with pytest.raises(ReportError, match=r"^program.yaml report.exclude: an exclusion needs an email"):
        load_exclusions(excluding(program, Excluded(email="sam@example.com", reason=" ")), None)


# -- The referrer's own paid visit ----------------------------------------------------------------------


def test_a_referrer_must_have_had_a_paid_visit_by_the_day_the_referral_succeeded(program: Program) -> None:
    rule = with_terms(program, "current patients", paid_visit=True)
    cat, dan, eve = (advocate(n, f"{n.lower()}@example.com") for n in ("Cat", "Dan", "Eve"))
    visits = [
        ("ann@example.com", "", date(2026, 2, 1), True),  # before: owed
        ("bob@example.com", "", SUCCESS, True),  # the same day: owed
        ("cat@example.com", "", date(2026, 3, 11), True),  # the day after: not yet
        ("dan@example.com", "", date(2026, 2, 1), False),  # a visit, but not paid
        ("eve@example.com", "", date(2026, 2, 1), False),
        ("eve@example.com", "", date(2026, 2, 2), True),  # an unpaid visit, then a paid one
    ]
    refs = [referral(ANN, 2), referral(BOB, 3), referral(cat, 4), referral(dan, 5), referral(eve, 6)]
    result = run(rule, refs, visits=visits)
    refused = "the referrer had no paid visit of their own by 2026-03-10, and the terms require one"
    assert owed(result) == {2: "", 3: "", 4: refused, 5: refused, 6: ""}
    assert [(f.kind, f.row, f.code) for f in result.flags] == [
        ("referrer_without_paid_visit", 4, "CATA2345"),
        ("referrer_without_paid_visit", 5, "DANA2345"),
    ]


def test_a_referrers_paid_visit_is_found_by_any_of_their_phones_or_their_inbox(program: Program) -> None:
    rule = with_terms(program, "current patients", paid_visit=True)
    two_phones = advocate("Cat", "cat@example.com", "5550100007", "5550100008")
    no_email = advocate("Dan", "", "5550100009")
    visits = [
        ("", "5550100008", date(2026, 2, 1), True),  # booked under her second phone, no email
        ("", "5550100009", date(2026, 2, 1), True),
        ("annette@example.com", "", date(2026, 2, 1), True),  # someone else: not Ann's visit
        ("samsmith@gmail.com", "", date(2026, 2, 1), True),  # Sam's inbox, as the index keys it
    ]
    result = run(
        rule,
        [referral(two_phones, 2), referral(no_email, 3), referral(ANN, 4), referral(SAM, 5)],
        visits=visits,
    )
    assert owed(result) == {
        2: "",
        3: "",
        4: "the referrer had no paid visit of their own by 2026-03-10, and the terms require one",
        5: "",
    }


def test_an_excluded_referrer_is_flagged_once_for_the_exclusion_not_for_the_visit(program: Program) -> None:
    rule = excluding(
        with_terms(program, "current patients", paid_visit=True), Excluded(phone="5550100003", reason="staff")
    )
    result = run(rule, [referral(SAM, 3)])
    assert [f.kind for f in result.flags] == ["excluded_referrer"]


def test_without_visits_the_paid_visit_rule_cannot_be_applied_and_is_not(program: Program) -> None:
    rule = with_terms(program, "current patients", paid_visit=True)
    result = run(rule, [referral(ANN, 2)], visits_given=False)
    assert owed(result) == {2: ""} and result.flags == []


@pytest.mark.parametrize(
    ("eligibility", "setting", "applied"),
    [
        (PAID_VISIT_TERMS, None, True),  # read from the terms, whatever their case
        (PAID_VISIT_TERMS, False, False),  # said outright in program.yaml: that wins
        ("current patients", True, True),
        ("current patients", None, False),
        ("patients who paid, visiting us", None, False),
    ],
)
def test_whether_the_rule_applies_is_said_outright_or_read_from_the_terms(
    program: Program, eligibility: str, setting: bool | None, applied: bool
) -> None:
    rule = with_terms(program, eligibility, setting)
    assert needs_paid_visit(rule) is applied
    result = run(rule, [referral(ANN, 2)])
    assert bool(owed(result)[2]) is applied
    read_from_terms = setting is None and applied
    assert (READ_FROM_TERMS in result.notes) is read_from_terms


def test_without_an_amount_column_the_report_says_any_visit_counts_as_paid(program: Program) -> None:
    rule = with_terms(program, "current patients", paid_visit=True)
    note = "Without an amount column, any visit of the referrer counts as their paid visit."
    for has_amount, given, expected in [(False, True, [note]), (True, True, []), (False, False, [])]:
        result = analysis(
            rule, [referral(ANN, 2)], visits=[("ann@example.com", "", SUCCESS, True)], visits_given=given
        )
        apply_eligibility(result, Exclusions(), has_amount=has_amount)
        assert result.notes == expected
    plain = analysis(with_terms(program, "current patients", paid_visit=False), [referral(ANN, 2)])
    apply_eligibility(plain, Exclusions(), has_amount=False)
    assert plain.notes == []


# -- The staff exclusion the terms promise ----------------------------------------------------------------


@pytest.mark.parametrize(
    "eligibility", [STAFF_TERMS, "Patients; no STAFF", "patients, not a household member"]
)
def test_terms_that_exclude_staff_with_no_exclusion_list_are_noted(
    program: Program, eligibility: str
) -> None:
    rule = with_terms(program, eligibility, paid_visit=False)
    result = run(rule, [referral(ANN, 2)])
    assert result.notes == [
        "The terms exclude staff or their households, but no exclusion list was given (report.exclude in "
        "program.yaml, or --exclusions FILE.csv): nobody was excluded."
    ]
    listed = run(excluding(rule, Excluded(phone="5550100009", reason="staff")), [referral(ANN, 2)])
    assert listed.notes == []
    assert run(with_terms(program, "current patients", paid_visit=False), [referral(ANN, 2)]).notes == []
