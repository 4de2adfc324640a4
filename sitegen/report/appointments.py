"""The appointment requests, streamed: the ones with a referral code are referrals to weigh."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sitegen.report.codes import code_typed, probable_code, typed_message
from sitegen.report.identity import email_key
from sitegen.report.ingest import CsvExport, Flag, normal_code, normal_email, normal_phone
from sitegen.report.records import Advocate, Period, Read, Referral, request_referral


@dataclass(frozen=True)
class Requests:
    """The coded requests as referrals, the phones each inbox gave with its email, and how many
    requests (coded or not) fall in the period."""

    referrals: list[Referral]
    phones_of: dict[str, set[str]]
    in_period: int


def read_requests(appointments: CsvExport, owners: dict[str, Advocate], period: Period) -> Read[Requests]:
    """The requests up to the period's end. A code typed by hand in "Who referred you?" is credited only
    when it is certainly an enrolled one (`owners`); otherwise it is flagged for staff, then the export's
    own unreadable rows."""
    candidates: list[Referral] = []
    phones_of: dict[str, set[str]] = defaultdict(set)
    flags: list[Flag] = []
    requests_in_period = 0
    last: date | None = None
    label = appointments.label
    since, until = period.since, period.until
    for number, day, values in appointments.rows():
        if until is not None and day > until:
            continue
        if last is None or day > last:
            last = day
        if since is None or day >= since:
            requests_in_period += 1
        raw_code, _, raw_email, raw_phone, _, _, _, _, raw_typed = values
        email, phone = normal_email(raw_email), normal_phone(raw_phone)
        inbox = email_key(email) if email else ""
        if inbox and phone:
            phones_of[inbox].add(phone)
        code, typed = normal_code(raw_code), ""
        if not code and raw_typed.strip():  # typed by hand: credited only when it is certainly a code
            typed = raw_typed.strip()
            code = code_typed(typed, owners)
            if not code:
                flag = _not_a_code(label, number, day, typed, owners)
                if period.shows(flag):
                    flags.append(flag)
        if code:
            candidates.append(
                request_referral(values, code, day, email, phone, label, number, "appointment", typed, inbox)
            )
    return Read(Requests(candidates, phones_of, requests_in_period), flags + appointments.flags, last)


def _not_a_code(label: str, number: int, day: date, typed: str, owners: dict[str, Advocate]) -> Flag:
    """A flag for staff: what was typed is probably a mistyped code, or names the referrer otherwise."""
    suggestion = probable_code(typed, owners)
    return Flag(
        "probably_mistyped_code" if suggestion else "referrer_named_not_coded",
        label,
        number,
        typed_message(typed, suggestion),
        day=day,
        typed=typed,
        suggested=suggestion,
    )
