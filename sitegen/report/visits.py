"""The visits export: an index of visits by person, and the referrals the front desk recorded with a code."""

from __future__ import annotations

from datetime import date

from sitegen.report.identity import email_key
from sitegen.report.ingest import (
    CsvExport,
    Flag,
    normal_code,
    normal_email,
    normal_phone,
    parse_amount,
    shown,
)
from sitegen.report.records import FRONT_DESK, Period, Read, Referral, VisitIndex


def read_visits(visits: CsvExport | None, period: Period) -> Read[VisitIndex]:
    """The visits up to the period's end, indexed by email and phone, with the coded ones kept aside;
    a visit naming nobody, or with an amount that is not a number, is flagged and not counted. Without
    a visits export, an empty index."""
    index = VisitIndex()
    if visits is None:
        return Read(index, [], None)
    flags: list[Flag] = []
    last: date | None = None
    has_amount = "amount" in visits.present
    for number, day, (_, raw_email, raw_phone, amount, raw_code, ref_id) in visits.rows():
        if not period.reads(day):
            continue
        if last is None or day > last:
            last = day
        email, phone = normal_email(raw_email), normal_phone(raw_phone)
        if not email and not phone:
            flags.append(
                Flag("unreadable_row", visits.label, number, "the visit names neither an email nor a phone")
            )
            continue
        paid = True
        if has_amount:
            try:
                paid = parse_amount(amount) > 0
            except ValueError:
                flags.append(
                    Flag(
                        "unreadable_row",
                        visits.label,
                        number,
                        f'amount "{shown(amount)}" is not a number (nan, inf and 1e999 are not '
                        "amounts): the visit is not counted",
                    )
                )
                continue
        index.add(day, email_key(email), phone, paid)
        code = normal_code(raw_code)
        if code:
            index.coded.append((day, number, code, email, phone, ref_id.strip()))
    index.finish()
    index.has_amount = has_amount
    return Read(index, flags + visits.flags, last)


def front_desk(index: VisitIndex, label: str, requested: list[Referral]) -> list[Referral]:
    """A coded visit of someone who never sent a coded request (nor was invited with a code) is a
    referral made at the front desk: their first coded visit, in date order."""
    requested_emails = {r.email_key for r in requested if r.email_key}
    requested_phones = {r.phone for r in requested if r.phone}
    seen_people: set[str] = set()
    found = []
    for day, number, code, email, phone, ref_id in sorted(index.coded):
        if (email and email_key(email) in requested_emails) or (phone and phone in requested_phones):
            continue
        person = email_key(email) or phone
        if person in seen_people:
            continue
        seen_people.add(person)
        found.append(Referral(code, day, email, phone, FRONT_DESK, "", "", label, number, ref_id, "visit"))
    return found
