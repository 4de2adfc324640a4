"""Who may earn a reward, from the program's terms: never staff or their households (the exclusion
list), and, where the terms require it, only a referrer with a paid visit of their own.

A referral that fails a rule still counts as a referral but earns nothing, with a flag saying why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sitegen.models.referral import Program
from sitegen.report.identity import email_key
from sitegen.report.ingest import Flag, ReportError, normal_phone
from sitegen.report.records import Advocate, Analysis
from sitegen.report.sheets import read_sheet

STAFF_WORDS = ("employee", "staff", "household")


@dataclass
class Exclusions:
    """People who may not earn rewards, by email and by phone digits, each with the reason shown."""

    by_email: dict[str, str] = field(default_factory=dict)
    by_phone: dict[str, str] = field(default_factory=dict)

    def reason(self, advocate: Advocate) -> str:
        if advocate.email_key and advocate.email_key in self.by_email:
            return self.by_email[advocate.email_key]
        return next((self.by_phone[p] for p in sorted(advocate.phones) if p in self.by_phone), "")

    def __len__(self) -> int:
        return len(self.by_email) + len(self.by_phone)


def load_exclusions(program: Program, csv_path: Path | None) -> Exclusions:
    """`report.exclude` of program.yaml, then the rows of --exclusions (columns email, phone, reason)."""
    found = Exclusions()
    entries = [(e.email, e.phone, e.reason, "program.yaml report.exclude") for e in program.report.exclude]
    if csv_path is not None:
        for number, row in read_sheet(csv_path, "--exclusions", ("reason",)):
            entries.append(
                (row.get("email", ""), row.get("phone", ""), row.get("reason", ""), f"{csv_path}:{number}")
            )
    for email, phone, reason, where in entries:
        email, phone = email_key(email), normal_phone(phone)
        if not (email or phone) or not reason.strip():
            raise ReportError(
                f"{where}: an exclusion needs an email or a phone, and a reason (e.g. staff, or household "
                "of a staff member)"
            )
        if email:
            found.by_email.setdefault(email, reason.strip())
        if phone:
            found.by_phone.setdefault(phone, reason.strip())
    return found


def needs_paid_visit(program: Program) -> bool:
    """report.referrer_paid_visit, or, when not set, whether terms.eligibility speaks of a paid visit."""
    if program.report.referrer_paid_visit is not None:
        return program.report.referrer_paid_visit
    return "paid visit" in program.terms.eligibility.lower()


def apply_eligibility(analysis: Analysis, exclusions: Exclusions, has_amount: bool) -> None:
    """Mark the successful referrals whose referrer may not earn a reward, with a flag for each."""
    program = analysis.program
    paid_visit = needs_paid_visit(program) and analysis.visits_given
    flags: list[Flag] = []
    for referral in analysis.referrals:
        advocate = referral.advocate
        if referral.success_on is None or advocate is None:
            continue
        listed = analysis.in_period(referral.success_on)
        reason = exclusions.reason(advocate)
        if reason:
            referral.unrewarded = f"the referrer is excluded from rewards: {reason}"
            kind = "excluded_referrer"
        elif paid_visit and not _paid_by(analysis, advocate, referral.success_on):
            referral.unrewarded = (
                f"the referrer had no paid visit of their own by {referral.success_on}, and the terms "
                "require one"
            )
            kind = "referrer_without_paid_visit"
        else:
            continue
        if listed:
            flags.append(
                Flag(kind, referral.file, referral.row, referral.unrewarded, referral.code, referral.day)
            )
    analysis.flags = sorted(analysis.flags + flags, key=lambda f: (f.file, f.row, f.kind))
    if needs_paid_visit(program) and program.report.referrer_paid_visit is None:
        analysis.notes.append(
            "terms.eligibility asks for a paid visit, so a referrer earns a reward only after a paid visit "
            "of their own (set report.referrer_paid_visit in program.yaml to say it outright)."
        )
    if paid_visit and not has_amount:
        analysis.notes.append(
            "Without an amount column, any visit of the referrer counts as their paid visit."
        )
    if not len(exclusions) and any(word in program.terms.eligibility.lower() for word in STAFF_WORDS):
        analysis.notes.append(
            "The terms exclude staff or their households, but no exclusion list was given (report.exclude in "
            "program.yaml, or --exclusions FILE.csv): nobody was excluded."
        )


def _paid_by(analysis: Analysis, advocate: Advocate, day: date) -> bool:
    visits = analysis.visits
    history = list(visits.by_email.get(advocate.email_key, [])) if advocate.email_key else []
    for phone in advocate.phones:
        history += visits.by_phone.get(phone, [])
    return any(paid and when <= day for when, paid in history)
