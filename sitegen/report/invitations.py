"""The `refer` form's invitations: a patient gave a friend's email or phone; with a code, a referral."""

from __future__ import annotations

from datetime import date

from sitegen.report.ingest import CsvExport, Flag, normal_code, normal_email, normal_phone
from sitegen.report.records import Period, Read, Referral


def invitations(refers: CsvExport, period: Period) -> Read[list[Referral]]:
    """The invitations up to the period's end with a code, as referrals; one without a code is flagged,
    then the export's own unreadable rows."""
    candidates: list[Referral] = []
    flags: list[Flag] = []
    last: date | None = None
    for number, day, (
        raw_code,
        _,
        raw_email,
        raw_phone,
        source,
        medium,
        campaign,
        ref_id,
    ) in refers.rows():
        if not period.reads(day):
            continue
        if last is None or day > last:
            last = day
        code = normal_code(raw_code)
        email, phone = normal_email(raw_email), normal_phone(raw_phone)
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
        candidates.append(
            Referral(
                code,
                day,
                email,
                phone,
                source.strip(),
                medium.strip(),
                campaign.strip(),
                refers.label,
                number,
                ref_id.strip(),
                "refer",
            )
        )
    return Read(candidates, flags + refers.flags, last)
