"""`sitegen report` month to month (issue 19): the demo site and its terms, a translated campaign, the
ledger of rewards given read back each month, and a charitable program's donations."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from click.testing import CliRunner
from reportfactory import (
    APPOINTMENT,
    CHARITABLE,
    ENROLL,
    ROOT,
    VISITS,
    counted,
    enrolment,
    month_rows,
    program_site,
    request,
    saved_by_excel,
    write_csv,
    write_exports,
)
from sitefactory import write

from sitegen.cli import main

DEMO_ENROLL = [
    # Ann enrolled on the Spanish referral page and has a paid visit of her own
    enrolment("Ann", "ann@example.com", "ANNA2345", "2026-03-02")[:6]
    + ["/es/refer/"]
    + enrolment("Ann", "ann@example.com", "ANNA2345", "2026-03-02")[7:],
    enrolment("Bob", "bob@example.com", "BOBB2345", "2026-03-02"),  # never had a visit himself
    enrolment("Sam", "sam@example.com", "SAMM2345", "2026-03-02"),  # staff: on the exclusion list
]


def test_the_demo_site_reports_and_applies_its_terms(tmp_path: Path) -> None:
    """The repository's own site (content/ has campaigns with translations) reports; the referrer's own
    paid visit and the staff exclusion of its terms are applied, each with a reason."""
    enroll, appointments, visits = write_exports(
        tmp_path,
        DEMO_ENROLL,
        [
            request("Fred", "fred@example.org", "", "ANNA2345", "2026-03-05"),
            request("Gina", "gina@example.org", "", "BOBB2345", "2026-03-05"),
            request("Hank", "hank@example.org", "", "SAMM2345", "2026-03-05"),
        ],
        [
            ["ann@example.com", "", "2026-03-01", "120"],
            ["sam@example.com", "", "2026-03-01", "120"],
            ["fred@example.org", "", "2026-03-10", "200"],
            ["gina@example.org", "", "2026-03-11", "200"],
            ["hank@example.org", "", "2026-03-12", "200"],
        ],
    )
    staff = tmp_path / "staff.csv"
    staff.write_text("email,phone,reason\nsam@example.com,,staff (front desk)\n", encoding="utf-8")
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        main,
        ["report", "--site", str(ROOT), "--out", str(out), "--enrollments", str(enroll)]
        + ["--appointments", str(appointments), "--visits", str(visits), "--exclusions", str(staff)],
    )
    assert result.exit_code == 0, result.output
    assert "SG202" not in result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["successful"] == 3
    assert [(r["email"], r["reward"], r["owed"]) for r in data["rewards"]] == [
        ("ann@example.com", "Friend", 25.0)
    ]
    # Ann enrolled in Spanish: her message is in Spanish, with the Spanish program's tier, and no friend
    message = data["rewards"][0]["message"]
    assert data["rewards"][0]["language"] == "es" and message.startswith("Hola, Ann: gracias por recomendar")
    assert "fred" not in message.lower() and "2026" not in message
    reasons = {(f["kind"], f["code"]): f["message"] for f in data["flags"]}
    assert "staff (front desk)" in reasons[("excluded_referrer", "SAMM2345")]
    assert "no paid visit" in reasons[("referrer_without_paid_visit", "BOBB2345")]
    assert all(
        f["effect"] == "no reward" for f in data["flags"] if f["kind"].startswith(("excluded", "referrer"))
    )


CAMPAIGN = """\
---
title: May friends
summary: Twice the thanks in May.
start: 2026-05-01
end: 2026-05-31
offer: A $20 credit for every friend who visits.
utm_campaign: may
referrer_reward:
  kind: credit
  value: 20
  description: a $20 credit
