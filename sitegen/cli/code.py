"""`sitegen code`: the front desk's tool for personal referral codes, with no server.

The enrolment export (`sitegen report --enrollments`) is the record: `find` looks a patient up by
email, `new` makes a code and writes it into the patient's row, `check` says whether a typed code is
valid, what it probably was, and whose it is. Use: docs/referral.md ("At the front desk").
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from pathlib import Path

import click

from sitegen.cli.group import main
from sitegen.site.refcode import ALPHABET, is_valid_code, make_code, normalize_code, readable, suggest_code


@dataclass(frozen=True)
class Enrolments:
    """An enrolment export as read here: its header, rows, delimiter and which column holds what."""

    header: list[str]
    rows: list[list[str]]
    delimiter: str
    column: dict[str, int]

    def value(self, row: list[str], name: str) -> str:
        at = self.column.get(name)
        return row[at].strip() if at is not None and at < len(row) else ""

    def rows_of(self, email: str, path: Path) -> list[list[str]]:
        """The rows enrolled under `email` (case and spaces aside); none is an error naming `path`."""
        wanted = email.strip().lower()
        rows = [r for r in self.rows if self.value(r, "email").lower() == wanted]
        if not rows:
            raise click.ClickException(f"no enrolment with the email {email} in {path}")
        return rows


def read_enrolments(path: Path) -> Enrolments:
    """The export, with its columns found under the names `sitegen report` accepts; a missing email or
    referral_code column is an error naming the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"cannot read {path}: {exc}") from None
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    records = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if r]
    if not records:
        raise click.ClickException(f"{path} is empty: expected the enroll form's export")
    from sitegen.report.ingest import ALIASES, header_key  # lazy: `sitegen build`'s no-op path stays light

    keys = [header_key(name) for name in records[0]]
    column = {}
    for name in ("email", "referral_code", "first_name", "created_at"):
        found = [keys.index(alias) for alias in ALIASES[name] if alias in keys]
        if found:
            column[name] = found[0]
    for needed in ("email", "referral_code"):
        if needed not in column:
            raise click.ClickException(
                f"{path} has no {needed} column (its columns: {', '.join(records[0])}); "
                "expected the enroll form's export"
            )
    return Enrolments(
        records[0], [r + [""] * (len(records[0]) - len(r)) for r in records[1:]], delimiter, column
    )


def new_code() -> str:
    """A new code: 7 characters drawn with the operating system's randomness, and the check character."""
    return make_code("".join(secrets.choice(ALPHABET) for _ in range(7)))


@main.group()
def code() -> None:
    """Personal referral codes at the front desk: find, make and check them (no server needed).

    \b
    A patient lost their code:        sitegen code find ana@example.com --enrollments enroll.csv
    Enrolled without JavaScript:      sitegen code new --enrollments enroll.csv --email ana@example.com
    A code read over the phone:       sitegen code check ABCD-2354 --enrollments enroll.csv
    """


@code.command()
@click.argument("email")
@click.option(
    "--enrollments",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="CSV export of the enroll form.",
)
def find(email: str, enrollments: Path) -> None:
    """The code(s) enrolled under EMAIL."""
    export = read_enrolments(enrollments)
    rows = export.rows_of(email, enrollments)
    for row in rows:
        name, day = export.value(row, "first_name") or "(no name)", export.value(row, "created_at")
        found = normalize_code(export.value(row, "referral_code"))
        if found:
            click.echo(f"{readable(found)}  {name}  {day}".rstrip())
        else:
            click.echo(f"(no code)  {name}  {day}: enrolled without one (JavaScript off)".replace("  :", ":"))
    if not any(export.value(r, "referral_code") for r in rows):
        click.echo(f"Make one: sitegen code new --enrollments {enrollments} --email {email}", err=True)


@code.command()
@click.option(
    "--enrollments",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV export of the enroll form: the new code is written into the patient's row.",
)
@click.option("--email", help="The patient's email, to find their row in --enrollments.")
def new(enrollments: Path | None, email: str | None) -> None:
    """A new personal code; with --enrollments and --email, written into that patient's enrolment
    without a code (the latest), so `sitegen report` credits it."""
    if (enrollments is None) != (email is None):
        raise click.UsageError("--enrollments and --email go together")
    made = new_code()
    if enrollments is not None and email is not None:
        export = read_enrolments(enrollments)
        rows = export.rows_of(email, enrollments)
        if any(export.value(r, "referral_code") for r in rows):
            kept = [readable(normalize_code(export.value(r, "referral_code"))) for r in rows]
            raise click.ClickException(
                f"{email} already has a code ({', '.join(c for c in kept if c)}): give that one "
                f"(sitegen code find {email} --enrollments {enrollments})"
            )
        rows[-1][export.column["referral_code"]] = made
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=export.delimiter, lineterminator="\n").writerows(
            [export.header, *export.rows]
        )
        enrollments.write_text(buffer.getvalue(), encoding="utf-8")
    click.echo(readable(made))


@code.command()
@click.argument("typed")
@click.option(
    "--enrollments",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV export of the enroll form: also say whose code it is.",
)
def check(typed: str, enrollments: Path | None) -> None:
    """Whether TYPED is a valid code, the code it probably was, and (with --enrollments) whose it is.
    Exits with 1 when it is not a valid code."""
    owners: dict[str, str] = {}
    if enrollments is not None:
        export = read_enrolments(enrollments)
        for row in export.rows:
            who = export.value(row, "first_name") or "(no name)"
            owners[normalize_code(export.value(row, "referral_code"))] = (
                f"{who} <{export.value(row, 'email')}>"
            )

    def whose(found: str) -> str:
        if enrollments is None:
            return ""
        return f": enrolled by {owners[found]}" if found in owners else ": not in the enrolments"

    normal = normalize_code(typed)
    if is_valid_code(normal):
        click.echo(f"{readable(normal)} is a valid code{whose(normal)}")
        return
    better = suggest_code(normal)
    if better:
        click.echo(f"{typed} is not a valid code: probably {readable(better)}{whose(better)}")
    elif normal in owners:  # enrolled before codes had a check character
        click.echo(f"{readable(normal)} is an older code without a check character{whose(normal)}")
        return
    else:
        click.echo(
            f"{typed} is not a valid code: no single likely correction (a code is 8 characters of "
            f"{ALPHABET}; ask the patient to read it again)"
        )
    raise click.exceptions.Exit(1)
