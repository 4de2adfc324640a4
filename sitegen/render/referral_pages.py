"""The referral journey's pages, the printable card's QR code, the promotion kit and the link rule.

No page written here names a patient: the personal code is made in the patient's browser and the
friend's page reads it from the address, so nothing about who referred whom is ever published.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterator
from itertools import pairwise
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import segno

from sitegen.core.artifact import Artifact
from sitegen.core.urls import CARD_URL, FEEDBACK_URL, REFER_URL, TERMS_URL, WELCOME_URL
from sitegen.models import Page
from sitegen.models.referral import Campaign, Program
from sitegen.render.plans import PagePlan
from sitegen.site.program import ARCHIVE_FOLDER, is_translated, share_text, success_sentence

if TYPE_CHECKING:
    from sitegen.content.i18n import Catalogue
    from sitegen.site.assembly import Site

CARD_QR = "print/referral-card/refer-qr.svg"


def plans(site: Site, catalogue: Catalogue) -> Iterator[PagePlan]:
    """The program's pages, in the edition's language (`catalogue`)."""

    program = site.program
    if program is None:
        return
    sources = (program.src_path, site.config.src_path)
    running = [c for c in site.campaigns if c.status == "running"]
    yield _refer_plan(site, program, catalogue, sources, running)
    yield _terms_plan(program, catalogue, sources)
    yield from _earlier_terms(program, catalogue, site.lang if site.prefix else "")
    yield _feedback_plan(site, program, catalogue, sources)
    yield _welcome_plan(site, program, catalogue, sources, running)
    yield from _campaign_plans(site, program, catalogue, sources)
    yield _card_plan(site, program, catalogue, sources)


def _refer_plan(
    site: Site, program: Program, catalogue: Catalogue, sources: tuple[str, ...], running: list[Campaign]
) -> PagePlan:
    """The program's page: how to join and invite, with the running campaigns."""
    _ = catalogue.format
    return PagePlan(
        REFER_URL,
        "refer.html",
        program.headline,
        _plain(program.friend_offer_for_referrer, program.name),
        sources,
        {
            "enroll": site.forms.get("enroll"),
            "invite": site.forms.get("refer"),
            "campaigns": running,
            "share": share_texts(site),
        },
        [(_("Home"), "/")],
    )


def _terms_plan(program: Program, catalogue: Catalogue, sources: tuple[str, ...]) -> PagePlan:
    """The current terms and conditions."""
    _ = catalogue.format
    return PagePlan(
        TERMS_URL,
        "terms.html",
        _("%(program)s: terms and conditions", program=program.name),
        _(
            "The terms of %(program)s, version %(version)s.",
            program=program.name,
            version=program.terms.version,
        ),
        sources,
        {"success": success_sentence(program, catalogue)},
        [(_("Home"), "/"), (program.name, REFER_URL)],
        modified=program.terms.effective,
    )


def _feedback_plan(site: Site, program: Program, catalogue: Catalogue, sources: tuple[str, ...]) -> PagePlan:
    """The program's feedback form, outside the sitemap."""
    _ = catalogue.format
    feedback = Page(
        title=_("Program feedback"),
        description=_("Tell us how %(program)s works for you.", program=program.name),
        html="<p>"
        + html.escape(
            _(
                "Three short questions about %(program)s. Answers are read by the practice team only.",
                program=program.name,
            )
        )
        + "</p>",
    )
    return PagePlan(
        FEEDBACK_URL,
        "page.html",
        feedback.title,
        feedback.description,
        sources,
        {"page": feedback, "form": site.forms.get("feedback")},
        [(_("Home"), "/"), (program.name, REFER_URL)],
        in_sitemap=False,
    )


def _welcome_plan(
    site: Site, program: Program, catalogue: Catalogue, sources: tuple[str, ...], running: list[Campaign]
) -> PagePlan:
    """The invited friend's page; without a code (`?ref=`), a new patient's, so it is in the sitemap and
    indexed, its canonical address without the query: a friend's code never reaches a search engine.
    Its description reads right both as a shared link's preview and as a search result."""
    _ = catalogue.format
    return PagePlan(
        WELCOME_URL,
        "welcome.html",
        _("Welcome to %(name)s", name=site.config.name),
        _(
            "New patients at %(name)s, invited by a friend: %(offer)s",
            name=site.config.name,
            offer=program.friend_reward.description,
        )
        if program.friend_reward
        else _(
            "New patients at %(name)s: tell us how to reach you and we'll call to book.",
            name=site.config.name,
        ),
        sources,
        {"form": site.forms.get("appointment"), "campaigns": running},
    )


def _campaign_plans(
    site: Site, program: Program, catalogue: Catalogue, sources: tuple[str, ...]
) -> Iterator[PagePlan]:
    """A page per campaign; only running ones are in the sitemap."""
    _ = catalogue.format
    for campaign in site.campaigns:
        yield PagePlan(
            campaign.url,
            "campaign.html",
            campaign.title,
            campaign.summary,
            (campaign.src_path,) + sources,
            {"campaign": campaign},
            [(_("Home"), "/"), (program.name, REFER_URL)],
            in_sitemap=campaign.status == "running",
        )


def _card_plan(site: Site, program: Program, catalogue: Catalogue, sources: tuple[str, ...]) -> PagePlan:
    """The printable referral card, outside the sitemap."""
    _ = catalogue.format
    return PagePlan(
        CARD_URL,
        "referral-card.html",
        _("%(program)s: printable card", program=program.name),
        program.headline,
        sources,
        {
            "qr_url": "/" + card_qr_path(site),
            "refer_link": site.config.base_url + site.prefix + REFER_URL,
            "share": share_texts(site),
        },
        in_sitemap=False,
    )


