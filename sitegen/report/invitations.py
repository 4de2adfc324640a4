"""The `refer` form's invitations: a patient gave a friend's email or phone; with a code, a referral."""

from __future__ import annotations

from datetime import date

from sitegen.report.ingest import CsvExport, Flag, normal_code, normal_email, normal_phone
from sitegen.report.records import Period, Read, Referral, request_referral


def invitations(refers: CsvExport, period: Period) -> Read[list[Referral]]:
    """The invitations up to the period's end with a code, as referrals; one without a code is flagged,
    then the export's own unreadable rows."""
    candidates: list[Referral] = []
    flags: list[Flag] = []
    last: date | None = None
    for number, day, values in refers.rows():
        if not period.reads(day):
            continue
        if last is None or day > last:
            last = day
        code = normal_code(values[0])
        if not code:
            flag = Flag(
                "invitation_without_code",
                refers.label,
                number,
                "an invitation of the refer form without a referral code: it names no advocate",
                day=day,
            )
            if period.shows(flag):
                flags.append(flag)
            continue
        email, phone = normal_email(values[2]), normal_phone(values[3])
        candidates.append(request_referral(values, code, day, email, phone, refers.label, number, "refer"))
    return Read(candidates, flags + refers.flags, last)
