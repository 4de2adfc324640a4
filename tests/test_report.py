"""`sitegen report`: referral numbers, flags and rewards from the form exports, checked by hand.

Every expected number below was worked out on paper from the rows written in the test; the comments
next to the rows say what each one is for.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from click.testing import CliRunner
from playwright.sync_api import Page
from sitefactory import PROGRAM, add_program, make_site, write

from sitegen.cli import main
from sitegen.serve import server as serve
from sitegen.site.refcode import is_valid_code, make_code, readable, suggest_code

ROOT = Path(__file__).resolve().parent.parent
ENROLL = [
    "first_name",
    "email",
    "referral_code",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "landing_page",
    "referrer",
    "created_at",
    "id",
]
APPOINTMENT = [
    "name",
    "email",
    "phone",
    "location",
    "preferred_time",
    "referral_code",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "landing_page",
    "referrer",
    "created_at",
    "id",
]
VISITS = ["email", "phone", "visit_date", "amount"]


@pytest.fixture(scope="session")
def base_url() -> None:
    """The dashboard is opened from the disk: no site server is needed for these browser tests."""
    return None


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def enrolment(
    first: str, email: str, code: str, when: str, source: str = "", campaign: str = ""
) -> list[str]:
    return [first, email, code, source, "", campaign, "/refer/", "", when, f"e-{code}"]


def request(
    name: str, email: str, phone: str, code: str, when: str, source: str = "", campaign: str = ""
) -> list[str]:
    return [
        name,
        email,
        phone,
        "Main office",
        "Weekday morning",
        code,
        source,
        "",
        campaign,
        "/welcome/",
        "",
        when,
        f"a-{name.lower()}",
    ]


def report(site: Path, *args: str | Path) -> tuple[int, str, dict]:
    """Run the command; its exit code, what it printed, and report.json (when written)."""
    out = site.parent / "reports"
    result = CliRunner().invoke(main, ["report", "--site", str(site), "--out", str(out), *map(str, args)])
    assert "Traceback" not in result.output and not isinstance(
        result.exception, (AssertionError, TypeError, KeyError, ValueError, AttributeError)
    ), result.output
    data = (
        json.loads((out / "report.json").read_text(encoding="utf-8"))
        if (out / "report.json").exists()
        else {}
    )
    return result.exit_code, result.output, data


# -- the known-answer fixture ------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    add_program(
        site
    )  # direct: a $10 credit per friend whose first paid visit is within 60 days; from 2026-01-01
    return site


@pytest.fixture
def exports(tmp_path: Path) -> tuple[Path, Path, Path]:
    enroll = write_csv(
        tmp_path / "enroll.csv",
        ENROLL,
        [
            enrolment("Ann", "ann@example.com", "ANNA2345", "2026-02-01T10:00:00Z", "email", "spring"),
            enrolment("Ben", "Ben@Example.com", "BENB2345", "2026-02-10T10:00:00Z"),
            enrolment("Cy", "cy@example.com", "CYCY2345", "2026-03-01T10:00:00Z"),  # enrolled, never refers
        ],
    )
    appointments = write_csv(
        tmp_path / "appointment.csv",
        APPOINTMENT,
        [
            request(
                "Fred",
                "fred@example.org",
                "512-555-0001",
                "ANNA2345",
                "2026-02-05T16:00:00Z",
                "sms",
                "spring",
            ),  # row 2
            request(
                "Gina",
                "gina@example.org",
                "512-555-0002",
                "anna-2345",
                "2026-02-21T16:00:00Z",
                "email",
                "spring",
            ),  # 3
            request("Hank", "hank@example.org", "512-555-0003", "BENB2345", "2026-03-02T16:00:00Z"),  # 4
            request(
                "Ivy", "ivy@example.org", "512-555-0004", "", "2026-03-03T16:00:00Z"
            ),  # 5: no code, no referral
            request(
                "Ann", "ANN@example.com", "512-555-0099", "ANNA2345", "2026-03-04T16:00:00Z"
            ),  # 6: self-referral
            request(
                "Jo", "jo@example.org", "512-555-0005", "ZZZZ9999", "2026-03-05T16:00:00Z"
            ),  # 7: unknown code
            request(
                "Fred", "fred2@example.org", "(512) 555-0001", "BENB2345", "2026-03-06T16:00:00Z"
            ),  # 8: duplicate
            request("Kim", "kim@example.org", "512-555-0006", "BENB2345", "03/07/2026"),  # 9: unreadable date
            request(
                "Lee", "lee@example.org", "512-555-0007", "BENB2345", "2025-12-15T16:00:00Z"
            ),  # 10: before the program
            request(
                "Max", "max@example.org", "512-555-0009", "BENB2345", "2026-03-20T16:00:00Z"
            ),  # 11: existing patient
            request(
                "Ned", "ned@example.org", "512-555-0010", "ANNA2345", "2026-04-10T16:00:00Z"
            ),  # 12: pending
        ],
    )
    visits = write_csv(
        tmp_path / "visits.csv",
        VISITS,
        [
            ["fred@example.org", "", "2026-02-15", "100"],  # Fred: paid visit after 10 days -> successful
            ["", "512 555 0002", "2026-03-01", "0"],  # Gina: a free consultation after 8 days...
            [
                "gina@example.org",
                "",
                "2026-05-10",
                "$200.00",
            ],  # ...and the paid visit after 78 days: too late
            ["hank@example.org", "", "2026-03-12", "250"],  # Hank: successful after 10 days
            ["max@example.org", "", "2025-11-01", "80"],  # Max was a patient before his request
            ["opal@example.org", "", "2026-05-20", "60"],  # an unrelated visit: the last date in the exports
        ],
    )
    return enroll, appointments, visits


def test_every_number_of_a_small_practice_by_hand(site: Path, exports: tuple[Path, Path, Path]) -> None:
    enroll, appointments, visits = exports
    code, output, data = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", visits
    )
    assert code == 0, output
    assert data["period"] == {"since": None, "until": None, "as_of": "2026-05-20"}
    # counted: Fred, Gina, Ned (Ann) and Hank (Ben); successful: Fred and Hank; Ned's 60 days are still
    # running
    assert (data["enrolled"], data["active_advocates"], data["appointment_requests"]) == (3, 2, 10)
    assert (data["referrals"], data["successful"], data["pending"], data["conversion_rate"]) == (4, 2, 1, 0.5)
    # enrolment to request: 4, 20, 20, 68 days; request to first visit: 10, 8, 10 days
    assert (data["median_days_to_appointment"], data["p90_days_to_appointment"]) == (20, 68)
    assert (data["median_days_to_first_visit"], data["p90_days_to_first_visit"]) == (10, 10)
    assert data["funnel"] == {"appointment_requests": 10, "referrals": 4, "first_visits": 3, "successful": 2}
    assert data["distributions"]["days_to_appointment"] == {
        "0-7": 1,
        "8-14": 0,
        "15-30": 2,
        "31-60": 0,
        "61-90": 1,
        "91-180": 0,
        "181+": 0,
    }
    assert data["rewards_owed"] == 20
    assert [(r["first_name"], r["earned_on"], r["owed"], r["referral"]) for r in data["rewards"]] == [
        ("Ann", "2026-02-15", 10, f"{appointments}:2"),
        ("Ben", "2026-03-12", 10, f"{appointments}:4"),
    ]
    months = {m["month"]: m for m in data["by_month"]}
    assert list(months) == ["2026-02", "2026-03", "2026-04"]
    assert [
        (
            m["enrolled"],
            m["active_advocates"],
            m["referrals"],
            m["successful"],
            m["pending"],
            m["rewards_owed"],
        )
        for m in months.values()
    ] == [(2, 1, 2, 1, 0, 10), (1, 1, 1, 1, 0, 10), (0, 1, 1, 0, 1, 0)]
    campaigns = {c["campaign"]: (c["enrolled"], c["referrals"], c["successful"]) for c in data["by_campaign"]}
    assert campaigns == {"spring": (1, 2, 1), "(none)": (2, 2, 1)}
    sources = {s["source"]: (s["enrolled"], s["referrals"], s["successful"]) for s in data["by_source"]}
    assert sources == {"sms": (0, 1, 1), "email": (1, 1, 0), "(none)": (2, 2, 1)}
    advocates = {
        a["first_name"]: (a["referrals"], a["successful"], a["rewards_owed"]) for a in data["advocates"]
    }
    assert advocates == {"Ann": (3, 1, 10), "Ben": (1, 1, 10), "Cy": (0, 0, 0)}
    assert "Referrals: 4 of 10 appointment requests; successful 2 (50.0%), pending 1" in output
    assert "Rewards owed: $20 to 2 advocate(s)" in output


def test_each_flag_names_file_row_and_effect_and_nothing_else_is_dropped(
    site: Path, exports: tuple[Path, Path, Path]
) -> None:
    enroll, appointments, visits = exports
    _, output, data = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", visits
    )
    flags = [(f["kind"], f["row"], f["effect"]) for f in data["flags"]]
    assert flags == [
        ("self_referral", 6, "excluded"),
        ("unknown_code", 7, "excluded"),
        ("duplicate_friend", 8, "excluded"),
        ("unreadable_row", 9, "excluded"),
        ("outside_program_dates", 10, "excluded"),
        ("existing_patient", 11, "excluded"),
    ]
    assert all(f["file"] == str(appointments) for f in data["flags"])
    by_kind = {f["kind"]: f for f in data["flags"]}
    assert by_kind["self_referral"]["message"] == "the friend has the advocate's own email"
    assert by_kind["unreadable_row"]["message"].startswith('created_at "03/07/2026" is not a date')
    assert by_kind["existing_patient"]["message"].startswith("the friend visited on 2025-11-01")
    assert by_kind["unknown_code"]["code"] == "ZZZZ9999"
    # every readable row is counted or flagged: 10 readable requests = 4 referrals + 1 without code + 5
    # flagged
    assert data["appointment_requests"] == data["referrals"] + 1 + sum(
        1 for f in flags if f[0] != "unreadable_row"
    )
    # the summary names the file and row; a long folder is shortened from the left, keeping the name
    assert f"{str(appointments)[-40:]}:9: unreadable_row" in output
    assert (
        "Flags: 1 unreadable row, 1 unknown code, 1 self-referral, 1 duplicate friend, "
        "1 outside the program's dates, 1 existing patient" in output
    )
    assert data["files"]["appointments"] == {"path": str(appointments), "rows": 11, "unreadable": 1}


def test_since_and_until_count_a_month_with_the_history_before_it(
    site: Path, exports: tuple[Path, Path, Path]
) -> None:
    enroll, appointments, visits = exports
    code, _, data = report(
        site,
        "--enrollments",
        enroll,
        "--appointments",
        appointments,
        "--visits",
        visits,
        "--since",
        "2026-03-01",
        "--until",
        "2026-03-31",
    )
    assert code == 0
    assert data["period"] == {"since": "2026-03-01", "until": "2026-03-31", "as_of": "2026-03-31"}
    # March: Hank is the one referral; Cy enrolled; requests of rows 4, 5, 6, 7, 8, 11
    assert (data["enrolled"], data["active_advocates"], data["appointment_requests"]) == (1, 1, 6)
    assert (data["referrals"], data["successful"], data["pending"]) == (1, 1, 0)
    assert [(r["first_name"], r["earned_on"]) for r in data["rewards"]] == [
        ("Ben", "2026-03-12")
    ]  # Fred's was in February
    kinds = [(f["kind"], f["row"]) for f in data["flags"]]
    # Fred was referred in February (before --since): his March request is still a duplicate; Lee's December
    # request was flagged in an earlier period; Ned's April request is after --until
    assert kinds == [
        ("self_referral", 6),
        ("unknown_code", 7),
        ("duplicate_friend", 8),
        ("unreadable_row", 9),
        ("existing_patient", 11),
    ]
    assert [m["month"] for m in data["by_month"]] == ["2026-03"]


def test_without_visits_success_and_rewards_are_unknown_not_zero(
    site: Path, exports: tuple[Path, Path, Path]
) -> None:
    enroll, appointments, _ = exports
    code, output, data = report(site, "--enrollments", enroll, "--appointments", appointments)
    assert code == 0
    # without visits nobody can be known as an existing patient: Max counts too (enrolment to request: 38
    # days)
    assert data["referrals"] == 5 and data["median_days_to_appointment"] == 20
    assert data["successful"] is None and data["conversion_rate"] is None and data["rewards_owed"] is None
    assert data["rewards"] == [] and data["files"]["visits"] is None
    assert "successful: unknown without --visits" in output
    assert any("--visits" in note for note in data["notes"])
    rewards = (site.parent / "reports" / "rewards.csv").read_text(encoding="utf-8")
    assert rewards.splitlines() == [
        "reward_id,status,given_on,given_by,earned_on,days_outstanding,first_name,email,code,language,"
        "reward,kind,description,charity,value,owed,capped_by,referral,referral_id,note,message"
    ]


# -- rewards and limits ----------------------------------------------------------------------------


def program(model: str, limits: str) -> str:
    text = PROGRAM.replace("  within_days: 60", "  within_days: 30").replace(
        "model: direct\n", f"model: {model}\n"
    )
    if model == "tiered":
        text = re.sub(
            r"referrer_reward:\n(  .*\n)+",
            "tiers:\n"
            "  - {name: Friend, referrals: 1, "
            "reward: {kind: spend_card, value: 25, description: a $25 card}}\n"
            "  - {name: Advocate, referrals: 3, "
            "reward: {kind: spend_card, value: 75, description: a $75 card}}\n"
            "  - {name: Ambassador, referrals: 5, "
            "reward: {kind: product, value: 120, description: a skincare set}}\n",
            text,
        )
    else:
        text = text.replace(
            "  value: 10\n  description: a $10 account credit", "  value: 40\n  description: a $40 credit"
        )
    return text + limits


def one_advocate(tmp_path: Path, visit_days: list[str]) -> tuple[Path, Path, Path]:
    """Ann refers one friend per visit day, each requesting ten days before their paid visit."""
    enroll = write_csv(
        tmp_path / "e.csv", ENROLL, [enrolment("Ann", "ann@example.com", "ANNA2345", "2026-01-02")]
    )
    requests, visits = [], []
    for number, day in enumerate(visit_days):
        visit = datetime.fromisoformat(day).date()
        requests.append(
            request(
                f"F{number}",
                f"f{number}@example.org",
                "",
                "ANNA2345",
                (visit - timedelta(days=10)).isoformat(),
            )
        )
        visits.append([f"f{number}@example.org", "", visit.isoformat(), "90"])
    return (
        enroll,
        write_csv(tmp_path / "a.csv", APPOINTMENT, requests),
        write_csv(tmp_path / "v.csv", VISITS, visits),
    )


def test_limits_cut_rewards_per_referral_per_year_and_referrals_per_year(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(site, program("direct", "limits: {per_referral: 30, per_year: 70, referrals_per_year: 3}\n"))
    files = one_advocate(tmp_path, ["2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01", "2027-01-20"])
    code, output, data = report(
        site, "--enrollments", files[0], "--appointments", files[1], "--visits", files[2]
    )
    assert code == 0, output
    # $40 each: cut to 30 per referral; 30 + 30 + 10 reach the $70 of 2026; the 4th of 2026 is past 3 a year;
    # 2027 starts afresh
    assert [(r["earned_on"], r["value"], r["owed"], r["capped_by"]) for r in data["rewards"]] == [
        ("2026-02-01", 40, 30, ["per_referral"]),
        ("2026-03-01", 40, 30, ["per_referral"]),
        ("2026-04-01", 40, 10, ["per_referral", "per_year"]),
        ("2026-05-01", 40, 0, ["referrals_per_year"]),
        ("2027-01-20", 40, 30, ["per_referral"]),
    ]
    assert data["rewards_owed"] == 100 and data["advocates"][0]["rewards_owed"] == 100
    assert "cut by the program's limits" in output
    # a later period still counts 2026's earlier rewards toward the yearly limits
    _, _, later = report(
        site,
        "--enrollments",
        files[0],
        "--appointments",
        files[1],
        "--visits",
        files[2],
        "--since",
        "2026-04-01",
        "--until",
        "2026-12-31",
    )
    assert [(r["earned_on"], r["owed"]) for r in later["rewards"]] == [("2026-04-01", 10), ("2026-05-01", 0)]


def test_tiers_are_reached_by_successful_referrals_and_limits_apply_to_them(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(site, program("tiered", "limits: {per_referral: 75, per_year: 150}\n"))
    files = one_advocate(
        tmp_path, ["2026-02-01", "2026-02-15", "2026-03-01", "2026-03-15", "2026-04-01", "2026-04-15"]
    )
    code, output, data = report(
        site, "--enrollments", files[0], "--appointments", files[1], "--visits", files[2]
    )
    assert code == 0, output
    # 1st: Friend $25; 3rd: Advocate $75; 5th: Ambassador $120, cut to 75 per referral, then to the 50 left of
    # 150
    assert [
        (r["reward"], r["earned_on"], r["value"], r["owed"], r["capped_by"]) for r in data["rewards"]
    ] == [
        ("Friend", "2026-02-01", 25, 25, []),
        ("Advocate", "2026-03-01", 75, 75, []),
        ("Ambassador", "2026-04-01", 120, 50, ["per_referral", "per_year"]),
    ]
    assert data["advocates"][0]["tier"] == "Ambassador" and data["advocates"][0]["successful_to_date"] == 6
    _, _, march = report(
        site,
        "--enrollments",
        files[0],
        "--appointments",
        files[1],
        "--visits",
        files[2],
        "--until",
        "2026-03-10",
    )
    assert march["advocates"][0]["tier"] == "Advocate" and march["advocates"][0]["successful_to_date"] == 3


def test_rewards_above_the_compliance_limits_are_marked_for_review_when_payers_are_mixed(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path)
    add_program(
        site, program("direct", "compliance: {payer_scope: mixed, per_item_limit: 15, per_year_limit: 75}\n")
    )
    files = one_advocate(tmp_path, ["2026-02-01"])
    _, _, data = report(site, "--enrollments", files[0], "--appointments", files[1], "--visits", files[2])
    assert data["rewards"][0]["owed"] == 40  # the program's own limits decide what is owed...
    assert (
        data["rewards"][0]["note"]
        == "above the per-item limit of 15 (payer scope mixed): review before giving"
    )


def test_rewards_csv_is_for_staff_and_cannot_carry_a_formula(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(site, program("direct", "limits: {per_referral: 30}\n"))
    enroll = write_csv(
        tmp_path / "e.csv",
        ENROLL,
        [enrolment('=HYPERLINK("http://evil.example")', "ann@example.com", "ANNA2345", "2026-01-02")],
    )
    appointments = write_csv(
        tmp_path / "a.csv",
        APPOINTMENT,
        [request("Fred", "fred@example.org", "", "ANNA2345", "2026-02-01T12:00:00Z")],
    )
    visits = write_csv(tmp_path / "v.csv", VISITS, [["fred@example.org", "", "2026-02-11", "90"]])
    report(site, "--enrollments", enroll, "--appointments", appointments, "--visits", visits)
    text = (tmp_path / "reports" / "rewards.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    row = rows[0]
    assert re.fullmatch(r"RW-[0-9A-F]{12}", row.pop("reward_id"))
    assert row.pop("message").startswith('Hello =HYPERLINK("http://evil.example"), thank you')
    assert row == {
        "status": "owed",
        "given_on": "",
        "given_by": "",
        "earned_on": "2026-02-11",
        "days_outstanding": "0",
        "first_name": '\'=HYPERLINK("http://evil.example")',
        "email": "ann@example.com",
        "code": "ANNA2345",
        "language": "en",
        "reward": "per referral",
        "kind": "credit",
        "description": "a $40 credit",
        "charity": "",
        "value": "40.00",
        "owed": "30.00",
        "capped_by": "per_referral",
        "referral": f"{appointments}:2",
        "referral_id": "a-fred",
        "note": "",
    }
    assert "fred" not in text.lower().replace("a-fred", "")  # the friend is only a row and an id


# -- what the exports look like ----------------------------------------------------------------------


def test_reads_the_local_form_services_files(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(site)
    server = serve.start(site, "127.0.0.1", 0)
    try:
        enrol = form_fields(server.url + "/refer/", "enroll")
        assert enrol[:3] == ["first_name", "email", "referral_code"]
        post(
            server.url + "/thanks/enroll/",
            enrol,
            {
                "form-name": "enroll",
                "first_name": "Maria",
                "email": "maria@example.com",
                "referral_code": "MRIA2345",
                "consent": "yes",
                "landing_page": "/refer/",
            },
        )
        booking = form_fields(server.url + "/welcome/?ref=MRIA2345", "appointment")
        for name, email, phone in (
            ("Tom", "tom@example.org", "512-555-0101"),
            ("Uma", "uma@example.org", "512-555-0102"),
        ):
            post(
                server.url + "/thanks/appointment/",
                booking,
                {
                    "form-name": "appointment",
                    "name": name,
                    "email": email,
                    "phone": phone,
                    "location": "Main Office",
                    "preferred_time": "Saturday",
                    "referral_code": "MRIA2345",
                    "utm_source": "sms",
                    "consent": "yes",
                },
            )
    finally:
        serve.stop(server)
    submissions = site / ".sitegen" / "submissions"
    today = datetime.now(UTC).date()
    write_csv(
        tmp_path / "visits.csv",
        VISITS,
        [["tom@example.org", "", (today + timedelta(days=5)).isoformat(), "120"]],
    )
    code, output, data = report(
        site,
        "--enrollments",
        submissions / "enroll.csv",
        "--appointments",
        submissions / "appointment.csv",
        "--visits",
        tmp_path / "visits.csv",
    )
    assert code == 0, output
    assert (data["enrolled"], data["referrals"], data["successful"], data["pending"]) == (1, 2, 1, 1)
    assert (data["median_days_to_appointment"], data["median_days_to_first_visit"]) == (0, 5)
    assert data["by_source"][0]["source"] == "sms" and data["by_source"][0]["referrals"] == 2
    assert [(r["first_name"], r["email"], r["owed"]) for r in data["rewards"]] == [
        ("Maria", "maria@example.com", 10)
    ]
    assert data["rewards"][0]["referral_id"]  # the id the local service gave the row
    assert data["flags"] == []


class FormFields(HTMLParser):
    """The names of a form's fields, in the order the browser sends them."""

    def __init__(self, form: str) -> None:
        super().__init__()
        self.form, self.inside, self.names = form, False, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.inside = values.get("name") == self.form
        elif (
            self.inside
            and tag in ("input", "select", "textarea")
            and values.get("name")
            and values["name"] not in self.names
        ):
            self.names.append(values["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def form_fields(url: str, form: str) -> list[str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        parser = FormFields(form)
        parser.feed(response.read().decode())
    return [name for name in parser.names if name not in ("form-name", "bot-field")]


def post(url: str, names: list[str], values: dict[str, str]) -> None:
    """Post every field of the form, in its order, as the browser would (empty when not filled)."""
    fields = [("form-name", values["form-name"]), ("bot-field", "")] + [(n, values.get(n, "")) for n in names]
    body = urllib.parse.urlencode(fields).encode()
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(
            urllib.request.Request(
                url, data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
            ),
            timeout=10,
        )
    except urllib.error.HTTPError as answer:
        with answer:
            assert answer.code == 303


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object) -> None:
        return None


def test_hosted_service_exports_with_other_column_names_and_a_mapping(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(
        site,
        PROGRAM + 'report:\n  timezone: America/Chicago\n  date_format: "%m/%d/%Y"\n'
        "  columns:\n    visit_date: Date of Service\n    email: Patient E-mail\n",
    )
    enroll = write_csv(
        tmp_path / "e.csv",
        ["First Name", "Email", "Referral Code", "IP", "Created At"],
        [["Ann", "ann@example.com", "ANNA2345", "203.0.113.9", "2026-02-28 23:30:00 UTC"]],
    )
    # 03:30 UTC on 2 March is the evening of 1 March in Austin
    appointments = write_csv(
        tmp_path / "a.csv",
        ["NAME", "EMAIL", "PHONE", "REFERRAL_CODE", "UTM_SOURCE", "Submitted At"],
        [["Fred", "fred@example.org", "", "ANNA2345", "email", "2026-03-02T03:30:00Z"]],
    )
    visits = write_csv(
        tmp_path / "v.csv",
        ["Patient E-mail", "Date of Service", "Amount"],
        [["FRED@example.org", "03/11/2026", "$1,250.00"]],
    )
    code, output, data = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", visits
    )
    assert code == 0, output
    assert (data["referrals"], data["successful"]) == (1, 1)
    assert data["by_month"][0]["month"] == "2026-02" and data["by_month"][1]["referrals"] == 1
    assert (data["median_days_to_appointment"], data["median_days_to_first_visit"]) == (1, 10)
    assert data["rewards"][0]["earned_on"] == "2026-03-11"


def test_front_desk_referrals_and_enrolment_and_campaign_flags(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(site)
    write(
        site,
        "campaigns/may-friends.md",
        "---\ntitle: May friends\nsummary: Friends in May.\nstart: 2026-05-01\n"
        "end: 2026-05-31\noffer: Double credit.\n---\nText.\n",
    )
    enroll = write_csv(
        tmp_path / "e.csv",
        ENROLL,
        [
            enrolment("Ann", "ann@example.com", "ANNA2345", "2026-02-01"),
            enrolment("Ann", "ann@example.com", "ANNA2345", "2026-02-02"),  # sent twice
            enrolment("Bo", "bo@example.com", "", "2026-02-03"),  # no code: JavaScript was off
            enrolment("Ann", "ann@example.com", "ANN22345", "2026-02-04"),  # a second code of the same person
        ],
    )
    appointments = write_csv(
        tmp_path / "a.csv",
        APPOINTMENT,
        [
            request(
                "Cal", "cal@example.org", "", "ANN22345", "2026-06-03", "email", "may-friends"
            ),  # after the campaign
        ],
    )
    visits = write_csv(
        tmp_path / "v.csv",
        ["email", "phone", "visit_date", "amount", "referral_code"],
        [
            ["cal@example.org", "", "2026-06-10", "100", ""],
            [
                "",
                "5125550777",
                "2026-06-12",
                "150",
                "ANNA2345",
            ],  # phoned in with Ann's code: a front-desk referral
        ],
    )
    code, output, data = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", visits
    )
    assert code == 0, output
    assert [(f["kind"], f["file"], f["row"], f["effect"]) for f in data["flags"]] == [
        ("outside_campaign_dates", str(appointments), 2, "noted"),
        ("duplicate_enrolment", str(enroll), 3, "noted"),
        ("enrolment_without_code", str(enroll), 4, "excluded"),
    ]
    assert (data["enrolled"], data["referrals"], data["successful"]) == (1, 2, 2)
    assert (
        data["advocates"][0]["codes"] == ["ANNA2345", "ANN22345"] and data["advocates"][0]["successful"] == 2
    )
    assert {s["source"]: s["referrals"] for s in data["by_source"]} == {
        "email": 1,
        "(front desk)": 1,
        "(none)": 0,
    }
    assert {c["campaign"]: c["title"] for c in data["by_campaign"]} == {
        "may-friends": "May friends",
        "(none)": None,
    }
    assert data["median_days_to_first_visit"] == 7  # Cal only: the front-desk referral's request is its visit


def test_a_campaigns_own_referrer_reward_is_owed_for_the_friends_it_brought_while_it_ran(
    tmp_path: Path,
) -> None:
    """Direct program: $10 a friend; the May campaign gives $20 for a friend whose request came through it
    in May; a request naming it in June, or naming nothing, earns the program's $10."""
    site = make_site(tmp_path)
    add_program(site)
    write(
        site,
        "campaigns/may-friends.md",
        "---\ntitle: May friends\nsummary: Friends in May.\nstart: 2026-05-01\n"
        "end: 2026-05-31\noffer: Double credit.\nreferrer_reward:\n  kind: credit\n"
        "  value: 20\n  description: a $20 account credit\n---\nText.\n",
    )
    enroll = write_csv(
        tmp_path / "e.csv", ENROLL, [enrolment("Ann", "ann@example.com", "ANNA2345", "2026-02-01")]
    )
    appointments = write_csv(
        tmp_path / "a.csv",
        APPOINTMENT,
        [
            request("Cal", "cal@example.org", "", "ANNA2345", "2026-05-10", "email", "may-friends"),
            request(
                "Dee", "dee@example.org", "", "ANNA2345", "2026-06-03", "email", "may-friends"
            ),  # after it ended
            request(
                "Eve", "eve@example.org", "", "ANNA2345", "2026-05-12"
            ),  # in May, not through the campaign
        ],
    )
    visits = write_csv(
        tmp_path / "v.csv",
        VISITS,
        [
            ["cal@example.org", "", "2026-05-20", "90"],
            ["dee@example.org", "", "2026-06-10", "90"],
            ["eve@example.org", "", "2026-05-22", "90"],
        ],
    )
    code, output, data = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", visits
    )
    assert code == 0, output
    assert [(r["earned_on"], r["reward"], r["description"], r["owed"]) for r in data["rewards"]] == [
        ("2026-05-20", "campaign: May friends", "a $20 account credit", 20),
        ("2026-05-22", "per referral", "a $10 account credit", 10),
        ("2026-06-10", "per referral", "a $10 account credit", 10),
    ]
    assert data["rewards_owed"] == 40
    assert not any("adjust rewards" in note for note in data["notes"])


