"""Joining the exports on the referral code, deciding which referrals count and which succeeded.

The exports are read once each: enrolments first (who owns which code), then visits (an index by
email and phone), then the appointment requests as a stream. Referrals are then weighed in date
order, so "the first referral of a friend" and the per-year limits mean what they say even when an
export is not sorted. docs/report.md defines every number; the names here follow it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sitegen.models.referral import Campaign, Program
from sitegen.report.appointments import read_requests
from sitegen.report.codes import probable_code, unknown_message
from sitegen.report.enrolments import read_enrolments
from sitegen.report.ingest import CsvExport, Flag, shown
from sitegen.report.invitations import invitations
from sitegen.report.records import Advocate, Analysis, Period, Read, Referral, VisitIndex
from sitegen.report.visits import front_desk, read_visits


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
    """The exports joined on the referral code: the advocates, the referrals that count (all history up
    to `until`, each with its status), the flags of the period and the notes."""
    period = Period(since, until)
    by_campaign = {(c.utm_campaign or c.slug).lower(): c for c in campaigns}
    enrolled = read_enrolments(enrollments, program, period, languages)
    visited = read_visits(visits, period)
    requested = read_requests(appointments, enrolled.found.owners, period)
    invited = invitations(refers, period) if refers is not None else Read([], [], None)
    candidates = requested.found.referrals + invited.found
    if visits is not None:
        candidates += front_desk(visited.found, visits.label, candidates)
    _add_phones(enrolled.found.people.values(), requested.found.phones_of, visited.found)
    rules = Rules.of(program, by_campaign, visited.found)
    counted, weighed = weigh(candidates, enrolled.found.owners, visited.found, rules, since)

    parts = (enrolled, visited, requested, invited)
    flags = [flag for part in parts for flag in part.flags] + weighed
    last = max((part.last for part in parts if part.last is not None), default=None)
    analysis = Analysis(
        program,
        since,
        until,
        until or last or date.today(),
        rules.start,
        rules.end,
        visits is not None,
        list(enrolled.found.people.values()),
        counted,
        sorted(flags, key=lambda f: (f.file, f.row, f.kind)),
        requested.found.in_period,
        by_campaign,
        _notes(program, visits is not None, visited.found, counted, by_campaign),
        visited.found,
    )
    for referral in counted:
        referral.status = analysis.status(referral)
    return analysis


@dataclass(frozen=True)
class Rules:
    """What decides whether a referral counts and succeeds: the program's dates, the success window, how
    recent a visit makes the friend an existing patient, whether only paid visits succeed, the campaigns."""

    start: date
    end: date | None
    within: timedelta
    new_patient: timedelta
    paid_only: bool
    campaigns: dict[str, Campaign]

    @classmethod
    def of(cls, program: Program, campaigns: dict[str, Campaign], index: VisitIndex) -> Rules:
        return cls(
            program.report.start or program.terms.effective,
            program.report.end,
            timedelta(days=program.success.within_days),
            timedelta(days=program.report.new_patient_days),
            program.success.event == "first_paid_visit" and index.has_amount,
            campaigns,
        )


def weigh(
    candidates: list[Referral],
    owners: dict[str, Advocate],
    index: VisitIndex,
    rules: Rules,
    since: date | None,
) -> tuple[list[Referral], list[Flag]]:
    """Every referral in date order (a request before a visit of the same day): the ones that count, with
    their advocate, first visit, success and campaign set; and the flags of the period."""
    counted: list[Referral] = []
    flags: list[Flag] = []
    friends = _Friends()
    for referral in sorted(candidates, key=lambda r: (r.day, r.origin != "appointment", r.row)):
        referral.in_period = since is None or referral.day >= since
        flag = _flagger(flags, referral)
        advocate = owners.get(referral.code)
        if advocate is None:
            suggestion = probable_code(referral.code, owners)
            kind = "probably_mistyped_code" if suggestion else "unknown_code"
            flag(kind, unknown_message(referral.code, suggestion), suggestion)
            continue
        referral.advocate = advocate
        refused = _refused(referral, advocate, rules, friends)
        if refused is not None:
            flag(*refused)
            continue
        history = index.of(referral.email_key, referral.phone)
        first = bisect.bisect_left(history, (referral.day, False))  # the first visit on or after the request
        if first and history[first - 1][0] >= referral.day - rules.new_patient:
            flag(
                "existing_patient",
                f"the friend visited on {history[first - 1][0]}, before this referral: not a new patient",
            )
            continue
        friends.add(referral)
        _success(referral, history[first:], rules)
        campaign = rules.campaigns.get(referral.utm_campaign.lower()) if referral.utm_campaign else None
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
    return counted, flags


class _Friends:
    """The friends already referred, by inbox and by phone: only a friend's first referral counts."""

    def __init__(self) -> None:
        self.emails: set[str] = set()
        self.phones: set[str] = set()

    def __contains__(self, referral: Referral) -> bool:
        return bool(
            (referral.email_key and referral.email_key in self.emails)
            or (referral.phone and referral.phone in self.phones)
        )

    def add(self, referral: Referral) -> None:
        if referral.email_key:
            self.emails.add(referral.email_key)
        if referral.phone:
            self.phones.add(referral.phone)


