"""Referral program rules on its texts: the terms' required clauses and their version, the legal review
record, campaign dates, and the voice of the friend's offer (the friend is told "your first treatment",
the referrer "their first treatment").

Registered by importing sitegen.checks.referral, which imports this module. Not legal advice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sitegen.checks.registry import CheckContext, Finding, rule, setting_at
from sitegen.core.errors import SourceLocation
from sitegen.models.referral import Program
from sitegen.site.program import terms_checksum

CASH = re.compile(r"\b(cash|efectivo|dinero)\b", re.IGNORECASE)
REVIEW_MAX_DAYS = 365
# words that speak to the reader, in English: wrong in a text the referrer reads about their friend
SECOND_PERSON = re.compile(r"\b(you|your|yours|you're|yourself)\b", re.IGNORECASE)
# the same in the site's other languages: only words that can only mean "you". Spanish "su" (your, formal,
# or their) and "le" are left out: "su primera visita" reads right in both voices.
SECOND_PERSON_IN = {
    "en": SECOND_PERSON,
    "es": re.compile(r"(?<!\w)(usted|ustedes|tú|tu|tus|te|ti|contigo)(?!\w)", re.IGNORECASE),
}
_TRANSLATION_FILE = re.compile(r"\.([a-z]{2}(?:-[a-z]{2,4})?)\.yaml$")


@rule(
    "SG613",
    "error",
    "Referral program",
    "the terms miss a required clause: that rewards have no cash value, or (when federal program patients "
    "can take part) a yearly limit",
    "a reward that can be turned into cash is cash; nominal-value limits are yearly",
)
def terms_clauses(ctx: CheckContext) -> Iterator[Finding]:
    program = ctx.site.program
    if program is None:
        return
    monetary = any(r.monetary and r.value for r in program.rewards)
    if monetary and not CASH.search(_clauses(program)):
        yield Finding(
            setting_at(program, "terms.restrictions"),
            "terms: no clause says that rewards have no cash value",
            'add to terms.restrictions, e.g. "Rewards have no cash value and cannot be exchanged for cash."',
        )
    for translated in ctx.other_programs:  # the terms a patient reads in another language say it too
        if monetary and _clauses(translated) != _clauses(program) and not CASH.search(_clauses(translated)):
            yield Finding(
                setting_at(translated, "terms.restrictions"),
                "terms: no translated clause says that rewards have no cash value",
                "translate every clause of the original's terms.restrictions, in its order, e.g. "
                '"Las recompensas no tienen valor en efectivo."',
            )
    limits = program.limits
    if (
        program.compliance.payer_scope != "cash_pay"
        and limits.per_year is None
        and limits.referrals_per_year is None
    ):
        yield Finding(
            setting_at(program, "limits"),
            "terms: no yearly limit on rewards",
            "set limits.per_year (the most one patient can receive in a calendar year); the terms then state "
            "it",
        )


def _clauses(program: Program) -> str:
    return " ".join([*program.terms.restrictions, *program.terms.additional, program.terms.reward_timing])


@rule(
    "SG614",
    "warning",
    "Referral program",
    "no legal review record, or one older than 12 months (or dated in the future)",
    "referral rewards in healthcare meet federal and state law; the program and terms need a current review",
)
def legal_review(ctx: CheckContext) -> Iterator[Finding]:
    program = ctx.site.program
    if program is None:
        return
    review = program.compliance.review
    if review is None:
        yield Finding(
            setting_at(program, "compliance"),
            "no legal review record for the program",
            "have counsel review the program and its terms, then add compliance.review with reviewed_by "
            "and reviewed_on",
        )
        return
    age = (ctx.today - review.reviewed_on).days
    where = setting_at(program, "compliance.review.reviewed_on")
    if age > REVIEW_MAX_DAYS:
        yield Finding(
            where,
            f"the legal review of {review.reviewed_on} is more than 12 months old",
            "have the program and terms reviewed again and update compliance.review",
        )
    elif age < 0:
        yield Finding(where, f"the legal review is dated {review.reviewed_on}, after today", "check the date")


@rule(
    "SG615",
    "warning",
    "Referral program",
    "two campaigns whose dates overlap",
    "two offers at once make it unclear which terms apply",
)
def overlapping_campaigns(ctx: CheckContext) -> Iterator[Finding]:
    campaigns = sorted(
        (
            d
            for d in ctx.documents
            if d.kind == "campaigns" and not d.model.draft and d.model.end >= d.model.start
        ),
        key=lambda d: (d.model.start, d.raw.src_path),
    )
    for index, later in enumerate(campaigns):
        for earlier in campaigns[:index]:
            if later.model.start <= earlier.model.end:
                yield Finding(
                    later.at("start"),
                    f"{later.model.title} ({later.model.start} to {later.model.end}) overlaps "
                    f"{earlier.model.title} ({earlier.model.start} to {earlier.model.end}, "
                    f"{earlier.raw.src_path})",
                    "run one campaign at a time: move the dates, or merge the two",
                )
                break


@rule(
    "SG616",
    "warning",
    "Referral program",
    "a campaign that has ended but is still linked from the home page",
    "the home page would promise an offer that is over",
)
def ended_campaign_on_home(ctx: CheckContext) -> Iterator[Finding]:
    ended = {c.url: c for c in ctx.site.campaigns if c.status == "ended"}
    if not ended:
        return
    home_doc = ctx.doc_by_url.get("/")
    config = ctx.site.config
    for written in ctx.hrefs("/"):
        href = written.split("?")[0].split("#")[0]
        campaign = ended.pop(href, None) or ended.pop(href + "/", None)
        if campaign is None:
            continue
        line = (
            next((r.line for r in home_doc.references if r.url.split("?")[0].split("#")[0] == href), 0)
            if home_doc
            else 0
        )
        menu_line = next(
            (
                config.at_line(f"{n}[{i}].url")
                for n in ("menu", "footer_links")
                for i, link in enumerate(getattr(config, n), start=1)
                if link.url.split("?")[0] == href
            ),
            0,
        )
        where = (
            SourceLocation(home_doc.raw.src_path, line)
            if line and home_doc
            else SourceLocation(config.src_path, menu_line)
            if menu_line
            else ctx.source_of("/")
        )
        yield Finding(
            where,
            f"the home page links to {campaign.title}, which ended on {campaign.end}",
            "take the link off the home page; the campaign's page stays for old emails",
        )


@rule(
    "SG619",
    "warning",
    "Referral program",
    'the friend\'s offer speaks to the friend ("your first treatment"; in Spanish "usted", "tú", "tu", "te", '
    '"ti") but is also shown to the referrer ("your friend gets ...") without a `told_to_referrer` text in '
    "the third person, in program.yaml or in a translation's own texts",
    "one text in two voices tells the referring patient that they get the friend's offer",
)
def offer_voice(ctx: CheckContext) -> Iterator[Finding]:
    program = ctx.site.program
    if program is None:
        return
    yield from _offer_voice(program, ctx.site.config.language, written_only=False)
    for translated in ctx.other_programs:  # program.<lang>.yaml: only the texts it writes itself
        found = _TRANSLATION_FILE.search(translated.src_path)
        if found:
            yield from _offer_voice(translated, found[1], written_only=True)


def _offer_voice(program: Program, lang: str, written_only: bool) -> Iterator[Finding]:
    reward, words = program.friend_reward, SECOND_PERSON_IN.get(lang.split("-")[0])
    if reward is None or words is None:
        return
    told = reward.told_to_referrer
    own_told = not written_only or bool(program.at_line("friend_reward.told_to_referrer"))
    own_description = not written_only or bool(program.at_line("friend_reward.description"))
    if not told and own_description and (said := words.search(reward.description)):
        yield Finding(
            setting_at(program, "friend_reward.description"),
            f'friend_reward: "{reward.description}" speaks to the friend ("{said[0]}"), and the referrer\'s '
            f"pages would say it of their friend",
            "add friend_reward.told_to_referrer with the same offer in the third person, e.g. "
            + (f'"{_third_person(reward.description)}"' if lang == "en" else '"... de su amigo ..."'),
        )
    elif told and own_told and (copied := _copied_second_person(told, reward.description, words)):
        # only the friend's "you" copied from the description: "the charity you chose" is the referrer's own
        yield Finding(
            setting_at(program, "friend_reward.told_to_referrer"),
            f'friend_reward.told_to_referrer: "{told}" is read by the referrer about their friend, but '
            f'it says "{copied[0]}" as the friend\'s offer does',
            "write it in the third person, e.g. "
            + (f'"{_third_person(told, copied)}"' if lang == "en" else '"... de su amigo ..."'),
        )


def _copied_second_person(told: str, description: str, words: re.Pattern[str] = SECOND_PERSON) -> list[str]:
    """The phrases of `told` made of a you/your word and the word after it (`your first`) that the
    friend's own `description` also says: the friend's voice copied into the referrer's text."""
    said = description.casefold()
    found = []
    for match in re.finditer(words.pattern + r"(?:\s+[\w'$-]+)?", told, re.IGNORECASE):
        if re.search(rf"(?<!\w){re.escape(match.group(0).casefold())}(?!\w)", said):
            found.append(match.group(0))
    return found


