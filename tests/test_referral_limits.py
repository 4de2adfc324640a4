"""The anti-kickback rules on rewards (sitegen/checks/referral.py): the federal per-item and per-year limits
while federal program patients can take part (SG610) or are all the patients (SG611), cash and cash
equivalents in any language (SG612), a reward above the program's own limits (SG618), state rules
(SG617) and dental fee-splitting (SG685): each finding with its file, line, message and severity, and
each rule quiet at its threshold.

Written for the mutation run of referral.py (docs/testing.md): the rule tests (test_check.py) build and
render a site for each case, 2 to 4 s each. These load the starter site with a program (no rendering,
a twentieth of a second) and run one rule over it, as `sitegen check` does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sitefactory import PROGRAM, add_program, edit, make_site, write

from sitegen import checks
from sitegen.build import stages
from sitegen.build.run import BuildOptions, Run
from sitegen.build.session import Session
from sitegen.checks import RULES
from sitegen.checks.registry import Finding
from sitegen.core.errors import Diagnostics
from sitegen.site.program import load_program

TODAY = date(2026, 6, 1)
COMPLIANCE = """compliance:
  payer_scope: {scope}
  federal_exclusion: {exclusion}
  states: [TX]
  review:
    reviewed_by: Counsel LLP
    reviewed_on: 2026-02-01
"""
TIERED = """\
name: Circle
headline: Share
intro: Tell a friend.
model: tiered
friend_reward: {kind: discount, value: 10, description: $10 off}
tiers:
  - name: Friend
    referrals: 1
    reward: {kind: credit, value: 10, description: a $10 credit}
  - name: Advocate
    referrals: 3
    reward:
      kind: credit
      value: 16
      description: a $16 credit
success: {within_days: 60}
terms:
  version: "1"
  effective: 2026-01-01
  eligibility: patients
  new_patient: new
  reward_timing: after the visit
  restrictions: [Rewards have no cash value.]
  privacy: private
  changes: may change
"""
FRIEND_REWARD = "friend_reward:\n  kind: discount\n  value: 20\n  description: $20 off\n"
CAMPAIGN = """---
title: June
summary: A push.
start: 2026-06-01
end: 2026-06-30
offer: Double thanks.
referrer_reward:
  kind: credit
  value: {value}
  description: {description}
---
Text.
"""


def site_with(
    tmp_path: Path, program: str = PROGRAM, scope: str = "cash_pay", exclusion: str = "true"
) -> Path:
    site = make_site(tmp_path)
    add_program(site, program + COMPLIANCE.format(scope=scope, exclusion=exclusion))
    return site


def change(site: Path, old: str, new: str) -> None:
    edit(site, "program.yaml", old, new)


def line(site: Path, rel_path: str, text: str) -> int:
    """The line of `content/<rel_path>` that holds `text` (the first)."""
    lines = (site / "content" / rel_path).read_text(encoding="utf-8").splitlines()
    return next(n for n, t in enumerate(lines, start=1) if text in t)


def run_rule(site: Path, code: str, today: date = TODAY) -> list[Finding]:
    """The findings of one rule, as `sitegen check` would run it: the site loaded and assembled (not
    rendered), with its other languages' programs and translations."""
    run = Run(site, BuildOptions(today=today), Session())
    inputs = stages.read_inputs(run)
    found = Diagnostics()
    built = stages.assemble_site(run, inputs, found)
    others = [load_program(site, run.session.renderer, found, lang) for lang in inputs.config.languages[1:]]
    ctx = checks.CheckContext(
        built,
        checks.published_documents(built, inputs.loaded),
        inputs.loaded,
        [],
        [],
        site,
        today,
        translated=inputs.translated,
        other_programs=[p for p in others if p is not None],
    )
    rule = RULES[code].run
    assert rule is not None
    return list(rule(ctx))


def findings(site: Path, code: str, today: date = TODAY) -> list[tuple[str, int, str, str]]:
    """(file, line, message, severity) of each finding of one rule."""
    return [
        (f.location.src_path, f.location.line, f.message, (f.severity or RULES[code].severity).value)
        for f in run_rule(site, code, today)
    ]


def messages(site: Path, code: str) -> list[str]:
    return [message for _, _, message, _ in findings(site, code)]


NOT_EXCLUDED = "and the terms do not exclude patients of federal health programs"
FEDERAL = "and the practice's patients are federal health program patients"


