"""Traps a writer met building a charitable dental program from the docs alone (issue 20, issue 18):
each is now right on the page or a clear message, asserted here on small real sites."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from programs import MAY_CAMPAIGN, UNCREDITABLE_CAMPAIGN_REWARDS, charitable
from sitefactory import PROGRAM, add_program, edit, make_site, snapshot, write

from sitegen.build.pipeline import build, check
from sitegen.cli import main


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.mark.parametrize(("extra", "code", "line"), UNCREDITABLE_CAMPAIGN_REWARDS)
def test_a_campaign_reward_the_report_could_not_credit_stops_build_and_check(
    site: Path, extra: str, code: str, line: int
) -> None:
    add_program(site)
    assert CliRunner().invoke(main, ["build", str(site)]).exit_code == 0
    before = snapshot(site / "public")
    write(site, "campaigns/may.md", MAY_CAMPAIGN.format(extra=extra))
    for command in ("build", "check"):
        result = CliRunner().invoke(main, [command, str(site)])
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert isinstance(result.exception, (SystemExit, type(None))), result.exc_info  # not a crash
        assert f"content/campaigns/may.md:{line}: error[{code}]" in result.output, result.output
        assert result.output.count(f"error[{code}]") == 1
    assert snapshot(site / "public") == before


# SG617 / SG685: a dental practice's rewards are answered by counsel's dated review -----------------------

TODAY = date(2026, 6, 1)
DENTAL_COMPLIANCE = """compliance:
  payer_scope: cash_pay
  states: [{states}]
{review}"""
REVIEW = "  review:\n    reviewed_by: Counsel LLP\n    reviewed_on: {day}\n"
IGNORE = (
    "check:\n  ignore: [SG685]\n  reason: Counsel confirmed the state dental board allows these rewards.\n"
)


def dental(site: Path, states: str, review_day: str = "", extra: str = "") -> list[tuple[str, str, int, str]]:
    """The dental practice's findings of SG617 and SG685 as (code, severity, line, message)."""
    edit(site, "site.yaml", "brand:", "business_type: Dentist\nbrand:")
    review = REVIEW.format(day=review_day) if review_day else ""
    add_program(site, PROGRAM + DENTAL_COMPLIANCE.format(states=states, review=review) + extra)
    report = check(site, today=TODAY)
    return [
        (d.code, d.severity.value, d.location.line, d.message)
        for d in report.diagnostics
        if d.code in ("SG617", "SG685")
    ]


