"""Translated content: sibling files that override the texts of a document for one language.

`botox-and-dysport.es.md` translates `botox-and-dysport.md`; `program.es.yaml` translates
`program.yaml`. A translation holds only what a translator changes: its values are laid over the
original's (mappings key by key, lists of mappings item by item, everything else replaced), so a
price, a date or a provider is written once, in the original, and can never drift between languages.
A translation that tries to change something that is not text (a number, a switch, an address, a
reference to another document) is refused with the line to remove: those belong to the original.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.content.loader import Loaded, load_document
from sitegen.content.markdown import MarkdownRenderer
from sitegen.content.sources import (
    COLLECTIONS,
    RawDocument,
    read_document,
    read_text,
    read_yaml,
    split_front_matter,
)
from sitegen.core.errors import Diagnostics, Severity, SourceLocation, relative_to
from sitegen.core.yamlmarks import LocatedDict, LocatedList
from sitegen.incremental.cache import BuildCache, content_key, file_digest

# keys a translation may not set, whatever their type: the document's address and what it points to
NOT_TEXT = {
    "slug",
    "url",
    "src",
    "form",
    "draft",
    "date",
    "start",
    "end",
    "updated",
    "order",
    "aliases",
    "email",
    "phone",
}


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


def load_translations(
    site_dir: Path,
    languages: list[str],
    renderer: MarkdownRenderer,
    diagnostics: Diagnostics,
    cache: BuildCache,
) -> dict[str, list[Loaded]]:
    """Per other language, the translated documents, each loaded as its original with the texts laid over;
    cached like originals, by the hashes of both files (see `translation_key`)."""
    loaded: dict[str, list[Loaded]] = {lang: [] for lang in languages[1:]}
    hashes = cache.content_hashes(site_dir) if cache.enabled else {}

    def key_of(item: TranslationFile, src: str, scanned: bool) -> str | None:
        digests = []
        for file in (item.original, item.file):
            found = hashes.get(relative_to(file, site_dir)) if scanned else None
            try:
                digests.append(found[0] if found else file_digest(file))
            except OSError:
                return None
        return translation_key(item.kind, src, renderer.settings, languages[0], *digests)

    for item in find_translations(site_dir, languages, diagnostics):
        src = relative_to(item.file, site_dir)
        key = key_of(item, src, scanned=True)
        entry = cache.document(key) if key else None
        if entry is None:
            key = (
                key_of(item, src, scanned=False) if hashes else key
            )  # the bytes about to be read, even if just changed
            found = Diagnostics()
            doc = _load_one(item, site_dir, renderer, found, languages[0])
            entry = (doc, tuple(found.items))
            if key and doc is not None and not found.errors:
                cache.store_document(key, entry)
        doc, found = entry
        diagnostics.extend(found)
        if doc is not None and not any(d.severity is Severity.ERROR for d in found):
            loaded[item.lang].append(doc)
    return loaded


def translation_key(
    kind: str, src: str, settings: str, main_lang: str, original_digest: str, digest: str
) -> str:
    """A translation's cache key: the hashes of its original and of itself (an edit of either loads it again)
    and the main language (the original's text it keeps is marked with it)."""
    return content_key("translation", kind, src, settings, main_lang, original_digest, digest)


def translation_of(src: str, lang: str) -> str:
    """content/posts/x.md -> content/posts/x.es.md."""
    stem, dot, suffix = src.rpartition(".")
    return f"{stem}.{lang}.{suffix}" if dot else f"{src}.{lang}"


def original_of(src: str, lang: str) -> str:
    """content/posts/x.es.md -> content/posts/x.md."""
    stem, dot, suffix = src.rpartition(".")
    return stem.removesuffix(f".{lang}") + dot + suffix


def _load_one(
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


def read_translated_yaml(file: Path, lang: str, site_dir: Path, diagnostics: Diagnostics) -> tuple[Any, str]:
    """A whole-YAML file (program.yaml, site.yaml) in `lang`: the original with `<name>.<lang>.yaml`
    laid over it when there is one; with the path errors in it should name."""
    quiet = Diagnostics()
    data = read_yaml(file, site_dir, quiet)  # the original's own problems are reported in its own language
    translated = file.with_name(f"{file.stem}.{lang}{file.suffix}")
    if data is None or not translated.is_file():
        return data, relative_to(file, site_dir)
    src = relative_to(translated, site_dir)
    before = len(diagnostics.errors)
    over = read_yaml(translated, site_dir, diagnostics)
    if len(diagnostics.errors) > before:
        return data, src
    merged = overlay(data, over, src, diagnostics)
    if merged == data:
        translates_nothing(
            src,
            relative_to(file, site_dir),
            diagnostics,
            "the pages in that language show the original's texts",
        )
    return merged, src


def translates_nothing(src: str, original: str, diagnostics: Diagnostics, outcome: str) -> None:
    """An empty translation, or a copy of the original not translated yet: said, never published as a
    translation."""
    diagnostics.warn(
        "SG215",
        f"this translation changes no text of {original}, so {outcome}",
        SourceLocation(src, 1),
        "translate the texts here (the fields a reader sees, and for a page the text below its front "
        "matter), or delete the file",
    )


def overlay(
    original: Any, translation: Any, src: str, diagnostics: Diagnostics, name: str = "", line: int = 0
) -> Any:
    """The original with the translation's texts laid over; located errors for anything else.
    `line` is where a plain value stands (mappings and lists know their own)."""
    line = getattr(translation, "line", line)
    if translation is None:
        return original
    if isinstance(translation, dict):
        if original is not None and not isinstance(original, dict):
            _refuse(diagnostics, src, line, name, "is a list of fields here but not in the original")
            return original
        base = original or {}
        merged = LocatedDict(base)
        merged.line = line
        merged.key_lines = dict.fromkeys(merged, 0)  # inherited: their lines are in the other file
        for key, value in translation.items():
            where = translation.line_of(key)
            if key in NOT_TEXT and base.get(key) != value:
                _refuse(
                    diagnostics,
                    src,
                    where,
                    f"{name}{key}",
                    "is not a text: a translation keeps the original's",
                )
                continue
            merged[key] = overlay(base.get(key), value, src, diagnostics, f"{name}{key}.", where)
            merged.key_lines[key] = where
        return merged
    if isinstance(translation, list):
        if translation and all(isinstance(item, dict) for item in translation) and isinstance(original, list):
            if len(translation) != len(original):
                _refuse(
                    diagnostics,
                    src,
                    line,
                    name.rstrip("."),
                    f"has {len(translation)} items and the original {len(original)}: "
                    "translate every item, in the original's order",
                )
                return original
            merged_list = LocatedList(
                overlay(o, t, src, diagnostics, f"{name.rstrip('.')}[{i}].")
                for i, (o, t) in enumerate(zip(original, translation), start=1)
            )
        else:
            for index, item in enumerate(translation):
                if not isinstance(item, str):
                    _refuse(
                        diagnostics,
                        src,
                        translation.line_of(index),
                        f"{name.rstrip('.')}[{index + 1}]",
                        "is not a text: a translation changes only texts",
                    )
                    return original
            merged_list = LocatedList(translation)
        merged_list.line, merged_list.item_lines = line, list(getattr(translation, "item_lines", []))
        return merged_list
    if not isinstance(translation, str) and translation != original:
        _refuse(diagnostics, src, line, name.rstrip("."), "is not a text: a translation keeps the original's")
        return original
    return translation


def _refuse(diagnostics: Diagnostics, src: str, line: int, name: str, why: str) -> None:
    diagnostics.error(
        "SG214",
        f"{name or 'the file'} {why}",
        SourceLocation(src, line),
        "a translation holds only translated texts; numbers, dates, addresses and references "
        "are written once, in the original file: remove this line",
    )
