"""The most one referring patient can receive in a year (sitegen.checks.referral.yearly_maximum), which
SG610/SG611 compare with the federal $75 a year: each way a program can set it, and the setting named.

Written from the mutation run of checks/referral.py (docs/testing.md): the rule tests built one or two
programs, so a wrong sum or a lost cap went unnoticed. The program is the starter's content/program.yaml
(tiered, $25 + $75 + $120 tiers, two extras worth nothing), changed one setting at a time."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sitegen.checks.referral import yearly_maximum
from sitegen.core.errors import Diagnostics
from sitegen.core.schema import Context, coerce_object
from sitegen.core.yamlmarks import load_yaml
from sitegen.models.referral import Limits, Program, Reward, Tier

PROGRAM = """\
name: Circle
headline: Share
intro: Tell a friend.
model: tiered
friend_reward: {kind: discount, value: 50, description: $50 off}
tiers:
  - {name: Friend, referrals: 1, reward: {kind: spend_card, value: 25, description: a $25 card}}
  - {name: Advocate, referrals: 3, reward: {kind: spend_card, value: 75, description: a $75 card}}
  - {name: Ambassador, referrals: 5, reward: {kind: product, value: 120, description: a $120 set}}
extras:
  - {kind: recognition, value: 0, description: a thank-you note}
  - {kind: seminar, description: an evening talk}
success: {event: first_paid_visit, within_days: 90}
limits: {per_referral: 120, per_year: 250, referrals_per_year: 10}
terms:
  version: "1"
  effective: 2026-01-01
  eligibility: patients
  new_patient: new
  reward_timing: after the visit
  privacy: private
  changes: may change
"""


@pytest.fixture(scope="module")
def program() -> Program:
    diagnostics = Diagnostics()
    built = coerce_object(Program, load_yaml(PROGRAM), 1, Context("p", diagnostics))
    assert diagnostics.items == [] and isinstance(built, Program)
    return built


def reward(value: float | None) -> Reward:
    return Reward(kind="credit", value=value, description=f"a ${value} credit")


def direct(program: Program, value: float | None, **limits: float | None) -> Program:
    return replace(program, model="direct", referrer_reward=reward(value), limits=Limits(**limits))


def test_a_yearly_cap_is_the_answer_whatever_else_is_set(program: Program) -> None:
    assert yearly_maximum(program) == (250, "limits.per_year")
    assert yearly_maximum(direct(program, 50, per_year=60, referrals_per_year=10)) == (60, "limits.per_year")


def test_a_tiered_program_adds_every_tier_and_every_extra(program: Program) -> None:
    assert yearly_maximum(replace(program, limits=Limits())) == (220, "tiers")
    extras = (*program.extras, reward(10), reward(None))
    assert yearly_maximum(replace(program, limits=Limits(), extras=list(extras))) == (230, "tiers")
    honour = Tier(name="Patron", referrals=10, reward=reward(None))  # a tier worth nothing in money
    assert yearly_maximum(replace(program, limits=Limits(), tiers=[*program.tiers, honour])) == (220, "tiers")


def test_a_direct_program_multiplies_the_capped_reward_by_the_referrals_a_year(program: Program) -> None:
    assert yearly_maximum(direct(program, 50, referrals_per_year=4)) == (200, "limits.referrals_per_year")
    assert yearly_maximum(direct(program, 50, per_referral=20, referrals_per_year=4)) == (
        80,
        "limits.referrals_per_year",
    )
    assert yearly_maximum(direct(program, 10, per_referral=20, referrals_per_year=4)) == (
        40,
        "limits.referrals_per_year",
    )
    with_extra = replace(direct(program, 10, referrals_per_year=4), extras=[reward(5)])
    assert yearly_maximum(with_extra) == (45, "limits.referrals_per_year")


def test_a_reward_without_a_yearly_count_is_unlimited(program: Program) -> None:
    assert yearly_maximum(direct(program, 50)) == (None, "referrer_reward")
    assert yearly_maximum(direct(program, 50, per_referral=10)) == (None, "referrer_reward")


def test_a_program_whose_referrer_gets_nothing_in_money_counts_only_the_extras(program: Program) -> None:
    assert yearly_maximum(direct(program, 0)) == (0, "extras")
    assert yearly_maximum(direct(program, None, referrals_per_year=3)) == (0, "extras")
    charitable = replace(
        program, model="charitable", referrer_reward=None, limits=Limits(), extras=[reward(5)]
    )
    assert yearly_maximum(charitable) == (5, "extras")
