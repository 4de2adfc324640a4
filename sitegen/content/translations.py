"""Translated content: sibling files (`x.es.md` beside `x.md`) that override a document's texts.

A translation's values are laid over the original's (overlay.py), so a price, a date or a reference is
written once, in the original; a translation that changes anything but text is refused at its line
(SG214). Rules for writers: docs/languages.md.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from sitegen.content.loader import Loaded, load_document
from sitegen.content.markdown import MarkdownRenderer
from sitegen.content.overlay import overlay, translates_nothing
from sitegen.content.sources import (
    COLLECTIONS,
    RawDocument,
    read_document,
    read_text,
    read_yaml,
    split_front_matter,
)
from sitegen.core.errors import Diagnostics, SourceLocation, relative_to


def language_of(file: Path) -> tuple[str, str]:
    """(stem of the original, language) for `botox.es.md`; (stem, "") for an original."""
    stem, dot, lang = file.stem.rpartition(".")
    return (stem, lang) if dot else (file.stem, "")


@dataclass(frozen=True)
class TranslationFile:
    kind: str
    lang: str
    file: Path
    original: Path


def find_translations(
    site_dir: Path, languages: list[str], diagnostics: Diagnostics
) -> list[TranslationFile]:
    """Every translation of a collection document into one of the site's other languages, sorted by path;
    a file named like a translation into another language, or of a document that does not exist, is
    reported."""
    content = site_dir / "content"
    others = languages[1:]
    found = []
    for kind, suffix in COLLECTIONS.items():
        folder = content / kind
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob(f"*.*{suffix}")):
            stem, lang = language_of(file)
            if not lang or file.name.startswith("."):
                continue
            where = SourceLocation(relative_to(file, site_dir))
            original = folder / f"{stem}{suffix}"
            if lang not in others:
                diagnostics.warn(
                    "SG212",
                    f'ignored: "{lang}" is not one of the site\'s other languages '
                    f"({', '.join(others) or 'none'})",
                    where,
                    f"a translation is named like {stem}.es{suffix} and its language is listed in "
                    "site.yaml `languages:`; a file name may not otherwise contain a dot",
                )
            elif not original.is_file():
                diagnostics.error(
                    "SG213",
                    f"this translates {kind}/{stem}{suffix}, which does not exist",
                    where,
                    f"name the translation after the English file, e.g. {kind}/<its name>.{lang}{suffix}",
                )
            else:
                found.append(TranslationFile(kind, lang, file, original))
    return found


def translation_of(src: str, lang: str) -> str:
    """content/posts/x.md -> content/posts/x.es.md."""
    stem, dot, suffix = src.rpartition(".")
    return f"{stem}.{lang}.{suffix}" if dot else f"{src}.{lang}"


def original_of(src: str, lang: str) -> str:
    """content/posts/x.es.md -> content/posts/x.md."""
    stem, dot, suffix = src.rpartition(".")
    return stem.removesuffix(f".{lang}") + dot + suffix


def load_translation(
    item: TranslationFile,
    site_dir: Path,
    renderer: MarkdownRenderer,
    diagnostics: Diagnostics,
    main_lang: str,
) -> Loaded | None:
    quiet = Diagnostics()  # the original's own problems are reported where it is loaded
    original = read_document(item.kind, item.original, site_dir, quiet)
    if original is None or quiet.errors:
        return None
    src = relative_to(item.file, site_dir)
    kept_body = False
    if COLLECTIONS[item.kind] == ".md":
        text = read_text(item.file, site_dir, diagnostics)
        split = None if text is None else split_front_matter(text, src, diagnostics)
        if split is None:
            return None
        meta, body, body_line = split
        kept_body = (
            not body.strip()
        )  # front matter only: the texts of the page are translated, its body is not
        if kept_body:
            body, body_line = original.body, original.body_line
    else:
        before = len(diagnostics.errors)
        meta, body, body_line = read_yaml(item.file, site_dir, diagnostics), "", 1
        if len(diagnostics.errors) > before:
            return None
    before = len(diagnostics.errors)
    merged = overlay(original.meta, meta, src, diagnostics)
    if len(diagnostics.errors) > before:
        return None
    if merged == original.meta and body == original.body:
        translates_nothing(
            src,
            relative_to(item.original, site_dir),
            diagnostics,
            "the document stays untranslated and has no page in that language",
        )
        return None
    raw = RawDocument(item.kind, src, original.stem, merged, body, body_line)
    found = Diagnostics()
    doc = load_document(raw, renderer, found)
    if found.items:  # the original's own problems are reported at its lines, not again at this file's
        own = Diagnostics()
        load_document(original, renderer, own)
        known = {(d.code, d.message) for d in own.items}
        diagnostics.extend(d for d in found.items if (d.code, d.message) not in known)
    if doc is None:
        return None
    if kept_body and doc.model.html:
        # the original's text on a page in another language says which language it is in (WCAG 3.1.2)
        doc = dataclasses.replace(
            doc, model=dataclasses.replace(doc.model, html=f'<div lang="{main_lang}">{doc.model.html}</div>')
        )
    return dataclasses.replace(doc, lang=item.lang)
