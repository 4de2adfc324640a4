"""Rewards owed: the program's reward for each successful referral, or the tier it reached, after limits.

Each advocate's successful referrals are taken in the order they succeeded (the day of the friend's
qualifying visit). Direct and charitable programs give `referrer_reward` for each, or the campaign's
own `referrer_reward` when the friend's request came through a campaign while it ran (its
`utm_campaign`, within its dates); tiered programs give a tier's reward to the referral that reaches
the tier's number. Then the limits apply, in this order: `referrals_per_year` (later referrals of a
calendar year earn nothing), `per_referral` (a reward worth more is cut to it), `per_year` (what is
left of the calendar year's allowance). The whole history up to --until counts toward tiers and
yearly limits; rewards earned before --since are not listed again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sitegen.models.referral import Program, Reward
from sitegen.report.records import Advocate, Analysis, Referral


@dataclass
class RewardLine:
    advocate: Advocate
    referral: Referral
    name: str  # the tier's name, "per referral", or "campaign: <its title>"
    reward: Reward
    earned_on: date
    owed: float
    capped_by: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    in_period: bool = True

    @property
    def value(self) -> float:
        return float(self.reward.value or 0)


@dataclass
class AdvocateRewards:
    successful_to_date: int = 0
    tier: str = ""
    lines: list[RewardLine] = field(default_factory=list)


def compute_rewards(analysis: Analysis) -> dict[int, AdvocateRewards]:
    """Rewards of every advocate with a successful referral, keyed by id() of the advocate."""
    program = analysis.program
    by_advocate: dict[int, list[Referral]] = defaultdict(list)
    for referral in analysis.referrals:
        if referral.success_on is not None and referral.advocate is not None:
            by_advocate[id(referral.advocate)].append(referral)
    result: dict[int, AdvocateRewards] = {}
    for key, referrals in by_advocate.items():
        referrals.sort(key=lambda r: (r.success_on, r.day, r.row))
        result[key] = _advocate_rewards(program, analysis, referrals)
    return result


def _advocate_rewards(program: Program, analysis: Analysis, referrals: list[Referral]) -> AdvocateRewards:
    limits, compliance = program.limits, program.compliance
    count_in_year: dict[int, int] = defaultdict(int)
    paid_in_year: dict[int, float] = defaultdict(float)
    tiers = {tier.referrals: tier for tier in program.tiers}
    outcome = AdvocateRewards(successful_to_date=len(referrals))
    for number, referral in enumerate(referrals, start=1):
        assert referral.success_on is not None and referral.advocate is not None
        year = referral.success_on.year
        count_in_year[year] += 1
        if program.model == "tiered":
            tier = tiers.get(number)
            if tier is None:
                continue
            name, reward = tier.name, tier.reward
        elif referral.campaign is not None and referral.campaign.referrer_reward is not None:
            name, reward = f"campaign: {referral.campaign.title}", referral.campaign.referrer_reward
        elif program.referrer_reward is not None:
            name, reward = "per referral", program.referrer_reward
        else:
            continue
        line = RewardLine(
            referral.advocate,
            referral,
            name,
            reward,
            referral.success_on,
            float(reward.value or 0),
            in_period=analysis.in_period(referral.success_on),
        )
        if limits.referrals_per_year is not None and count_in_year[year] > limits.referrals_per_year:
            line.owed = 0.0
            line.capped_by.append("referrals_per_year")
            line.notes.append(
                f"referral {count_in_year[year]} of {year}; the program rewards "
                f"{limits.referrals_per_year} a year"
            )
        if limits.per_referral is not None and line.owed > limits.per_referral:
            line.owed = float(limits.per_referral)
            line.capped_by.append("per_referral")
        if limits.per_year is not None and line.owed > limits.per_year - paid_in_year[year]:
            line.owed = max(0.0, float(limits.per_year) - paid_in_year[year])
            line.capped_by.append("per_year")
            line.notes.append(f"{year}'s allowance of {limits.per_year:g} is reached")
        paid_in_year[year] += line.owed
        if compliance.payer_scope != "cash_pay" and line.owed > 0:
            if line.owed > compliance.per_item_limit:
                line.notes.append(
                    f"above the per-item limit of {compliance.per_item_limit:g} "
                    f"(payer scope {compliance.payer_scope}): review before giving"
                )
            elif paid_in_year[year] > compliance.per_year_limit:
                line.notes.append(
                    f"the year's total passes the compliance limit of {compliance.per_year_limit:g} "
                    f"(payer scope {compliance.payer_scope}): review before giving"
                )
        outcome.lines.append(line)
    reached = [tier for tier in program.tiers if tier.referrals <= len(referrals)]
    outcome.tier = reached[-1].name if reached else ""
    return outcome
