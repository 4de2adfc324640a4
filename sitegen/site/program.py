"""The referral program: content/program.yaml loaded, checked, and turned into its texts.

Checks here are the ones without which the program would be wrong on the page: a reward without a
value, tiers that do not grow, a model without what it needs. Weighing rewards against the
anti-kickback limits belongs to `sitegen check`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from sitegen.content.i18n import Catalogue
from sitegen.content.loader import Loaded, field_lines
from sitegen.content.markdown import MarkdownRenderer
from sitegen.content.overlay import read_translated_yaml
from sitegen.content.sources import read_yaml
from sitegen.core.errors import Diagnostics, SourceLocation
from sitegen.core.schema import Context, coerce_object
from sitegen.models.referral import Campaign, Program, Reward, ShareTexts, Terms
from sitegen.site.refcode import is_valid_code, normalize_code, suggest_code

PROGRAM_FILE = "content/program.yaml"
ARCHIVE_FOLDER = "content/program-archive"  # program.yaml as it was under earlier terms
_TRANSLATION = re.compile(r"\.[a-z]{2}(?:-[a-z]{2,4})?$")  # the stem 1.1.es: a translation of 1.1.yaml


def load_program(
    site_dir: Path, renderer: MarkdownRenderer, diagnostics: Diagnostics, lang: str = ""
) -> Program | None:
    """program.yaml; in another language, with program.<lang>.yaml's texts laid over."""
    file = site_dir / PROGRAM_FILE
    if not file.is_file():
        return None
    if lang:
        data, src = read_translated_yaml(file, lang, site_dir, diagnostics)
    else:
        data, src = read_yaml(file, site_dir, diagnostics), PROGRAM_FILE
    if data is None:
        return None
    program = coerce_object(Program, data, getattr(data, "line", 1), Context(src, diagnostics))
    if program is None:
        return None
    program = dataclasses.replace(
        program,
        src_path=src,
        share=_share_defaults(program),
        field_lines=field_lines(data),
        intro_html=renderer.render(program.intro).html,
        faq=[dataclasses.replace(i, html=renderer.render(i.answer).html) for i in program.faq],
    )
    _check(program, diagnostics)
    earlier = load_earlier(site_dir, renderer, diagnostics, program, lang)
    return dataclasses.replace(program, earlier=earlier)


def is_translated(program: Program, lang: str) -> bool:
    """Whether this program (an earlier version's) was read from its translation into `lang`."""
    return program.src_path.endswith(f".{lang}.yaml")


def load_earlier(
    site_dir: Path, renderer: MarkdownRenderer, diagnostics: Diagnostics, current: Program, lang: str = ""
) -> tuple[Program, ...]:
    """The program under each earlier version of its terms: copies of program.yaml kept in
    content/program-archive/<version>.yaml, oldest first. A patient who enrolled under them can still
    read what they accepted (/refer/terms/v<version>/), since the enrol form records the version.

    In another language, <version>.<lang>.yaml's texts are laid over each copy (as program.<lang>.yaml's
    over program.yaml); a copy without one stays in the main language (`is_translated`), with a warning
    (SG670) when the current program is translated."""
    folder = site_dir / ARCHIVE_FOLDER
    earlier: list[Program] = []
    files = (
        sorted(f for f in folder.glob("*.yaml") if not _TRANSLATION.search(f.stem)) if folder.is_dir() else []
    )
    for file in files:
        data, src = _read_copy(file, site_dir, diagnostics, current, lang)
        program = (
            coerce_object(Program, data, getattr(data, "line", 1), Context(src, diagnostics))
            if data
            else None
        )
        if program is None:
            continue
        lines = field_lines(data)
        if _is_earlier(
            file, program, current, SourceLocation(src, lines.get("terms.version", 1)), diagnostics
        ):
            intro_html = renderer.render(program.intro).html
            earlier.append(
                dataclasses.replace(program, src_path=src, field_lines=lines, intro_html=intro_html)
            )
    return tuple(sorted(earlier, key=lambda p: p.terms.effective))


def _read_copy(
    file: Path, site_dir: Path, diagnostics: Diagnostics, current: Program, lang: str
) -> tuple[Any, str]:
    """An archived copy's data and the file it came from: in another language, its translation laid over
    it, or the copy alone with SG670 when the current program is translated."""
    if not lang:
        return read_yaml(file, site_dir, diagnostics), f"{ARCHIVE_FOLDER}/{file.name}"
    data, src = read_translated_yaml(file, lang, site_dir, diagnostics)
    if src == f"{ARCHIVE_FOLDER}/{file.name}" and current.src_path.endswith(f".{lang}.yaml"):
        diagnostics.warn(
            "SG670",
            f"the terms of version {file.stem} have no {lang} copy, though the current program has "
            f"one: /{lang}/refer/terms/ links to that version in the main language",
            SourceLocation(src, 1),
            f"copy program.{lang}.yaml as it was under version {file.stem} to "
            f"{ARCHIVE_FOLDER}/{file.stem}.{lang}.yaml",
        )
    return data, src


