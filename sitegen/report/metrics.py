"""Joining the exports on the referral code, deciding which referrals count and which succeeded.

The exports are read once each: enrolments first (who owns which code), then visits (an index by
email and phone), then the appointment requests as a stream. Referrals are then weighed in date
order, so "the first referral of a friend" and the per-year limits mean what they say even when an
export is not sorted. docs/report.md defines every number; the names here follow it.
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sitegen.models.referral import Campaign, Program
from sitegen.report.ingest import (
    CsvExport,
    Flag,
    normal_code,
    normal_email,
    normal_phone,
    parse_amount,
    shown,
)

NONE = "(none)"
FRONT_DESK = "(front desk)"


@dataclass(slots=True, eq=False)
class Advocate:
    """A patient who enrolled: one person (by email), however many codes they made."""

    key: str
    first_name: str
    email: str
    enrolled_on: date
    utm_source: str
    utm_medium: str
    utm_campaign: str
    codes: list[str] = field(default_factory=list)
    phones: set[str] = field(default_factory=set)


@dataclass(slots=True, eq=False)
class Referral:
    """An appointment request with a referral code (or a visit the front desk recorded with one)."""

    code: str
    day: date
    email: str
    phone: str
    utm_source: str
    utm_medium: str
    utm_campaign: str
    file: str
    row: int
    ref_id: str
    origin: str  # "appointment" or "visit"
    advocate: Advocate | None = None
    first_visit: date | None = None
    success_on: date | None = None
    in_period: bool = True
    status: str = ""  # successful, pending, not_successful, or unknown without visits (Analysis.status)
    campaign: Campaign | None = (
        None  # the campaign of content/campaigns/ its utm_campaign names, when it ran that day
    )

    @property
    def where(self) -> str:
        return f"{self.file}:{self.row}"

    @property
    def days_to_appointment(self) -> int:
        """Days from the advocate's enrolment to this request (0 when the clocks disagree)."""
        assert self.advocate is not None
        return max(0, (self.day - self.advocate.enrolled_on).days)

    @property
    def days_to_first_visit(self) -> int | None:
        if self.first_visit is None or self.origin != "appointment":
            return None
        return (self.first_visit - self.day).days


class VisitIndex:
    """Visits from the practice-management export, by email and by phone, each list sorted by day."""

    def __init__(self) -> None:
        self.by_email: dict[str, list[tuple[date, bool]]] = defaultdict(list)
        self.by_phone: dict[str, list[tuple[date, bool]]] = defaultdict(list)
        self.phones_of: dict[str, set[str]] = defaultdict(set)
        self.coded: list[tuple[date, int, str, str, str, str]] = []  # day, row, code, email, phone, id
        self.has_amount = False

    def add(self, day: date, email: str, phone: str, paid: bool) -> None:
        if email:
            self.by_email[email].append((day, paid))
        if phone:
            self.by_phone[phone].append((day, paid))
        if email and phone:
            self.phones_of[email].add(phone)

    def finish(self) -> None:
        for index in (self.by_email, self.by_phone):
            for visits in index.values():
                visits.sort()

    def of(self, email: str, phone: str) -> list[tuple[date, bool]]:
        by_email = self.by_email.get(email) if email else None
        by_phone = self.by_phone.get(phone) if phone else None
        if not by_phone:
            return by_email or []
        if not by_email or by_email == by_phone:
            return by_phone
        return sorted(set(by_email) | set(by_phone))


@dataclass
class Analysis:
    """Everything the numbers are made from, before they are counted for the period."""

    program: Program
    since: date | None
    until: date | None
    as_of: date
    start: date
    end: date | None
    visits_given: bool
    advocates: list[Advocate]
    referrals: list[Referral]  # counted ones, all history up to --until, in date order
    flags: list[Flag]
    requests_in_period: int
    campaigns: dict[str, Campaign]
    notes: list[str]

    def in_period(self, day: date) -> bool:
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def status(self, referral: Referral) -> str:
        """successful, pending (its window is still open), not_successful, or unknown without visits."""
        if not self.visits_given:
            return "unknown"
        if referral.success_on is not None:
            return "successful"
        if self.as_of < referral.day + timedelta(days=self.program.success.within_days):
            return "pending"
        return "not_successful"