def share_texts(site: Site) -> dict[str, str]:
    """The prepared email and text message, with everything but the patient's link filled in; the
    friend's offer as the referrer is told about it; and the query a link shared today carries (the
    running campaign's utm_campaign, so the friend's request is counted for it)."""
    program, name = site.program, site.config.name
    if program is None:
        return {}
    return {
        "email_subject": share_text(program.share.email_subject, program, name),
        "email_body": share_text(program.share.email_body, program, name),
        "sms": share_text(program.share.sms, program, name),
        "friend_offer": program.friend_offer_for_referrer,
        "link_query": share_query([c for c in site.campaigns if c.status == "running"]),
    }


def share_query(running: list[Campaign]) -> str:
    """`utm_medium=referral&utm_campaign=<the campaign>` while a campaign runs (the one that started
    last, if several overlap); empty otherwise."""
    if not running:
        return ""
    campaign = max(running, key=lambda c: c.start)
    return urlencode({"utm_medium": "referral", "utm_campaign": campaign.utm_campaign or campaign.slug})


def _plain(text: str, fallback: str) -> str:
    return text or fallback


def card_qr_path(site: Site) -> str:
    """Each language's card has its own QR code, leading to the program page in that language."""
    return site.prefix.lstrip("/") + "/" + CARD_QR if site.prefix else CARD_QR


def card_qr(site: Site) -> list[Artifact]:
    """The QR code of the program page, as SVG, made at build time for the printable card."""
    if site.program is None:
        return []
    buffer = io.BytesIO()
    refer_link = site.config.base_url + site.prefix + REFER_URL
    segno.make(refer_link, error="m").save(
        buffer,
        kind="svg",
        scale=8,
        border=4,
        xmldecl=True,
        svgclass=None,
        lineclass=None,
        title=f"QR code: {refer_link}",
    )
    return [
        Artifact(card_qr_path(site), buffer.getvalue(), sources=(site.program.src_path, site.config.src_path))
    ]


def promotion_kit(site: Site) -> list[Artifact]:
    """Ready-to-paste texts for newsletters, confirmations and follow-ups; written beside, not into, the
    site."""
    program = site.program
    if program is None:
        return []
    config = site.config
    refer = config.base_url + REFER_URL
    friend = program.friend_offer_for_referrer.rstrip(".")
    reward = program.friend_reward
    gets = (  # nothing, or a donation: not something the friend "gets"
        f"your friend gets {friend}, and " if reward and reward.kind != "donation" else ""
    )
    thanks = (
        program.referrer_reward.description.rstrip(".")
        if program.referrer_reward
        else (program.tiers[0].reward.description.rstrip(".") if program.tiers else "our thanks")
    )
    texts = {
        "newsletter.md": (
            f"## Share {config.name} with a friend\n\n"
            f"If you enjoy your visits, tell a friend. With {program.name}, {gets}"
            f"when they complete their first visit, you receive {thanks}.\n\n"
            f"Get your personal link in a minute at {refer}\n\n"
            f"Terms apply: {config.base_url}{TERMS_URL}\n"
        ),
        "appointment-confirmation.txt": (
            f"P.S. Know someone who would like {config.name}? Get your personal referral link at {refer}"
            + (f" and your friend gets {friend}." if gets else ".")
            + f" Terms: {config.base_url}{TERMS_URL}\n"
        ),
        "post-visit-follow-up.txt": (
            f"Thank you for visiting {config.name}. If you were happy with your care, you can share your "
            f"personal link with friends: {refer}\n"
            f"They get {friend}; you receive {thanks} after their first visit. "
            f"Terms: {config.base_url}{TERMS_URL}\n"
        ),
        "sms.txt": (
            f"{config.name}: share your personal link and your friend gets {friend}. "
            f"{refer} Reply STOP to opt out.\n"
        ),
        "README.txt": (
            "Texts to paste into newsletters, appointment confirmations and follow-ups.\n"
            "They invite the patient to share; the practice never messages friends itself.\n"
            "Send text messages only to patients who agreed to receive them.\n"
        ),
    }
    sources = (program.src_path, config.src_path)
    return [Artifact(name, text.encode(), sources=sources) for name, text in texts.items()]


def _earlier_terms(program: Program, catalogue: Catalogue, lang: str = "") -> Iterator[PagePlan]:
    """Each earlier version of the terms at its own address, saying which version replaced it; kept out
    of search engines (a patient reaches it from the current terms). In another language's edition
    (`lang`), only the versions translated into it: the others are linked in the main language."""
    _ = catalogue.format
    versions = [*program.earlier, program]
    for earlier, successor in pairwise(versions):
        if lang and not is_translated(earlier, lang):
            continue
        yield PagePlan(
            terms_url(earlier.terms.version),
            "terms.html",
            _(
                "%(program)s: terms and conditions, version %(version)s",
                program=earlier.name,
                version=earlier.terms.version,
            ),
            _(
                "The earlier terms of %(program)s, version %(version)s, replaced on %(date)s.",
                program=earlier.name,
                version=earlier.terms.version,
                date=catalogue.date(successor.terms.effective),
            ),
            (earlier.src_path, f"{ARCHIVE_FOLDER}/{earlier.terms.version}.yaml", program.src_path),
            {"success": success_sentence(earlier, catalogue), "program": earlier, "replaced_by": successor},
            [(_("Home"), "/"), (program.name, REFER_URL), (_("Terms"), TERMS_URL)],
            modified=earlier.terms.effective,
            in_sitemap=False,
        )


def terms_url(version: str) -> str:
    """The address of an earlier version of the terms: /refer/terms/v1.1/."""
    return f"{TERMS_URL}v{version}/"
