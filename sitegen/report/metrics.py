"""Joining the exports on the referral code, deciding which referrals count and which succeeded.

The exports are read once each: enrolments first (who owns which code), then visits (an index by
email and phone), then the appointment requests as a stream. Referrals are then weighed in date
order, so "the first referral of a friend" and the per-year limits mean what they say even when an
export is not sorted. docs/report.md defines every number; the names here follow it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sitegen.models.referral import Campaign, Program
from sitegen.report.codes import code_typed, probable_code, typed_message, unknown_message
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
from sitegen.report.invitations import invitations
from sitegen.report.records import FRONT_DESK, Advocate, Analysis, Referral, VisitIndex


def analyse(
    program: Program,
    campaigns: Iterable[Campaign],
    enrollments: CsvExport,
    appointments: CsvExport,
    visits: CsvExport | None,
    since: date | None,
    until: date | None,
    refers: CsvExport | None = None,
    languages: tuple[str, ...] = ("en",),
) -> Analysis:
    flags: list[Flag] = []
    latest: list[date] = []
    start, end = program.report.start or program.terms.effective, program.report.end
    by_campaign = {(c.utm_campaign or c.slug).lower(): c for c in campaigns}

    def keep(day: date) -> bool:
        return until is None or day <= until

    def note_flag(flag: Flag) -> None:
        if flag.day is None or (since is None or flag.day >= since):
            flags.append(flag)

    # 1. enrolments: who owns which code (the first enrolment of a code is credited)
    rows = sorted((row for row in enrollments.rows() if keep(row[1])), key=lambda row: row[:2])
    owners: dict[str, Advocate] = {}
    people: dict[str, Advocate] = {}
    charities = {c.name.casefold(): c.name for c in program.charities}
    for number, day, values in rows:
        raw_code, _, raw_email, first_name, source, medium, campaign, _, charity, landing, language = values
        latest.append(day)
        code, email = normal_code(raw_code), normal_email(raw_email)
        if not code:
            note_flag(
                Flag(
                    "enrolment_without_code",
                    enrollments.label,
                    number,
                    "an enrolment without a referral code (sent with JavaScript off?): no referral can name "
                    "it",
                    day=day,
                )
            )
            continue
        if code in owners:
            same = email == owners[code].email
            note_flag(
                Flag(
                    "duplicate_enrolment",
                    enrollments.label,
                    number,
                    "the same code enrolled again by the same email"
                    if same
                    else "this code was enrolled before with another email; the first enrolment is credited",
                    code=code,
                    day=day,
                )
            )
            continue
        key = email or f"code:{code}"
        advocate = people.get(key)
        if advocate is None:
            advocate = people[key] = Advocate(
                key, first_name.strip(), email, day, source.strip(), medium.strip(), campaign.strip()
            )
            advocate.language = _language(language, landing, languages)
            if program.model == "charitable":
                advocate.charity = charities.get(charity.strip().casefold(), "")
                if not advocate.charity:
                    note_flag(
                        Flag(
                            "charity_not_chosen",
                            enrollments.label,
                            number,
                            (
                                f'"{shown(charity)}" is not one of the program\'s charities'
                                if charity.strip()
                                else "no charity was chosen"
                            )
                            + ": the donations are listed as (not chosen) until staff ask",
                            code=code,
                            day=day,
                        )
                    )
        advocate.codes.append(code)
        owners[code] = advocate
    flags.extend(enrollments.flags)

    # 2. visits: an index by person, and the visits the front desk recorded with a code
    index = VisitIndex()
    if visits is not None:
        has_amount = "amount" in visits.present
        for number, day, (_, raw_email, raw_phone, amount, raw_code, ref_id) in visits.rows():
            if not keep(day):
                continue
            latest.append(day)
            email, phone = normal_email(raw_email), normal_phone(raw_phone)
            if not email and not phone:
                flags.append(
                    Flag(
                        "unreadable_row", visits.label, number, "the visit names neither an email nor a phone"
                    )
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
        flags.extend(visits.flags)

    # 3. appointment requests, streamed: the ones with a code are referrals to weigh
    candidates: list[Referral] = []
    phones_of: dict[str, set[str]] = defaultdict(set)
    requests_in_period = 0
    label = appointments.label
    for number, day, (
        raw_code,
        _,
        raw_email,
        raw_phone,
        source,
        medium,
        campaign,
        ref_id,
        raw_typed,
    ) in appointments.rows():
        if until is not None and day > until:
            continue
        latest.append(day)
        if since is None or day >= since:
            requests_in_period += 1
        email, phone = normal_email(raw_email), normal_phone(raw_phone)
        if email and phone:
            phones_of[email_key(email)].add(phone)
        code, typed = normal_code(raw_code), ""
        if not code and raw_typed.strip():  # typed by hand: credited only when it is certainly a code
            typed = raw_typed.strip()
            code = code_typed(typed, owners)
            if not code:
                suggestion = probable_code(typed, owners)
                note_flag(
                    Flag(
                        "probably_mistyped_code" if suggestion else "referrer_named_not_coded",
                        label,
                        number,
                        typed_message(typed, suggestion),
                        day=day,
                        typed=typed,
                        suggested=suggestion,
                    )
                )
        if code:
            candidates.append(
                Referral(
                    code,
                    day,
                    email,
                    phone,
                    source.strip(),
                    medium.strip(),
                    campaign.strip(),
                    label,
                    number,
                    ref_id.strip(),
                    "appointment",
                    typed=typed,
                )
            )
    flags.extend(appointments.flags)

    # 3b. the `refer` form: a patient gave the friend's contact; with a code, the friend is a referral
    if refers is not None:
        candidates += invitations(refers, until, latest, note_flag)
        flags.extend(refers.flags)

    # 4. a coded visit of someone who never sent a coded request is a referral made at the front desk
    requested_emails = {r.email_key for r in candidates if r.email_key}
    requested_phones = {r.phone for r in candidates if r.phone}
    seen_people: set[str] = set()
    for day, number, code, email, phone, ref_id in sorted(index.coded):
        if (email and email_key(email) in requested_emails) or (phone and phone in requested_phones):
            continue
        person = email_key(email) or phone
        if person in seen_people:
            continue
        seen_people.add(person)
        assert visits is not None
        candidates.append(
            Referral(code, day, email, phone, FRONT_DESK, "", "", visits.label, number, ref_id, "visit")
        )

    for advocate in people.values():
        if advocate.email:
            advocate.phones |= phones_of.get(advocate.email_key, set()) | index.phones_of.get(
                advocate.email_key, set()
            )

    # 5. weigh every referral in date order
    candidates.sort(key=lambda r: (r.day, r.origin != "appointment", r.row))
    counted: list[Referral] = []
    friends_emails: set[str] = set()
    friends_phones: set[str] = set()
    within = timedelta(days=program.success.within_days)
    new_patient = timedelta(days=program.report.new_patient_days)
    paid_only = program.success.event == "first_paid_visit" and index.has_amount
    for referral in candidates:
        referral.in_period = since is None or referral.day >= since
        flag = _flagger(flags, referral)
        advocate = owners.get(referral.code)
        if advocate is None:
            suggestion = probable_code(referral.code, owners)
            kind = "probably_mistyped_code" if suggestion else "unknown_code"
            flag(kind, unknown_message(referral.code, suggestion), suggestion)
            continue
        referral.advocate = advocate
        same_inbox = bool(referral.email_key) and referral.email_key == advocate.email_key
        if same_inbox or (referral.phone and referral.phone in advocate.phones):
            flag(
                "self_referral",
                "the friend has the advocate's own " + ("email" if same_inbox else "phone number"),
            )
            continue
        if referral.day < start or (end is not None and referral.day > end):
            flag(
                "outside_program_dates",
                f"requested on {referral.day}, outside the program's dates ({start} to {end or 'today'})",
            )
            continue
        if (referral.email_key and referral.email_key in friends_emails) or (
            referral.phone and referral.phone in friends_phones
        ):
            flag("duplicate_friend", "this friend was referred before; only their first referral counts")
            continue
        history = index.of(referral.email_key, referral.phone)
        first = bisect.bisect_left(history, (referral.day, False))  # the first visit on or after the request
        if first and history[first - 1][0] >= referral.day - new_patient:
            flag(
                "existing_patient",
                f"the friend visited on {history[first - 1][0]}, before this referral: not a new patient",
            )
            continue
        if referral.email_key:
            friends_emails.add(referral.email_key)
        if referral.phone:
            friends_phones.add(referral.phone)
        if first < len(history):
            referral.first_visit = history[first][0]
            qualifying = next((day for day, paid in history[first:] if paid or not paid_only), None)
            if qualifying is not None and qualifying - referral.day <= within:
                referral.success_on = qualifying
        campaign = by_campaign.get(referral.utm_campaign.lower()) if referral.utm_campaign else None
        if campaign is not None and not campaign.start <= referral.day <= campaign.end:
            flag(
                "outside_campaign_dates",
                f'utm_campaign "{shown(referral.utm_campaign)}" names the campaign '
                f"{campaign.title!r} ({campaign.start} to {campaign.end}); the referral "
                "counts under the program's own rewards",
            )
        elif campaign is not None:
            referral.campaign = campaign
        counted.append(referral)

    notes: list[str] = []
    if visits is None:
        notes.append(
            "No visits export was given (--visits): successful referrals, conversion and rewards cannot "
            "be known, so they are left empty."
        )
    elif program.success.event == "first_paid_visit" and not index.has_amount:
        notes.append("The visits export has no amount column: every visit is counted as a paid visit.")
    brought = {r.campaign.title for r in counted if r.campaign is not None}
    for campaign in by_campaign.values():
        if campaign.referrer_reward is None and campaign.title in brought:
            notes.append(
                f"The campaign {campaign.title!r} brought referrals and promises: {campaign.offer} It has no "
                "referrer_reward in its front matter, so the report credits nothing extra for it: add one "
                "(kind, value, description) to have it credited."
            )
    as_of = until or (max(latest) if latest else date.today())
    analysis = Analysis(
        program,
        since,
        until,
        as_of,
        start,
        end,
        visits is not None,
        list(people.values()),
        counted,
        sorted(flags, key=lambda f: (f.file, f.row, f.kind)),
        requests_in_period,
        by_campaign,
        notes,
        index,
    )
    for referral in counted:
        referral.status = analysis.status(referral)
    return analysis


def _flagger(flags: list[Flag], referral: Referral):  # type: ignore[no-untyped-def]
    """Flags a referral; one before --since was flagged in an earlier period's report, and is not again."""

    def flag(kind: str, message: str, suggested: str = "") -> None:
        if referral.in_period:
            flags.append(
                Flag(
                    kind,
                    referral.file,
                    referral.row,
                    message,
                    referral.code,
                    referral.day,
                    referral.typed,
                    suggested,
                )
            )

    return flag


def _language(column: str, landing_page: str, languages: tuple[str, ...]) -> str:
    """The site language of an enrolment: a language column, else the enrol page's /es/ prefix, else the
    site's main language."""
    if column.strip().lower()[:2] in languages:
        return column.strip().lower()[:2]
    first = landing_page.strip().lstrip("/").split("/", 1)[0].lower()
    return first if first in languages[1:] else languages[0]