def _third_person(text: str, only: list[str] | None = None) -> str:
    """`text` with you/your turned into they/their; with `only`, just inside those phrases."""
    swaps = {"you're": "they're", "yourself": "themselves", "yours": "theirs", "your": "their", "you": "they"}

    def swap(phrase: str) -> str:
        return SECOND_PERSON.sub(
            lambda m: (
                swaps[m.group(0).lower()].capitalize()
                if m.group(0)[0].isupper()
                else swaps[m.group(0).lower()]
            ),
            phrase,
        )

    if only is None:
        return swap(text)
    for phrase in only:
        text = text.replace(phrase, swap(phrase))
    return text


@rule(
    "SG633",
    "warning",
    "Referral program",
    "the terms' wording changed without a new `terms.version`: its `terms.checksum` no longer matches",
    "the enrolment form records the version a patient accepted: a version must name one wording",
)
def terms_version(ctx: CheckContext) -> Iterator[Finding]:
    program = ctx.site.program
    if program is None:
        return
    terms, now = program.terms, terms_checksum(program.terms)
    if terms.checksum and not re.fullmatch(r"[0-9a-f]{12}", terms.checksum.strip()):
        # "?" as docs/referral.md suggests, or any placeholder: nothing was recorded, nothing changed
        yield Finding(
            setting_at(program, "terms.checksum"),
            f"terms: no checksum is recorded yet for version {terms.version} (its wording's checksum is "
            f"{now})",
            f"set terms.checksum: {now}; keep terms.version as it is (raise it only when the wording of "
            "published terms changes)",
        )
    elif terms.checksum and terms.checksum != now:  # no checksum: nothing to compare with
        yield Finding(
            setting_at(program, "terms.checksum"),
            f"terms: the wording changed since version {terms.version} was recorded (checksum {now}, "
            f"recorded {terms.checksum})",
            f"raise terms.version and terms.effective, then set terms.checksum: {now}; if you only "
            "raised the version, set the new checksum",
        )
