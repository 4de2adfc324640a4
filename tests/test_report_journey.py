"""The practice's journey with `sitegen report`, as issue 19 states it: three months of realistic exports,
the rewards marked given in a spreadsheet between runs (Excel's quirks included), and a report where every
reward owed is owed once, every exclusion has a reason, and the donations are totalled per charity and
month. Every expected value was worked out by hand from the rows below."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

from click.testing import CliRunner
from reportfactory import (
    APPOINTMENT,
    CHARITABLE,
    ENROLL,
    VISITS,
    enrolment,
    program_site,
    request,
    saved_by_excel,
    write_csv,
)
from sitefactory import add_program, make_site

from sitegen.cli import main

# the terms ask for the referrer's own paid visit; staff come from the practice's list (--exclusions)
PROGRAM = CHARITABLE + "report:\n  referrer_paid_visit: true\n"
FORMULA = '=HYPERLINK("http://x.test","Ann")'  # a first name typed into a public form


def exports(folder: Path) -> dict[str, Path]:
    people = [
        ("Ann", "ann@example.com", "ANNA2345", "Food Bank"),
        ("Bea", "bea@example.com", "BEAA2345", "Animal Shelter"),
        ("Sam", "sam@example.com", "SAMM2345", "Food Bank"),  # staff
        ("Dan", "dan@example.com", "DANN2345", "Food Bank"),  # never had a visit himself
        (FORMULA, "eve@example.com", "EVEE2345", "Animal Shelter"),
    ]
    enrol = [enrolment(n, e, c, "2025-12-20") + [charity] for n, e, c, charity in people]
    requests = [
        request("Fred", "fred@example.org", "", "ANNA2345", "2026-01-05"),  # row 2: Ann's, paid 01-12
        request("Gus", "gus@example.org", "", "BEAA2345", "2026-01-06"),  # 3: Bea's, paid 01-20
        request("Hank", "hank@example.org", "", "SAMM2345", "2026-01-07"),  # 4: staff: no reward
        request("Ivy", "ivy@example.org", "", "DANN2345", "2026-01-08"),  # 5: Dan has no paid visit
        request("Max", "max@example.org", "", "ANNA2345", "2026-01-09"),  # 6: Max was a patient in 2025
        request("Hal", "hal@example.org", "", "ANNA2345", "2026-02-03"),  # 7: Ann's, paid 02-10
        request("Fred", "fred@example.org", "", "BEAA2345", "2026-02-04"),  # 8: Fred again: duplicate
        request("Jo", "jo@example.org", "", "BEAA2345", "2026-02-05"),  # 9: Bea's, paid 02-25
        request("Ann", "ann@example.com", "", "ANNA2345", "2026-02-06"),  # 10: Ann herself
        request("Kim", "kim@example.org", "", "ANNA2345", "2026-03-02"),  # 11: Ann's, paid 03-09
        request("Lu", "lu@example.org", "", "EVEE2345", "2026-03-03"),  # 12: Eve's (formula name), 03-10
    ]
    visits = [
        ["ann@example.com", "", "2025-12-01", "120"],
        ["bea@example.com", "", "2025-12-05", "90"],
        ["sam@example.com", "", "2025-12-01", "60"],
        ["eve@example.com", "", "2025-12-02", "60"],
        ["max@example.org", "", "2025-06-01", "80"],
        ["fred@example.org", "", "2026-01-12", "200"],
        ["gus@example.org", "", "2026-01-20", "150"],
        ["hank@example.org", "", "2026-01-21", "150"],
        ["ivy@example.org", "", "2026-01-22", "150"],
        ["max@example.org", "", "2026-01-23", "150"],
        ["hal@example.org", "", "2026-02-10", "150"],
        ["jo@example.org", "", "2026-02-25", "150"],
        ["kim@example.org", "", "2026-03-09", "150"],
        ["lu@example.org", "", "2026-03-10", "150"],
    ]
    staff = folder / "staff.csv"
    staff.write_text("email,phone,reason\nsam@example.com,,staff (front desk)\n", encoding="utf-8")
    return {
        "--enrollments": write_csv(folder / "enroll.csv", ENROLL + ["charity"], enrol),
        "--appointments": write_csv(folder / "appointment.csv", APPOINTMENT, requests),
        "--visits": write_csv(folder / "visits.csv", VISITS, visits),
        "--exclusions": staff,
    }


def month(site: Path, files: dict[str, Path], period: tuple[str, str] | None, *ledgers: Path):
    """One run of the report, as staff type it; report.json, rewards.csv's rows and what it printed."""
    out = site.parent / "reports"
    args = ["report", "--site", str(site), "--out", str(out), "--date-order", "dmy"]
    args += [str(a) for option, path in files.items() for a in (option, path)]
    args += ["--since", period[0], "--until", period[1]] if period else []
    args += [a for ledger in ledgers for a in ("--ledger", str(ledger))]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((out / "rewards.csv").read_text(encoding="utf-8"))))
    return data, rows, result.output


def excel_save(rows: list[dict[str, str]], given: dict[str, tuple[str, str]], path: Path) -> Path:
    """What a person does in Excel (a day-first locale): fill in given_on as the locale writes it and
    given_by, then "Save as CSV": a byte-order mark and ';' between cells; protected cells keep their '."""
    for row in rows:
        if row["reward_id"] in given:
            row["given_on"], row["given_by"] = given[row["reward_id"]]
    return saved_by_excel(path, rows)


def owed(data: dict) -> list[tuple[str, str, str, float]]:
    return [(r["email"], r["status"], r["earned_on"], r["owed"]) for r in data["rewards"]]


