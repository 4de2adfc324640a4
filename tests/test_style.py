"""The code's form: `ruff format` and `ruff check` (configured in pyproject.toml) pass on the package,
the tests and the benchmark."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO_ROOT

PATHS = ["sitegen", "tests", "bench"]


def test_the_code_is_formatted_as_ruff_formats_it() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *PATHS],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_finds_nothing_to_fix() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *PATHS], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