# -- SG610 / SG611: the federal limits, $15 an item and $75 a year ----------------------------------------


def test_a_reward_above_15_dollars_with_federal_patients_not_excluded_is_an_error_at_its_value(
    tmp_path: Path,
) -> None:
    site = site_with(tmp_path, scope="mixed", exclusion="false")
    change(
        site, "  value: 10\n  description: a $10 account credit", "  value: 25\n  description: a $25 credit"
    )
    change(site, "success:", "limits:\n  referrals_per_year: 3\nsuccess:")
    assert findings(site, "SG610") == [
        (
            "content/program.yaml",
            line(site, "program.yaml", "value: 25"),
            f"referrer_reward: a $25 credit is worth $25, above the $15 per-item limit, {NOT_EXCLUDED}",
            "error",
        )
    ]  # 3 referrals a year x $25 = $75: at the yearly limit, not above it


def test_the_federal_limits_are_quiet_when_the_terms_exclude_federal_patients_or_only_cash_is_taken(
    tmp_path: Path,
) -> None:
    for scope, exclusion in [("mixed", "true"), ("cash_pay", "false"), ("federal", "false")]:
        site = site_with(tmp_path / scope, scope=scope, exclusion=exclusion)
        change(
            site,
            "  value: 10\n  description: a $10 account credit",
            "  value: 99\n  description: a $99 credit",
        )
        assert findings(site, "SG610") == [], scope
    assert messages(site, "SG611") == [  # a federal practice: SG611's, with its own reason
        f"referrer_reward: a $99 credit is worth $99, above the $15 per-item limit, {FEDERAL}",
        "a referring patient can receive an unlimited amount a year, above the $75 per-year limit, "
        + FEDERAL,
    ]


@pytest.mark.parametrize(("value", "above"), [(15, False), (15.01, True)])
def test_the_per_item_limit_is_allowed_exactly(tmp_path: Path, value: float, above: bool) -> None:
    site = site_with(tmp_path, scope="mixed", exclusion="false")
    change(site, "  value: 10\n", f"  value: {value}\n")
    change(site, "success:", "limits:\n  per_year: 75\nsuccess:")
    assert [m.split(" is worth")[0] for m in messages(site, "SG610")] == (
        ["referrer_reward: a $10 account credit"] if above else []
    )


def test_the_yearly_total_is_named_at_the_setting_it_comes_from(tmp_path: Path) -> None:
    """No yearly cap on a direct program: unlimited, at referrer_reward; a cap above $75: at the cap."""
    site = site_with(tmp_path, scope="mixed", exclusion="false")
    assert findings(site, "SG610") == [
        (
            "content/program.yaml",
            line(site, "program.yaml", "referrer_reward:"),
            f"a referring patient can receive an unlimited amount a year, above the $75 per-year limit, "
            f"{NOT_EXCLUDED}",
            "error",
        )
    ]
    change(site, "success:", "limits:\n  per_year: 76\nsuccess:")
    assert findings(site, "SG610") == [
        (
            "content/program.yaml",
            line(site, "program.yaml", "per_year: 76"),
            f"a referring patient can receive $76 a year, above the $75 per-year limit, {NOT_EXCLUDED}",
            "error",
        )
    ]
    change(site, "per_year: 76", "per_year: 75")
    assert findings(site, "SG610") == []


def test_the_programs_own_compliance_limits_replace_15_and_75(tmp_path: Path) -> None:
    site = site_with(tmp_path, scope="mixed", exclusion="false")
    change(site, "  value: 10\n", "  value: 18\n")
    change(site, "success:", "limits:\n  per_year: 90\nsuccess:")
    change(site, "  payer_scope: mixed", "  payer_scope: mixed\n  per_item_limit: 20\n  per_year_limit: 80")
    assert messages(site, "SG610") == [
        f"a referring patient can receive $90 a year, above the $80 per-year limit, {NOT_EXCLUDED}"
    ]
    change(site, "per_item_limit: 20", "per_item_limit: 17")
    assert messages(site, "SG610")[0] == (
        f"referrer_reward: a $10 account credit is worth $18, above the $17 per-item limit, {NOT_EXCLUDED}"
    )


