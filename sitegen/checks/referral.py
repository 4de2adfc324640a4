"""Referral program rules on rewards: nominal-value limits and payer scope, cash, the program's own
limits, state rules (texts, terms and campaigns: referral_texts.py).

The sources of each rule are in docs/checks.md; the rules flag risk, they are not legal advice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sitegen.checks.referral_texts import CASH
from sitegen.checks.registry import CheckContext, Finding, line_of, rule, setting_at
from sitegen.content.i18n import format_money
from sitegen.content.loader import Loaded
from sitegen.core.errors import Severity, SourceLocation
from sitegen.models.referral import Program, Reward
from sitegen.site.program import _named_rewards

# English, then Spanish (the descriptions of program.es.yaml are read with the same rules)
GENERAL_PURPOSE = re.compile(
    r"\b(visa|master\s?card|american express|amex|discover card|paypal|venmo|cash\s?app|zelle|"
    r"prepaid|debit card|cheque|check|bank transfer|money order|"
    r"tarjeta de d[ée]bito|tarjeta prepagada|prepagad[ao]|transferencia bancaria|giro postal)\b",
    re.IGNORECASE,
)
NOT_CASH = re.compile(
    r"\b(no|not|never|cannot|can't|without|nunca|jam[áa]s|sin)\b[^.;]{0,40}\b(cash|efectivo|dinero)\b|"
    r"\bcash value\b|\bvalor en efectivo\b",
    re.IGNORECASE,
)
KNOWN_STATES = {"CA"}


def _money(value: float | None, ctx: CheckContext) -> str:
    return "an unlimited amount" if value is None else format_money(value, ctx.site.config.currency)


def yearly_maximum(program: Program) -> tuple[float | None, str]:
    """The most one referring patient can receive in a year, and where that figure comes from."""
    if program.limits.per_year is not None:
        return program.limits.per_year, "limits.per_year"
    extras = sum(r.value or 0 for r in program.extras)
    if program.model == "tiered":
        return sum(t.reward.value or 0 for t in program.tiers) + extras, "tiers"
    per_referral = program.referrer_reward.value or 0 if program.referrer_reward else 0
    if program.limits.per_referral is not None:
        per_referral = min(per_referral, program.limits.per_referral)
    if not per_referral:
        return extras, "extras"
    if program.limits.referrals_per_year is None:
        return None, "referrer_reward"
    return per_referral * program.limits.referrals_per_year + extras, "limits.referrals_per_year"


def _rewards(ctx: CheckContext, part: str = "") -> Iterator[tuple[SourceLocation, str, Reward]]:
    """Every reward of the program and of its campaigns, with where it (or its `part`) is written."""
    program = ctx.site.program
    for name, reward in _named_rewards(program):
        yield setting_at(program, f"{name}.{part}" if part else name), name, reward
    for campaign in ctx.site.campaigns:
        doc = ctx.doc_by_src.get(campaign.src_path)
        for name in ("friend_reward", "referrer_reward"):
            reward = getattr(campaign, name)
            if reward is not None and doc is not None:
                yield _reward_at(doc, name, part), f"{campaign.src_path}: {name}", reward


def _reward_at(doc: Loaded, name: str, part: str = "") -> SourceLocation:
    """Where a campaign (or its translation) writes a reward, or that reward's `part`."""
    line = line_of(doc, f"{name}.{part}") if part else 0
    return SourceLocation(doc.raw.src_path, line) if line else doc.at(name)


def _translated_rewards(ctx: CheckContext) -> Iterator[tuple[SourceLocation, str, Reward]]:
    """The rewards whose description a translation rewords (program.<lang>.yaml, a campaign's translation)."""
    main = dict(_named_rewards(ctx.site.program))
    for program in ctx.other_programs:
        for name, reward in _named_rewards(program):
            if name in main and reward.description != main[name].description:
                yield setting_at(program, f"{name}.description"), name, reward
    for doc in ctx.translated:
        original = ctx.originals.get((doc.kind, doc.raw.stem)) if doc.kind == "campaigns" else None
        for name in ("friend_reward", "referrer_reward"):
            reward = getattr(doc.model, name, None)
            if (
                original is not None
                and reward is not None
                and getattr(original.model, name) is not None
                and reward.description != getattr(original.model, name).description
            ):
                yield _reward_at(doc, name, "description"), name, reward