def analyse(
    program: Program,
    campaigns: Iterable[Campaign],
    enrollments: CsvExport,
    appointments: CsvExport,
    visits: CsvExport | None,
    since: date | None,
    until: date | None,
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
    for number, day, (raw_code, _, raw_email, first_name, source, medium, campaign, _) in rows:
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
                            f'amount "{shown(amount)}" is not a number',
                        )
                    )
                    continue
            index.add(day, email, phone, paid)
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
    ) in appointments.rows():
        if until is not None and day > until:
            continue
        latest.append(day)
        if since is None or day >= since:
            requests_in_period += 1
        email, phone = normal_email(raw_email), normal_phone(raw_phone)
        if email and phone:
            phones_of[email].add(phone)
        code = normal_code(raw_code)
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
                )
            )
    flags.extend(appointments.flags)

    # 4. a coded visit of someone who never sent a coded request is a referral made at the front desk
    requested_emails = {r.email for r in candidates if r.email}
    requested_phones = {r.phone for r in candidates if r.phone}
    seen_people: set[str] = set()
    for day, number, code, email, phone, ref_id in sorted(index.coded):
        if (email and email in requested_emails) or (phone and phone in requested_phones):
            continue
        person = email or phone
        if person in seen_people:
            continue
        seen_people.add(person)
        assert visits is not None
        candidates.append(
            Referral(code, day, email, phone, FRONT_DESK, "", "", visits.label, number, ref_id, "visit")
        )

    for advocate in people.values():
        if advocate.email:
            advocate.phones |= phones_of.get(advocate.email, set()) | index.phones_of.get(
                advocate.email, set()
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
            flag(
                "unknown_code",
                f'no enrolment has the code "{shown(referral.code)}" (was the enrolments export '
                "made before this advocate enrolled?)",
            )
            continue
        referral.advocate = advocate
        if (referral.email and referral.email == advocate.email) or (
            referral.phone and referral.phone in advocate.phones
        ):
            flag(
                "self_referral",
                "the friend has the advocate's own "
                + ("email" if referral.email and referral.email == advocate.email else "phone number"),
            )
            continue
        if referral.day < start or (end is not None and referral.day > end):
            flag(
                "outside_program_dates",
                f"requested on {referral.day}, outside the program's dates ({start} to {end or 'today'})",
            )
            continue
        if (referral.email and referral.email in friends_emails) or (
            referral.phone and referral.phone in friends_phones
        ):
            flag("duplicate_friend", "this friend was referred before; only their first referral counts")
            continue
        history = index.of(referral.email, referral.phone)
        first = bisect.bisect_left(history, (referral.day, False))  # the first visit on or after the request
        if first and history[first - 1][0] >= referral.day - new_patient:
            flag(
                "existing_patient",
                f"the friend visited on {history[first - 1][0]}, before this referral: not a new patient",
            )
            continue
        if referral.email:
            friends_emails.add(referral.email)
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
    for campaign in by_campaign.values():
        if campaign.referrer_reward is not None and program.model == "tiered":
            notes.append(
                f"The campaign {campaign.title!r} ({campaign.start} to {campaign.end}) has its own referrer "
                "reward; a tiered program's rewards are its tiers, so this report does not add it: adjust "
                "rewards for it by hand."
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
    )
    for referral in counted:
        referral.status = analysis.status(referral)
    return analysis


def _flagger(flags: list[Flag], referral: Referral):  # type: ignore[no-untyped-def]
    """Flags a referral; one before --since was flagged in an earlier period's report, and is not again."""

    def flag(kind: str, message: str) -> None:
        if referral.in_period:
            flags.append(Flag(kind, referral.file, referral.row, message, referral.code, referral.day))

    return flag


# -- the numbers ----------------------------------------------------------------------------------


def median(values: list[int]) -> float | int | None:
    if not values:
        return None
    middle = statistics.median(values)
    return int(middle) if float(middle).is_integer() else middle


def p90(values: list[int]) -> int | None:
    """The 90th percentile by nearest rank: the smallest value at least 90% of the values do not exceed."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def group_metrics(analysis: Analysis, referrals: list[Referral], enrolled: int) -> dict[str, object]:
    """The numbers of one group of counted referrals in the period (all of them, a month, a campaign...)."""
    statuses = [r.status for r in referrals]
    known = analysis.visits_given
    successful = statuses.count("successful") if known else None
    to_appointment = [r.days_to_appointment for r in referrals]
    to_visit = [d for r in referrals if (d := r.days_to_first_visit) is not None]
    return {
        "enrolled": enrolled,
        "active_advocates": len({id(r.advocate) for r in referrals}),
        "referrals": len(referrals),
        "successful": successful,
        "pending": statuses.count("pending") if known else None,
        "conversion_rate": round(successful / len(referrals), 4)
        if known and referrals and successful is not None
        else None,
        "median_days_to_appointment": median(to_appointment),
        "p90_days_to_appointment": p90(to_appointment),
        "median_days_to_first_visit": median(to_visit) if known else None,
        "p90_days_to_first_visit": p90(to_visit) if known else None,
    }


def months_between(first: date, last: date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def grouped(analysis: Analysis, key_of_referral, key_of_advocate) -> dict[str, dict[str, object]]:  # type: ignore[no-untyped-def]
    """Metrics per value of a key (month, campaign, source), over the counted referrals in the period."""
    referrals: dict[str, list[Referral]] = defaultdict(list)
    enrolled: dict[str, int] = defaultdict(int)
    for referral in analysis.referrals:
        if referral.in_period:
            referrals[key_of_referral(referral) or NONE].append(referral)
    for advocate in analysis.advocates:
        if analysis.in_period(advocate.enrolled_on):
            enrolled[key_of_advocate(advocate) or NONE] += 1
    keys = set(referrals) | set(enrolled)
    return {key: group_metrics(analysis, referrals.get(key, []), enrolled.get(key, 0)) for key in keys}
