"""The enrolments export: who owns which code (the first enrolment of a code is credited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sitegen.models.referral import Program
from sitegen.report.ingest import CsvExport, Flag, normal_code, normal_email, shown
from sitegen.report.records import Advocate, Period, Read


@dataclass(frozen=True)
class Enrolments:
    """The advocate of each enrolled code, and the advocates by person (their email, else `code:` and
    their first code), in the order they first enrolled."""

    owners: dict[str, Advocate]
    people: dict[str, Advocate]


WITHOUT_CODE = "an enrolment without a referral code (sent with JavaScript off?): no referral can name it"
ENROLLED_AGAIN = {
    True: "the same code enrolled again by the same email",
    False: "this code was enrolled before with another email; the first enrolment is credited",
}


def read_enrolments(
    export: CsvExport, program: Program, period: Period, languages: tuple[str, ...]
) -> Read[Enrolments]:
    """The enrolments up to the period's end, in date order; an enrolment without a code, a code
    enrolled again and (charitable programs) a charity not chosen are flagged, then the export's own
    unreadable rows."""
    rows = sorted((row for row in export.rows() if period.reads(row[1])), key=lambda row: row[:2])
    owners: dict[str, Advocate] = {}
    people: dict[str, Advocate] = {}
    flags: list[Flag] = []

    def note(kind: str, number: int, day: date, message: str, code: str = "") -> None:
        flag = Flag(kind, export.label, number, message, code=code, day=day)
        if period.shows(flag):
            flags.append(flag)

    charities = {c.name.casefold(): c.name for c in program.charities}
    for number, day, values in rows:
        raw_code, _, raw_email, first_name, source, medium, campaign, _, charity, landing, language = values
        code, email = normal_code(raw_code), normal_email(raw_email)
        if not code:
            note("enrolment_without_code", number, day, WITHOUT_CODE)
            continue
        if code in owners:  # the first enrolment is the one credited
            same = email == owners[code].email
            note("duplicate_enrolment", number, day, ENROLLED_AGAIN[same], code)
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
                    note("charity_not_chosen", number, day, _charity_problem(charity), code)
        advocate.codes.append(code)
        owners[code] = advocate
    return Read(Enrolments(owners, people), flags + export.flags, max((row[1] for row in rows), default=None))


def _charity_problem(charity: str) -> str:
    return (
        f'"{shown(charity)}" is not one of the program\'s charities'
        if charity.strip()
        else "no charity was chosen"
    ) + ": the donations are listed as (not chosen) until staff ask"


def _language(column: str, landing_page: str, languages: tuple[str, ...]) -> str:
    """The site language of an enrolment: a language column, else the enrol page's /es/ prefix, else the
    site's main language."""
    if column.strip().lower()[:2] in languages:
        return column.strip().lower()[:2]
    first = landing_page.strip().lstrip("/").split("/", 1)[0].lower()
    return first if first in languages[1:] else languages[0]
