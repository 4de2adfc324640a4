"""A campaign's referrer extra and the program's tiers, credited as the pages promise, once, month to month.

The site is the repository's own demo (content/): a tiered program (Friend at 1, Advocate at 3, Ambassador
at 5 successful referrals) and the holiday campaign (2026-11-20 to 2026-12-31) whose front matter gives a
$10 spend card per friend it brings, on top of the tiers, when the friend's first paid visit is by
2027-01-31. Every expected reward below was worked out by hand from the rows.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from programs import MAY_CAMPAIGN, UNCREDITABLE_CAMPAIGN_REWARDS
from reportfactory import (
    APPOINTMENT,
    ENROLL,
    VISITS,
    enrolment,
    program_site,
    request,
    saved_by_excel,
    write_csv,
)
from sitefactory import write

from sitegen.cli import main

ROOT = Path(__file__).resolve().parent.parent
HOLIDAY = "holiday-friends-2026"


def demo_exports(folder: Path) -> tuple[Path, Path, Path]:
    spanish = enrolment("Bea", "bea@example.com", "BEAA2345", "2026-10-01")
    spanish[6] = "/es/refer/"  # Bea enrolled on the Spanish page
    enroll = write_csv(
        folder / "e.csv", ENROLL, [enrolment("Ann", "ann@example.com", "ANNA2345", "2026-10-01"), spanish]
    )
    ann, bea = "ANNA2345", "BEAA2345"
    requests = [
        request("Fred", "fred@example.org", "", ann, "2026-11-05"),  # Ann's 1st: Friend tier (Nov)
        request("Gus", "gus@example.org", "", ann, "2026-12-01", "newsletter", HOLIDAY),  # 2nd: extra (Dec)
        request(
            "Hal", "hal@example.org", "", ann, "2026-12-05", "newsletter", HOLIDAY
        ),  # 3rd: Advocate+extra
        request("Ida", "ida@example.org", "", ann, "2026-12-28", "newsletter", HOLIDAY),  # 4th: extra (Jan)
        request(
            "Jay", "jay@example.org", "", ann, "2026-12-29", "newsletter", HOLIDAY
        ),  # 5th: visit too late
        request("Kit", "kit@example.org", "", ann, "2027-01-03", "newsletter", HOLIDAY),  # after the campaign
        request("Lou", "lou@example.org", "", bea, "2026-12-02", "newsletter", HOLIDAY),  # Bea's 1st: both
    ]
    visits = [
        ["ann@example.com", "", "2026-09-15", "120"],  # the referrers' own paid visits (the terms)
        ["bea@example.com", "", "2026-09-20", "120"],
        ["fred@example.org", "", "2026-11-12", "200"],
        ["gus@example.org", "", "2026-12-10", "200"],
        ["hal@example.org", "", "2026-12-20", "200"],
        ["ida@example.org", "", "2027-01-20", "200"],
        ["jay@example.org", "", "2027-02-02", "200"],  # after referrer_reward_by: the tier, no extra
        ["kit@example.org", "", "2027-01-25", "200"],
        ["lou@example.org", "", "2026-12-15", "200"],
    ]
    return (
        enroll,
        write_csv(folder / "a.csv", APPOINTMENT, requests),
        write_csv(folder / "v.csv", VISITS, visits),
    )


def run(site: Path, files: tuple[Path, ...], since: str, until: str, *ledgers: Path) -> tuple[dict, list]:
    out = files[0].parent / "reports"
    args = ["report", "--site", str(site), "--out", str(out), "--since", since, "--until", until]
    args += ["--enrollments", str(files[0]), "--appointments", str(files[1]), "--visits", str(files[2])]
    args += [arg for ledger in ledgers for arg in ("--ledger", str(ledger))]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((out / "rewards.csv").read_text(encoding="utf-8"))))
    return data, rows


def mark_given(rows: list[dict[str, str]], wanted: set[tuple[str, str]], path: Path, day: str) -> Path:
    """Staff fill in given_on and given_by in Excel (US: month first) and save as CSV with ';' and a BOM."""
    for row in rows:
        if (row["email"], row["reward"]) in wanted and not row["given_on"]:
            row["given_on"], row["given_by"] = day, "Rosa"
    return saved_by_excel(path, rows)


def owed(data: dict) -> list[tuple[str, str, str, float]]:
    return [(r["email"][:3], r["reward"], r["earned_on"], r["owed"]) for r in data["rewards"]]


EXTRA = "campaign: Holiday friends season"


def test_tiers_and_the_holiday_extra_are_owed_once_month_to_month(tmp_path: Path) -> None:
    files = demo_exports(tmp_path)
    november, rows = run(ROOT, files, "2026-11-01", "2026-11-30")
    assert owed(november) == [("ann", "Friend", "2026-11-12", 25.0)]
    ledger = mark_given(rows, {("ann@example.com", "Friend")}, tmp_path / "november.csv", "12/2/2026")

    december, rows = run(ROOT, files, "2026-12-01", "2026-12-31", ledger)
    # the 3rd referral reaches Advocate; each friend the campaign brought adds its $10, Hal's too
    assert owed(december) == [
        ("ann", EXTRA, "2026-12-10", 10.0),
        ("bea", "Friend", "2026-12-15", 25.0),
        ("bea", EXTRA, "2026-12-15", 10.0),
        ("ann", "Advocate", "2026-12-20", 75.0),
        ("ann", EXTRA, "2026-12-20", 10.0),
    ]
    assert [r["status"] for r in rows if r["reward"] == "Friend" and r["email"].startswith("ann")] == [
        "given"
    ]
    assert december["outstanding_total"] == 130.0
    # Bea enrolled in Spanish: the extra is named as the campaign's translation names it
    bea_extra = next(r for r in december["rewards"] if r["email"].startswith("bea") and r["reward"] == EXTRA)
    assert bea_extra["message"] == (
        "Hola, Bea: gracias por recomendar Larkspur Medical Aesthetics durante Temporada de amistades en "
        "las fiestas. Su recomendación tuvo éxito y una tarjeta de consumo Larkspur de $10 además de sus "
        "recompensas por nivel ya está en su cuenta."
    )
    ledger = mark_given(rows, {("ann@example.com", "Advocate")}, tmp_path / "december.csv", "1/4/2027")

    january, rows = run(ROOT, files, "2027-01-01", "2027-01-31", ledger)
    # Ida came through the campaign and visited by January 31: her extra; Kit asked after it ended: no
    # extra (a note of the campaign's dates), but the 5th successful referral reaches Ambassador
    assert owed(january) == [("ann", EXTRA, "2027-01-20", 10.0), ("ann", "Ambassador", "2027-01-25", 120.0)]
    assert any(f["kind"] == "outside_campaign_dates" and f["row"] == 7 for f in january["flags"])
    assert len(rows) == 8 and len({r["reward_id"] for r in rows}) == 8
    assert sorted(r["reward"] for r in rows if r["status"] == "given") == ["Advocate", "Friend"]
    assert january["outstanding_total"] == 10.0 * 4 + 25.0 + 120.0

    february, rows = run(ROOT, files, "2027-02-01", "2027-02-28", ledger)
    # Jay came through the campaign but visited after its referrer_reward_by: no extra, and no tier (6th)
    assert owed(february) == [] and not any(r["referral"].endswith(":6") for r in rows)
    assert [r["reward"] for r in rows].count("Advocate") == 1 and len(rows) == 8


def test_a_referrals_tier_and_campaign_extra_together_stay_within_its_limit(tmp_path: Path) -> None:
    """limits.per_referral is the most one referral earns: Hal's referral reaches Advocate ($75) and
    brings the holiday extra ($10); with a limit of $80 the extra is cut to $5, never $85 in all."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    program = site / "content" / "program.yaml"
    program.write_text(program.read_text().replace("per_referral: 120", "per_referral: 80"))
    december, _ = run(site, demo_exports(tmp_path), "2026-12-01", "2026-12-31")
    hal = [r for r in december["rewards"] if r["earned_on"] == "2026-12-20"]
    assert [(r["reward"], r["owed"]) for r in hal] == [("Advocate", 75.0), (EXTRA, 5.0)]
    assert hal[1]["capped_by"] == ["per_referral"]


