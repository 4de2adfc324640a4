"""What `sitegen report` reads: the local form service's files (posted on the served site), a hosted
service's columns with a mapping, the refer form's invitations, and the files and rows it cannot read,
each refused or flagged with its file and row."""

from __future__ import annotations

import html
import re
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from reportfactory import (
    APPOINTMENT,
    ENROLL,
    VISITS,
    counted,
    enrol_maria,
    enrolment,
    form_fields,
    post,
    program_site,
    report,
    request,
    write_csv,
    write_exports,
)
from sitefactory import PROGRAM, add_program, make_site, write

from sitegen.serve import server as serve


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return program_site(tmp_path)


def test_reads_the_local_form_services_files(tmp_path: Path) -> None:
    site = program_site(tmp_path)
    server = serve.start(site, "127.0.0.1", 0)
    try:
        enrol = enrol_maria(server.url, landing_page="/refer/")
        assert enrol[:3] == ["first_name", "email", "referral_code"]
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
    _, data = counted(
        site, (submissions / "enroll.csv", submissions / "appointment.csv", tmp_path / "visits.csv")
    )
    assert (data["enrolled"], data["referrals"], data["successful"], data["pending"]) == (1, 2, 1, 1)
    assert (data["median_days_to_appointment"], data["median_days_to_first_visit"]) == (0, 5)
    assert data["by_source"][0]["source"] == "sms" and data["by_source"][0]["referrals"] == 2
    assert [(r["first_name"], r["email"], r["owed"]) for r in data["rewards"]] == [
        ("Maria", "maria@example.com", 10)
    ]
    assert data["rewards"][0]["referral_id"]  # the id the local service gave the row
    assert data["flags"] == []


def test_a_share_link_during_a_campaign_credits_the_campaigns_reward(tmp_path: Path) -> None:
    """While a campaign runs, the thanks page's share link carries its utm_campaign (data-link-query, which
    refer.js appends to /r/CODE); the appointment form sends it (referral.js fills the hidden field from
    the address), and the report owes the campaign's own reward for that friend, not the program's."""
    today = datetime.now(UTC).date()
    site = program_site(tmp_path)  # $10 a friend
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
        enrol_maria(server.url)
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
    _, data = counted(site, (submissions / "enroll.csv", submissions / "appointment.csv", visits))
    assert [(r["reward"], r["owed"]) for r in data["rewards"]] == [("campaign: Friends now", 20)]
    assert {c["campaign"]: (c["title"], c["referrals"]) for c in data["by_campaign"]}["spring-friends"] == (
        "Friends now",
        1,
    )
    assert data["flags"] == []


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
    _, data = counted(site, (enroll, appointments, visits))
    assert (data["referrals"], data["successful"]) == (1, 1)
    assert data["by_month"][0]["month"] == "2026-02" and data["by_month"][1]["referrals"] == 1
    assert (data["median_days_to_appointment"], data["median_days_to_first_visit"]) == (1, 10)
    assert data["rewards"][0]["earned_on"] == "2026-03-11"


def test_refer_form_invitations_with_a_code_are_referrals(tmp_path: Path) -> None:
    site = program_site(tmp_path)
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
    _, data = counted(site, (enroll, appointments, visits), "--refers", refers)
    assert (
        data["referrals"] == 1 and data["successful"] == 1 and data["rewards"][0]["referral"] == f"{refers}:2"
    )
    assert [(f["kind"], f["row"]) for f in data["flags"]] == [("invitation_without_code", 3)]


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
    _, data = counted(site, (enroll, tmp_path / "a.csv", visits))
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


def test_non_finite_amounts_and_impossible_times_are_flagged_with_their_row(
    site: Path, tmp_path: Path
) -> None:
    enroll, appointments, visits = write_exports(
        tmp_path,
        [enrolment("Ann", "ann@example.com", "ANNA2345", "2026-01-02")],
        [request("Fred", "fred@example.org", "", "ANNA2345", "2026-01-01T25:00:00Z")],
        [
            ["x@example.org", "", "2026-02-01", "nan"],
            ["y@example.org", "", "2026-02-01", "inf"],
            ["z@example.org", "", "2026-02-01", "1e999"],
        ],
    )
    _, data = counted(site, (enroll, appointments, visits))
    found = [(Path(f["file"]).name, f["row"]) for f in data["flags"] if f["kind"] == "unreadable_row"]
    assert found == [("a.csv", 2), ("v.csv", 2), ("v.csv", 3), ("v.csv", 4)]
    assert data["referrals"] == 0


def test_a_long_path_in_a_message_keeps_the_files_name() -> None:
    """A flag names its export; in a deep folder the summary shortens the path from the left."""
    from sitegen.report.ingest import shown_path

    deep = "/" + "/".join(["folder"] * 30) + "/appointment.csv"
    assert shown_path(deep).startswith("…") and shown_path(deep).endswith("/appointment.csv")
    assert len(shown_path(deep)) == 80 and shown_path("/tmp/a.csv") == "/tmp/a.csv"
