"""What the report is made of: advocates, referrals, the visits index and the analysis of them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Generic, TypeVar

from sitegen.models.referral import Campaign, Program
from sitegen.report.identity import email_key
from sitegen.report.ingest import Flag

NONE = "(none)"
FRONT_DESK = "(front desk)"
T = TypeVar("T")


@dataclass(frozen=True)
class Period:
    """The period asked for: rows after `until` are not read; a flag dated before `since` was shown in
    an earlier period's report, and is not shown again."""

    since: date | None
    until: date | None

    def reads(self, day: date) -> bool:
        return self.until is None or day <= self.until

    def shows(self, flag: Flag) -> bool:
        return flag.day is None or self.since is None or flag.day >= self.since


@dataclass(frozen=True)
class Read(Generic[T]):
    """What reading one export gave: what was `found`, the flags of its rows in the order they were
    raised, and the last day it holds up to the period's end (None when it holds none)."""

    found: T
    flags: list[Flag]
    last: date | None


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
    charity: str = ""  # the charity chosen on the enrol form (charitable programs), as the program names it
    language: str = ""  # the site language they enrolled in (from the enrol page's address), or ''
    email_key: str = ""  # the inbox the email reaches (identity.email_key), for matching only

    def __post_init__(self) -> None:
        if not self.email_key:
            self.email_key = email_key(self.email)

    @property
    def code(self) -> str:
        """The advocate's own key: the code of their first enrolment (state is keyed by it, never id())."""
        return self.codes[0]


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
    unrewarded: str = ""  # why the referrer earns nothing for it (excluded, no paid visit), or ''
    typed: str = ""  # "Who referred you?" when the code came from it (referral_code was empty), or ''
    email_key: str = ""  # the inbox the email reaches (identity.email_key), for matching only

    def __post_init__(self) -> None:
        if not self.email_key:
            self.email_key = email_key(self.email)

    @property
    def friend(self) -> str:
        """Who the friend is, for a reward's id: their email, else their phone's digits."""
        return self.email or f"tel:{self.phone}"

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


def request_referral(
    values: tuple[str, ...],
    code: str,
    day: date,
    email: str,
    phone: str,
    file: str,
    row: int,
    origin: str,
    typed: str = "",
    inbox: str = "",
) -> Referral:
    """The referral a coded request makes, from the row's `values` in the column order the appointment
    and refer exports share (referral_code, created_at, email, phone, utm_source, utm_medium,
    utm_campaign, id, ...), with its code, email and phone already normalised."""
    return Referral(
        code,
        day,
        email,
        phone,
        values[4].strip(),
        values[5].strip(),
        values[6].strip(),
        file,
        row,
        values[7].strip(),
        origin,
        typed=typed,
        email_key=inbox,
    )


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
    visits: VisitIndex = field(default_factory=lambda: VisitIndex())

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
