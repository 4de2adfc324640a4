"""`sitegen report` on a small practice whose every number was worked out on paper from the rows
written in the fixture (the comments next to the rows say what each one is for): the numbers, the flags,
a period, the files it refuses and where it writes, report.json and the dashboard.

The exports' columns and writers are in reportfactory.py; the other report tests are test_report_*.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from click.testing import CliRunner
from playwright.sync_api import Page
from reportfactory import (
    APPOINTMENT,
    ENROLL,
    ROOT,
    VISITS,
    counted,
    enrolment,
    program_site,
    report,
    report_args,
    request,
    write_csv,
)
from sitefactory import PROGRAM, add_program, make_site

from sitegen.cli import main


@pytest.fixture(scope="session")
def base_url() -> None:
    """The dashboard is opened from the disk: no site server is needed for these browser tests."""
    return None


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return program_site(tmp_path)


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
    output, data = counted(site, (enroll, appointments, visits))
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
    _, data = counted(site, (enroll, appointments, visits), "--since", "2026-03-01", "--until", "2026-03-31")
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


def test_a_missing_file_is_a_clear_error(site: Path, exports: tuple[Path, Path, Path]) -> None:
    enroll, appointments, _ = exports
    code, output, _ = report(
        site, "--enrollments", enroll, "--appointments", appointments, "--visits", site.parent / "nope.csv"
    )
    assert code == 1
    assert output.strip() == f"Error: {site.parent / 'nope.csv'}: no such file (--visits)"


def test_a_bad_time_zone_in_program_yaml_is_located(tmp_path: Path, exports: tuple[Path, Path, Path]) -> None:
    site = program_site(tmp_path, PROGRAM + "report:\n  timezone: Mars/Olympus\n")
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


@pytest.mark.parametrize("inside", ["public", "public/reports", "content/static/reports"])
def test_refuses_to_write_patient_data_where_the_site_is_published(
    site: Path, exports: tuple[Path, Path, Path], inside: str
) -> None:
    result = CliRunner().invoke(main, report_args(site, exports[:2], "--out", site / inside))
    assert result.exit_code == 1
    assert "refusing to write the report into" in result.output and "patient data" in result.output
    assert not (site / inside).exists()


def test_default_out_is_reports_beside_the_site_and_files_are_private(
    site: Path, exports: tuple[Path, Path, Path]
) -> None:
    result = CliRunner().invoke(main, report_args(site, exports))
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (site / "reports").iterdir())
    assert written == ["dashboard.html", "report.json", "rewards.csv"]
    assert all((site / "reports" / name).stat().st_mode & 0o077 == 0 for name in written)
    assert not (site / "public").exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_warns_when_git_would_commit_the_report(site: Path, exports: tuple[Path, Path, Path]) -> None:
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    args = report_args(site, exports[:2])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "git does not ignore it" in result.output and "add `reports/` to" in result.output
    (site / ".gitignore").write_text("reports/\n")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "warning" not in result.output


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
    counted(site, (enroll, exports[1], exports[2]))
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
