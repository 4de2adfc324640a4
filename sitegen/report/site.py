"""What the report reads of the site: the program (in each language), the campaigns (in each language),
and how the practice names itself, counts money and writes dates.

The site is listed the way `build` lists it (translations are never documents of their own), so a site
that builds also reports. A campaign's `referrer_reward` is money the report credits; what it cannot
credit as written (SG663-SG665) is the same error `build` and `check` report (`site.program.check_campaign`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sitegen.content.loader import Loaded, load_config, load_document
from sitegen.content.markdown import MarkdownRenderer
from sitegen.content.sources import list_sources, read_document
from sitegen.content.translations import find_translations, load_translation
from sitegen.core.errors import Diagnostics
from sitegen.models.referral import Campaign, Program
from sitegen.report.ingest import ReportError
from sitegen.site.program import PROGRAM_FILE, check_campaign, load_program


@dataclass(frozen=True)
class SiteFacts:
    """What the report needs of the site: the program and campaigns (also in each language), and how the
    practice names itself, counts money and writes dates."""

    program: Program
    campaigns: list[Campaign]
    currency: str
    country: str
    practice: str
    languages: tuple[str, ...]
    translated: dict[str, Program]
    campaigns_in: dict[tuple[str, str], Campaign]  # (language, slug) -> the campaign in that language


def load_site(site_dir: Path) -> SiteFacts:
    """The program, its campaigns (drafts too: their utm_campaign may be in the exports), the currency."""
    diagnostics = Diagnostics()
    renderer = MarkdownRenderer()
    program = load_program(site_dir, renderer, diagnostics)
    if program is None and not diagnostics.errors:
        raise ReportError(
            f"there is no {site_dir / PROGRAM_FILE}: the report needs the referral program's success "
            "rule and rewards. Pass the site folder with --site."
        )
    loaded = _campaigns(site_dir, renderer, diagnostics)
    for doc in loaded:
        check_campaign(doc, diagnostics)
    diagnostics.raise_if_errors()
    assert program is not None
    campaigns = [doc.model for doc in loaded]
    quiet = Diagnostics()  # site.yaml only gives the currency here; the build reports its mistakes
    config = load_config(site_dir, quiet)
    if config is None or quiet.errors:
        return SiteFacts(program, campaigns, "USD", "US", "", ("en",), {"en": program}, {})
    languages = tuple(config.languages) or ("en",)
    translated = {languages[0]: program}
    for lang in languages[1:]:
        found = Diagnostics()
        other = load_program(site_dir, renderer, found, lang)
        translated[lang] = other if other is not None and not found.errors else program
    campaigns_in = _translated_campaigns(site_dir, renderer, languages)
    return SiteFacts(
        program, campaigns, config.currency, config.country, config.name, languages, translated, campaigns_in
    )


def _campaigns(site_dir: Path, renderer: MarkdownRenderer, diagnostics: Diagnostics) -> list[Loaded]:
    quiet = Diagnostics()  # the build reports misnamed files; the report needs only the campaigns
    found = []
    for kind, file in list_sources(site_dir, quiet):
        if kind != "campaigns":
            continue
        raw = read_document(kind, file, site_dir, diagnostics)
        loaded = load_document(raw, renderer, diagnostics) if raw is not None else None
        if loaded is not None:
            found.append(loaded)
    return found


def _translated_campaigns(
    site_dir: Path, renderer: MarkdownRenderer, languages: tuple[str, ...]
) -> dict[tuple[str, str], Campaign]:
    """Each campaign translation, for the messages: its title and its reward's description."""
    quiet = Diagnostics()  # the build reports a translation's mistakes; an unreadable one is not used
    found = {}
    for item in find_translations(site_dir, list(languages), quiet):
        if item.kind != "campaigns":
            continue
        loaded = load_translation(item, site_dir, renderer, quiet, languages[0])
        if loaded is not None:
            found[(item.lang, loaded.model.slug or item.original.stem)] = loaded.model
    return found
