"""Variants of sitefactory's PROGRAM (a direct program: a $10 account credit per friend) for the referral
and report tests, and the program's site served while a test runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sitefactory import PROGRAM, add_program, make_site

from sitegen.serve import server as serve

DIRECT = """model: direct
referrer_reward:
  kind: credit
  value: 10
  description: a $10 account credit
"""


def as_model(body: str, text: str = PROGRAM) -> str:
    """`text` with its direct model and reward replaced by `body` (YAML: the model and its rewards)."""
    assert DIRECT in text
    return text.replace(DIRECT, body)


def charitable(value: int, description: str, charities: list[str], text: str = PROGRAM) -> str:
    """`text` as a charitable program: a donation worth `value` per friend to one of `charities` (each the
    YAML after `- name: `)."""
    listed = "".join(f"  - name: {charity}\n" for charity in charities)
    return as_model(
        "model: charitable\nreferrer_reward:\n  kind: donation\n"
        f"  value: {value}\n  description: {description}\ncharities:\n{listed}",
        text,
    )


# A May campaign whose front matter `extra` adds to; the referrer rewards of a campaign the report could not
# credit, each with the code and line of the refusal (build, check and report refuse them alike)
MAY_CAMPAIGN = """\
---
title: May friends
summary: Friends in May.
start: 2026-05-01
end: 2026-05-31
offer: A $20 credit for every friend.
{extra}---
Text.
"""
UNCREDITABLE_CAMPAIGN_REWARDS = [
    ("referrer_reward:\n  kind: credit\n  description: a credit\n", "SG663", 7),
    ("referrer_reward_by: 2026-06-30\n", "SG664", 7),
    (
        "referrer_reward:\n  kind: credit\n  value: 20\n  description: a $20 credit\n"
        "referrer_reward_by: 2026-05-20\n",
        "SG665",
        11,
    ),
]


def serving(tmp_path: Path) -> Iterator[serve.DevServer]:
    """A small site with the program, served on a free port until the test ends (for a fixture)."""
    site = make_site(tmp_path)
    add_program(site)
    running = serve.start(site, "127.0.0.1", 0)
    yield running
    serve.stop(running)
