"""`sitegen report`'s rewards, checked by hand: the program's limits and tiers, the compliance review note,
rewards.csv for staff, a campaign's own reward, front-desk referrals, codes typed in "Who referred you?",
and the same person written another way."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from reportfactory import (
    APPOINTMENT,
    ENROLL,
    VISITS,
    counted,
    enrolment,
    one_advocate,
    program,
    program_site,
    report,
    request,
    write_csv,
    write_exports,
)
from sitefactory import add_program, make_site, write

from sitegen.site.refcode import is_valid_code, make_code, readable, suggest_code


def test_limits_cut_rewards_per_referral_per_year_and_referrals_per_year(tmp_path: Path) -> None:
    site = program_site(
        tmp_path, program("direct", "limits: {per_referral: 30, per_year: 70, referrals_per_year: 3}\n")
    )
    files = one_advocate(tmp_path, ["2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01", "2027-01-20"])
    output, data = counted(site, files)
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
    _, later = counted(site, files, "--since", "2026-04-01", "--until", "2026-12-31")
    assert [(r["earned_on"], r["owed"]) for r in later["rewards"]] == [("2026-04-01", 10), ("2026-05-01", 0)]


def test_tiers_are_reached_by_successful_referrals_and_limits_apply_to_them(tmp_path: Path) -> None:
    site = program_site(tmp_path, program("tiered", "limits: {per_referral: 75, per_year: 150}\n"))
    files = one_advocate(
        tmp_path, ["2026-02-01", "2026-02-15", "2026-03-01", "2026-03-15", "2026-04-01", "2026-04-15"]
    )
    _, data = counted(site, files)
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
    _, march = counted(site, files, "--until", "2026-03-10")
    assert march["advocates"][0]["tier"] == "Advocate" and march["advocates"][0]["successful_to_date"] == 3


def test_rewards_above_the_compliance_limits_are_marked_for_review_when_payers_are_mixed(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path)
    add_program(
        site, program("direct", "compliance: {payer_scope: mixed, per_item_limit: 15, per_year_limit: 75}\n")
    )
    files = one_advocate(tmp_path, ["2026-02-01"])
    _, data = counted(site, files)
    assert data["rewards"][0]["owed"] == 40  # the program's own limits decide what is owed...
    assert (
        data["rewards"][0]["note"]
        == "above the per-item limit of 15 (payer scope mixed): review before giving"
    )


def test_rewards_csv_is_for_staff_and_cannot_carry_a_formula(tmp_path: Path) -> None:
    site = program_site(tmp_path, program("direct", "limits: {per_referral: 30}\n"))
    enroll, appointments, visits = write_exports(
        tmp_path,
        [enrolment('=HYPERLINK("http://evil.example")', "ann@example.com", "ANNA2345", "2026-01-02")],
        [request("Fred", "fred@example.org", "", "ANNA2345", "2026-02-01T12:00:00Z")],
        [["fred@example.org", "", "2026-02-11", "90"]],
    )
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


def test_a_campaigns_own_referrer_reward_is_owed_for_the_friends_it_brought_while_it_ran(
    tmp_path: Path,
) -> None:
    """Direct program: $10 a friend; the May campaign gives $20 for a friend whose request came through it
    in May; a request naming it in June, or naming nothing, earns the program's $10."""
    site = program_site(tmp_path)
    write(
        site,
        "campaigns/may-friends.md",
        "---\ntitle: May friends\nsummary: Friends in May.\nstart: 2026-05-01\n"
        "end: 2026-05-31\noffer: Double credit.\nreferrer_reward:\n  kind: credit\n"
        "  value: 20\n  description: a $20 account credit\n---\nText.\n",
    )
    enroll, appointments, visits = write_exports(
        tmp_path,
        [enrolment("Ann", "ann@example.com", "ANNA2345", "2026-02-01")],
        [
            request("Cal", "cal@example.org", "", "ANNA2345", "2026-05-10", "email", "may-friends"),
            request(
                "Dee", "dee@example.org", "", "ANNA2345", "2026-06-03", "email", "may-friends"
            ),  # after it ended
            request(
                "Eve", "eve@example.org", "", "ANNA2345", "2026-05-12"
            ),  # in May, not through the campaign
        ],
        [
            ["cal@example.org", "", "2026-05-20", "90"],
            ["dee@example.org", "", "2026-06-10", "90"],
            ["eve@example.org", "", "2026-05-22", "90"],
        ],
    )
    _, data = counted(site, (enroll, appointments, visits))
    assert [(r["earned_on"], r["reward"], r["description"], r["owed"]) for r in data["rewards"]] == [
        ("2026-05-20", "campaign: May friends", "a $20 account credit", 20),
        ("2026-05-22", "per referral", "a $10 account credit", 10),
        ("2026-06-10", "per referral", "a $10 account credit", 10),
    ]
    assert data["rewards_owed"] == 40
    assert not any("adjust rewards" in note for note in data["notes"])


def test_front_desk_referrals_and_enrolment_and_campaign_flags(tmp_path: Path) -> None:
    site = program_site(tmp_path)
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
    _, data = counted(site, (enroll, appointments, visits))
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


WHO = "Who referred you? (name or code)"  # the field's label: some services export labels, not names


def test_who_referred_you_credits_codes_and_flags_names_for_staff(tmp_path: Path) -> None:
    """Without JavaScript `referral_code` is empty and the friend types in "Who referred you?". Ann's code
    was made before codes had a check character (known, although not valid); Ben's has one."""
    site = program_site(tmp_path)  # $10 a friend
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
    output, data = counted(site, (enroll, appointments, visits))
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
    site = program_site(tmp_path, program("tiered", ""))
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
    _, data = counted(site, (enroll, appointments, visits))
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
