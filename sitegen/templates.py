"""The Jinja environment: the site's own templates first, then the theme's; strict about blanks.

StrictUndefined turns a template that asks for a missing field into a build error with the template's
file and line, rather than a blank on a patient-facing page. Autoescaping is on for every template.
"""
from __future__ import annotations

import hashlib
import json
import re
import traceback
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from .errors import Diagnostics, SourceLocation, relative_to
from .models import SiteConfig

SHIPPED_THEMES = Path(__file__).resolve().parent / "themes"
if not SHIPPED_THEMES.is_dir():  # a source checkout: themes/ sits beside the package
    SHIPPED_THEMES = Path(__file__).resolve().parent.parent / "themes"


@dataclass(frozen=True)
class Theme:
    name: str
    root: Path

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"


def find_theme(site_dir: Path, config: SiteConfig, diagnostics: Diagnostics) -> Theme | None:
    for root in (site_dir / "themes" / config.theme, SHIPPED_THEMES / config.theme):
        if (root / "templates").is_dir():
            return Theme(config.theme, root)
    shipped = sorted(p.name for p in SHIPPED_THEMES.iterdir() if p.is_dir()) if SHIPPED_THEMES.is_dir() else []
    diagnostics.error("SG102", f'theme: no theme "{config.theme}"', SourceLocation(config.src_path, config.at_line("theme")),
                      f"use one of: {', '.join(shipped)}, or a folder in themes/ with a templates/ folder")
    return None


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def fingerprinted_name(rel_path: str, data: bytes) -> str:
    """css/site.css -> assets/css/site.<hash>.css: a new name whenever the bytes change, so it can be cached forever."""
    stem, dot, suffix = rel_path.rpartition(".")
    if not dot:
        stem, suffix = rel_path, ""
    return f"assets/{stem}.{fingerprint(data)}{dot}{suffix}"


def make_environment(site_dir: Path, theme: Theme, config: SiteConfig, asset_urls: dict[str, str]) -> jinja2.Environment:
    search = [str(p) for p in (site_dir / "templates", theme.templates) if p.is_dir()]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def asset(name: str) -> str:
        try:
            return asset_urls[name]
        except KeyError:
            raise jinja2.TemplateRuntimeError(f'asset("{name}"): no such file in the theme\'s static/ folder') from None

    env.globals.update(asset=asset)
    env.filters.update(
        date=format_date,
        money=lambda amount: format_money(amount, config.currency),
        clock=format_clock,
        absolute=lambda url: config.base_url + url,
        jsonld=jsonld,
        weeks=format_weeks,
        tel=lambda number: "tel:" + re.sub(r"[^\d+]", "", number),
    )
    return env


def format_date(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def format_money(amount: float, currency: str = "USD") -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "$", "AUD": "$"}.get(currency, currency + " ")
    whole = float(amount).is_integer()
    return f"{symbol}{amount:,.0f}" if whole else f"{symbol}{amount:,.2f}"


def format_clock(hhmm: str) -> str:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    suffix = "AM" if hours < 12 else "PM"
    hours = hours % 12 or 12
    return f"{hours}:{minutes:02d} {suffix}" if minutes else f"{hours} {suffix}"


def format_weeks(interval: Any) -> str:
    if interval.max_weeks and interval.max_weeks != interval.min_weeks:
        return f"every {interval.min_weeks}–{interval.max_weeks} weeks"
    return f"every {interval.min_weeks} weeks" if interval.min_weeks != 1 else "every week"


def jsonld(data: Any) -> str:
    """JSON for a `<script type="application/ld+json">`: '<' escaped so content can never close the tag."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None, separators=(",", ":"))
    return jinja2.utils.markupsafe.Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def template_error(exc: Exception, site_dir: Path, diagnostics: Diagnostics, while_rendering: str) -> None:
    """Report a Jinja error at the template line it happened on."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        location = SourceLocation(relative_to(Path(exc.filename), site_dir), exc.lineno)
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
        location = (SourceLocation(relative_to(Path(frames[-1].filename), site_dir), frames[-1].lineno or 0)
                    if frames else SourceLocation(while_rendering))
    message = getattr(exc, "message", None) or str(exc)
    diagnostics.error("SG401", f"template error while rendering {while_rendering}: {message}", location,
                      "fix the template; a field that may be empty needs an `{% if %}` around it")