def test_a_tier_and_a_campaign_above_the_limit_are_each_named_where_they_are_written(tmp_path: Path) -> None:
    site = site_with(tmp_path, TIERED, scope="federal")
    write(site, "campaigns/june.md", CAMPAIGN.format(value=20, description="a $20 credit"))
    assert findings(site, "SG611") == [
        (
            "content/program.yaml",
            line(site, "program.yaml", "value: 16"),
            f"tiers[2].reward: a $16 credit is worth $16, above the $15 per-item limit, {FEDERAL}",
            "error",
        ),
        (
            "content/campaigns/june.md",
            line(site, "campaigns/june.md", "value: 20"),
            f"content/campaigns/june.md: referrer_reward: a $20 credit is worth $20, above the $15 per-item "
            f"limit, {FEDERAL}",
            "error",
        ),
    ]  # the tiers sum to $26: within $75 a year


def test_the_hints_say_what_to_do_for_each_scope(tmp_path: Path) -> None:
    site = site_with(tmp_path, scope="mixed", exclusion="false")
    change(site, "  value: 10\n", "  value: 25\n")
    exclude = (
        "set compliance.federal_exclusion: true (the terms then exclude Medicare, Medicaid and TRICARE "
        "patients from rewards above the limits), or keep every reward within them"
    )
    cap = "; limits.per_year caps what one patient receives in a year"
    assert [f.hint for f in run_rule(site, "SG610")] == [exclude, exclude + cap]
    change(site, "payer_scope: mixed", "payer_scope: federal")
    counsel = (
        "keep every reward at nominal value (at most the per-item and per-year limits) and have counsel "
        "review the program"
    )
    assert [f.hint for f in run_rule(site, "SG611")] == [counsel, counsel + cap]


def test_amounts_are_written_in_the_sites_currency(tmp_path: Path) -> None:
    site = site_with(tmp_path, scope="federal")
    edit(site, "site.yaml", "brand:", "currency: EUR\nbrand:")
    change(site, "  value: 10\n", "  value: 20\n")
    change(site, "success:", "limits:\n  per_year: 60\nsuccess:")
    assert messages(site, "SG611") == [
        f"referrer_reward: a $10 account credit is worth €20, above the €15 per-item limit, {FEDERAL}"
    ]


# -- SG612: cash and cash equivalents -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "what"),
    [
        ("a $10 Visa gift card", "is a Visa card or payment, which counts as cash"),
        ("$10 sent by PayPal", "is a PayPal card or payment, which counts as cash"),
        ("$10 in cash", "is paid in cash"),
        ("$10 cash, or a credit", "is paid in cash"),
        ("a $10 credit (no cash value)", ""),
        ("a $10 credit that is never paid out as cash", ""),
        ("a $10 credit; cannot be exchanged. Paid in cash at the desk", "is paid in cash"),
        ("a $10 gift card for our skincare shop", ""),
    ],
)
def test_a_cash_reward_is_found_and_a_no_cash_clause_is_not_one(
    tmp_path: Path, description: str, what: str
) -> None:
    site = site_with(tmp_path, scope="mixed")
    change(site, "description: a $10 account credit", f"description: {description}")
    assert findings(site, "SG612") == (
        [
            (
                "content/program.yaml",
                line(site, "program.yaml", description),
                f"referrer_reward: {description} {what}",
                "error",
            )
        ]
        if what
        else []
    )


def test_cash_is_a_warning_for_a_cash_pay_practice_and_the_friends_reward_counts_too(tmp_path: Path) -> None:
    site = site_with(tmp_path, scope="cash_pay")
    change(site, "description: $10 off a first treatment", "description: $10 cash back")
    assert findings(site, "SG612") == [
        (
            "content/program.yaml",
            line(site, "program.yaml", "$10 cash back"),
            "friend_reward: $10 cash back is paid in cash",
            "warning",
        )
    ]


def test_cash_in_a_spanish_program_or_campaign_is_found_where_it_is_written(tmp_path: Path) -> None:
    site = site_with(tmp_path, scope="mixed")
    edit(site, "site.yaml", "brand:", "languages: [en, es]\nbrand:")
    write(site, "program.es.yaml", "referrer_reward:\n  description: una tarjeta prepagada de $10\n")
    campaign = CAMPAIGN.format(value=10, description="a $10 credit")
    write(site, "campaigns/june.md", campaign.replace("referrer_reward:", FRIEND_REWARD + "referrer_reward:"))
    write(
        site,
        "campaigns/june.es.md",
        "---\ntitle: Junio\nreferrer_reward:\n  description: $10 en efectivo\n"
        "friend_reward:\n  description: $20 en dinero\n---\nTexto.\n",
    )
    write(site, "pages/about.es.md", "---\ntitle: Quiénes somos\n---\nTexto en español.\n")  # no rewards
    assert findings(site, "SG612") == [
        (
            "content/program.es.yaml",
            2,
            "referrer_reward: una tarjeta prepagada de $10 is a tarjeta prepagada card or payment, which "
            "counts as cash",
            "error",
        ),
        ("content/campaigns/june.es.md", 6, "friend_reward: $20 en dinero is paid in cash", "error"),
        ("content/campaigns/june.es.md", 4, "referrer_reward: $10 en efectivo is paid in cash", "error"),
    ]