def line(site: Path, text: str) -> int:
    lines = (site / "content" / "program.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, written in enumerate(lines, start=1) if text in written)


def test_a_dental_practice_without_a_legal_review_is_warned_of_fee_splitting(site: Path) -> None:
    found = dental(site, "TX")
    assert sorted(found) == [
        (
            "SG617",
            "warning",
            line(site, "states:"),
            "sitegen has no rules for TX: a legal review is required",
        ),
        (
            "SG685",
            "warning",
            line(site, "compliance:"),
            "dental boards in many states forbid paying for referrals (fee-splitting), and this program's "
            "rewards have no legal review recorded",
        ),
    ]


def test_a_current_legal_review_quiets_the_dental_warning(site: Path) -> None:
    assert dental(site, "TX", "2026-02-01") == []


def test_an_old_legal_review_is_named_at_its_date(site: Path) -> None:
    found = dental(site, "TX", "2025-02-01")
    assert (
        "SG685",
        "warning",
        line(site, "reviewed_on:"),
        "dental boards in many states forbid paying for referrals (fee-splitting), and this program's "
        "legal review (2025-02-01) is more than 12 months old",
    ) in found


def test_the_california_error_stays_with_a_review_and_with_the_dental_rule_silenced(site: Path) -> None:
    found = dental(site, "CA", "2026-02-01", IGNORE)
    assert [(code, severity, line) for code, severity, line, _ in found] == [
        ("SG617", "error", line(site, "states:"))
    ]
    assert "Business and Professions Code 650" in found[0][3]


def test_silencing_the_dental_rule_leaves_the_unknown_state_warning(site: Path) -> None:
    found = dental(site, "TX", "", IGNORE)
    assert found == [
        ("SG617", "warning", line(site, "states:"), "sitegen has no rules for TX: a legal review is required")
    ]


# The default disclosure of a rewarded author, in the page's language and the program's kind -----------------

CHARITABLE = charitable(
    20,
    "a $20 donation to the charity you choose",
    ["Austin Food Bank Friends"],
    PROGRAM.replace(
        "intro: Your friend gets a welcome offer, and you are thanked", "intro: We give in your name"
    ),
)
DEE = """---
name: Dee M.
quote: Straight answers about price.
service: consultation
date: 2026-03-01
rewarded: true
consent:
  date: 2026-03-02
  scope: [web]
  reference: AUTH-1
---
"""


def disclosures(html: str) -> list[str]:
    """Each disclosure paragraph as written: its attributes' markup kept, tags of the label dropped."""
    found = re.findall(r'<p class="disclosure">(.*?)</p>', html, re.S)
    return [re.sub(r"</?strong>", "", f) for f in found]


def bilingual_with_dee(site: Path, program: str) -> Path:
    edit(site, "site.yaml", "brand:", "languages: [en, es]\nbrand:")
    add_program(site, program)
    write(site, "testimonials/dee-m.md", DEE)
    result = build(site, site / "public", today=TODAY)
    assert not [d for d in result.diagnostics if d.severity.value == "error"]
    return site / "public"


def test_the_default_disclosure_is_in_the_pages_language(site: Path) -> None:
    public = bilingual_with_dee(site, PROGRAM)
    english = (public / "testimonials" / "index.html").read_text(encoding="utf-8")
    spanish = (public / "es" / "testimonials" / "index.html").read_text(encoding="utf-8")
    assert disclosures(english) == [
        "Disclosure: Dee M. has received a reward from Your Practice Name for referring friends through "
        "The Friends Circle, its referral program."
    ]
    assert disclosures(spanish) == [
        "Divulgación: Dee M. ha recibido una recompensa de Your Practice Name por recomendar a amistades a "
        "través de The Friends Circle, su programa de recomendaciones."
    ]  # the practice's own words, in Spanish: no lang="en" on them (the quote keeps its lang="en")
    assert '<blockquote class="testimonial-quote" lang="en">' in spanish


def test_a_charitable_programs_default_disclosure_speaks_of_the_donation(site: Path) -> None:
    public = bilingual_with_dee(site, CHARITABLE)
    for url, expected in (
        (
            "refer",
            "Disclosure: Your Practice Name has made a donation to a charity Dee M. chose, for referring "
            "friends through The Friends Circle, its referral program.",
        ),
        (
            "es/refer",
            "Divulgación: Your Practice Name ha hecho una donación a una organización benéfica elegida por "
            "Dee M., por recomendar a amistades a través de The Friends Circle, su programa de "
            "recomendaciones.",
        ),
    ):
        html = (public / url / "index.html").read_text(encoding="utf-8")
        assert disclosures(html) == [expected], url
        assert "received a reward" not in html and "recibido una recompensa" not in html


# A charitable program whose friend gets nothing, or a donation in their name ------------------------------

NO_FRIEND = CHARITABLE.replace(
    """friend_reward:
  kind: discount
  value: 10
  description: $10 off a first treatment
""",
    "",
)
DONATING_FRIEND = CHARITABLE.replace(
    """friend_reward:
  kind: discount
  value: 10
  description: $10 off a first treatment
""",
    """friend_reward:
  kind: donation
  value: 10
  description: a $10 donation in your name to the charity your friend chose
  told_to_referrer: a $10 donation in their name to the charity you chose
""",
)
DONATING_FRIEND_ES = """friend_reward:
  description: una donación de $10 a su nombre a la organización que eligió su amigo
  told_to_referrer: una donación de $10 a nombre de su amigo a la organización que usted eligió
"""


def built(site: Path, program: str, spanish: str = "") -> Path:
    edit(site, "site.yaml", "brand:", "languages: [en, es]\nbrand:")
    add_program(site, program)
    if spanish:
        write(site, "program.es.yaml", spanish)
    result = build(site, site / "public", today=TODAY)
    assert not [d.format() for d in result.diagnostics if d.severity.value == "error"]
    return site / "public"


def html(public: Path, url: str) -> str:
    return (public / url.strip("/") / "index.html").read_text(encoding="utf-8")


def lead(page: str) -> str:
    return re.search(r'<p class="lead">(.*?)</p>', page, re.S)[1]


def test_a_charitable_program_may_offer_the_friend_nothing_and_says_so(site: Path) -> None:
    assert "friend_reward" not in NO_FRIEND
    public = built(site, NO_FRIEND)
    assert lead(html(public, "/welcome/")) == "Your friend thinks you'd like it here."
    assert lead(html(public, "/es/welcome/")) == "Su amigo cree que aquí se sentirá a gusto."
    refer, refer_es = html(public, "/refer/"), html(public, "/es/refer/")
    assert "Your friend gets" not in refer and "For your friend" not in refer
    assert "When their first visit is done, you are thanked." in refer
    assert "Cuando su amigo haya completado su primera visita, le damos las gracias a usted." in refer_es
    assert "Su amigo recibe" not in refer_es and "Para su amigo" not in refer_es
    assert "<p>Your code is <strong" in refer and "books through this link" not in refer
    assert 'data-sms-text="I recommend Your Practice Name. Book through my link: {link}"' in refer
    assert "you get" not in re.search(r'data-email-body="([^"]*)"', refer)[1]
    assert "The invited friend receives no reward." in html(public, "/refer/terms/")
    assert "El amigo invitado no recibe ninguna recompensa." in html(public, "/es/refer/terms/")


def test_a_donation_in_the_friends_name_is_never_something_they_get(site: Path) -> None:
    public = built(site, DONATING_FRIEND, DONATING_FRIEND_ES)
    assert lead(html(public, "/welcome/")) == (
        "Your friend thinks you'd like it here. When you come as their guest: a $10 donation in your "
        "name to the charity your friend chose."
    )
    assert lead(html(public, "/es/welcome/")) == (
        "Su amigo cree que aquí se sentirá a gusto. Si viene de su parte: una donación de $10 a su nombre "
        "a la organización que eligió su amigo."
    )
    refer, refer_es = html(public, "/refer/"), html(public, "/es/refer/")
    assert (
        "<li><strong>For your friend</strong> a $10 donation in their name to the charity you chose</li>"
        in (refer)
    )
    assert "Their visit brings a $10 donation in their name to the charity you chose; when their" in refer
    assert "Su visita trae una donación de $10 a nombre de su amigo" in refer_es
    for page in (refer, refer_es, html(public, "/welcome/"), html(public, "/print/referral-card/")):
        assert not re.search(r"(you get|gets|recibe) (a|una) \$10 donation|recibe una donación", page)


def test_only_a_charitable_program_may_leave_out_the_friends_reward(site: Path) -> None:
    add_program(
        site,
        NO_FRIEND.replace("model: charitable", "model: direct").replace("kind: donation", "kind: credit"),
    )
    result = CliRunner().invoke(main, ["check", str(site)])
    assert result.exit_code == 1
    assert re.search(
        r"content/program.yaml:\d+: error\[SG202\] a direct program needs friend_reward: what the invited "
        "friend gets",
        result.output,
    ), result.output


def test_a_share_text_offering_the_friend_nothing_cannot_name_the_offer(site: Path) -> None:
    add_program(site, NO_FRIEND + 'share:\n  sms: "Book through my link for {friend_offer}: {link}"\n')
    result = CliRunner().invoke(main, ["build", str(site)])
    line = len(NO_FRIEND.splitlines()) + 2
    assert result.exit_code == 1
    assert (
        f"content/program.yaml:{line}: error[SG686] share.sms uses {{friend_offer}}, but the program has no "
        "friend_reward: the friend is offered nothing"
    ) in result.output, result.output


# SG619 in Spanish: "usted", "tú", "tu", "te", "ti" speak to the reader; "su" may be "their" ---------------


def sg619(site: Path, spanish: str) -> list[str]:
    edit(site, "site.yaml", "brand:", "languages: [en, es]\nbrand:")
    add_program(site)
    write(site, "program.es.yaml", spanish)
    return [d.format() for d in check(site, today=TODAY).diagnostics if d.code == "SG619"]


def test_a_spanish_offer_that_says_usted_is_told_to_the_referrer_too(site: Path) -> None:
    found = sg619(
        site, "friend_reward:\n  description: $10 de descuento en el primer tratamiento que usted reciba\n"
    )
    assert len(found) == 1 and found[0].startswith(
        'content/program.es.yaml:2: warning[SG619] friend_reward: "$10 de descuento en el primer tratamiento '
        'que usted reciba" speaks to the friend ("usted")'
    ), found


def test_a_spanish_referrer_text_that_copies_the_friends_tu_is_named(site: Path) -> None:
    found = sg619(
        site,
        "friend_reward:\n  description: $10 de descuento en tu primer tratamiento\n"
        "  told_to_referrer: $10 de descuento en tu primer tratamiento\n",
    )
    assert len(found) == 1 and found[0].startswith(
        "content/program.es.yaml:3: warning[SG619] friend_reward.told_to_referrer: "
        '"$10 de descuento en tu primer tratamiento" is read by the referrer about their friend, but it says '
        '"tu primer" as the friend\'s offer does'
    ), found


def test_spanish_su_and_the_referrers_own_usted_are_not_flagged(site: Path) -> None:
    """ "su primera visita" is "their first visit" to the referrer; "usted eligió" is the referrer's own."""
    assert (
        sg619(
            site,
            "friend_reward:\n  description: una donación de $10 a su nombre, después de su primera visita\n"
            "  told_to_referrer: una donación de $10 a nombre de su amigo, a la organización que usted "
            "eligió, después de su primera visita\n",
        )
        == []
    )
