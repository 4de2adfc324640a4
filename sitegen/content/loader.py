"""Raw documents to typed models: coercion, slugs, URLs and rendered bodies.

Each document is validated on its own here; what needs the whole site (references between documents,
links, duplicate URLs) is checked by `site.py`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.content.facts import check_facts
from sitegen.content.i18n import known_language
from sitegen.content.kinds import KINDS, url_for
from sitegen.content.markdown import MarkdownRenderer, Reference
from sitegen.content.overlay import read_translated_yaml, translates_nothing
from sitegen.content.sources import RawDocument, read_yaml
from sitegen.core.errors import Diagnostics, SourceLocation
from sitegen.core.schema import Context, coerce_object, coerce_value
from sitegen.core.urls import is_safe_slug, slug_hint
from sitegen.core.yamlmarks import LocatedDict, LocatedList
from sitegen.models import FaqItem, Location, Service, SiteConfig


@dataclass(frozen=True)
class Loaded:
    """A validated model with the raw document it came from (for the lines of its fields)."""

    kind: str
    model: Any
    raw: RawDocument
    references: tuple[Reference, ...] = ()
    lang: str = ""  # a translation's language; "" for the site's main language

    def line_of(self, name: str) -> int:
        meta = self.raw.meta
        return meta.line_of(name) if isinstance(meta, LocatedDict) else 0

    def has_field(self, name: str) -> bool:
        return isinstance(self.raw.meta, dict) and name in self.raw.meta

    def at(self, name: str = "") -> SourceLocation:
        return SourceLocation(self.raw.src_path, self.line_of(name) if name else 0)


def load_config(site_dir: Path, diagnostics: Diagnostics, lang: str = "") -> SiteConfig | None:
    """site.yaml; in another language than the main one, with site.<lang>.yaml's texts laid over."""
    file = site_dir / "content" / "site.yaml"
    if lang:
        data, src = read_translated_yaml(file, lang, site_dir, diagnostics)
        config = (
            coerce_object(SiteConfig, data, getattr(data, "line", 1), Context(src, diagnostics))
            if data is not None
            else None
        )
        return (
            None
            if config is None
            else dataclasses.replace(
                config, base_url=config.base_url.rstrip("/"), src_path=src, field_lines=field_lines(data)
            )
        )
    if not file.is_file():
        diagnostics.error(
            "SG101",
            "no content/site.yaml: this folder is not a sitegen site",
            SourceLocation("content/site.yaml"),
            "run `sitegen init DIR` to start a site, or pass the folder that holds content/",
        )
        return None
    data = read_yaml(file, site_dir, diagnostics)
    if data is None and not diagnostics.errors:
        diagnostics.error(
            "SG202",
            "site.yaml is empty",
            SourceLocation("content/site.yaml", 1),
            "add at least name, base_url, description and contact",
        )
    if data is None:
        return None
    config = coerce_object(
        SiteConfig, data, getattr(data, "line", 1), Context("content/site.yaml", diagnostics)
    )
    if config is None:
        return None
    if not config.base_url.startswith(("https://", "http://")):
        diagnostics.error(
            "SG209",
            f'base_url: "{config.base_url}" is not a web address',
            SourceLocation("content/site.yaml", data.line_of("base_url")),
            "write the full address, e.g. https://www.example-medspa.com",
        )
    _check_languages(config, data, diagnostics)
    return dataclasses.replace(
        config,
        base_url=config.base_url.rstrip("/"),
        src_path="content/site.yaml",
        field_lines=field_lines(data),
    )


def _check_languages(config: SiteConfig, data: Any, diagnostics: Diagnostics) -> None:

    lines = field_lines(data)
    if not config.languages:
        diagnostics.error(
            "SG209",
            "languages: the list is empty",
            SourceLocation("content/site.yaml", data.line_of("languages")),
            "name at least the site's main language, e.g. `languages: [en]`",
        )
    seen: set[str] = set()
    for index, code in enumerate(config.languages, start=1):
        where = SourceLocation(
            "content/site.yaml", lines.get(f"languages[{index}]", data.line_of("languages"))
        )
        if not known_language(code):
            diagnostics.error(
                "SG209",
                f'languages: "{code}" is not a language code',
                where,
                "use two-letter codes (ISO 639-1) in lower case, e.g. en, es, fr, vi, zh",
            )
        elif code in seen:
            diagnostics.error(
                "SG209", f'languages: "{code}" is listed twice', where, "name each language once"
            )
        seen.add(code)