def test_the_campaign_page_shows_its_extra_from_the_data(tmp_path: Path) -> None:
    out = tmp_path / "public"
    result = CliRunner().invoke(main, ["build", str(ROOT), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "campaigns" / "holiday-friends" / "index.html").read_text(encoding="utf-8")
    assert (
        "You receive a $10 Larkspur spend card on top of your tier rewards for each friend whose qualifying "
        'visit is by <time datetime="2027-01-31">January 31, 2027</time>.'
    ) in page
    spanish = (out / "es" / "campaigns" / "holiday-friends" / "index.html").read_text(encoding="utf-8")
    assert (
        "Usted recibe una tarjeta de consumo Larkspur de $10 además de sus recompensas por nivel" in spanish
    )


@pytest.mark.parametrize(("extra", "code", "line"), UNCREDITABLE_CAMPAIGN_REWARDS)
def test_a_campaign_reward_the_report_cannot_credit_is_located(
    tmp_path: Path, extra: str, code: str, line: int
) -> None:
    site = program_site(tmp_path)
    write(site, "campaigns/may.md", MAY_CAMPAIGN.format(extra=extra))
    files = demo_exports(tmp_path)
    result = CliRunner().invoke(
        main,
        ["report", "--site", str(site), "--out", str(tmp_path / "r"), "--enrollments", str(files[0])]
        + ["--appointments", str(files[1])],
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"content/campaigns/may.md:{line}: error[{code}]" in result.output, result.output
