"""What staff tell a referrer whose reward is owed, in the language they enrolled in.

A message says only that their referral was successful and what they receive: never who the friend
is, when they came or what they had done (COMPLIANCE.md: the referrer learns nothing of the friend's
care). Rewards are named as the program's translation names them (program.<lang>.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.content.i18n import locale_name
from sitegen.models.referral import Campaign, Program
from sitegen.report.numbers import money as money_text
from sitegen.report.rewards import RewardLine

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "reward": "Hello {name}, thank you for recommending {practice}: your referral was successful, and "
        "{description} is now on your account.",
        "tier": "Hello {name}, thank you for recommending {practice}: your referral was successful, and you "
        "have reached the {tier} tier of {program}. {description_cap} is now on your account.",
        "campaign": "Hello {name}, thank you for recommending {practice} during {campaign}: your referral "
        "was successful, and {description} is now on your account.",
        "donation": "Hello {name}, thank you for recommending {practice}: your referral was successful, "
        "and we have donated {amount} to {charity} in your name.",
        "no_charity": "Hello {name}, thank you for recommending {practice}: your referral was "
        "successful, and we will donate {amount} in your name. Which charity should receive it: {charities}?",
        "part": "{amount} toward {description}",
    },
    "es": {
        "reward": "Hola, {name}: gracias por recomendar {practice}. Su recomendación tuvo éxito y "
        "{description} ya está en su cuenta.",
        "tier": "Hola, {name}: gracias por recomendar {practice}. Su recomendación tuvo éxito y ha alcanzado "
        "el nivel {tier} de {program}. {description_cap} ya está en su cuenta.",
        "campaign": "Hola, {name}: gracias por recomendar {practice} durante {campaign}. Su recomendación "
        "tuvo éxito y {description} ya está en su cuenta.",
        "donation": "Hola, {name}: gracias por recomendar {practice}. Su recomendación tuvo éxito y hemos "
        "donado {amount} a {charity} en su nombre.",
        "no_charity": "Hola, {name}: gracias por recomendar {practice}. Su recomendación tuvo éxito y "
        "donaremos {amount} en su nombre. ¿Qué organización benéfica debe recibirlo: {charities}?",
        "part": "{amount} de {description}",
    },
}


@dataclass(frozen=True)
class MessageContext:
    practice: str
    currency: str
    country: str
    main: Program
    translated: dict[str, Program]  # language -> the program in it (the main language too)
    campaigns_in: dict[tuple[str, str], Campaign] = field(default_factory=dict)  # (language, slug) -> it


def message(line: RewardLine, context: MessageContext) -> tuple[str, str]:
    """(language, text) to tell the referrer about an owed reward."""
    lang = line.advocate.language if line.advocate.language in context.translated else ""
    lang = lang or next(iter(context.translated), "en")
    texts = TEXTS.get(lang, TEXTS["en"])
    lang = lang if lang in TEXTS else "en"
    program = context.translated.get(lang, context.main)
    main = context.main
    amount = money_text(round(line.owed, 2), context.currency, locale_name(lang, context.country))
    description = line.reward.description
    tier = line.tier
    if line.tier:
        index = next((i for i, t in enumerate(main.tiers) if t.name == line.tier), None)
        if index is not None and index < len(program.tiers):
            description, tier = program.tiers[index].reward.description, program.tiers[index].name
    elif line.name == "per referral" and program.referrer_reward is not None:
        description = program.referrer_reward.description
    campaign = line.referral.campaign
    if campaign is not None:
        campaign = context.campaigns_in.get((lang, campaign.slug), campaign)
        if line.name.startswith("campaign:") and campaign.referrer_reward is not None:
            description = campaign.referrer_reward.description
    if line.owed < line.value and line.reward.monetary:
        description = texts["part"].format(amount=amount, description=description)
    name = line.advocate.first_name or ""
    values = {
        "name": name,
        "practice": context.practice,
        "description": description,
        "description_cap": description[:1].upper() + description[1:],
        "tier": tier,
        "program": program.name,
        "amount": amount,
        "charity": line.advocate.charity,
        "charities": ", ".join(c.name for c in main.charities),
        "campaign": campaign.title if campaign else "",
    }
    if line.reward.kind == "donation":
        key = "donation" if line.advocate.charity else "no_charity"
    elif line.tier:
        key = "tier"
    elif line.referral.campaign is not None and line.name.startswith("campaign:"):
        key = "campaign"
    else:
        key = "reward"
    text = texts[key].format(**values)
    return lang, text.replace("Hello , ", "Hello, ").replace("Hola, :", "Hola:")