def field_lines(data: Any, prefix: str = "") -> dict[str, int]:
    """Dotted field name -> line, for every key of a YAML mapping, nested ones and list items too
    (`brand.logo`, `tiers[2].referrals`), so checks made after coercion can still name the line."""
    lines: dict[str, int] = {}
    if isinstance(data, LocatedDict):
        for key, value in data.items():
            name = f"{prefix}{key}"
            lines[name] = data.line_of(key)
            lines.update(field_lines(value, name + "."))
    elif isinstance(data, LocatedList):
        base = prefix.rstrip(".")
        for index, value in enumerate(data, start=1):
            lines[f"{base}[{index}]"] = data.line_of(index - 1)
            lines.update(field_lines(value, f"{base}[{index}]."))
    return lines


def load_faq(
    site_dir: Path, renderer: MarkdownRenderer, diagnostics: Diagnostics, lang: str = ""
) -> list[FaqItem]:
    """faq.yaml; in another language, faq.<lang>.yaml when there is one: the whole FAQ, translated."""
    file = site_dir / "content" / "faq.yaml"
    translated = file.with_name(f"faq.{lang}.yaml")
    if lang and translated.is_file():
        before = len(diagnostics.errors)
        data = read_yaml(translated, site_dir, diagnostics)
        if data is not None or len(diagnostics.errors) > before:
            return _faq_items(data, translated.name, renderer, diagnostics)

        translates_nothing(
            f"content/{translated.name}",
            "content/faq.yaml",
            diagnostics,
            "the FAQ in that language shows the original's questions",
        )
    if not file.is_file():
        return []
    return _faq_items(read_yaml(file, site_dir, diagnostics), file.name, renderer, diagnostics)


def _faq_items(data: Any, name: str, renderer: MarkdownRenderer, diagnostics: Diagnostics) -> list[FaqItem]:
    if data is None:
        return []
    if isinstance(data, dict) and list(data) == ["questions"]:  # as the browser editor writes it
        data = data["questions"]
    ctx = Context(f"content/{name}", diagnostics)
    items = coerce_value(list[FaqItem], data, getattr(data, "line", 1), ctx, "faq")
    if not isinstance(items, list):
        return []
    return [dataclasses.replace(item, html=renderer.render(item.answer).html) for item in items]


def load_document(raw: RawDocument, renderer: MarkdownRenderer, diagnostics: Diagnostics) -> Loaded | None:
    cls = KINDS[raw.kind].model
    ctx = Context(raw.src_path, diagnostics)
    model = coerce_object(cls, raw.meta, getattr(raw.meta, "line", 1), ctx)
    if model is None or not check_facts(model, raw, diagnostics):
        return None
    loaded = Loaded(raw.kind, model, raw)
    slug = model.slug or raw.stem
    if not is_safe_slug(slug):
        where = loaded.at("slug") if model.slug else SourceLocation(raw.src_path)
        what = "slug" if model.slug else "file name"
        diagnostics.error(
            "SG207", f'unsafe {what} "{slug}": it becomes part of the page address', where, slug_hint(slug)
        )
        return None
    changes: dict[str, Any] = {"slug": slug, "src_path": raw.src_path, "url": url_for(raw.kind, slug)}
    references: list[Reference] = []
    if isinstance(model, Location):
        if model.directions:
            changes["directions_html"] = renderer.render(model.directions).html
    else:
        rendered = renderer.render(raw.body, raw.body_line, remember=False)
        references = rendered.references
        for note in rendered.notes:
            diagnostics.warn("SG216", note.message, SourceLocation(raw.src_path, note.line), note.hint)
        changes.update(body=raw.body, html=rendered.html, body_line=raw.body_line)
        if isinstance(model, Service) and model.faq:
            changes["faq"] = [
                dataclasses.replace(item, html=renderer.render(item.answer).html) for item in model.faq
            ]
    return Loaded(raw.kind, dataclasses.replace(model, **changes), raw, tuple(references))