@rule(
    "SG610",
    "error",
    "Referral program",
    "a reward above the program's per-item or per-year limit while federal health program patients can take "
    "part (payer_scope: mixed without the federal exclusion clause)",
    "OIG: gifts to Medicare/Medicaid patients only up to $15 an item and $75 a year (42 USC 1320a-7a(a)(5))",
)
def above_limits(ctx: CheckContext) -> Iterator[Finding]:
    program = ctx.site.program
    if program is None or program.compliance.payer_scope != "mixed" or program.compliance.federal_exclusion:
        return
    yield from _over_limits(
        ctx,
        program,
        "and the terms do not exclude patients of federal health programs",
        "set compliance.federal_exclusion: true (the terms then exclude Medicare, Medicaid and "
        "TRICARE patients from rewards above the limits), or keep every reward within them",
    )


@rule(
    "SG611",
    "error",
    "Referral program",
    "a reward above the per-item or per-year limit when the practice's patients are paid for by federal "
    "programs (payer_scope: federal)",
    "an exclusion clause cannot help when every patient is a federal program patient; paying for referrals "
    "of federally paid care can be a kickback (42 USC 1320a-7b(b), OIG Adv. Op. 12-06)",
)
def federal_scope(ctx: CheckContext) -> Iterator[Finding]:
    program = ctx.site.program
    if program is None or program.compliance.payer_scope != "federal":
        return
    yield from _over_limits(
        ctx,
        program,
        "and the practice's patients are federal health program patients",
        "keep every reward at nominal value (at most the per-item and per-year limits) and have "
        "counsel review the program",
    )


def _over_limits(ctx: CheckContext, program: Program, why: str, hint: str) -> Iterator[Finding]:
    compliance = program.compliance
    for where, name, reward in _rewards(ctx, "value"):
        if reward.value and reward.value > compliance.per_item_limit:
            yield Finding(
                where,
                f"{name}: {reward.description} is worth {_money(reward.value, ctx)}, above the "
                f"{_money(compliance.per_item_limit, ctx)} per-item limit, {why}",
                hint,
            )
    total, source = yearly_maximum(program)
    if total is None or total > compliance.per_year_limit:
        yield Finding(
            setting_at(program, source),
            f"a referring patient can receive {_money(total, ctx)} a year, above the "
            f"{_money(compliance.per_year_limit, ctx)} per-year limit, {why}",
            hint + "; limits.per_year caps what one patient receives in a year",
        )


@rule(
    "SG612",
    "error",
    "Referral program",
    "a cash reward or a cash equivalent (general-purpose gift cards: Visa, Mastercard, PayPal, ...); "
    "a warning for cash-pay-only practices",
    "OIG: never cash or cash equivalents to federal program patients; states forbid paying for referrals",
)
def cash_rewards(ctx: CheckContext) -> Iterator[Finding]:
    program = ctx.site.program
    if program is None:
        return
    severity = Severity.WARNING if program.compliance.payer_scope == "cash_pay" else None
    for where, name, reward in [*_rewards(ctx, "description"), *_translated_rewards(ctx)]:
        text = NOT_CASH.sub(" ", reward.description)
        network = GENERAL_PURPOSE.search(text)
        if network or CASH.search(text):
            what = (
                f"is a {network[0]} card or payment, which counts as cash" if network else "is paid in cash"
            )
            yield Finding(
                where,
                f"{name}: {reward.description} {what}",
                "reward with a practice spend card, an account credit, a product or a donation instead",
                severity,
            )


@rule(
    "SG618",
    "warning",
    "Referral program",
    "a referrer reward (per referral, a tier's, a campaign's) worth more than the program's own "
    "`limits.per_referral` or `limits.per_year`",
    "the program page and the terms would promise what the limits do not allow: the patient is told one "
    "figure and `sitegen report` counts a smaller one as owed",
)
def reward_above_own_limits(ctx: CheckContext) -> Iterator[Finding]:
    program = ctx.site.program
    if program is None:
        return
    limits = program.limits
    for where, name, reward in _referrer_rewards_named(ctx):
        for limit, setting in (
            (limits.per_referral, "limits.per_referral"),
            (limits.per_year, "limits.per_year"),
        ):
            if limit is not None and reward.value and reward.value > limit:
                what = "one referral" if setting == "limits.per_referral" else "one patient in a year"
                yield Finding(
                    where,
                    f"{name}: {reward.description} is worth {_money(reward.value, ctx)}, but {setting} "
                    f"caps what {what} earns at {_money(limit, ctx)}",
                    f"raise {setting} in {program.src_path} to at least {reward.value:g}, or lower the "
                    f"reward to {limit:g}: patients are promised what the page says",
                )
                break


