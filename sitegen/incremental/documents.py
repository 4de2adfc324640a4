"""Every content document, loaded once: reused from the build cache when its bytes are unchanged,
otherwise read, validated and rendered (across processes when there are many).

`load_all` and `load_translations` give the loaded documents and what to cache; a document with an
error is never cached, so it is reported again until fixed. Why this is safe: docs/performance.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitegen import checks  # noqa: F401  (imported for its rules' document facts, registered on import)
from sitegen.checks.registry import document_facts, fact_key
from sitegen.content.bodies import released
from sitegen.content.loader import Loaded, load_document
from sitegen.content.markdown import MarkdownRenderer
from sitegen.content.sources import list_sources, read_document
from sitegen.content.translations import TranslationFile, find_translations, load_translation
from sitegen.core.errors import Diagnostics, Severity, relative_to
from sitegen.incremental import gcpolicy
from sitegen.incremental.cache import BuildCache, content_key, file_digest
from sitegen.incremental.parallel import map_chunks, usable_jobs

# the dev server asks again for 10,000 keys after every save
_document_key = functools.lru_cache(maxsize=1 << 15)(content_key)


class LoadedDocuments:
    """The outcome of loading: documents, the (kind, stem) of those that failed, and the content key
    of each loaded model (by its source file, with the model it names), which lets page records name a
    model by its source's hash."""

    def __init__(self) -> None:
        self.loaded: list[Loaded] = []
        self.invalid: set[tuple[str, str]] = set()
        self.keys: dict[str, tuple[Any, str]] = {}  # source file -> (its model, content key)
        self.facts: dict[str, dict[str, Any]] = {}  # what the rules need of each text (`fact_key`)
        self.reused = 0
        self.parsed = 0


def load_all(
    site_dir: Path,
    renderer: MarkdownRenderer,
    diagnostics: Diagnostics,
    cache: BuildCache,
    jobs: int | None = None,
    progress: Callable[[str, int, int], None] = lambda *_: None,
) -> LoadedDocuments:
    """Every content document: from the cache by its content key, else read, validated and rendered
    (and cached when it has no error); each document's diagnostics added in the order of its files."""
    sources = list_sources(site_dir, diagnostics)
    entries, keys, pending = _from_cache(site_dir, sources, renderer, cache)
    result = LoadedDocuments()
    result.reused, result.parsed = len(sources) - len(pending), len(pending)
    _parse(site_dir, pending, entries, keys, renderer, cache, jobs, progress, len(sources))
    for (kind, file), key, (doc, found, facts) in zip(sources, keys, entries):
        diagnostics.extend(found)
        if doc is None or doc is False:  # failed to load, or to parse: references to it are not errors
            result.invalid.add((kind, file.stem))
        else:
            result.loaded.append(doc)
            result.facts[fact_key(doc)] = facts
            if key:
                result.keys[doc.raw.src_path] = (doc.model, key)
    # 10,000 documents live to the end of the build: the collector need not scan them again and again
    # (a fifth of a rebuild's time was collections). `build.build` and the dev server unfreeze after it.
    gcpolicy.keep_to_the_end()
    return result


def _from_cache(
    site_dir: Path, sources: list[tuple[str, Path]], renderer: MarkdownRenderer, cache: BuildCache
) -> tuple[list[Any], list[str | None], list[tuple[int, str, Path]]]:
    """Each source's cached entry (None when it must be loaded), its content key, and the ones to load."""
    entries: list[Any] = [None] * len(sources)
    keys: list[str | None] = [None] * len(sources)
    pending = []
    hashes = cache.content_hashes(site_dir) if cache.enabled else {}
    for index, (kind, file) in enumerate(sources):
        rel = relative_to(file, site_dir)
        scanned = hashes.get(rel)
        try:
            keys[index] = _document_key(
                kind, rel, renderer.settings, scanned[0] if scanned else file_digest(file)
            )
        except OSError:
            pending.append((index, kind, file))  # reading it again reports the problem
            continue
        entries[index] = cache.document(keys[index])  # type: ignore[arg-type]
        if entries[index] is None:
            pending.append((index, kind, file))
            if scanned:  # the bytes about to be parsed are keyed by their own hash, even if just changed
                try:
                    keys[index] = content_key(kind, rel, renderer.settings, file_digest(file))
                except OSError:
                    keys[index] = None
    return entries, keys, pending


def _parse(
    site_dir: Path,
    pending: list[tuple[int, str, Path]],
    entries: list[Any],
    keys: list[str | None],
    renderer: MarkdownRenderer,
    cache: BuildCache,
    jobs: int | None,
    progress: Callable[[str, int, int], None],
    total: int,
) -> None:
    """Read, validate and render the pending documents (across processes when there are many) into
    `entries`; each one without an error is cached under its key."""
    done = [total - len(pending)]
    progress("load", done[0], total)

    def advance(count: int) -> None:
        done[0] += count
        progress("load", done[0], total)

    def load_chunk(chunk: list[tuple[int, str, Path]]) -> list[tuple[Any, tuple, dict[str, Any]]]:
        out = []
        for _, kind, file in chunk:
            found = Diagnostics()
            raw = read_document(kind, file, site_dir, found)
            doc = load_document(raw, renderer, found) if raw is not None else None
            facts = document_facts(doc) if doc is not None else {}
            doc = released(doc) if doc is not None else None  # its facts found, its Markdown is let go
            out.append((doc if raw is not None else False, tuple(found.items), facts))
        return out

    for (index, _, _), entry in zip(
        pending, map_chunks(load_chunk, pending, usable_jobs(jobs, len(pending)), advance)
    ):
        entries[index] = entry
        doc, found, _ = entry
        if doc and keys[index] and not any(d.severity is Severity.ERROR for d in found):
            cache.store_document(keys[index], entry)  # type: ignore[arg-type]


def load_translations(
    site_dir: Path,
    languages: list[str],
    renderer: MarkdownRenderer,
    diagnostics: Diagnostics,
    cache: BuildCache,
    facts: dict[str, dict[str, Any]] | None = None,
) -> dict[str, list[Loaded]]:
    """Per other language, the translated documents, each loaded as its original with the texts laid over;
    cached like originals, by the hashes of both files (see `translation_key`); what the rules need of
    each text is added to `facts` (see `LoadedDocuments.facts`)."""
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
            doc = load_translation(item, site_dir, renderer, found, languages[0])
            doc_facts = document_facts(doc) if doc is not None else {}
            entry = (released(doc) if doc is not None else None, tuple(found.items), doc_facts)
            if key and doc is not None and not found.errors:
                cache.store_document(key, entry)
        doc, found, doc_facts = entry
        diagnostics.extend(found)
        if doc is not None and not any(d.severity is Severity.ERROR for d in found):
            loaded[item.lang].append(doc)
            if facts is not None:
                facts[fact_key(doc)] = doc_facts
    return loaded


def translation_key(
    kind: str, src: str, settings: str, main_lang: str, original_digest: str, digest: str
) -> str:
    """A translation's cache key: the hashes of its original and of itself (an edit of either loads it again)
    and the main language (the original's text it keeps is marked with it)."""
    return content_key("translation", kind, src, settings, main_lang, original_digest, digest)