def _is_earlier(
    file: Path, program: Program, current: Program, at: SourceLocation, diagnostics: Diagnostics
) -> bool:
    """Whether an archived copy is what its place says: named after its terms' version, and earlier than
    the current terms; SG218 at `at` (its terms.version) when not."""
    version = program.terms.version
    if file.stem != version:
        diagnostics.error(
            "SG218",
            f"this copy of the program is under terms version {version}, but the file is named {file.name}",
            at,
            f"name the file {version}.yaml, after the version of its terms",
        )
        return False
    if version == current.terms.version or program.terms.effective >= current.terms.effective:
        diagnostics.error(
            "SG218",
            f"terms version {version} (effective {program.terms.effective}) is not earlier "
            f"than the current terms in {PROGRAM_FILE} (version {current.terms.version}, effective "
            f"{current.terms.effective})",
            at,
            "keep only earlier versions here; the current terms are program.yaml's",
        )
        return False
    return True


def _check(program: Program, diagnostics: Diagnostics) -> None:
    """The program as its model needs it: the rewards it must name, its charities or its tiers, rewards
    with a value, a success rule that can be met."""
    _check_rewards_named(program, diagnostics)
    if program.model == "charitable":
        _check_charitable(program, diagnostics)
    if program.model == "tiered":
        _check_tiers(program, diagnostics)
    for name, reward in _named_rewards(program):
        if reward.monetary and (reward.value is None or reward.value <= 0):
            diagnostics.error(
                "SG202",
                f"{name}: a {reward.kind.replace('_', ' ')} reward needs a value",
                _at(program, f"{name}.value" if program.at_line(f"{name}.value") else name),
                "add `value:` with what the reward is worth in money; limits and reports count it",
            )
    if program.success.within_days < 1:
        diagnostics.error(
            "SG209", "success.within_days must be at least 1", _at(program, "success.within_days")
        )


def _at(program: Program, name: str) -> SourceLocation:
    """Where program.yaml gives the field `name` (dotted), else its top-level field."""
    return SourceLocation(
        PROGRAM_FILE, program.at_line(name) or program.at_line(name.split(".")[0].split("[")[0])
    )


def _check_rewards_named(program: Program, diagnostics: Diagnostics) -> None:
    """The referrer's reward (direct and charitable), the friend's (all but charitable), and no share text
    offering the friend a reward the program does not have."""
    if program.model in ("direct", "charitable") and program.referrer_reward is None:
        diagnostics.error(
            "SG202",
            f"a {program.model} program needs referrer_reward",
            _at(program, "model"),
            "add `referrer_reward:` with kind, value and description",
        )
    if program.friend_reward is None and program.model != "charitable":
        diagnostics.error(
            "SG202",
            f"a {program.model} program needs friend_reward: what the invited friend gets",
            _at(program, "model"),
            "add `friend_reward:` with kind, value and description (only a charitable program may do "
            "without)",
        )
    if program.friend_reward is None:
        for name in ("email_subject", "email_body", "sms"):
            if "{friend_offer}" in getattr(program.share, name):
                diagnostics.error(
                    "SG686",
                    f"share.{name} uses {{friend_offer}}, but the program has no friend_reward: the friend "
                    "is offered nothing",
                    _at(program, f"share.{name}"),
                    "remove {friend_offer} and the words around it, e.g. I recommend {practice}. Book "
                    "through my link: {link}",
                )


def _check_charitable(program: Program, diagnostics: Diagnostics) -> None:
    """A charitable program lists its charities and rewards the referrer with a donation."""
    if not program.charities:
        diagnostics.error(
            "SG202",
            "a charitable program needs the list of charities",
            _at(program, "model"),
            "add `charities:` with at least one name",
        )
    elif program.referrer_reward and program.referrer_reward.kind != "donation":
        diagnostics.error(
            "SG209",
            "in a charitable program the referrer's reward is a donation",
            _at(program, "referrer_reward.kind"),
            "set referrer_reward.kind: donation",
        )


def _check_tiers(program: Program, diagnostics: Diagnostics) -> None:
    """A tiered program has tiers, each needing more referrals than the one before, the first at least 1."""
    if not program.tiers:
        diagnostics.error(
            "SG202",
            "a tiered program needs tiers",
            _at(program, "model"),
            "add `tiers:`, each with name, referrals and reward, lowest first",
        )
    for index in range(1, len(program.tiers)):
        previous, tier = program.tiers[index - 1], program.tiers[index]
        if tier.referrals <= previous.referrals:
            diagnostics.error(
                "SG209",
                f"tiers: {tier.name} needs {tier.referrals} referrals, no more than {previous.name} "
                f"({previous.referrals}); tiers must grow",
                _at(program, f"tiers[{index + 1}].referrals"),
                "list tiers from fewest to most referrals, each needing more than the one before",
            )
    if program.tiers and program.tiers[0].referrals < 1:
        diagnostics.error(
            "SG209", "tiers: the first tier needs at least 1 referral", _at(program, "tiers[1].referrals")
        )


