"""The `refer` form's invitations: a patient gave a friend's email or phone; with a code, a referral."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sitegen.report.ingest import CsvExport, Flag, normal_code, normal_email, normal_phone
from sitegen.report.records import Referral


def invitations(
    refers: CsvExport, until: date | None, latest: list[date], note_flag: Callable[[Flag], None]
) -> list[Referral]:
    """The invitations with a code, as referrals; one without a code is flagged. Each day read is added to
    `latest` (the report's last day is the last date in the exports)."""
    candidates: list[Referral] = []
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
        if until is not None and day > until:
            continue
        latest.append(day)
        code = normal_code(raw_code)
        email, phone = normal_email(raw_email), normal_phone(raw_phone)
        if not code:
            note_flag(
                Flag(
                    "invitation_without_code",
                    refers.label,
                    number,
                    "an invitation of the refer form without a referral code: it names no advocate",
                    day=day,
                )
            )
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
    return candidates
