"""The front desk's fallback with no server: `sitegen code` finds a lost code in the enrolment export, gives
a patient who enrolled without JavaScript a code of their own, and checks a code read over the phone."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, expect
from programs import serving

from sitegen.cli import main
from sitegen.serve import server as serve
from sitegen.site.refcode import is_valid_code, make_code, normalize_code, readable, suggest_code

ANA = make_code("ANA2345")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["code", *args])
    return result.exit_code, result.output


@pytest.fixture
def server(tmp_path: Path) -> Iterator[serve.DevServer]:
    yield from serving(tmp_path)


@pytest.mark.browser
def test_a_patient_who_enrolled_without_javascript_gets_a_code_at_the_desk(
    server: serve.DevServer, browser: Browser
) -> None:
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(server.url + "/refer/")
    page.get_by_label("First name").fill("Rosa")
    page.get_by_role("textbox", name="Email (required)", exact=True).fill("rosa@example.com")
    page.get_by_label("I have read and accept").check()
    page.get_by_role("button", name="Get my link").click()
    page.wait_for_url(server.url + "/thanks/enroll/")
    expect(page.get_by_text("ask at the front desk", exact=False)).to_be_visible()
    page.context.close()
    export = server.site.submissions_dir / "enroll.csv"

    status, output = run("find", "ROSA@example.com", "--enrollments", str(export))
    assert status == 0 and output.startswith("(no code)  Rosa")
    assert "sitegen code new --enrollments" in output

    status, output = run("new", "--enrollments", str(export), "--email", "rosa@example.com")
    made = normalize_code(output.strip())
    assert status == 0 and is_valid_code(made)
    with export.open(newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["referral_code"] == made and row["first_name"] == "Rosa"  # the rest of the row is kept

    assert run("find", "rosa@example.com", "--enrollments", str(export))[1].startswith(readable(made))
    status, output = run("new", "--enrollments", str(export), "--email", "rosa@example.com")
    assert status == 1 and f"already has a code ({readable(made)})" in output  # never a second one
    # two neighbouring characters read the wrong way round; the code is random, so take the first swap
    # that has one likely correction (some swaps of some codes have two: that case is tested below)
    swaps = (made[:i] + made[i + 1] + made[i] + made[i + 2 :] for i in range(len(made) - 1))
    swapped = next(s for s in swaps if s != made and suggest_code(s) == made)
    status, output = run("check", swapped.lower(), "--enrollments", str(export))
    assert (status, output.strip()) == (
        1,
        f"{swapped.lower()} is not a valid code: probably {readable(made)}: "
        "enrolled by Rosa <rosa@example.com>",
    )


def test_check_tells_a_valid_code_a_typo_and_a_code_that_cannot_be_guessed() -> None:
    assert run("check", readable(ANA)) == (0, f"{readable(ANA)} is a valid code\n")
    typo = ANA[:6] + ANA[7] + ANA[6]
    assert run("check", typo) == (1, f"{typo} is not a valid code: probably {readable(ANA)}\n")
    wrong = ANA[:3] + ("B" if ANA[3] != "B" else "C") + ANA[4:]  # one wrong character: no single answer
    status, output = run("check", wrong)
    assert status == 1 and "no single likely correction" in output


def test_new_codes_are_valid_and_different() -> None:
    made = {normalize_code(run("new")[1].strip()) for _ in range(20)}
    assert len(made) == 20 and all(is_valid_code(c) for c in made)


def test_an_export_without_the_code_column_is_refused_by_name(tmp_path: Path) -> None:
    export = tmp_path / "people.csv"
    export.write_text("name,email\nAna,ana@example.com\n")
    status, output = run("find", "ana@example.com", "--enrollments", str(export))
    assert status == 1 and f"{export} has no referral_code column (its columns: name, email)" in output