def test_three_months_with_the_ledger_edited_in_a_spreadsheet(tmp_path: Path) -> None:
    site = program_site(tmp_path, PROGRAM)
    files = exports(tmp_path)

    january, rows, _ = month(site, files, ("2026-01-01", "2026-01-31"))
    assert owed(january) == [
        ("ann@example.com", "owed", "2026-01-12", 10.0),
        ("bea@example.com", "owed", "2026-01-20", 10.0),
    ]
    # every referral that earns nothing says why, in its own words
    reasons = {(f["kind"], f["row"]): f["message"] for f in january["flags"]}
    assert set(reasons) == {
        ("excluded_referrer", 4),
        ("referrer_without_paid_visit", 5),
        ("existing_patient", 6),
    }
    assert "staff (front desk)" in reasons[("excluded_referrer", 4)]
    assert "no paid visit" in reasons[("referrer_without_paid_visit", 5)]
    assert "2025-06-01" in reasons[("existing_patient", 6)]
    ids = {r["email"]: r["reward_id"] for r in rows}
    ledger = excel_save(rows, dict.fromkeys(ids.values(), ("03/02/2026", "Rosa")), tmp_path / "january.csv")

    february, rows, printed = month(site, files, ("2026-02-01", "2026-02-28"), ledger)
    assert owed(february) == [
        ("ann@example.com", "owed", "2026-02-10", 10.0),
        ("bea@example.com", "owed", "2026-02-25", 10.0),
    ]
    assert {(f["kind"], f["row"]) for f in february["flags"]} == {
        ("duplicate_friend", 8),
        ("self_referral", 10),
    }
    assert all(f["message"] for f in february["flags"])
    assert [(r["status"], r["given_on"]) for r in rows[:2]] == [("given", "2026-02-03")] * 2
    hal = next(r["reward_id"] for r in rows if r["earned_on"] == "2026-02-10")
    ledger = excel_save(rows, {hal: ("1.3.2026", "Rosa")}, tmp_path / "february.csv")

    march, rows, printed = month(site, files, ("2026-03-01", "2026-03-31"), ledger)
    assert owed(march) == [
        ("ann@example.com", "owed", "2026-03-09", 10.0),
        ("eve@example.com", "owed", "2026-03-10", 10.0),
    ]
    # the ledger holds each reward once, four given, and what is outstanding from any month, with its age
    assert len(rows) == 6 and len({r["reward_id"] for r in rows}) == 6
    assert sorted(r["status"] for r in rows) == ["given"] * 3 + ["owed"] * 3
    assert [(o["email"], o["days_outstanding"]) for o in march["outstanding"]] == [
        ("bea@example.com", 34),
        ("ann@example.com", 22),
        ("eve@example.com", 21),
    ]
    # the name typed as a formula is text in the spreadsheet, and came back through the ledger unchanged
    eve = next(r for r in rows if r["email"] == "eve@example.com")
    assert eve["first_name"] == "'" + FORMULA
    assert "Donations 2026-03: Animal Shelter $10 (1)" in printed
    assert "Donations 2026-03: Food Bank $10 (1)" in printed

    # the whole year so far, for the payments to each charity: what was earned and what was given
    year, _, _ = month(site, files, None, tmp_path / "reports" / "rewards.csv")
    assert year["donations"] == [
        {"month": "2026-01", "charity": "Animal Shelter", "donations": 1, "amount": 10.0, "given": 10.0},
        {"month": "2026-01", "charity": "Food Bank", "donations": 1, "amount": 10.0, "given": 10.0},
        {"month": "2026-02", "charity": "Animal Shelter", "donations": 1, "amount": 10.0, "given": 0.0},
        {"month": "2026-02", "charity": "Food Bank", "donations": 1, "amount": 10.0, "given": 10.0},
        {"month": "2026-03", "charity": "Animal Shelter", "donations": 1, "amount": 10.0, "given": 0.0},
        {"month": "2026-03", "charity": "Food Bank", "donations": 1, "amount": 10.0, "given": 0.0},
    ]
    assert year["rewards_owed"] == 30.0 and year["outstanding_total"] == 30.0
    page = html.unescape((tmp_path / "reports" / "dashboard.html").read_text(encoding="utf-8"))
    assert "Donations per charity and month" in page
    assert '<td>2026-02</td><td>Animal Shelter</td><td class="n">1</td><td class="n">$10</td>' in page
    assert "Outstanding: not yet given, from any month ($30 in 3 reward(s))" in page
    assert (
        '<td class="n">13</td><td>2026-02-25</td><td>Bea</td>' in page
    )  # as of 03-10, the exports' last day


def test_exclusions_written_in_program_yaml_are_applied_with_their_reason(tmp_path: Path) -> None:
    """The terms' exclusion list may live in program.yaml (a household by phone, here) as well as in a
    CSV; a person on it still refers (the friend came) but earns nothing, and the report says why."""
    site = make_site(tmp_path)
    add_program(
        site,
        PROGRAM + "  exclude:\n    - phone: (512) 555-0199\n      reason: household of Dr. Okafor\n",
    )
    files = exports(tmp_path)
    rows = [
        request("Bea", "bea@example.com", "512-555-0199", "", "2026-01-02"),  # Bea's phone, on a request
        request("Gus", "gus@example.org", "", "BEAA2345", "2026-01-06"),
    ]
    files["--appointments"] = write_csv(tmp_path / "appointment.csv", APPOINTMENT, rows)
    del files["--exclusions"]
    data, ledger, printed = month(site, files, None)
    assert data["rewards"] == [] and ledger == []
    assert [(f["kind"], f["row"], f["effect"]) for f in data["flags"]] == [
        ("excluded_referrer", 3, "no reward")
    ]
    assert "household of Dr. Okafor" in data["flags"][0]["message"]
    assert "household of Dr. Okafor" in printed