SHARE_DEFAULTS = {  # the default share texts where "you get {friend_offer}" would be wrong
    "none": {  # the friend gets nothing
        "email_body": "I've been going to {practice} and thought you might like it too. "
        "You can book through my link: {link}",
        "sms": "I recommend {practice}. Book through my link: {link}",
    },
    "donation": {  # a donation is made in the friend's name: nothing they get
        "email_body": "I've been going to {practice} and thought you might like it too. "
        "If you book through my link, they make {friend_offer}: {link}",
        "sms": "I recommend {practice}. Book through my link and they make {friend_offer}: {link}",
    },
}


def _share_defaults(program: Program) -> ShareTexts:
    """The share texts, with the defaults (which say the friend gets the offer) replaced by ones that
    fit a friend who gets nothing, or a donation in their name; texts written in program.yaml stay."""
    reward = program.friend_reward
    kind = "none" if reward is None else reward.kind
    if kind not in SHARE_DEFAULTS:
        return program.share
    default = ShareTexts()
    return dataclasses.replace(
        program.share,
        **{
            name: text
            for name, text in SHARE_DEFAULTS[kind].items()
            if getattr(program.share, name) == getattr(default, name)
        },
    )


def _named_rewards(program: Program) -> list[tuple[str, Reward]]:
    named = [
        (n, r)
        for n, r in (("referrer_reward", program.referrer_reward), ("friend_reward", program.friend_reward))
        if r
    ]
    named += [(f"tiers[{i}].reward", t.reward) for i, t in enumerate(program.tiers, start=1)]
    named += [(f"extras[{i}]", r) for i, r in enumerate(program.extras, start=1)]
    return named


def campaign_status(campaign: Campaign, today: date) -> str:
    if today < campaign.start:
        return "upcoming"
    return "ended" if today > campaign.end else "running"


def check_campaign(doc: Loaded, diagnostics: Diagnostics) -> None:
    """What the report would credit of a campaign is stated in full: a money reward has its value, and
    the deadline of the friend's visit comes with a reward and after the campaign's last day."""
    campaign: Campaign = doc.model

    def at(name: str) -> SourceLocation:
        return SourceLocation(doc.raw.src_path, doc.line_of(name) or doc.line_of(name.split(".")[0]))

    reward = campaign.referrer_reward
    if reward is not None and reward.monetary and reward.value is None:
        diagnostics.error(
            "SG663",
            f"referrer_reward ({reward.kind}) has no value: the report cannot credit an unknown amount",
            at("referrer_reward"),
            "write what it is worth, e.g. value: 10",
        )
    by = campaign.referrer_reward_by
    if by is not None and reward is None:
        diagnostics.error(
            "SG664",
            "referrer_reward_by is set but the campaign has no referrer_reward: there is nothing it limits",
            at("referrer_reward_by"),
            "write the campaign's referrer_reward (kind, value, description), or remove referrer_reward_by",
        )
    elif by is not None and by < campaign.end:
        diagnostics.error(
            "SG665",
            f"referrer_reward_by ({by}) is before the campaign's last day ({campaign.end}): a friend "
            "who comes late in the campaign could not earn what the page promises",
            at("referrer_reward_by"),
            f"write a day on or after {campaign.end}",
        )


SUCCESS = {  # whole sentences, so that each language can order them its own way
    "first_paid_visit": "A referral is successful when the invited friend completes a first paid visit "
    "within %(days)d days of requesting an appointment with the referral code.",
    "first_visit": "A referral is successful when the invited friend completes a first visit within "
    "%(days)d days of requesting an appointment with the referral code.",
    "consultation": "A referral is successful when the invited friend attends a consultation within "
    "%(days)d days of requesting an appointment with the referral code.",
}


def success_sentence(program: Program, catalogue: Catalogue) -> str:
    return catalogue.format(SUCCESS[program.success.event], days=program.success.within_days)


def share_text(template: str, program: Program, practice: str) -> str:
    """A share text with everything but the patient's link filled in ({link} stays for the browser)."""
    offer = program.friend_reward.description.rstrip(".") if program.friend_reward else ""
    return template.replace("{practice}", practice).replace("{friend_offer}", offer)


def terms_checksum(terms: Terms) -> str:
    """12 hex digits of SHA-256 over the clauses' wording (not the version, date or checksum itself)."""
    wording = {
        k: v for k, v in dataclasses.asdict(terms).items() if k not in ("version", "effective", "checksum")
    }
    return hashlib.sha256(json.dumps(wording, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


# the code rules live in refcode; `sitegen report` reads them from here too
__all__ = ["is_valid_code", "normalize_code", "suggest_code"]
