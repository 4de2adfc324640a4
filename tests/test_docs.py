"""The documentation says what the code does: every field and every message code is documented."""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.reference import field_reference

ROOT = Path(__file__).resolve().parent.parent


def test_content_reference_matches_the_models() -> None:
    assert field_reference() in (ROOT / "docs" / "content.md").read_text(), (
        "docs/content.md is out of date: run `python -m sitegen.reference --write docs/content.md`"
    )


def test_every_message_code_is_documented() -> None:
    used = set()
    for file in (ROOT / "sitegen").rglob("*.py"):
        used |= set(re.findall(r'"(SG\d{3})"', file.read_text()))
    documented = set(re.findall(r"^\| (SG\d{3}) \|", (ROOT / "docs" / "errors.md").read_text(), re.MULTILINE))
    assert used and used <= documented, f"undocumented: {sorted(used - documented)}"


def test_readme_quick_start_has_exactly_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```(?:sh|bash)?\n(.*?)```", quick_start, re.DOTALL)
    commands = [
        line for code in block for line in code.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert commands == ["bash quickstart.sh", "bash tests/run"], commands
    quickstart = (ROOT / "quickstart.sh").read_text()
    # it installs into a virtual environment (never the system Python) and builds unless told otherwise
    assert "python3 -m venv .venv" in quickstart and "set -- build" in quickstart
    assert "exec .venv/bin/sitegen" in quickstart
    assert "tests/run" in (ROOT / ".ci" / "run").read_text()
