"""The values the build's stages pass each other: what was asked, what may be kept, what was read."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitegen import checks
from sitegen.build.session import Session
from sitegen.content.loader import Loaded
from sitegen.core.artifact import Artifact
from sitegen.core.errors import ContentError, Diagnostics
from sitegen.incremental.reuse import MadeFrom
from sitegen.incremental.stores import Store, no_store
from sitegen.models import SiteConfig


@dataclass(frozen=True)
class BuildOptions:
    """What the person asked for: drafts or not, the day it is, how many processes, a progress display."""

    drafts: bool = False
    today: date | None = None
    jobs: int | None = 1
    progress: Callable[[str, int, int], None] | None = None  # told (stage, done, total)


@dataclass(frozen=True)
class Mode:
    """How much of the last build this one may reuse: the strategy a caller hands `render_site`.

    FULL renders everything. An incremental build (`sitegen build` with its cache) passes the last
    build's page records and a store of their outputs, the input files edited since, and a `spool`
    that takes each page to disk as it comes. The dev server also asks to show an edit of texts first
    (`show_first`, the checks left to `BuildResult.checks_pending`) or as a preview (`preview`).
    """

    previous: dict[str, Any] = field(default_factory=dict)  # what fed each page of the last build
    store: Store = no_store  # the last build's output of a kept page
    facts: checks.PageFacts | None = None  # what the rules found on each page of the last build
    edited: dict[str, str | None] | None = None  # input files changed since, with the hash each had
    show_first: bool = False
    preview: bool = False
    spool: Callable[[Artifact], Artifact] | None = None
    made_from: MadeFrom | None = None  # `previous` by document, when the caller keeps one (the dev server)

    def without_records(self) -> Mode:
        """The same build with nothing kept: the cache turned out damaged."""
        return dataclasses.replace(self, previous={}, store=no_store, made_from=None)


FULL = Mode()


DEFAULTS = BuildOptions()


@dataclass
class Run:
    """One build's running state: where, how, what was found so far, and how long each stage took."""

    site_dir: Path
    options: BuildOptions
    session: Session
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    timings: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    silencer: checks.Silencer | None = None

    @property
    def progress(self) -> Callable[[str, int, int], None]:
        return self.options.progress or (lambda *_: None)

    def lap(self, name: str) -> None:
        self.timings[name] = time.perf_counter() - self.started - sum(self.timings.values())

    def stop_if_errors(self, found: Diagnostics | None = None) -> None:
        """Drop what files silence (`check: ignore`), then stop if an error is left."""
        found = found or self.diagnostics
        if self.silencer is not None:
            self.silencer.apply(found)
        if found.errors:
            raise ContentError(found.items, silenced=self.silencer.silenced if self.silencer else 0)


@dataclass(frozen=True)
class Inputs:
    """Everything read from the site folder: settings, documents, translations, forms, the program."""

    config: SiteConfig
    loaded: list[Loaded]
    invalid: frozenset
    keys: dict  # each loaded model's content key (what the page records name)
    faq: list
    forms: dict[str, Any]
    program: Any
    translations: dict[str, list[Loaded]]
    static_paths: list[str]
    cache_rejected: bool  # the build cache was damaged: its page records are not trusted either
    document_facts: dict[str, dict[str, Any]] = field(default_factory=dict)  # see checks.document_fact

    @property
    def translated(self) -> list[Loaded]:
        return [d for docs in self.translations.values() for d in docs]


@dataclass(frozen=True)
class Theme:
    """The theme's files and the catalogues of every language."""

    theme: Any
    files: list[Artifact]
    asset_urls: dict[str, str]
    catalogues: dict[str, Any]


@dataclass(frozen=True)
class Rendered:
    """Every edition's pages, with what fed each (for the next build) and how many were kept."""

    artifacts: list[Artifact]
    records: dict[str, Any]
    rendered: list[str]
    reused: int
    env: Any
