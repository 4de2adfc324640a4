"""The Jinja environment: the site's own templates first, then the theme's; strict about blanks.

StrictUndefined turns a template that asks for a missing field into a build error with the template's
file and line, rather than a blank on a patient-facing page. Autoescaping is on for every template.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from sitegen.content.i18n import Catalogue, locale_name
from sitegen.content.loader import field_lines
from sitegen.content.sources import read_yaml
from sitegen.core.errors import Diagnostics, SourceLocation, did_you_mean, relative_to
from sitegen.core.paths import SHIPPED_THEMES
from sitegen.core.schema import Context, coerce_object, spec
from sitegen.models import SiteConfig
from sitegen.render.translate import translator

SETTING_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, kw_only=True)
class ThemeManifest:
    """theme.yaml: what a theme is called, what it builds on and the settings it accepts."""

    name: str = spec("the theme's name, as `theme:` in site.yaml names it")
    version: str = spec('the theme\'s version, e.g. "1.0"', "0")
    description: str = spec("one line about the look", "")
    extends: str = spec(
        "a parent theme whose templates and static files are used where this theme has none", ""
    )
    stylesheets: list[str] = spec(
        "stylesheets of static/ that every page links after the parent theme's", factory=list
    )
    settings: dict[str, str] = spec(
        "the settings the theme accepts, `name: default`; site.yaml `theme_settings:` "
        "changes them and each becomes a CSS custom property `--theme-name`",
        factory=dict,
    )


@dataclass(frozen=True)
class Theme:
    name: str
    root: Path
    version: str = "0"
    parent: Theme | None = None
    own_settings: tuple[tuple[str, str], ...] = ()  # this theme's defaults, not its parent's
    own_stylesheets: tuple[str, ...] = ()

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"

    @property
    def chain(self) -> list[Theme]:
        """This theme, then its parent, then the parent's parent: the order files are looked up in."""
        themes, theme = [], self
        while theme is not None:
            themes.append(theme)
            theme = theme.parent
        return themes

    @property
    def template_folders(self) -> list[Path]:
        return [t.templates for t in self.chain if t.templates.is_dir()]

    @property
    def static_folders(self) -> list[Path]:
        return [t.static for t in self.chain if t.static.is_dir()]

    @property
    def defaults(self) -> dict[str, str]:
        """Every setting the theme accepts with its default; a theme's default wins over its parent's."""
        merged: dict[str, str] = {}
        for theme in reversed(self.chain):
            merged.update(theme.own_settings)
        return merged

    @property
    def stylesheets(self) -> list[str]:
        sheets: list[str] = []
        for theme in reversed(self.chain):
            sheets += [s for s in theme.own_stylesheets if s not in sheets]
        return sheets

    def settings(self, config: SiteConfig) -> dict[str, str]:
        """The defaults with site.yaml's `theme_settings:` applied."""
        return {**self.defaults, **{k: v for k, v in config.theme_settings.items() if k in self.defaults}}


def _theme_root(site_dir: Path, name: str) -> Path | None:
    for root in (site_dir / "themes" / name, SHIPPED_THEMES / name):
        if (root / "templates").is_dir() or (root / "theme.yaml").is_file():
            return root
    return None


def _load_theme(site_dir: Path, name: str, diagnostics: Diagnostics, seen: tuple[str, ...]) -> Theme | None:
    root = _theme_root(site_dir, name)
    assert root is not None
    manifest_file = root / "theme.yaml"
    src = relative_to(manifest_file, site_dir)
    if not manifest_file.is_file():  # a plain folder of templates: a theme without settings or parent
        return Theme(name, root)
    before = len(diagnostics.errors)
    data = read_yaml(manifest_file, site_dir, diagnostics)
    manifest = (
        coerce_object(ThemeManifest, data, getattr(data, "line", 1), Context(src, diagnostics))
        if data is not None
        else None
    )
    if manifest is None:
        if len(diagnostics.errors) == before:
            diagnostics.error("SG104", "theme.yaml is empty", SourceLocation(src, 1), "add at least `name:`")
        return None

    lines = field_lines(data)
    ok = _manifest_ok(manifest, lines, root, src, site_dir, diagnostics)
    parent = None
    if manifest.extends:
        where = SourceLocation(src, lines.get("extends", 0))
        if not _extends_ok(site_dir, name, manifest.extends, where, seen, diagnostics):
            return None
        parent = _load_theme(site_dir, manifest.extends, diagnostics, seen + (name,))
        if parent is None:
            return None
    if not ok:
        return None
    return Theme(
        name, root, manifest.version, parent, tuple(manifest.settings.items()), tuple(manifest.stylesheets)
    )


