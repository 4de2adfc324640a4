"""Benchmark of `sitegen report`: one year of a busy group practice, 100,000 appointment rows.

    python bench/report.py                  # 100,000 appointment requests, timed (wall and CPU)
    python bench/report.py --rows 400 --keep /tmp/sample   # a small sample, kept (exports, site, reports)
    python bench/report.py --keep /tmp/bench --only-generate   # the exports only, to time the command:
    /usr/bin/time -v sitegen report --site /tmp/bench/site --enrollments /tmp/bench/enroll.csv \
        --appointments /tmp/bench/appointment.csv --visits /tmp/bench/visits.csv --out /tmp/bench/reports

The exports are synthetic and deterministic (the same --rows always gives the same files), in the
columns `sitegen serve`'s local form service writes (written as the report tests write theirs,
tests/reportfactory.py), with every kind of flag sprinkled in; nine in ten
advocates have a paid visit of their own (the demo's terms ask for one), so thousands of rewards are
credited, given messages and written to the ledger. The
target from issue 7: under 5 seconds for 100,000 appointment rows, each file read once.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from reportfactory import APPOINTMENT, ENROLL, VISITS, write_csv  # noqa: E402
from sitefactory import make_site, write  # noqa: E402

from sitegen.report import run_report  # noqa: E402

FIRST = [
    "Maria",
    "Ann",
    "Bob",
    "Chen",
    "Dana",
    "Eli",
    "Fatima",
    "Gus",
    "Hana",
    "Ivan",
    "Jo",
    "Kim",
    "Lena",
    "Malik",
    "Nora",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sam",
    "Tia",
    "Uma",
    "Vic",
    "Wen",
    "Yara",
    "Zoe",
]
SOURCES = [
    ("email", "newsletter", ""),
    ("sms", "share", ""),
    ("", "", ""),
    ("instagram", "social", "may-friends"),
    ("email", "newsletter", "spring-glow"),
]
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PROGRAM = (ROOT / "content" / "program.yaml").read_text(encoding="utf-8")


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(folder: Path, rows: int, seed: int = 7) -> tuple[Path, Path, Path]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, 14, tzinfo=UTC)
    advocates = []
    enroll_rows = []
    advocate_visits: list[list[str]] = []
    for i in range(max(10, rows // 20)):
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
        email = f"advocate{i}@example.com"
        when = start + timedelta(days=rng.randrange(0, 300), minutes=rng.randrange(600))
        source = rng.choice(SOURCES)
        advocates.append((code, email, when))
        if rng.random() < 0.9:  # the terms ask for the referrer's own paid visit: most have one
            own = when - timedelta(days=rng.randrange(1, 60))
            advocate_visits.append([email, "", own.date().isoformat(), "120", ""])
        enroll_rows.append([rng.choice(FIRST), email, code, *source, "/refer/", "", stamp(when), f"e{i}"])
    appointment_rows, visit_rows = [], advocate_visits
    for i in range(rows):
        email, phone = f"friend{i}@example.org", f"512-{200 + i // 10000:03d}-{i % 10000:04d}"
        source = rng.choice(SOURCES)
        code, when = "", start + timedelta(days=rng.randrange(0, 365), minutes=rng.randrange(600))
        if rng.random() < 0.4:
            advocate = rng.choice(advocates)
            code = advocate[0]
            when = advocate[2] + timedelta(days=int(rng.expovariate(1 / 20)), hours=rng.randrange(48))
            roll = rng.random()
            if roll < 0.01:
                email = advocate[1]  # a self-referral
            elif roll < 0.02:
                code = "ZZZZ2222"  # an unknown code
            elif roll < 0.03 and i:
                email = f"friend{i - 1}@example.org"  # a duplicate friend
        if rng.random() < 0.45:
            visit = when + timedelta(days=int(rng.expovariate(1 / 12)))
            visit_rows.append(
                [email, phone, visit.date().isoformat(), rng.choice(["0", "150", "325.50", "90"]), ""]
            )
        created = stamp(when) if rng.random() > 0.001 else "yesterday"  # an unreadable row now and then
        appointment_rows.append(
            [
                rng.choice(FIRST),
                email,
                phone,
                "Main office",
                "Weekday morning",
                code,
                *source,
                "/welcome/",
                "",
                created,
                f"a{i}",
            ]
        )
    return (
        write_csv(folder / "enroll.csv", ENROLL, enroll_rows),
        write_csv(folder / "appointment.csv", APPOINTMENT, appointment_rows),
        write_csv(folder / "visits.csv", VISITS + ["referral_code"], visit_rows),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000, help="appointment rows (default 100,000)")
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep the exports, site and reports in this folder"
    )
    parser.add_argument(
        "--only-generate",
        action="store_true",
        help="write the exports and the site into --keep and stop (to time `sitegen report` as a process)",
    )
    args = parser.parse_args()
    if args.only_generate and args.keep is None:
        parser.error("--only-generate needs --keep")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="sitegen-report-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        site = folder / "site"
        if not site.exists():
            make_site(folder)
            write(site, "program.yaml", PROGRAM.replace("effective: 2026-03-01", "effective: 2025-12-01"))
        enroll, appointments, visits = generate(folder, args.rows)
        if args.only_generate:
            print(
                f"{folder}: time it with\n  sitegen report --site {site} --enrollments {enroll} "
                f"--appointments {appointments} --visits {visits} --out {folder / 'reports'}"
            )
            return
        began, cpu = time.perf_counter(), time.process_time()
        result = run_report(site, enroll, appointments, visits, folder / "reports")
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        data = result.data
        print(
            f"{args.rows:,} appointment rows, {data['files']['enrollments']['rows']:,} enrolments, "
            f"{data['files']['visits']['rows']:,} visits: {seconds:.2f}s wall, {cpu:.2f}s CPU "
            f"({data['referrals']:,} referrals, {data['successful']:,} successful, {len(data['rewards']):,} "
            f"rewards, {len(data['flags']):,} flags; load average {os.getloadavg()[0]:.1f})"
        )
        ledger = folder / "ledger.csv"  # the month after: last report's rewards.csv read back as the ledger
        shutil.copy(folder / "reports" / "rewards.csv", ledger)
        began, cpu = time.perf_counter(), time.process_time()
        again = run_report(site, enroll, appointments, visits, folder / "reports", ledgers=[ledger])
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        print(
            f"again with its rewards.csv as --ledger ({len(again.data['ledger']['rewards']):,} rewards): "
            f"{seconds:.2f}s wall, {cpu:.2f}s CPU"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