def _referrer_rewards_named(ctx: CheckContext) -> Iterator[tuple[SourceLocation, str, Reward]]:
    """The rewards a referring patient earns (not the friend's offer, not the extras), with where each is
    written and its field's name (the location names the file)."""
    for where, name, reward in _rewards(ctx, "value"):
        field_name = name.rsplit(": ", 1)[-1]
        if field_name == "referrer_reward" or field_name.startswith("tiers["):
            yield where, field_name, reward


@rule(
    "SG617",
    "warning",
    "Referral program",
    "state rules: California patients with paid referral rewards (an error), states the program does not "
    "declare, or states sitegen has no rules for without a current legal review",
    "states reach further than federal law: California B&P Code 650 forbids any consideration for referrals, "
    "whoever pays",
)
def state_rules(ctx: CheckContext) -> Iterator[Finding]:
    program = ctx.site.program
    if program is None:
        return
    compliance = program.compliance
    states = [s.strip().upper() for s in compliance.states]
    where = setting_at(program, "compliance.states")
    paid = [r for r in _referrer_rewards(program) if r.value]
    if "CA" in states and paid:
        yield Finding(
            where,
            "California (Business and Professions Code 650) forbids any consideration for referring "
            "patients, whoever pays: this program's referrer rewards are not allowed for California patients",
            "offer California patients only thanks without money value (a note, recognition), or have "
            "counsel confirm an exception and silence this rule with their reasoning",
            Severity.ERROR,
        )
    if not states:
        yield Finding(
            setting_at(program, "compliance"),
            "compliance.states is empty: state rules cannot be weighed",
            "list the two-letter codes of the states whose patients you serve, e.g. states: [TX]",
        )
        return
    unknown = [s for s in states if s not in KNOWN_STATES]
    if unknown and not _reviewed(program, ctx):
        yield Finding(
            where,
            f"sitegen has no rules for {', '.join(unknown)}: a legal review is required",
            "have counsel review the program for these states and record it in compliance.review",
        )


@rule(
    "SG685",
    "warning",
    "Referral program",
    "a dental practice (type: dental, or business_type: Dentist) whose referrer rewards have a money "
    "value, without a legal review of the last 12 months in compliance.review",
    "dental boards in many states forbid paying for referrals (fee-splitting); counsel's dated review is "
    "what answers it, and recording it quiets this rule (California's error, SG617, stays)",
)
def dental_fee_splitting(ctx: CheckContext) -> Iterator[Finding]:
    program = ctx.site.program
    config = ctx.site.config
    dental = config.type == "dental" or "Dentist" in config.schema_types
    if program is None or not dental or _reviewed(program, ctx):
        return
    paid = [r for r in _referrer_rewards(program) if r.value]
    if paid:
        review = program.compliance.review
        yield Finding(
            setting_at(program, "compliance.review.reviewed_on" if review else "compliance"),
            "dental boards in many states forbid paying for referrals (fee-splitting), and this program's "
            + (
                f"legal review ({review.reviewed_on}) is more than 12 months old"
                if review
                else "rewards have no legal review recorded"
            ),
            "have counsel confirm the rewards with your state's dental board, and record it in "
            "compliance.review (reviewed_by, reviewed_on)",
        )


def _reviewed(program: Program, ctx: CheckContext) -> bool:
    """Whether the program records a legal review of the last 12 months (compliance.review)."""
    review = program.compliance.review
    return review is not None and 0 <= (ctx.today - review.reviewed_on).days <= 365


def _referrer_rewards(program: Program) -> list[Reward]:
    found = [program.referrer_reward] if program.referrer_reward else []
    return found + [t.reward for t in program.tiers] + list(program.extras)