def _manifest_ok(
    manifest: ThemeManifest,
    lines: dict[str, int],
    root: Path,
    src: str,
    site_dir: Path,
    diagnostics: Diagnostics,
) -> bool:
    """False, with SG104 reported, when a setting's name is not a lower-case identifier or a
    stylesheet is not a file of the theme's static/ folder."""
    ok = True
    for key in manifest.settings:
        if not SETTING_NAME.match(key):
            diagnostics.error(
                "SG104",
                f'settings: "{key}" is not a setting name',
                SourceLocation(src, lines.get(f"settings.{key}", 0)),
                "use lower-case letters, digits and underscores, starting with a letter",
            )
            ok = False
    static = root / "static"
    for index, sheet in enumerate(manifest.stylesheets, start=1):
        if not (static / sheet).is_file():
            diagnostics.error(
                "SG104",
                f'stylesheets: "{sheet}" is not a file in {relative_to(static, site_dir)}',
                SourceLocation(src, lines.get(f"stylesheets[{index}]", 0)),
                "name a file of the theme's static/ folder, e.g. css/theme.css",
            )
            ok = False
    return ok


def _extends_ok(
    site_dir: Path,
    name: str,
    extends: str,
    where: SourceLocation,
    seen: tuple[str, ...],
    diagnostics: Diagnostics,
) -> bool:
    """False, with SG104 reported, when the parent theme leads back to this one or does not exist."""
    if extends in seen + (name,):
        diagnostics.error(
            "SG104",
            f'extends: "{extends}" leads back to this theme',
            where,
            "a theme can only extend a theme that does not extend it",
        )
        return False
    if _theme_root(site_dir, extends) is None:
        diagnostics.error(
            "SG104",
            f'extends: no theme "{extends}"',
            where,
            f"use one of: {', '.join(_shipped())}, or a folder in themes/",
        )
        return False
    return True


def _shipped() -> list[str]:
    return sorted(p.name for p in SHIPPED_THEMES.iterdir() if p.is_dir()) if SHIPPED_THEMES.is_dir() else []


def find_theme(site_dir: Path, config: SiteConfig, diagnostics: Diagnostics) -> Theme | None:
    """The theme site.yaml names, with its parents; site.yaml's `theme_settings:` checked against it."""
    if _theme_root(site_dir, config.theme) is None:
        diagnostics.error(
            "SG102",
            f'theme: no theme "{config.theme}"',
            SourceLocation(config.src_path, config.at_line("theme")),
            f"use one of: {', '.join(_shipped())}, or a folder in themes/ with a templates/ folder",
        )
        return None
    theme = _load_theme(site_dir, config.theme, diagnostics, ())
    if theme is None:
        return None
    if not theme.template_folders:
        diagnostics.error(
            "SG102",
            f'theme: "{config.theme}" has no templates/ folder, nor does a theme it extends',
            SourceLocation(config.src_path, config.at_line("theme")),
            "add `extends: default` to its theme.yaml",
        )
        return None
    accepted = theme.defaults
    for key in config.theme_settings:
        if key not in accepted:
            diagnostics.error(
                "SG105",
                f'theme_settings: the theme "{theme.name}" has no setting '
                f'"{key}"{did_you_mean(key, accepted)}',
                SourceLocation(config.src_path, config.at_line(f"theme_settings.{key}")),
                f"settings of this theme: {', '.join(sorted(accepted)) or 'none'} (see its theme.yaml)",
            )
    return theme


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def fingerprinted_name(rel_path: str, data: bytes) -> str:
    """css/site.css -> assets/css/site.<hash>.css: a new name whenever the bytes change, so it can be
    cached forever."""
    stem, dot, suffix = rel_path.rpartition(".")
    if not dot:
        stem, suffix = rel_path, ""
    return f"assets/{stem}.{fingerprint(data)}{dot}{suffix}"


