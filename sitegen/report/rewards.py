"""Rewards owed: the program's reward for each successful referral, or the tier it reached, after limits.

`compute_rewards` takes each advocate's successful referrals in the order they succeeded, gives each
its reward (campaign extras included) and applies the program's limits; `reward_id` names a reward by
what it is (code, friend, kind), so it keeps its id from month to month. Rules: docs/report.md ("Rewards").
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sitegen.models.referral import Campaign, Program, Reward
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
    reward_id: str = ""
    tier: str = ""  # the tier this reward is for, in a tiered program
    given_on: date | None = None  # from the ledger: when staff gave it
    given_by: str = ""

    @property
    def value(self) -> float:
        return float(self.reward.value or 0)


@dataclass
class AdvocateRewards:
    successful_to_date: int = 0
    tier: str = ""
    lines: list[RewardLine] = field(default_factory=list)


def reward_id(code: str, friend: str, what: str) -> str:
    """A reward's stable id: the same advocate, friend and kind of reward give the same id every month."""
    return "RW-" + hashlib.sha256(f"{code}|{friend}|{what}".encode()).hexdigest()[:12].upper()


def compute_rewards(analysis: Analysis) -> dict[str, AdvocateRewards]:
    """Rewards of every advocate with a successful referral, keyed by the advocate's code."""
    program = analysis.program
    by_advocate: dict[str, list[Referral]] = defaultdict(list)
    for referral in analysis.referrals:
        if referral.success_on is not None and referral.advocate is not None and not referral.unrewarded:
            by_advocate[referral.advocate.code].append(referral)
    result: dict[str, AdvocateRewards] = {}
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
        code = referral.advocate.code
        earned: list[tuple[str, Reward, str, str]] = []  # name, reward, what (for the id), tier
        campaign = referral.campaign
        if program.model == "tiered":
            tier = tiers.get(number)
            if tier is not None:
                earned.append((tier.name, tier.reward, f"tier:{tier.name}", tier.name))
            if campaign_pays(campaign, referral.success_on):
                assert campaign is not None and campaign.referrer_reward is not None
                what = f"campaign:{campaign.utm_campaign or campaign.slug}"
                earned.append((f"campaign: {campaign.title}", campaign.referrer_reward, what, ""))
        elif campaign_pays(campaign, referral.success_on):
            assert campaign is not None and campaign.referrer_reward is not None
            what = f"campaign:{campaign.utm_campaign or campaign.slug}"
            earned.append((f"campaign: {campaign.title}", campaign.referrer_reward, what, ""))
        elif program.referrer_reward is not None:
            earned.append(("per referral", program.referrer_reward, "per-referral", ""))
        earned_by_referral = 0.0  # the tier and a campaign's extra share the referral's limit
        for name, reward, what, tier_name in earned:
            ident = reward_id(code, "" if what.startswith("tier:") else referral.friend, what)
            line = RewardLine(
                referral.advocate,
                referral,
                name,
                reward,
                referral.success_on,
                float(reward.value or 0),
                in_period=analysis.in_period(referral.success_on),
                reward_id=ident,
                tier=tier_name,
            )
            _limit(line, limits, compliance, year, count_in_year, paid_in_year, earned_by_referral)
            earned_by_referral += line.owed
            outcome.lines.append(line)
    reached = [tier for tier in program.tiers if tier.referrals <= len(referrals)]
    outcome.tier = reached[-1].name if reached else ""
    return outcome


def campaign_pays(campaign: Campaign | None, success_on: date) -> bool:
    """The campaign has its own referrer reward, and the friend's qualifying visit is by its deadline."""
    if campaign is None or campaign.referrer_reward is None:
        return False
    return campaign.referrer_reward_by is None or success_on <= campaign.referrer_reward_by


def _limit(  # type: ignore[no-untyped-def]
    line: RewardLine,
    limits,
    compliance,
    year: int,
    count_in_year: dict,
    paid_in_year: dict,
    earned_by_referral: float,
) -> None:
    """The program's limits, in order, then the compliance review notes. `per_referral` caps all that
    one referral earns (its tier and a campaign's extra together): `earned_by_referral` is owed already."""
    if limits.referrals_per_year is not None and count_in_year[year] > limits.referrals_per_year:
        line.owed = 0.0
        line.capped_by.append("referrals_per_year")
        line.notes.append(
            f"referral {count_in_year[year]} of {year}; the program rewards "
            f"{limits.referrals_per_year} a year"
        )
    if limits.per_referral is not None and line.owed > limits.per_referral - earned_by_referral:
        line.owed = max(0.0, float(limits.per_referral) - earned_by_referral)
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
