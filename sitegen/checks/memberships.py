"""Rules for memberships and packages: what they offer must not be an inducement (a waived copay, a
membership given for referrals where federal program patients take part), and a plan billed again must
say how to cancel it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sitegen.checks.registry import CheckContext, Finding, line_of, rule, setting_at
from sitegen.content.loader import Loaded
from sitegen.core.errors import SourceLocation
from sitegen.models import Membership
from sitegen.site.program import _named_rewards

# English and Spanish: a translated membership page is held to the same rules as the original
COST_SHARING = re.compile(
    r"\b(co-?pay(?:ment)?s?|co-?insurance|deductibles?|copagos?|coaseguros?|deducibles?)\b", re.I
)
FORGIVES = re.compile(
    r"\b(waive[sd]?|waiving|cover(?:s|ed)?|no|free|includ(?:e|es|ed|ing)|pay|pays|paid|absorb\w*|forgive\w*"
    r"|exoner\w*|perdon\w*|condon\w*|cubr\w*|cubiert[oa]s?|incluid[oa]s?|inclu[iy]\w*|gratis|sin|pag\w*"
    r"|absorbe\w*)\b",
    re.I,
)
STILL_OWED = re.compile(
    r"\b(still|as usual|as always|appl(?:y|ies)|owe\w*|responsible|never|not (?:waived|covered|included)"
    r"|sigue\w*|siguen|se aplica\w*|debe\w*|responsable\w*|nunca|como siempre)\b",
    re.I,
)
REFERRAL = re.compile(r"\b(refer(?:s|red|ring|ral|rals)?|recomend\w*|referi\w*|referencias?)\b", re.I)
NEGATED = re.compile(r"\b(never|not|no|isn't|aren't|can't|cannot|nunca|ni|jamás)\b", re.I)
SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def _memberships(ctx: CheckContext) -> Iterator[tuple[Loaded, Membership]]:
    """Each published membership, and each translation of one (a patient reading Spanish is offered what
    the Spanish page says)."""
    for doc in [*ctx.published, *ctx.translated]:
        if doc.kind == "memberships":
            yield doc, doc.model


def _texts(doc: Loaded, membership: Membership) -> Iterator[tuple[SourceLocation, str]]:
    """Each sentence a membership publishes, with the line it is written on."""
    fields = [("summary", membership.summary), ("terms", membership.terms)]
    fields += [(f"includes[{i}]", item) for i, item in enumerate(membership.includes, start=1)]
    for name, text in fields:
        for sentence in SENTENCE.findall(text):
            yield (
                SourceLocation(doc.raw.src_path, line_of(doc, name) or doc.line_of(name.split("[")[0])),
                sentence,
            )
    for offset, line in enumerate(membership.body.splitlines()):
        for sentence in SENTENCE.findall(line):
            yield SourceLocation(doc.raw.src_path, membership.body_line + offset), sentence


@rule(
    "SG655",
    "error",
    "Memberships and packages",
    "a membership or package that waives or covers copays, coinsurance or deductibles",
    "routinely waiving what patients owe under their health plan is an inducement to federal program "
    "patients (42 USC 1320a-7a(a)(5)) and misstates the charge to every insurer (OIG Special Fraud Alert, "
    "routine waiver of copayments)",
)
def waived_cost_sharing(ctx: CheckContext) -> Iterator[Finding]:
    for doc, membership in _memberships(ctx):
        for where, sentence in _texts(doc, membership):
            still_owed = STILL_OWED.search(sentence)
            if COST_SHARING.search(sentence) and FORGIVES.search(sentence) and not still_owed:
                yield Finding(
                    where,
                    f'"{membership.title}" offers to waive or cover what patients owe their plan: '
                    f'"{sentence.strip()[:120]}"',
                    "take copays, coinsurance and deductibles out of the membership; members pay them as "
                    "everyone does (a hardship waiver is decided case by case, never advertised)",
                )


@rule(
    "SG656",
    "error",
    "Memberships and packages",
    "a membership given or discounted for referrals while federal health program patients can take part "
    "(payer_scope: mixed or federal)",
    "a membership has value: given for a referral it is a reward above the OIG's nominal limits "
    "($15 an item, $75 a year) and can be a kickback (42 USC 1320a-7b(b))",
)
def membership_as_reward(ctx: CheckContext) -> Iterator[Finding]:
    program = ctx.site.program
    if program is None or program.compliance.payer_scope == "cash_pay":
        return
    scope = program.compliance.payer_scope
    hint = (
        "offer a reward within the program's limits instead, and keep memberships out of the referral "
        "program (say so in the membership's terms)"
    )
    titles = [m.title for _doc, m in _memberships(ctx)]
    names = re.compile(
        r"\b(membership|member|" + "|".join(re.escape(t) for t in titles) + r")\b"
        if titles
        else r"\bmembership\b",
        re.I,
    )
    rewards = [(setting_at(program, f"{name}.description"), name, r) for name, r in _named_rewards(program)]
    for campaign in ctx.site.campaigns:
        doc = ctx.doc_by_src.get(campaign.src_path)
        for name in ("friend_reward", "referrer_reward"):
            reward = getattr(campaign, name)
            if reward is not None and doc is not None:
                rewards.append((doc.at(name), name, reward))
    for where, name, reward in rewards:  # the program's, then each campaign's
        if names.search(reward.description):
            yield Finding(
                where,
                f'{name}: "{reward.description}" gives a membership for referrals (payer_scope: {scope})',
                hint,
            )
    for doc, membership in _memberships(ctx):
        for where, sentence in _texts(doc, membership):
            if REFERRAL.search(sentence) and not NEGATED.search(sentence):
                yield Finding(
                    where,
                    f'"{membership.title}" is offered for referrals (payer_scope: {scope}): '
                    f'"{sentence.strip()[:120]}"',
                    hint,
                )


@rule(
    "SG657",
    "warning",
    "Memberships and packages",
    "a membership billed every month or year that does not say how to cancel",
    "automatic renewal: the FTC's Restore Online Shoppers' Confidence Act (15 USC 8403) and state "
    "automatic-renewal laws require the terms, and a simple way to cancel, before patients sign up",
)
def no_cancellation(ctx: CheckContext) -> Iterator[Finding]:
    for doc, membership in _memberships(ctx):
        if membership.recurring and not membership.cancellation.strip():
            yield Finding(
                doc.at("per"),
                f'"{membership.title}" is billed every {membership.per} but says nothing about cancelling',
                "add `cancellation:`: how to cancel (phone, email, at the desk) and when it takes effect",
            )
