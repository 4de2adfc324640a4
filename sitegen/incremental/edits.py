"""The dev server's quick edits: which edited documents may be shown before the whole site is built.

`body_edits`: an edit of texts alone, shown exactly from the last site with the new models in place,
then checked; `outline_edits`: other fields at the same address, shown as a preview while the site is
built again. Reasoning and measurements: docs/performance.md ("The dev server").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sitegen.content.markdown import MarkdownRenderer
from sitegen.content.translations import original_of, translation_of
from sitegen.incremental import swap
from sitegen.incremental.cache import BuildCache, content_key
from sitegen.incremental.documents import translation_key
from sitegen.incremental.reuse import MadeFrom, untouched
from sitegen.incremental.stores import Store, no_store


@dataclass(frozen=True)
class Edit:
    """What a build may take from the last one after an edit (all None/False: build everything)."""

    texts_only: frozenset[str] | None = None  # the documents whose texts alone changed
    outlines: frozenset[str] | None = None  # the documents shown as a preview (a title, a date changed)
    check_later: bool = False  # the whole-site checks run after the pages are shown
    shortcut: tuple[dict[str, Any], list[Any]] | None = None  # the last sites and editions, edits in place

    @property
    def documents(self) -> frozenset[str] | None:
        """The edited documents' source files, when only they can have changed pages."""
        return self.texts_only or self.outlines


NONE = Edit()


def plan_edit(
    edited: dict[str, str | None] | None,
    inputs: Any,
    cache: BuildCache,
    renderer: MarkdownRenderer,
    structure: swap.Structure | None,
    *,
    check_later: bool,
    preview: bool,
    records: dict[str, Any] | None = None,
    store: Store = no_store,
    made_from: MadeFrom | None = None,
) -> Edit:
    """The quick edit the dev server may take (`check_later`, `preview`), or NONE. `records` and `store`
    are the last build's page records and outputs: a page kept from them needs no new plan (found
    through `made_from`, the records by document, when it is of these records)."""
    if not edited:
        return NONE
    loaded, translated = inputs.loaded, inputs.translated
    texts_only = body_edits(edited, loaded, inputs.translations, inputs.config.languages, cache, renderer)
    later = check_later and bool(texts_only)
    outlines = outline_edits(edited, loaded, translated, structure) if preview and not texts_only else None
    swapping = texts_only if later else outlines
    records = records or {}

    def kept(plan: Any) -> bool:  # as `PageReuse.keep` will find it
        out_path = plan.out_path
        return untouched(out_path, swapping, records, made_from) and store(out_path, ()) is not None  # type: ignore[arg-type]

    shortcut = swap.swapped(structure, loaded + translated, swapping, kept) if swapping else None
    return Edit(texts_only, outlines if shortcut else None, later, shortcut)


def body_edits(
    edited: dict[str, str | None] | None,
    loaded: list[Any],
    translations: dict[str, list[Any]],
    languages: list[str],
    cache: BuildCache,
    renderer: MarkdownRenderer,
) -> frozenset[str] | None:
    """The documents (by source file) whose texts alone an edit changed, when nothing else changed (no
    template, setting, picture, new or deleted file, and every other field equal), with the translations
    that show an edited original's text; None otherwise. Only their pages can differ from the last build."""
    if not edited:
        return None
    last = _LastBuild(edited, loaded, translations, languages, cache, renderer)
    changed = set(edited)
    for rel, old_hash in edited.items():
        if old_hash is None:
            return None
        doc = last.by_source.get(rel)
        if doc is None:  # a translation, or a file that is not a document
            if not last.translation_edit(rel, old_hash):
                return None
            continue
        showing = last.original_edit(doc, rel, old_hash)
        if showing is None:
            return None
        changed.update(showing)
    return frozenset(changed)


class _LastBuild:
    """What `body_edits` compares an edited document with: the last build's version of it, from the cache."""

    def __init__(
        self,
        edited: dict[str, str | None],
        loaded: list[Any],
        translations: dict[str, list[Any]],
        languages: list[str],
        cache: BuildCache,
        renderer: MarkdownRenderer,
    ) -> None:
        self.edited, self.languages, self.cache, self.settings = edited, languages, cache, renderer.settings
        self.by_source = {d.raw.src_path: d for d in loaded}
        self.translated = {(d.raw.src_path, d.lang): d for docs in translations.values() for d in docs}

    def _scanned(self, rel: str) -> str | None:
        scanned = self.cache.scanned.get(rel)
        return scanned[0] if scanned else None

    def same_outline(self, doc: Any, old_key: str) -> Any:
        """The last build's version of `doc` when it differs in its text alone, else None."""
        old = self.cache.document(old_key, use=False)
        return old[0] if old and old[0] and _outline(old[0]) == _outline(doc) else None

    def original_edit(self, doc: Any, rel: str, old_hash: str) -> list[str] | None:
        """The translations that show an edited original's text (each must keep its outline), or None
        when the original or a translation changed more than its text."""
        if self.same_outline(doc, content_key(doc.kind, rel, self.settings, old_hash)) is None:
            return None
        showing = []
        for lang in self.languages[1:]:
            sibling = translation_of(rel, lang)
            if sibling not in self.cache.scanned:
                continue
            translation = self.translated.get((sibling, lang))
            sibling_hash = self.edited.get(sibling) or self._scanned(sibling)
            old_key = translation_key(
                doc.kind, sibling, self.settings, self.languages[0], old_hash, sibling_hash or ""
            )
            old_translation = self.same_outline(translation, old_key) if translation is not None else None
            if old_translation is None:
                return None
            if old_translation.model.html != translation.model.html:
                showing.append(sibling)  # it shows the original's text
        return showing

    def translation_edit(self, rel: str, old_hash: str) -> bool:
        """Whether an edited translation changed its text alone."""
        lang = next((lang for lang in self.languages[1:] if (rel, lang) in self.translated), None)
        if lang is None:
            return False
        original = original_of(rel, lang)
        translation = self.translated[(rel, lang)]
        original_hash = self.edited.get(original) or self._scanned(original)
        old_key = translation_key(
            translation.kind, rel, self.settings, self.languages[0], original_hash or "", old_hash
        )
        return self.same_outline(translation, old_key) is not None


def outline_edits(
    edited: dict[str, str | None] | None,
    loaded: list[Any],
    translated: list[Any],
    structure: swap.Structure | None,
) -> frozenset[str] | None:
    """The documents (by source file) the dev server may show edited before building the whole site: every
    edited file is a previewable kind's document (or its translation) at the same address and as much a
    draft as before; None otherwise. The preview keeps the last order and grouping of lists."""
    if not edited or structure is None:
        return None
    documents = {d.raw.src_path: d for d in loaded + translated}
    changed = set(edited)
    for rel, old_hash in edited.items():
        doc, old = documents.get(rel), structure.models.get(rel)
        if old_hash is None or doc is None or old is None or doc.kind not in swap.SWAPPABLE:
            return None
        if getattr(doc.model, "url", None) != getattr(old, "url", None) or getattr(
            doc.model, "draft", False
        ) != getattr(old, "draft", False):
            return None
        changed.update(
            t.raw.src_path for t in translated if not doc.lang and original_of(t.raw.src_path, t.lang) == rel
        )
    return frozenset(changed)


def _outline(doc: Any) -> tuple:
    """A document without its text: what other pages, the site's order and its addresses may use."""
    model = doc.model
    if hasattr(model, "html") and hasattr(model, "body"):
        model = dataclasses.replace(model, html="", body="")
    return doc.kind, doc.lang, model