---
Thanks.
"""


def test_an_example_site_with_a_translated_campaign_reports(tmp_path: Path) -> None:
    site = program_site(tmp_path)
    write(site, "campaigns/may.md", CAMPAIGN)
    write(site, "campaigns/may.es.md", "---\ntitle: Amistades de mayo\n---\nTexto.\n")
    enroll, appointments, visits = write_exports(
        tmp_path,
        [enrolment("Ann", "ann@example.com", "ANNA2345", "2026-01-02")],
        [request("Fred", "fred@example.org", "", "ANNA2345", "2026-05-03", campaign="may")],
        [["fred@example.org", "", "2026-05-10", "90"]],
    )
    _, data = counted(site, (enroll, appointments, visits))
    assert [(r["reward"], r["owed"]) for r in data["rewards"]] == [("campaign: May friends", 20.0)]


def test_three_months_with_a_ledger_owe_each_reward_once_and_total_donations(tmp_path: Path) -> None:
    site = program_site(tmp_path, CHARITABLE)
    enrol = [
        enrolment("Ann", "ann@example.com", "ANNA2345", "2026-01-02"),
        enrolment("Bea", "bea@example.com", "BEAA2345", "2026-01-02"),
    ]
    enrol[0] += ["Food Bank"]
    enrol[1] += ["Animal Shelter"]
    enroll = write_csv(tmp_path / "e.csv", ENROLL + ["charity"], enrol)
    rows = [
        month_rows(1, [("Fred", "ANNA2345"), ("Gus", "BEAA2345")]),
        month_rows(2, [("Hal", "ANNA2345")]),
        month_rows(3, [("Ida", "BEAA2345")]),
    ]
    appointments = write_csv(tmp_path / "a.csv", APPOINTMENT, [r for month in rows for r in month[0]])
    visits = write_csv(tmp_path / "v.csv", VISITS, [v for month in rows for v in month[1]])
    out = site.parent / "reports"

    outputs: list[str] = []

    def run(month: int, *ledgers: str | Path) -> tuple[dict, list[dict[str, str]]]:
        extra = [arg for ledger in ledgers for arg in ("--ledger", ledger)]
        output, data = counted(
            site,
            (enroll, appointments, visits),
            "--since",
            f"2026-{month:02d}-01",
            "--until",
            f"2026-{month:02d}-28",
            "--date-order",
            "dmy",
            *extra,
        )
        outputs.append(output)
        return data, list(csv.DictReader(io.StringIO((out / "rewards.csv").read_text(encoding="utf-8"))))

    january, ledger = run(1)
    assert [(r["email"], r["status"], r["owed"]) for r in january["rewards"]] == [
        ("ann@example.com", "owed", 10.0),
        ("bea@example.com", "owed", 10.0),
    ]
    ids = {r["email"]: r["reward_id"] for r in ledger}
    # staff mark Ann's donation given in Excel: BOM, ';' and a day-first date
    ledger[0]["given_on"], ledger[0]["given_by"] = "3.2.2026", "Rosa"
    excel = saved_by_excel(tmp_path / "january.csv", ledger)
    february, ledger = run(2, excel)
    february_output = outputs[-1]
    by_id = {r["reward_id"]: r for r in ledger}
    assert (
        by_id[ids["ann@example.com"]]["status"] == "given"
        and by_id[ids["ann@example.com"]]["given_on"] == "2026-02-03"
    )
    assert (
        by_id[ids["bea@example.com"]]["status"] == "owed"
        and by_id[ids["bea@example.com"]]["days_outstanding"] == "49"
    )
    assert february["rewards_owed"] == 10.0  # Hal's, earned in February; Bea's January one is outstanding
    assert [o["email"] for o in february["outstanding"]] == ["bea@example.com", "ann@example.com"]
    assert february["outstanding_total"] == 20.0
    assert "Outstanding (not yet given, any month): $20 in 2 reward(s), the oldest earned 49 day(s) ago" in (
        february_output
    )
    # everything owed so far is given; a given.csv with ISO dates says so
    given = tmp_path / "given.csv"
    given.write_text(
        "reward_id,given_on,given_by\n"
        + "".join(f"{r['reward_id']},2026-03-01,Rosa\n" for r in ledger if r["status"] == "owed"),
        encoding="utf-8",
    )
    march, ledger = run(3, tmp_path / "reports" / "rewards.csv", given)
    assert [o["email"] for o in march["outstanding"]] == ["bea@example.com"]  # Ida's, in March, only
    assert march["outstanding_total"] == 10.0 and march["ledger"]["given"] == 3
    assert len(ledger) == 4 and len({r["reward_id"] for r in ledger}) == 4  # each reward once
    assert march["donations"] == [
        {"month": "2026-03", "charity": "Animal Shelter", "donations": 1, "amount": 10.0, "given": 0.0}
    ]
    assert march["rewards"][0]["message"].endswith("we have donated $10 to Animal Shelter in your name.")
    # a date the order cannot read is an error with its file and row, not a guess
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"reward_id,given_on,given_by\n{ids['ann@example.com']},13/02/2026,Rosa\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        main,
        [
            "report",
            "--site",
            str(site),
            "--out",
            str(out),
            "--enrollments",
            str(enroll),
            "--appointments",
            str(appointments),
            "--ledger",
            str(bad),
            "--date-order",
            "mdy",
        ],
    )
    assert (
        result.exit_code == 1
        and f"{bad}:2: given_on" in result.output
        and "--date-order dmy" in result.output
    )


def test_whole_period_donations_per_charity_and_month(tmp_path: Path) -> None:
    site = program_site(tmp_path, CHARITABLE)
    enrol = [
        enrolment("Ann", "ann@example.com", "ANNA2345", "2026-01-02") + ["food bank"],
        enrolment("Bea", "bea@example.com", "BEAA2345", "2026-01-02") + [""],
    ]
    enroll = write_csv(tmp_path / "e.csv", ENROLL + ["charity"], enrol)
    rows = [month_rows(1, [("Fred", "ANNA2345"), ("Gus", "BEAA2345")]), month_rows(2, [("Hal", "ANNA2345")])]
    appointments = write_csv(tmp_path / "a.csv", APPOINTMENT, [r for month in rows for r in month[0]])
    visits = write_csv(tmp_path / "v.csv", VISITS, [v for month in rows for v in month[1]])
    _, data = counted(site, (enroll, appointments, visits))
    assert data["donations"] == [
        {"month": "2026-01", "charity": "(not chosen)", "donations": 1, "amount": 10.0, "given": 0.0},
        {"month": "2026-01", "charity": "Food Bank", "donations": 1, "amount": 20.0 / 2, "given": 0.0},
        {"month": "2026-02", "charity": "Food Bank", "donations": 1, "amount": 10.0, "given": 0.0},
    ]
    assert [f["kind"] for f in data["flags"]] == ["charity_not_chosen"]
    bea = next(r for r in data["rewards"] if r["email"] == "bea@example.com")
    assert "Which charity should receive it: Food Bank, Animal Shelter?" in bea["message"]


def test_a_charitable_programs_enrol_form_offers_its_charities(tmp_path: Path) -> None:
    site = program_site(tmp_path, CHARITABLE)
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    html = (site / "public" / "refer" / "index.html").read_text(encoding="utf-8")
    select = re.search(r'<select[^>]*name="charity"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None and "required" in select.group(0)
    assert re.findall(r"<option[^>]*>([^<]+)</option>", select.group(1))[-2:] == [
        "Food Bank",
        "Animal Shelter",
    ]