def test_a_translation_that_keeps_the_original_words_is_not_checked_twice(tmp_path: Path) -> None:
    site = site_with(tmp_path, scope="mixed")
    change(site, "description: a $10 account credit", "description: $10 in cash")
    edit(site, "site.yaml", "brand:", "languages: [en, es]\nbrand:")
    write(site, "program.es.yaml", "headline: Comparta\n")
    write(site, "campaigns/june.md", CAMPAIGN.format(value=10, description="$10 in cash"))
    write(site, "campaigns/june.es.md", "---\ntitle: Junio\n---\nTexto.\n")
    assert [(file, message) for file, _, message, _ in findings(site, "SG612")] == [
        ("content/program.yaml", "referrer_reward: $10 in cash is paid in cash"),
        (
            "content/campaigns/june.md",
            "content/campaigns/june.md: referrer_reward: $10 in cash is paid in cash",
        ),
    ]


# -- SG618: a referrer reward above the program's own limits -------------------------------------------


def test_a_reward_above_the_programs_own_limit_per_referral_or_per_year(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    change(site, "success:", "limits:\n  per_referral: 5\n  per_year: 8\nsuccess:")
    where = line(site, "program.yaml", "value: 10")
    assert findings(site, "SG618") == [
        (
            "content/program.yaml",
            where,
            "referrer_reward: a $10 account credit is worth $10, but limits.per_referral caps what one "
            "referral earns at $5",
            "warning",
        )
    ]  # one finding for the reward, though it is above both
    change(site, "per_referral: 5", "per_referral: 10")
    assert findings(site, "SG618") == [
        (
            "content/program.yaml",
            where,
            "referrer_reward: a $10 account credit is worth $10, but limits.per_year caps what one patient "
            "in a year earns at $8",
            "warning",
        )
    ]
    change(site, "per_year: 8", "per_year: 10")
    assert findings(site, "SG618") == []  # at the limits exactly


def test_own_limits_name_the_tier_or_campaign_and_leave_the_friends_offer_alone(tmp_path: Path) -> None:
    site = site_with(tmp_path, TIERED)
    change(site, "success:", "limits:\n  per_referral: 12\nsuccess:")
    write(site, "campaigns/june.md", CAMPAIGN.format(value=14, description="a $14 credit"))
    change(site, "friend_reward: {kind: discount, value: 10", "friend_reward: {kind: discount, value: 50")
    assert findings(site, "SG618") == [
        (
            "content/program.yaml",
            line(site, "program.yaml", "value: 16"),
            "tiers[2].reward: a $16 credit is worth $16, but limits.per_referral caps what one referral "
            "earns at $12",
            "warning",
        ),
        (
            "content/campaigns/june.md",
            line(site, "campaigns/june.md", "value: 14"),
            "referrer_reward: a $14 credit is worth $14, but limits.per_referral caps what one referral "
            "earns at $12",
            "warning",
        ),
    ]


def test_the_hint_says_which_setting_to_raise_or_what_to_lower_the_reward_to(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    change(site, "  value: 10\n  description: a $10 account credit", "  value: 12.5\n  description: a credit")
    change(site, "success:", "limits:\n  per_year: 7.5\nsuccess:")
    assert [f.hint for f in run_rule(site, "SG618")] == [
        "raise limits.per_year in content/program.yaml to at least 12.5, or lower the reward to 7.5: "
        "patients are promised what the page says"
    ]


# -- SG617: state rules ---------------------------------------------------------------------------------


def test_california_patients_with_paid_rewards_are_an_error_at_the_states(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    change(site, "states: [TX]", "states: [tx, ' ca ']")
    assert findings(site, "SG617") == [
        (
            "content/program.yaml",
            line(site, "program.yaml", "states:"),
            "California (Business and Professions Code 650) forbids any consideration for referring "
            "patients, whoever pays: this program's referrer rewards are not allowed for California patients",
            "error",
        )
    ]  # TX alone has no rules here, but the review of 2026-02-01 is current


def test_the_state_and_dental_rules_weigh_a_tiered_programs_rewards(tmp_path: Path) -> None:
    site = site_with(tmp_path, TIERED)
    change(site, "states: [TX]", "states: [CA]")
    assert [(code, severity) for _, _, code, severity in findings(site, "SG617")] == [
        (
            "California (Business and Professions Code 650) forbids any consideration for referring "
            "patients, whoever pays: this program's referrer rewards are not allowed for California patients",
            "error",
        )
    ]
    edit(site, "site.yaml", "brand:", "type: dental\nbrand:")
    change(site, "reviewed_on: 2026-02-01", "reviewed_on: 2025-02-01")
    assert [severity for *_, severity in findings(site, "SG685")] == ["warning"]


def test_california_with_thanks_of_no_money_value_is_allowed(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    change(site, "states: [TX]", "states: [CA]")
    change(site, "  kind: credit\n  value: 10\n", "  kind: recognition\n  value: 0\n")
    assert findings(site, "SG617") == []


def test_no_states_cannot_be_weighed_and_says_so_once(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    change(site, "  states: [TX]\n", "")
    assert findings(site, "SG617") == [
        (
            "content/program.yaml",
            line(site, "program.yaml", "compliance:"),
            "compliance.states is empty: state rules cannot be weighed",
            "warning",
        )
    ]


@pytest.mark.parametrize(
    ("reviewed_on", "current"),
    [("2025-06-01", True), ("2025-05-31", False), ("2026-06-01", True), ("2026-06-02", False)],
)
def test_states_sitegen_has_no_rules_for_need_a_review_of_the_last_12_months(
    tmp_path: Path, reviewed_on: str, current: bool
) -> None:
    site = site_with(tmp_path)
    change(site, "states: [TX]", "states: [TX, CA, NM]")
    change(site, "  kind: credit\n  value: 10\n", "  kind: recognition\n  value: 0\n")
    change(site, "reviewed_on: 2026-02-01", f"reviewed_on: {reviewed_on}")
    assert findings(site, "SG617") == (
        []
        if current
        else [
            (
                "content/program.yaml",
                line(site, "program.yaml", "states:"),
                "sitegen has no rules for TX, NM: a legal review is required",
                "warning",
            )
        ]
    )


def test_states_without_any_review_need_one(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    change(site, "  review:\n    reviewed_by: Counsel LLP\n    reviewed_on: 2026-02-01\n", "")
    assert messages(site, "SG617") == ["sitegen has no rules for TX: a legal review is required"]


# -- SG685: dental fee-splitting ------------------------------------------------------------------------


def test_a_dental_practice_with_paid_rewards_needs_a_current_review(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    edit(site, "site.yaml", "brand:", "business_type: Dentist\nbrand:")
    assert findings(site, "SG685") == []  # reviewed 2026-02-01
    change(site, "reviewed_on: 2026-02-01", "reviewed_on: 2025-02-01")
    assert findings(site, "SG685") == [
        (
            "content/program.yaml",
            line(site, "program.yaml", "reviewed_on:"),
            "dental boards in many states forbid paying for referrals (fee-splitting), and this program's "
            "legal review (2025-02-01) is more than 12 months old",
            "warning",
        )
    ]
    change(site, "  review:\n    reviewed_by: Counsel LLP\n    reviewed_on: 2025-02-01\n", "")
    assert findings(site, "SG685") == [
        (
            "content/program.yaml",
            line(site, "program.yaml", "compliance:"),
            "dental boards in many states forbid paying for referrals (fee-splitting), and this program's "
            "rewards have no legal review recorded",
            "warning",
        )
    ]


def test_dental_by_type_too_and_only_with_rewards_of_money_value(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    change(site, "reviewed_on: 2026-02-01", "reviewed_on: 2025-02-01")
    assert findings(site, "SG685") == []  # not a dental practice
    edit(site, "site.yaml", "brand:", "type: dental\nbrand:")
    assert len(findings(site, "SG685")) == 1
    change(site, "  kind: credit\n  value: 10\n", "  kind: recognition\n  value: 0\n")
    assert findings(site, "SG685") == []
