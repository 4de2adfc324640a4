"""Traps a writer met building a charitable dental program from the docs alone (issue 20, issue 18):
each is now right on the page or a clear message, asserted here on small real sites."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefactory import add_program, make_site, snapshot, write

from sitegen.cli import main

CAMPAIGN = """\
---
title: May friends
summary: Friends in May.
start: 2026-05-01
end: 2026-05-31
offer: A $20 credit for every friend.
{extra}---
Text.
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.mark.parametrize(
    ("extra", "code", "line"),
    [
        ("referrer_reward:\n  kind: credit\n  description: a credit\n", "SG663", 7),
        ("referrer_reward_by: 2026-06-30\n", "SG664", 7),
        (
            "referrer_reward:\n  kind: credit\n  value: 20\n  description: a $20 credit\n"
            "referrer_reward_by: 2026-05-20\n",
            "SG665",
            11,
        ),
    ],
)
def test_a_campaign_reward_the_report_could_not_credit_stops_build_and_check(
    site: Path, extra: str, code: str, line: int
) -> None:
    add_program(site)
    assert CliRunner().invoke(main, ["build", str(site)]).exit_code == 0
    before = snapshot(site / "public")
    write(site, "campaigns/may.md", CAMPAIGN.format(extra=extra))
    for command in ("build", "check"):
        result = CliRunner().invoke(main, [command, str(site)])
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert f"content/campaigns/may.md:{line}: error[{code}]" in result.output, result.output
        assert result.output.count(f"error[{code}]") == 1
    assert snapshot(site / "public") == before
