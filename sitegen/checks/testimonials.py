"""Testimonials, before-and-after galleries and reviews: consent, disclosure of rewards, ratings, names,
no rewards for reviews, no review gating, no review markup for search engines.

Sources: HIPAA authorization (45 CFR 164.508); FTC Endorsement Guides (16 CFR 255, 2023) on material
connections; FTC rule on consumer reviews and testimonials (16 CFR 465, 2024); Google's policy on
self-serving review markup (2019) and on incentivised and gated reviews.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from markupsafe import escape

from sitegen.checks.registry import (
    CheckContext,
    Finding,
    declare,
    document_fact,
    line_of,
    rule,
    setting_at,
)
from sitegen.content.loader import Loaded
from sitegen.core.errors import SourceLocation
from sitegen.core.urls import REVIEW_URL
from sitegen.models.testimonials import Testimonial
from sitegen.site.program import _named_rewards

GROUP = "Testimonials, galleries and reviews"
NEAR = 900  # characters: how close to the quote its disclosure must be

declare(
    "SG620",
    "warning",
    GROUP,
    "a testimonial or photo pair without a consent record: it is not published",
    "an identifiable testimonial or photo discloses that someone is a patient: it needs written "
    "authorization (HIPAA, 45 CFR 164.508)",
)
declare(
    "SG621",
    "warning",
    GROUP,
    "consent that does not cover the web (or is dated after today): not published",
    "an authorization names where the words or photos may be used",
)
declare(
    "SG622",
    "warning",
    GROUP,
    "consent that has expired: no longer published",
    "an authorization ends on its expiry date",
)

# English, then Spanish: a translation is read with the same rules as the original (a practice's texts mix
# both, and the words of one language rarely mean something else in the other)
REWARD_WORDS = re.compile(
    r"\b(referr(?:al|als|ed|ing)|rewards?|rewarded|credit|spend card|gift card|discount(?:ed)?|"
    r"complimentary|comped|free (?:treatment|facial|session|visit|product|syringe|units?)|"
    r"referid[oa]s?|refiri[óo]|recompensas?|premios?|cr[ée]dito|tarjeta de (?:regalo|saldo)|"
    r"descuentos?|gratis|gratuit[oa]s?|sin costo|de cortes[íi]a|"
    # a benefit given to a cause on the author's behalf is a benefit too (charitable referral programs)
    r"donat(?:e|ed|es|ing|ion|ions)|charit(?:y|ies|able)|in my (?:name|hono(?:u)?r)|on my behalf|"
    r"donaci[óo]n|donaciones|donativos?|don[óo]|donaron|beneficencia|ben[ée]fic[oa]|"
    r"(?:a|en) mi nombre|en mi honor)\b",
    re.IGNORECASE,
)
REVIEWISH = re.compile(
    r"\b(reviews?|reviewing|ratings?|rate us|testimonials?|5[- ]stars?|five[- ]stars?|"
    r"reseñas?|opini[óo]n|opiniones|calificaci[óo]n|calificaciones|calif[íi]quenos|valoraci[óo]n|"
    r"valoraciones|testimonios?|5 estrellas|cinco estrellas)\b",
    re.IGNORECASE,
)
INCENTIVE = re.compile(
    r"(\$\s?\d|\b\d+\s?% (?:off|de "
    r"descuento)\b|\b(rewards?|rewarded|credit|discount|gift|prize|raffle|drawing|draw|"
    r"sweepstakes|entry|entries|enter to win|chance to win|points|free (?:treatment|facial|session|"
    r"visit|product|month|add-on)|recompensas?|premios?|regalos?|descuentos?|sorteos?|rifas?|concursos?|"
    r"participe|participa|participar|puntos|gratis|gratuit[oa]s?|cr[ée]dito|tarjeta de regalo)\b)",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(never|not|no|without|isn't|aren't|don't|doesn't|won't|cannot|can't|nunca|jam[áa]s|sin|ni)\b",
    re.IGNORECASE,
)
GATE = re.compile(
    r"\b(if|when|only if|provided)\b[^.?!]{0,80}\b(happy|satisfied|pleased|loved|enjoyed|great|good|"
    r"positive|excellent|wonderful)\b|\b(unhappy|not happy|dissatisfied|not satisfied|disappointed)\b",
    re.IGNORECASE,
)
FULL_NAME = re.compile(r"^\S+(\s+\S+)*\s+[^\s.]{2,}$")


@rule(
    "SG623",
    "error",
    GROUP,
    "a rewarded author's quote (or a rewarded patient's photos) shown without the disclosure next to it",
    "FTC Endorsement Guides (16 CFR 255): a material connection must be disclosed clearly, next to the "
    "endorsement",
)
def disclosure_shown(ctx: CheckContext) -> Iterator[Finding]:
    items: list[tuple[str, str, SourceLocation, str]] = []
    for item in ctx.site.testimonials:
        if item.rewarded:
            doc = ctx.doc_by_src.get(item.src_path)
            where = doc.at("rewarded") if doc else SourceLocation(item.src_path)
            items.append((f"{item.name}'s quote", item.quote, where, item.disclosure))
    for gallery in ctx.site.galleries:
        doc = ctx.doc_by_src.get(gallery.src_path)
        for pair in gallery.pairs:
            if pair.rewarded:
                line = line_of(doc, f"pairs[{pair.number}].rewarded") if doc else 0
                items.append(
                    (
                        f"photo pair {pair.number} of {gallery.title}",
                        pair.caption,
                        SourceLocation(gallery.src_path, line),
                        pair.disclosure,
                    )
                )
    if not items:
        return
    # without its own wording, the theme's default (in the page's language) names the practice
    default = re.compile(
        r'class="disclosure"[^>]*>(?:(?!</p>).)*?' + re.escape(str(escape(ctx.site.config.name))), re.S
    )
    for url, html in ctx.pages():
        for what, text, where, disclosure in items:
            snippet, said = str(escape(text.strip()))[:60], str(escape(disclosure.strip()))[:60]
            start = html.find(snippet)
            while start != -1:
                window = html[max(0, start - NEAR) : start + len(str(escape(text))) + NEAR]
                if (said not in window) if said else not default.search(window):
                    yield Finding(
                        where,
                        f"{what} is shown on {url} without the disclosure of the reward next to it",
                        "show `disclosure` right beside the quote in the template (the default theme does), "
                        "or set rewarded: false only if the patient received nothing",
                    )
                    break
                start = html.find(snippet, start + 1)


@rule(
    "SG624",
    "warning",
    GROUP,
    "a testimonial that mentions a referral, a reward or a discount but is not marked `rewarded: true`",
    "an author who received any benefit has a material connection that must be disclosed (16 CFR 255)",
)
def unmarked_reward(ctx: CheckContext) -> Iterator[Finding]:
    program = ctx.site.program
    extra = re.compile(re.escape(program.name), re.IGNORECASE) if program else None
    for doc in [*ctx.published, *ctx.translated]:
        model = doc.model
        if not isinstance(model, Testimonial) or model.rewarded:
            continue
        original = ctx.originals.get((doc.kind, doc.raw.stem)) if doc.lang else None
        for field, text, line in (
            ("quote", model.quote, doc.line_of("quote")),
            ("story", model.body, model.body_line),
        ):
            if original is not None and text == getattr(
                original.model, "body" if field == "story" else field
            ):
                continue  # the original's own words, checked there
            found = REWARD_WORDS.search(text) or (extra.search(text) if extra else None)
            if found:
                if field == "story":
                    line += next((i for i, t in enumerate(text.splitlines()) if found[0] in t), 0)
                yield Finding(
                    SourceLocation(doc.raw.src_path, line),
                    f'the testimonial of {model.name} mentions "{found[0]}" but is not marked rewarded',
                    "if the author received a reward, discount or any other benefit, set rewarded: true "
                    "(the disclosure is then shown); if not, silence SG624 for this file with the reason",
                )
                break


@rule(
    "SG625", "error", GROUP, "a rating outside 1 to 5", "a rating is the patient's own, on a scale of 1 to 5"
)
def rating_range(ctx: CheckContext) -> Iterator[Finding]:
    for doc in ctx.documents:
        model = doc.model
        if isinstance(model, Testimonial) and model.rating is not None and not 1 <= model.rating <= 5:
            yield Finding(
                doc.at("rating"),
                f"rating: {model.rating} is not between 1 and 5",
                "write the patient's own rating, 1 to 5, or leave rating out",
            )


@rule(
    "SG626",
    "warning",
    GROUP,
    "a testimonial that shows the patient's full name",
    "a full name with a treatment identifies a patient; first name and initial is the default (HIPAA)",
)
def full_name(ctx: CheckContext) -> Iterator[Finding]:
    for doc in ctx.published:
        model = doc.model
        if isinstance(model, Testimonial) and FULL_NAME.match(model.name.strip()):
            initial = model.name.split()[-1][0]
            short = " ".join(model.name.split()[:-1]) + f" {initial}."
            yield Finding(
                doc.at("name"),
                f'name: "{model.name}" looks like a full name',
                f'show the first name and initial ("{short}"); if the signed authorization allows the full '
                "name, silence SG626 for this file and say so in the reason",
            )


def _mentions_reviews(text: str) -> bool:
    """A quick look before the regular expression: most texts never mention reviews."""
    low = text.lower()
    return any(word in low for word in _REVIEW_WORDS) and bool(REVIEWISH.search(text))


_REVIEW_WORDS = ("review", "rating", "rate us", "testimonial", "star", "reseña", "opini", "calific")
_REVIEW_WORDS += ("valoraci", "testimonio", "estrella")


def _review_texts(ctx: CheckContext) -> list[tuple[SourceLocation, str]]:
    """The texts that mention reviews, ratings or testimonials at all (found once, read by two rules)."""
    if "review_texts" not in ctx.memo:
        ctx.memo["review_texts"] = [(where, text) for where, text in _texts(ctx) if _mentions_reviews(text)]
    return ctx.memo["review_texts"]


def _texts(ctx: CheckContext) -> Iterator[tuple[SourceLocation, str]]:
    """Every piece of text the practice wrote that could ask for reviews: pages, posts, campaigns, program,
    in every language (a translation's own texts; what it inherits is the original's, read once)."""
    for doc in ctx.published:
        yield from _document_texts(ctx, doc)
    for doc in ctx.translated:
        original = ctx.originals.get((doc.kind, doc.raw.stem))
        if original is not None:
            yield from _document_texts(ctx, doc, original)
    program = ctx.site.program
    if program is None:
        return
    main = dict(_program_texts(program))
    for name, text in main.items():
        yield setting_at(program, name), text
    for translated in ctx.other_programs:
        for name, text in _program_texts(translated):
            if text != main.get(name):
                yield setting_at(translated, name), text


def _document_texts(
    ctx: CheckContext, doc: Loaded, original: Loaded | None = None
) -> Iterator[tuple[SourceLocation, str]]:
    digest = ctx.fact(doc, "body_digest") if doc.kind in _TEXT_KINDS else ""
    if digest and (original is None or digest != ctx.fact(original, "body_digest")):
        for line, paragraph in ctx.fact(doc, "review_texts"):
            yield SourceLocation(doc.raw.src_path, line), paragraph
    if doc.kind == "campaigns":
        for name in ("offer", "summary"):
            text = getattr(doc.model, name)
            if original is None or text != getattr(original.model, name):
                yield doc.at(name), text


_TEXT_KINDS = ("pages", "posts", "campaigns", "services")


@document_fact("review_texts")
def review_texts_of(doc: Loaded) -> tuple[tuple[int, str], ...]:
    """(first line, text) of each paragraph of a document's Markdown that mentions reviews, ratings or
    testimonials (found when it is loaded: most texts never do, and scanning 10,000 of them every build
    was a sixth of a one-page edit's time)."""
    body = doc.model.body if doc.kind in _TEXT_KINDS else ""
    if not body or not _mentions_reviews(body):
        return ()
    return tuple(
        (line, paragraph)
        for line, paragraph in _paragraphs(body, doc.model.body_line)
        if _mentions_reviews(paragraph)
    )


def _program_texts(program: Any) -> Iterator[tuple[str, str]]:
    """(field, text) of every text of the program a patient reads."""
    yield "headline", program.headline
    yield "intro", program.intro
    for name in ("eligibility", "reward_timing", "changes"):
        yield f"terms.{name}", getattr(program.terms, name)
    for index, text in enumerate(program.terms.additional, start=1):
        yield f"terms.additional[{index}]", text
    for index, item in enumerate(program.faq, start=1):
        yield f"faq[{index}].answer", item.question + " " + item.answer
    for name in ("email_subject", "email_body", "sms"):
        yield f"share.{name}", getattr(program.share, name)
    for name, reward in _named_rewards(program):
        yield f"{name}.description", reward.description


def _paragraphs(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """(first line, text joined) of each paragraph of a Markdown body."""
    start, lines = 0, []
    for index, line in enumerate(body.splitlines() + [""]):
        if line.strip():
            if not lines:
                start = index
            lines.append(line.strip())
        elif lines:
            yield first_line + start, " ".join(lines)
            lines = []


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n", text) if s.strip()]


@rule(
    "SG627",
    "error",
    GROUP,
    "an offer of a reward, discount or prize for reviews, ratings or testimonials",
    "FTC 16 CFR 465: no rewards conditioned on reviews or their sentiment; Google forbids incentivised "
    "reviews",
)
def rewards_for_reviews(ctx: CheckContext) -> Iterator[Finding]:
    for where, text in _review_texts(ctx):
        for sentence in _sentences(text):
            if REVIEWISH.search(sentence) and INCENTIVE.search(sentence) and not NEGATION.search(sentence):
                yield Finding(
                    where,
                    f'offers something for a review: "{sentence.strip()[:90]}"',
                    "never reward reviews or testimonials; ask every patient the same way, for nothing",
                )
                break


@rule(
    "SG628",
    "error",
    GROUP,
    "review gating: asking whether the patient was happy before pointing to review sites, or a rating step "
    "on the review page",
    "FTC guidance and Google policy: every patient gets the same public review destinations",
)
def review_gating(ctx: CheckContext) -> Iterator[Finding]:
    for where, text in _review_texts(ctx):
        for sentence in _sentences(text):
            if (
                REVIEWISH.search(sentence)
                and GATE.search(sentence)
                and not re.search(r"\bwhether\b", sentence, re.IGNORECASE)
            ):
                yield Finding(
                    where,
                    f'sends only satisfied patients to reviews: "{sentence.strip()[:90]}"',
                    "ask every patient for a review the same way, whatever their experience; link to "
                    "/review/",
                )
                break
    html = ctx.page(REVIEW_URL)
    if html is not None:
        main = html.split("<main", 1)[-1].split("</main>", 1)[0]
        if re.search(r"<(form|select)\b|type=\"(radio|range)\"", main):
            yield Finding(
                ctx.template_location(ctx.plan_by_url[REVIEW_URL].template),
                "the review page asks something before showing the review sites",
                "show every patient the same links at once, with no rating step or form",
            )


@rule(
    "SG629",
    "error",
    GROUP,
    "AggregateRating or Review markup (JSON-LD, microdata, RDFa) on the practice's own pages",
    "Google treats a business's own review markup as self-serving and ignores or penalises it (2019)",
)
def review_markup(ctx: CheckContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for url, facts in ctx.page_facts.items():
        needle = facts["review"]  # REVIEW_MARKUP's first match (see registry.page_facts_of)
        if not needle:
            continue
        plan = ctx.plan_by_url.get(url)
        where = ctx.find_in_templates(needle, [plan.template, "base.html"]) if plan else None
        where = where or ctx.source_of(url)
        if str(where) in seen:
            continue
        seen.add(str(where))
        yield Finding(
            where,
            f"{url} marks up reviews or ratings for search engines ({needle})",
            "remove the markup; show testimonials as plain text",
        )