# -- bad input ------------------------------------------------------------------------------------


def test_a_missing_file_is_a_clear_error(site: Path, exports: tuple[Path, Path, Path]) -> None:
    enroll, appointments, _ = exports
    code, output, _ = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", site.parent / "nope.csv"
    )
    assert code == 1
    assert output.strip() == f"Error: {site.parent / 'nope.csv'}: no such file (--visits)"


def test_a_csv_without_a_referral_code_column_is_a_clear_error(site: Path, tmp_path: Path) -> None:
    enroll = write_csv(tmp_path / "e.csv", ENROLL, [])
    contact = write_csv(
        tmp_path / "contact.csv",
        ["name", "email", "message", "created_at"],
        [["A", "a@b.c", "Hi", "2026-03-01"]],
    )
    code, output, _ = report(site, "--enrollments", enroll, "--appointments", contact)
    assert code == 1
    assert (
        f"Error: {contact} has no referral_code column (its columns: name, email, message, created_at). "
        "Is it the export of the appointments?" in output
    )
    assert 'report: {columns: {referral_code: "Your column"}}' in output
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty: it has no header row"),
        (b"\n\n", "is empty: it has no header row"),
        (
            "first_name,email,referral_code,created_at\nJos\u00e9,j@x.org,ABCD2345,2026-03-01\n".encode(
                "cp1252"
            ),
            "is not UTF-8 text (byte 0xe9 cannot be read)",
        ),
        (b"first_name,email,referral_code\nAnn,a@x.org,ABCD2345\n", "has no created_at column"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(
    site: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    appointments = write_csv(tmp_path / "a.csv", APPOINTMENT, [])
    code, output, _ = report(site, "--enrollments", bad, "--appointments", appointments)
    assert code == 1
    assert output.startswith(f"Error: {bad}") and message in output


def test_bad_rows_are_reported_with_their_numbers_and_the_rest_is_counted(site: Path, tmp_path: Path) -> None:
    enroll = write_csv(
        tmp_path / "e.csv", ENROLL, [enrolment("Ann", "ann@example.com", "ANNA2345", "2026-02-01")]
    )
    text = (
        ",".join(APPOINTMENT)
        + "\n"
        + "\n".join(
            [
                "Fred,fred@example.org,,Main,,ANNA2345,,,,/welcome/,,2026-02-05,a1",
                "Gil,gil@example.org,,Main,,ANNA2345,,,,/welcome/,,2026-02-30,a2",  # row 3: no such day
                # row 4: an unquoted comma
                "Hal,hal@example.org,,Main, Suite 4,,ANNA2345,,,,/welcome/,,2026-02-06,a3",
                "",  # a blank line is no row
                "Ida,ida@example.org,,Main,,ANNA2345,,,,/welcome/,,,a4",  # row 6: no date
                "Jan,jan@example.org,,Main,,ANNA2345,,,,/welcome/,,2026-02-07,a5",
            ]
        )
        + "\n"
    )
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    visits = write_csv(
        tmp_path / "v.csv",
        VISITS,
        [
            ["fred@example.org", "", "2026-02-10", "ten dollars"],
            ["", "", "2026-02-10", "10"],
            ["jan@example.org", "", "2026-02-12", "10"],
        ],
    )
    code, output, data = report(
        site, "--enrollments", enroll, "--appointments", tmp_path / "a.csv", "--visits", visits
    )
    assert code == 0, output
    assert [(Path(f["file"]).name, f["row"], f["message"]) for f in data["flags"]] == [
        (
            "a.csv",
            3,
            'created_at "2026-02-30" is not a date (expected YYYY-MM-DD or an ISO timestamp; '
            "set report.date_format in program.yaml for other layouts)",
        ),
        (
            "a.csv",
            4,
            "the row has 14 values but the header has 13 columns (a comma inside a value without quotes?)",
        ),
        ("a.csv", 6, "created_at is empty"),
        (
            "v.csv",
            2,
            'amount "ten dollars" is not a number (nan, inf and 1e999 are not amounts): '
            "the visit is not counted",
        ),
        ("v.csv", 3, "the visit names neither an email nor a phone"),
    ]
    assert (data["referrals"], data["successful"]) == (2, 1)  # Fred (his visit row is unreadable) and Jan
    assert data["files"]["appointments"] == {"path": str(tmp_path / "a.csv"), "rows": 5, "unreadable": 3}


def test_other_encodings_and_delimiters_that_spreadsheets_write(site: Path, tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text(
        "first_name;email;referral_code;created_at\nJosé;j@x.org;ABCD2345;2026-03-01\n", encoding="utf-16"
    )
    (tmp_path / "a.csv").write_text(
        "\ufeffname\temail\treferral_code\tcreated_at\nAl\tal@x.org\tABCD2345\t2026-03-02\n", encoding="utf-8"
    )
    code, output, data = report(
        site, "--enrollments", tmp_path / "e.csv", "--appointments", tmp_path / "a.csv"
    )
    assert code == 0, output
    assert data["referrals"] == 1 and data["advocates"][0]["first_name"] == "José"


def test_a_bad_time_zone_in_program_yaml_is_located(tmp_path: Path, exports: tuple[Path, Path, Path]) -> None:
    site = make_site(tmp_path)
    add_program(site, PROGRAM + "report:\n  timezone: Mars/Olympus\n")
    code, output, _ = report(site, "--enrollments", exports[0], "--appointments", exports[1])
    assert code == 1
    line = PROGRAM.count("\n") + 2
    assert (
        f'content/program.yaml:{line}: error[SG209] report.timezone: "Mars/Olympus" is not a time zone'
        in output
    )


def test_a_site_without_a_program_or_a_reversed_period_is_a_clear_error(
    tmp_path: Path, exports: tuple[Path, Path, Path]
) -> None:
    site = make_site(tmp_path)
    code, output, _ = report(site, "--enrollments", exports[0], "--appointments", exports[1])
    assert code == 1
    assert (
        f"Error: there is no {site / 'content/program.yaml'}: the report needs the referral program's"
        in output
    )
    add_program(site)
    code, output, _ = report(
        site,
        "--enrollments",
        exports[0],
        "--appointments",
        exports[1],
        "--since",
        "2026-04-01",
        "--until",
        "2026-03-01",
    )
    assert code == 1 and "Error: --since 2026-04-01 is after --until 2026-03-01" in output


# -- where the files go ----------------------------------------------------------------------------


@pytest.mark.parametrize("inside", ["public", "public/reports", "content/static/reports"])
def test_refuses_to_write_patient_data_where_the_site_is_published(
    site: Path, exports: tuple[Path, Path, Path], inside: str
) -> None:
    result = CliRunner().invoke(
        main,
        [
            "report",
            "--site",
            str(site),
            "--enrollments",
            str(exports[0]),
            "--appointments",
            str(exports[1]),
            "--out",
            str(site / inside),
        ],
    )
    assert result.exit_code == 1
    assert "refusing to write the report into" in result.output and "patient data" in result.output
    assert not (site / inside).exists()


def test_default_out_is_reports_beside_the_site_and_files_are_private(
    site: Path, exports: tuple[Path, Path, Path]
) -> None:
    result = CliRunner().invoke(
        main,
        [
            "report",
            "--site",
            str(site),
            "--enrollments",
            str(exports[0]),
            "--appointments",
            str(exports[1]),
            "--visits",
            str(exports[2]),
        ],
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (site / "reports").iterdir())
    assert written == ["dashboard.html", "report.json", "rewards.csv"]
    assert all((site / "reports" / name).stat().st_mode & 0o077 == 0 for name in written)
    assert not (site / "public").exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_warns_when_git_would_commit_the_report(site: Path, exports: tuple[Path, Path, Path]) -> None:
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    args = [
        "report",
        "--site",
        str(site),
        "--enrollments",
        str(exports[0]),
        "--appointments",
        str(exports[1]),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "git does not ignore it" in result.output and "add `reports/` to" in result.output
    (site / ".gitignore").write_text("reports/\n")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "warning" not in result.output


# -- report.json and the dashboard ------------------------------------------------------------------

METRICS = {
    "enrolled",
    "active_advocates",
    "referrals",
    "successful",
    "pending",
    "conversion_rate",
    "median_days_to_appointment",
    "p90_days_to_appointment",
    "median_days_to_first_visit",
    "p90_days_to_first_visit",
}


def test_report_json_has_the_documented_structure(site: Path, exports: tuple[Path, Path, Path]) -> None:
    code, output, data = report(
        site,
        "--enrollments",
        exports[0],
        "--appointments",
        exports[1],
        "--visits",
        exports[2],
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(output) == data  # --format json prints report.json itself
    top = {
        "format",
        "program",
        "period",
        "files",
        "appointment_requests",
        "funnel",
        "distributions",
        "rewards_owed",
        "rewards",
        "advocates",
        "by_month",
        "by_campaign",
        "by_source",
        "flag_counts",
        "flags",
        "notes",
        "outstanding_total",
        "outstanding",
        "donations",
        "ledger",
    } | METRICS
    assert set(data) == top
    assert data["format"] == "sitegen-report/2"
    assert set(data["by_month"][0]) == METRICS | {"month", "rewards_owed"}
    assert set(data["by_campaign"][0]) == METRICS | {"campaign", "title"}
    assert set(data["by_source"][0]) == METRICS | {"source"}
    assert set(data["advocates"][0]) == {
        "first_name",
        "email",
        "codes",
        "enrolled_on",
        "referrals",
        "successful",
        "successful_to_date",
        "tier",
        "rewards_owed",
    }
    assert set(data["rewards"][0]) == {
        "reward_id",
        "status",
        "days_outstanding",
        "given_on",
        "given_by",
        "charity",
        "language",
        "message",
        "earned_on",
        "first_name",
        "email",
        "code",
        "reward",
        "kind",
        "description",
        "value",
        "owed",
        "capped_by",
        "referral",
        "referral_id",
        "note",
    }
    assert set(data["flags"][0]) == {
        "kind",
        "effect",
        "file",
        "row",
        "date",
        "code",
        "message",
        "typed",
        "suggested",
    }
    docs = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    for key in top | {"since", "until", "as_of", "first_visits", "capped_by", "successful_to_date", "effect"}:
        assert f"`{key}`" in docs, f"docs/report.md does not explain {key}"
    for kind in data["flag_counts"]:
        assert f"| `{kind}` |" in docs, f"docs/report.md does not explain the flag {kind}"


@pytest.mark.browser
def test_dashboard_renders_offline_without_requests_or_console_errors(
    page: Page, tmp_path: Path, exports: tuple[Path, Path, Path]
) -> None:
    site = make_site(tmp_path / "s")
    add_program(site)
    enroll = write_csv(
        tmp_path / "e2.csv",
        ENROLL,
        [enrolment("<img src=x onerror=alert(1)>", "ann@example.com", "ANNA2345", "2026-02-01")],
    )
    code, output, _ = report(
        site, "--enrollments", enroll, "--appointments", exports[1], "--visits", exports[2]
    )
    assert code == 0, output
    dashboard = site.parent / "reports" / "dashboard.html"
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on(
        "console",
        lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(dashboard.as_uri())
    assert requests == [dashboard.as_uri()]
    assert problems == []
    assert page.locator("script").count() == 0 and page.locator("img").count() == 0
    assert page.get_by_text("<img src=x onerror=alert(1)>", exact=True).count() >= 1  # shown, escaped
    assert (
        page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(251, 248, 244)"
    )  # style allowed by hash
    for caption in (
        "Referrals per month",
        "Conversion funnel",
        "Days from enrolment to the friend's appointment request",
        "Top advocates",
        "Rewards owed per month (USD)",
    ):
        figure = page.locator("figure", has=page.get_by_text(caption, exact=True))
        assert figure.locator("svg[role=img]").count() == 1, caption
        assert figure.locator("svg rect").count() >= 1, caption
    assert (
        page.get_by_role(
            "img", name=re.compile(r"^Referrals per month\. 2026-02: Referrals 2, Successful 1")
        ).count()
        == 1
    )
    assert "Private: this page holds patient data." in page.locator(".private").inner_text()
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()


# -- issue 19: the demo site, eligibility, the ledger month to month, charities ---------------------

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
    enroll = write_csv(tmp_path / "e.csv", ENROLL, DEMO_ENROLL)
    appointments = write_csv(
        tmp_path / "a.csv",
        APPOINTMENT,
        [
            request("Fred", "fred@example.org", "", "ANNA2345", "2026-03-05"),
            request("Gina", "gina@example.org", "", "BOBB2345", "2026-03-05"),
            request("Hank", "hank@example.org", "", "SAMM2345", "2026-03-05"),
        ],
    )
    visits = write_csv(
        tmp_path / "v.csv",
        VISITS,
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


def test_an_example_site_with_a_translated_campaign_reports(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(site)
    write(site, "campaigns/may.md", CAMPAIGN)
    write(site, "campaigns/may.es.md", "---\ntitle: Amistades de mayo\n---\nTexto.\n")
    enroll = write_csv(
        tmp_path / "e.csv", ENROLL, [enrolment("Ann", "ann@example.com", "ANNA2345", "2026-01-02")]
    )
    appointments = write_csv(
        tmp_path / "a.csv",
        APPOINTMENT,
        [request("Fred", "fred@example.org", "", "ANNA2345", "2026-05-03", campaign="may")],
    )
    visits = write_csv(tmp_path / "v.csv", VISITS, [["fred@example.org", "", "2026-05-10", "90"]])
    code, output, data = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", visits
    )
    assert code == 0, output
    assert [(r["reward"], r["owed"]) for r in data["rewards"]] == [("campaign: May friends", 20.0)]


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

CHARITABLE = PROGRAM.replace(
    """model: direct
referrer_reward:
  kind: credit
  value: 10
  description: a $10 account credit
""",
    """model: charitable
referrer_reward:
  kind: donation
  value: 10
  description: a $10 donation
charities:
  - name: Food Bank
  - name: Animal Shelter
""",
)


def month_rows(month: int, people: list[tuple[str, str]]) -> tuple[list[list[str]], list[list[str]]]:
    """Requests on the 3rd and paid visits on the 10th of a month, for (friend, advocate code) pairs."""
    requests = [request(f, f"{f.lower()}@example.org", "", c, f"2026-{month:02d}-03") for f, c in people]
    visits = [[f"{f.lower()}@example.org", "", f"2026-{month:02d}-10", "80"] for f, _ in people]
    return requests, visits


def test_three_months_with_a_ledger_owe_each_reward_once_and_total_donations(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(site, CHARITABLE)
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
        code, output, data = report(
            site,
            "--enrollments",
            enroll,
            "--appointments",
            appointments,
            "--visits",
            visits,
            "--since",
            f"2026-{month:02d}-01",
            "--until",
            f"2026-{month:02d}-28",
            "--date-order",
            "dmy",
            *extra,
        )
        assert code == 0, output
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
    excel = tmp_path / "january.csv"
    with excel.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ledger[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(ledger)
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
    site = make_site(tmp_path)
    add_program(site, CHARITABLE)
    enrol = [
        enrolment("Ann", "ann@example.com", "ANNA2345", "2026-01-02") + ["food bank"],
        enrolment("Bea", "bea@example.com", "BEAA2345", "2026-01-02") + [""],
    ]
    enroll = write_csv(tmp_path / "e.csv", ENROLL + ["charity"], enrol)
    rows = [month_rows(1, [("Fred", "ANNA2345"), ("Gus", "BEAA2345")]), month_rows(2, [("Hal", "ANNA2345")])]
    appointments = write_csv(tmp_path / "a.csv", APPOINTMENT, [r for month in rows for r in month[0]])
    visits = write_csv(tmp_path / "v.csv", VISITS, [v for month in rows for v in month[1]])
    code, output, data = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", visits
    )
    assert code == 0, output
    assert data["donations"] == [
        {"month": "2026-01", "charity": "(not chosen)", "donations": 1, "amount": 10.0, "given": 0.0},
        {"month": "2026-01", "charity": "Food Bank", "donations": 1, "amount": 20.0 / 2, "given": 0.0},
        {"month": "2026-02", "charity": "Food Bank", "donations": 1, "amount": 10.0, "given": 0.0},
    ]
    assert [f["kind"] for f in data["flags"]] == ["charity_not_chosen"]
    bea = next(r for r in data["rewards"] if r["email"] == "bea@example.com")
    assert "Which charity should receive it: Food Bank, Animal Shelter?" in bea["message"]


def test_refer_form_invitations_with_a_code_are_referrals(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(site)
    enroll = write_csv(
        tmp_path / "e.csv", ENROLL, [enrolment("Ann", "ann@example.com", "ANNA2345", "2026-01-02")]
    )
    appointments = write_csv(tmp_path / "a.csv", APPOINTMENT, [])
    refers = write_csv(
        tmp_path / "r.csv",
        ["your_name", "friend_name", "friend_email", "friend_phone", "referral_code", "created_at", "id"],
        [
            ["Ann", "Fred", "fred@example.org", "", "ANNA2345", "2026-02-01", "r1"],
            ["Ann", "Gus", "", "512 555 0100", "", "2026-02-02", "r2"],  # no code: names no advocate
        ],
    )
    visits = write_csv(tmp_path / "v.csv", VISITS, [["fred@example.org", "", "2026-02-11", "90"]])
    code, output, data = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", visits, "--refers", refers
    )
    assert code == 0, output
    assert (
        data["referrals"] == 1 and data["successful"] == 1 and data["rewards"][0]["referral"] == f"{refers}:2"
    )
    assert [(f["kind"], f["row"]) for f in data["flags"]] == [("invitation_without_code", 3)]


def test_non_finite_amounts_and_impossible_times_are_flagged_with_their_row(
    site: Path, tmp_path: Path
) -> None:
    enroll = write_csv(
        tmp_path / "e.csv", ENROLL, [enrolment("Ann", "ann@example.com", "ANNA2345", "2026-01-02")]
    )
    appointments = write_csv(
        tmp_path / "a.csv",
        APPOINTMENT,
        [request("Fred", "fred@example.org", "", "ANNA2345", "2026-01-01T25:00:00Z")],
    )
    visits = write_csv(
        tmp_path / "v.csv",
        VISITS,
        [
            ["x@example.org", "", "2026-02-01", "nan"],
            ["y@example.org", "", "2026-02-01", "inf"],
            ["z@example.org", "", "2026-02-01", "1e999"],
        ],
    )
    code, output, data = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", visits
    )
    assert code == 0, output
    found = [(Path(f["file"]).name, f["row"]) for f in data["flags"] if f["kind"] == "unreadable_row"]
    assert found == [("a.csv", 2), ("v.csv", 2), ("v.csv", 3), ("v.csv", 4)]
    assert data["referrals"] == 0


def test_a_charitable_programs_enrol_form_offers_its_charities(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    add_program(site, CHARITABLE)
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    html = (site / "public" / "refer" / "index.html").read_text(encoding="utf-8")
    select = re.search(r'<select[^>]*name="charity"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None and "required" in select.group(0)
    assert re.findall(r"<option[^>]*>([^<]+)</option>", select.group(1))[-2:] == [
        "Food Bank",
        "Animal Shelter",
    ]


# -- "Who referred you?", mistyped codes, the same person written another way -------------------------

WHO = "Who referred you? (name or code)"  # the field's label: some services export labels, not names


def test_who_referred_you_credits_codes_and_flags_names_for_staff(tmp_path: Path) -> None:
    """Without JavaScript `referral_code` is empty and the friend types in "Who referred you?". Ann's code
    was made before codes had a check character (known, although not valid); Ben's has one."""
    site = make_site(tmp_path)
    add_program(site)  # $10 a friend
    ben = make_code("BENB234")
    swapped = ben[:5] + ben[6] + ben[5] + ben[7]  # two neighbours swapped: one likely repair, Ben's
    assert not is_valid_code("ANNA2345") and suggest_code(swapped) == ben
    stranger = make_code("ZZZZ999")  # well-formed, enrolled by nobody
    enroll = write_csv(
        tmp_path / "e.csv",
        ENROLL,
        [
            enrolment("Ann", "ann@example.com", "ANNA2345", "2026-02-01"),
            enrolment("Ben", "ben@example.com", ben, "2026-02-01"),
        ],
    )
    header = APPOINTMENT + [WHO]
    rows = [
        request("Cal", "cal@example.org", "", "", "2026-03-02") + [readable(ben).lower()],  # 2: Ben
        request("Dee", "dee@example.org", "", "", "2026-03-03") + [" anna 2345 "],  # 3: Ann's old code
        request("Eve", "eve@example.org", "", "", "2026-03-04") + ["Ann Smith"],  # 4: a name
        request("Flo", "flo@example.org", "", "", "2026-03-05") + [swapped],  # 5: mistyped in the field
        request("Gus", "gus@example.org", "", swapped, "2026-03-06"),  # 6: mistyped code from a link
        request("Hal", "hal@example.org", "", "", "2026-03-07") + [stranger],  # 7: well-formed, unknown
        request("Ida", "ida@example.org", "", "ANNA2345", "2026-03-08") + ["Ben Jones"],  # 8: the code wins
        request("Jan", "jan@example.org", "", "", "2026-03-09") + ["my friend Ann (ANNA-2345)"],  # 9
        request("Kip", "kip@example.org", "", "", "2026-03-10") + [""],  # 10: no code, nothing typed
    ]
    appointments = write_csv(
        tmp_path / "a.csv", header, [row + [""] * (len(header) - len(row)) for row in rows]
    )
    visits = write_csv(
        tmp_path / "v.csv",
        VISITS,
        [
            [f"{name}@example.org", "", "2026-03-20", "90"]
            for name in ("cal", "dee", "eve", "flo", "gus", "ida", "jan")
        ],
    )
    code, output, data = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", visits
    )
    assert code == 0, output
    assert sorted((r["first_name"], r["referral"]) for r in data["rewards"]) == [
        ("Ann", f"{appointments}:3"),
        ("Ann", f"{appointments}:8"),
        ("Ann", f"{appointments}:9"),
        ("Ben", f"{appointments}:2"),
    ]
    assert data["rewards_owed"] == 40  # never Eve's, Flo's, Gus's or Hal's: staff decide those
    flags = [(f["kind"], f["row"], f["effect"], f["typed"], f["suggested"]) for f in data["flags"]]
    assert flags == [
        ("referrer_named_not_coded", 4, "needs staff", "Ann Smith", ""),
        ("probably_mistyped_code", 5, "needs staff", swapped, ben),
        ("probably_mistyped_code", 6, "needs staff", "", ben),
        ("unknown_code", 7, "excluded", stranger, ""),
    ]
    by_row = {f["row"]: f["message"] for f in data["flags"]}
    assert f"probably {readable(ben)}" in by_row[5] and f"probably {readable(ben)}" in by_row[6]
    assert "probably" not in by_row[7]
    assert data["flag_counts"]["referrer_named_not_coded"] == 1
    # the summary lists every flag staff must act on, with its row and the text typed
    assert "Needs staff (3; nothing credited until matched by hand):" in output
    assert f'{appointments}:4: referrer_named_not_coded: "Who referred you?" says "Ann Smith"' in output
    assert f"{appointments}:6: probably_mistyped_code [{swapped}]: " in output


def test_the_same_inbox_written_another_way_is_the_same_person(tmp_path: Path) -> None:
    """Issue 24: Ann, enrolled as ann@gmail.com, "refers" herself six ways and one real friend. Tiered
    program: $25 at 1 friend, $75 at 3, $120 at 5: $220 owed if the six counted, $25 is right."""
    site = make_site(tmp_path)
    add_program(site, program("tiered", ""))
    enroll = write_csv(
        tmp_path / "e.csv",
        ENROLL,
        [
            enrolment("Ann", "ann@gmail.com", "ANNA2345", "2026-02-01"),
            enrolment("Ben", "ben@example.com", "BENB2345", "2026-02-01"),
        ],
    )
    evasions = [
        ("ann@gmail.com\u200b", ""),  # 4: a zero-width space
        ("a.n.n@gmail.com", ""),  # 5: gmail ignores dots
        ("ann+friend@gmail.com", ""),  # 6: a +tag
        ("\uff41\uff4e\uff4e@gmail.com", ""),  # 7: full-width letters
        ("Ann@GoogleMail.com\ufeff", ""),  # 8: googlemail is gmail; a byte-order mark
        ("other@example.org", "\uff15\uff11\uff12-555-0100"),  # 9: her phone in full-width digits
    ]
    rows = [request("Fred", "fred@example.org", "", "ANNA2345", "2026-03-01")]  # 2: the real friend
    rows += [
        request(f"A{n}", email, phone, "ANNA2345", f"2026-03-0{n + 2}")
        for n, (email, phone) in enumerate(evasions)
    ]
    rows += [
        request("Gus", "g.u.s.smith+ben@googlemail.com", "", "BENB2345", "2026-03-10"),  # 10: Gus again
        request("Hal", "hal+new@example.org\u200b", "", "BENB2345", "2026-03-11"),  # 11: Hal was a patient
    ]
    rows.insert(1, request("Gus", "Gus.Smith@gmail.com", "", "ANNA2345", "2026-03-01"))  # 3: by Ann
    appointments = write_csv(tmp_path / "a.csv", APPOINTMENT, rows)
    visits = write_csv(
        tmp_path / "v.csv",
        VISITS,
        [["ann@gmail.com", "512-555-0100", "2026-01-15", "90"], ["hal@example.org", "", "2025-06-01", "90"]]
        + [[row[1], row[2], "2026-03-25", "90"] for row in rows],
    )
    code, output, data = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", visits
    )
    assert code == 0, output
    kinds = {f["row"]: f["kind"] for f in data["flags"]}
    assert kinds == {
        4: "self_referral",
        5: "self_referral",
        6: "self_referral",
        7: "self_referral",
        8: "self_referral",
        9: "self_referral",
        10: "duplicate_friend",
        11: "existing_patient",
    }
    assert [f["message"] for f in data["flags"] if f["row"] == 9] == [
        "the friend has the advocate's own phone number"
    ]
    # Fred and Gus count: the Friend tier; shown and ids keep the email as exported
    assert [(r["first_name"], r["reward"], r["owed"]) for r in data["rewards"]] == [("Ann", "Friend", 25)]
    assert data["rewards_owed"] == 25


def test_a_share_link_during_a_campaign_credits_the_campaigns_reward(tmp_path: Path) -> None:
    """While a campaign runs, the thanks page's share link carries its utm_campaign (data-link-query, which
    refer.js appends to /r/CODE); the appointment form sends it (referral.js fills the hidden field from
    the address), and the report owes the campaign's own reward for that friend, not the program's."""
    today = datetime.now(UTC).date()
    site = make_site(tmp_path)
    add_program(site)  # $10 a friend
    write(
        site,
        "campaigns/friends-now.md",
        f"---\ntitle: Friends now\nsummary: Now.\nstart: {today - timedelta(days=3)}\n"
        f"end: {today + timedelta(days=30)}\noffer: Double credit.\nutm_campaign: spring-friends\n"
        "referrer_reward:\n  kind: credit\n  value: 20\n  description: a $20 account credit\n---\nText.\n",
    )
    server = serve.start(site, "127.0.0.1", 0)
    try:
        with urllib.request.urlopen(server.url + "/thanks/enroll/", timeout=10) as response:
            found = re.search(r'data-link-query="([^"]*)"', response.read().decode())
        assert found, "the share panel carries no campaign query"
        query = html.unescape(found.group(1))
        link = dict(urllib.parse.parse_qsl(query))
        assert link == {"utm_medium": "referral", "utm_campaign": "spring-friends"}
        enrol = form_fields(server.url + "/refer/", "enroll")
        post(
            server.url + "/thanks/enroll/",
            enrol,
            {
                "form-name": "enroll",
                "first_name": "Maria",
                "email": "maria@example.com",
                "referral_code": "MRIA2345",
                "consent": "yes",
            },
        )
        booking = form_fields(f"{server.url}/welcome/?ref=MRIA2345&{query}", "appointment")
        assert {"referral_code", "utm_campaign", "utm_medium", "referred_by"} <= set(booking)
        post(
            server.url + "/thanks/appointment/",
            booking,
            {
                "form-name": "appointment",
                "name": "Tom",
                "email": "tom@example.org",
                "phone": "512-555-0101",
                "location": "Main Office",
                "preferred_time": "Saturday",
                "referral_code": "MRIA2345",
                "referred_by": "MRIA-2345",
                "consent": "yes",
                **link,
            },
        )
    finally:
        serve.stop(server)
    submissions = site / ".sitegen" / "submissions"
    visits = write_csv(
        tmp_path / "visits.csv",
        VISITS,
        [["tom@example.org", "", (today + timedelta(days=5)).isoformat(), "120"]],
    )
    code, output, data = report(
        site,
        "--enrollments",
        submissions / "enroll.csv",
        "--appointments",
        submissions / "appointment.csv",
        "--visits",
        visits,
    )
    assert code == 0, output
    assert [(r["reward"], r["owed"]) for r in data["rewards"]] == [("campaign: Friends now", 20)]
    assert {c["campaign"]: (c["title"], c["referrals"]) for c in data["by_campaign"]}["spring-friends"] == (
        "Friends now",
        1,
    )
    assert data["flags"] == []


def test_a_long_path_in_a_message_keeps_the_files_name() -> None:
    """A flag names its export; in a deep folder the summary shortens the path from the left."""
    from sitegen.report.ingest import shown_path

    deep = "/" + "/".join(["folder"] * 30) + "/appointment.csv"
    assert shown_path(deep).startswith("…") and shown_path(deep).endswith("/appointment.csv")
    assert len(shown_path(deep)) == 80 and shown_path("/tmp/a.csv") == "/tmp/a.csv"