def _refused(
    referral: Referral, advocate: Advocate, rules: Rules, friends: _Friends
) -> tuple[str, str] | None:
    """Why a referral with a known code does not count, before its visits are looked at: (kind, message)."""
    same_inbox = bool(referral.email_key) and referral.email_key == advocate.email_key
    if same_inbox or (referral.phone and referral.phone in advocate.phones):
        return "self_referral", "the friend has the advocate's own " + (
            "email" if same_inbox else "phone number"
        )
    if referral.day < rules.start or (rules.end is not None and referral.day > rules.end):
        return (
            "outside_program_dates",
            f"requested on {referral.day}, outside the program's dates "
            f"({rules.start} to {rules.end or 'today'})",
        )
    if referral in friends:
        return "duplicate_friend", "this friend was referred before; only their first referral counts"
    return None


def _success(referral: Referral, later: list[tuple[date, bool]], rules: Rules) -> None:
    """The first visit on or after the request, and the day it succeeded: the first visit (paid, when
    only paid ones count) within the success window."""
    if later:
        referral.first_visit = later[0][0]
        qualifying = next((day for day, paid in later if paid or not rules.paid_only), None)
        if qualifying is not None and qualifying - referral.day <= rules.within:
            referral.success_on = qualifying


def _add_phones(advocates: Iterable[Advocate], requested: dict[str, set[str]], index: VisitIndex) -> None:
    """An advocate's phones: the ones given with their email on a request or a visit (a friend with one
    of them is the advocate)."""
    for advocate in advocates:
        if advocate.email:
            advocate.phones |= requested.get(advocate.email_key, set()) | index.phones_of.get(
                advocate.email_key, set()
            )


def _notes(
    program: Program,
    visits_given: bool,
    index: VisitIndex,
    counted: list[Referral],
    campaigns: dict[str, Campaign],
) -> list[str]:
    """What the reader must know to read the numbers: a missing visits export or amount column, a campaign
    that brought referrals but credits nothing."""
    notes: list[str] = []
    if not visits_given:
        notes.append(
            "No visits export was given (--visits): successful referrals, conversion and rewards cannot "
            "be known, so they are left empty."
        )
    elif program.success.event == "first_paid_visit" and not index.has_amount:
        notes.append("The visits export has no amount column: every visit is counted as a paid visit.")
    brought = {r.campaign.title for r in counted if r.campaign is not None}
    for campaign in campaigns.values():
        if campaign.referrer_reward is None and campaign.title in brought:
            notes.append(
                f"The campaign {campaign.title!r} brought referrals and promises: {campaign.offer} It has no "
                "referrer_reward in its front matter, so the report credits nothing extra for it: add one "
                "(kind, value, description) to have it credited."
            )
    return notes


def _flagger(flags: list[Flag], referral: Referral) -> Callable[..., None]:
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