def make_environment(
    site_dir: Path,
    theme: Theme,
    config: SiteConfig,
    asset_urls: dict[str, str],
    catalogues: dict[str, Catalogue] | None = None,
) -> jinja2.Environment:
    """Templates see `_()`/`ngettext()` and format dates and prices in the language of the page being
    rendered (its context's `lang`), so one environment serves every language of the site."""
    # the site's own templates, then the theme's, then its parent's: the first file found wins
    search = [str(p) for p in [site_dir / "templates", *theme.template_folders] if p.is_dir()]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        extensions=["jinja2.ext.i18n"],
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
            raise jinja2.TemplateRuntimeError(
                f'asset("{name}"): no such file in the theme\'s static/ folder'
            ) from None

    env.globals.update(
        asset=asset,
        theme={
            "name": theme.name,
            "version": theme.version,
            "settings": theme.settings(config),
            "stylesheets": theme.stylesheets,
        },
    )
    _install_languages(env, config, catalogues or {})
    return env


def _install_languages(env: jinja2.Environment, config: SiteConfig, catalogues: dict[str, Catalogue]) -> None:
    """Translation, dates, money and times in the page's language (its context's `lang`), and the
    `lang` mark of a document another language's edition shows untranslated."""
    fallback = Catalogue(config.language, locale_name(config.language, config.country))

    def catalogue(context: Any) -> Catalogue:
        return catalogues.get(context.get("lang") or config.language, fallback)

    @jinja2.pass_context
    def gettext(context: Any, message: str) -> str:
        return catalogue(context).gettext(message)

    @jinja2.pass_context
    def ngettext(context: Any, singular: str, plural: str, number: int) -> str:
        return catalogue(context).ngettext(singular, plural, number)

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = translator(catalogue, config.language)

    @jinja2.pass_context
    def reward_value(context: Any, reward: Any, currency: str = config.currency) -> str:
        """What a referral reward is worth, as the program's terms state it, in the page's language."""
        if not reward.value:
            return catalogue(context).gettext("no cash value")
        return catalogue(context).money(reward.value, currency)

    env.globals["reward_value"] = reward_value

    @jinja2.pass_context
    def lang_attr(context: Any, document: Any) -> Markup:
        """` lang="en"` on a document that another language's edition shows untranslated (an English
        treatment among the cards of /es/services/), so a screen reader reads it in its own language
        (WCAG 3.1.2, language of parts); nothing for a document in the page's language."""
        lang = context.get("lang") or config.language
        url = getattr(document, "url", "")
        if lang == config.language or not url or url in context["site"].translated:
            return Markup("")
        return Markup(f' lang="{escape(config.language)}"')

    env.globals["lang_attr"] = lang_attr
    env.filters.update(
        date=jinja2.pass_context(lambda context, value: catalogue(context).date(value)),
        money=jinja2.pass_context(lambda context, amount: catalogue(context).money(amount, config.currency)),
        clock=jinja2.pass_context(lambda context, hhmm: catalogue(context).clock(hhmm)),
        absolute=lambda url: config.base_url + url,
        jsonld=jsonld,
        weeks=jinja2.pass_context(lambda context, interval: format_weeks(interval, catalogue(context))),
        # a `tel:` link's address; a site has a few numbers, each shown three times on every page
        tel=functools.lru_cache(maxsize=256)(lambda number: "tel:" + re.sub(r"[^\d+]", "", number)),
    )


def format_weeks(interval: Any, catalogue: Catalogue) -> str:
    if interval.max_weeks and interval.max_weeks != interval.min_weeks:
        return catalogue.format("every %(min)d–%(max)d weeks", min=interval.min_weeks, max=interval.max_weeks)
    return catalogue.ngettext("every week", "every %(num)d weeks", interval.min_weeks) % {
        "num": interval.min_weeks
    }


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # what json.dumps made anew each call


def jsonld(data: Any) -> str:
    """JSON for a `<script type="application/ld+json">`: '<' escaped so content can never close the tag."""
    text = _JSON.encode(data)
    return jinja2.utils.markupsafe.Markup(
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )


def template_error(exc: Exception, site_dir: Path, diagnostics: Diagnostics, while_rendering: str) -> None:
    """Report a Jinja error at the template line it happened on."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        location = SourceLocation(relative_to(Path(exc.filename), site_dir), exc.lineno)
    else:
        frames = [
            f
            for f in traceback.extract_tb(exc.__traceback__)
            if f.filename.endswith((".html", ".xml", ".txt"))
        ]
        location = (
            SourceLocation(relative_to(Path(frames[-1].filename), site_dir), frames[-1].lineno or 0)
            if frames
            else SourceLocation(while_rendering)
        )
    message = getattr(exc, "message", None) or str(exc)
    diagnostics.error(
        "SG401",
        f"template error while rendering {while_rendering}: {message}",
        location,
        "fix the template; a field that may be empty needs an `{% if %}` around it",
    )
