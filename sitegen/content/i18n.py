"""Interface strings and formats per language: the catalogues, and dates, prices and times by locale.

`load_catalogues` gives one `Catalogue` per site language from the `i18n/<lang>.yaml` files of the
site's `content/i18n/`, then the theme's, its parents' and the default theme's (first found wins),
each folder's `<lang>.<type>.yaml` (the practice's `type`: `en.dental.yaml`) before its
`<lang>.yaml`; a message without a translation shows its English name. Dates, prices and times
are formatted by Babel for the language at the practice's country. The file format:
docs/languages.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitegen.content.sources import read_yaml
from sitegen.core.errors import Diagnostics, SourceLocation, relative_to

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


@lru_cache(maxsize=64)
def _locale(name: str) -> Any:
    from babel import Locale  # Babel's CLDR data loads only when a page is formatted

    return Locale.parse(name)


def known_language(code: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return "_" not in code and "-" not in code


def locale_name(lang: str, country: str) -> str:
    """The Babel locale for a language at the practice's country, when CLDR has it (es + US -> es_US)."""
    from babel import Locale, UnknownLocaleError

    candidate = f"{lang}_{country.upper()}" if country else lang
    try:
        Locale.parse(candidate)
        return candidate
    except (UnknownLocaleError, ValueError):
        return lang


def english_name(lang: str) -> str:
    """The language's name in English, for messages to the site's editors: "Spanish"."""
    return _locale(lang).get_language_name("en") or lang


def language_name(lang: str) -> str:
    """The language's name in itself, as a language switcher shows it: "English", "Español"."""
    name = _locale(lang).language_name or lang
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class Catalogue:
    """The messages of one language, with the locale its formats follow."""

    lang: str
    locale: str
    messages: dict[str, Any] = field(default_factory=dict)

    def gettext(self, message: str) -> str:
        found = self.messages.get(message)
        if isinstance(found, str) and found:
            return found
        if isinstance(found, dict):
            return found.get("one") or found.get("other") or message
        return message

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        found = self.messages.get(singular)
        if isinstance(found, dict):
            category = _locale(self.locale).plural_form(abs(number))
            chosen = found.get(category) or found.get("other")
            if chosen:
                return chosen
        return singular if number == 1 else plural

    def format(self, message: str, **values: Any) -> str:
        """gettext, then `%(name)s` filled in: for text made outside templates (page titles, forms)."""
        text = self.gettext(message)
        return text % values if values else text

    def date(self, value: datetime.date) -> str:
        return _long_date(value, self.locale)

    def money(self, amount: float, currency: str) -> str:
        return format_money(amount, currency, self.locale)

    def clock(self, hhmm: str) -> str:
        return format_clock(hhmm, self.locale)


@lru_cache(maxsize=1 << 14)  # a list of 1,000 posts shows 1,000 dates; Babel takes 80 µs for each
def _long_date(value: datetime.date, locale: str) -> str:
    from babel.dates import format_date

    return format_date(value, "long", locale=locale)


@lru_cache(maxsize=1 << 12, typed=True)  # every service page shows its prices; Babel takes 0.1 ms each
def format_money(amount: float, currency: str = "USD", locale: str = "en_US") -> str:
    """A price as the locale writes it; whole amounts without cents ("$150", "150 €")."""
    from babel.numbers import format_currency

    pattern = _locale(locale).currency_formats["standard"].pattern.split(";")[0]
    if float(amount).is_integer():
        pattern = pattern.replace(".00", "")
    return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False).replace(
        "\xa0", " "
    )


@lru_cache(maxsize=1 << 10)  # every location's opening hours on many pages
def format_clock(hhmm: str, locale: str = "en_US") -> str:
    """An opening time as the locale writes it ("9 AM", "5:30 PM", "9 a.m.", "17:30")."""
    from babel.dates import format_time

    hours, minutes = (int(part) for part in hhmm.split(":"))
    text = (
        format_time(datetime.time(hours, minutes), "short", locale=locale)
        .replace("\u202f", " ")
        .replace("\xa0", " ")
    )
    twelve_hour = "h" in _locale(locale).time_formats["short"].pattern
    return text.replace(":00", "", 1) if twelve_hour and minutes == 0 else text


def load_catalogues(
    site_dir: Path,
    folders: Iterable[Path],
    languages: list[str],
    country: str,
    diagnostics: Diagnostics,
    variant: str = "",
) -> dict[str, Catalogue]:
    """One catalogue per site language; `folders` are the themes' i18n/ folders, most specific first.

    `variant` is the practice's type: in each folder, `<lang>.<variant>.yaml` (the wording that fits a
    dental practice, say) is laid over `<lang>.yaml`, and the site's own files still win over a theme's."""
    catalogues = {}
    for lang in languages:
        messages: dict[str, Any] = {}
        for file in catalogue_files(site_dir, folders, lang, variant):
            if file.is_file():
                messages.update(_read_messages(file, site_dir, diagnostics))
        catalogues[lang] = Catalogue(lang, locale_name(lang, country), messages)
    return catalogues


def catalogue_files(site_dir: Path, folders: Iterable[Path], lang: str, variant: str = "") -> list[Path]:
    """The files that may hold one language's messages, in the order they are read (the most specific
    last, so it wins): each theme's, then the site's `content/i18n/`, `<lang>.yaml` then the variant's."""
    search = [site_dir / "content" / "i18n", *folders]
    names = [f"{lang}.yaml"] + ([f"{lang}.{variant}.yaml"] if variant else [])
    return [folder / name for folder in reversed(search) for name in names]


def _read_messages(file: Path, site_dir: Path, diagnostics: Diagnostics) -> dict[str, Any]:
    data = read_yaml(file, site_dir, diagnostics)
    src = relative_to(file, site_dir)
    if data is None:
        return {}
    if not isinstance(data, dict):
        diagnostics.error(
            "SG110",
            'a catalogue is a list of `"English text": "translation"` lines',
            SourceLocation(src, getattr(data, "line", 1)),
            'write one message per line, e.g. "Our team": "Nuestro equipo"',
        )
        return {}
    messages: dict[str, Any] = {}
    for key, found in data.items():
        line = data.line_of(key) if hasattr(data, "line_of") else 0
        written = data.source_of(key) if hasattr(data, "source_of") else None
        value = found if written is None else written  # `Yes: Sí` and `"No": No`, not true and false
        name = str(data.key_sources.get(key, key) if hasattr(data, "key_sources") else key)
        if isinstance(value, str):
            messages[name] = value
        elif (
            isinstance(value, dict)
            and value
            and all(k in PLURAL_CATEGORIES and isinstance(v, str) for k, v in value.items())
        ):
            messages[name] = dict(value)
        else:
            diagnostics.error(
                "SG110",
                f'"{name}": a translation is text, or plural forms (one:, other:)',
                SourceLocation(src, line),
                'quote the translation: "Our team": "Nuestro equipo"',
            )
    return messages
