"""What a build returns, and what one build hands the next in the same process (the dev server)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.content.i18n import catalogue_files, load_catalogues
from sitegen.content.markdown import MarkdownRenderer
from sitegen.core.artifact import Artifact
from sitegen.core.errors import Diagnostic, Diagnostics
from sitegen.incremental import swap
from sitegen.incremental.bytecode import ProcessBytecodeCache, SignedBytecodeCache
from sitegen.incremental.cache import BuildCache, code_fingerprint
from sitegen.incremental.reuse import MadeFrom
from sitegen.render.templates import make_environment
from sitegen.site.assembly import Site


@dataclass
class Session:
    """What one build can hand to the next in the same process (the dev server): rendered Markdown
    and the template environment, which Jinja keeps up to date by checking template files' times."""

    renderer: MarkdownRenderer = field(default_factory=MarkdownRenderer)
    env_key: tuple | None = None
    env: Any = None
    cache: BuildCache = field(default_factory=lambda: BuildCache(None))  # documents on disk (serve opens it)
    pages: dict[str, Any] = field(default_factory=dict)  # what fed each page of the last good build
    artifacts: dict[str, Artifact] = field(default_factory=dict)  # the last good build's files
    page_facts: Any = None  # what the rules found on each page of the last good build (checks.PageFacts)
    structure: Any = None  # the last good build's site and plans (swap.Structure), for an edit of texts alone
    made_from: MadeFrom | None = None  # `pages` by the documents each page was made from (the dev server's)
    # what the builds of this session did, in order, in this process: "assembled <lang>" (a language's
    # site), "compared <page>" (its context built and compared with the last build's), "rendered
    # <page>", "read <url>" (a page's bytes read for the rules); the dev server adds "published <n>"
    trace: list[str] = field(default_factory=list)
    _catalogues: dict[tuple, tuple[dict[str, Any], list[Diagnostic]]] = field(default_factory=dict)

    def catalogues(
        self,
        site_dir: Path,
        folders: list[Path],
        languages: list[str],
        country: str,
        diagnostics: Diagnostics,
        variant: str = "",
    ) -> dict[str, Any]:
        """`i18n.load_catalogues`, kept for the next build of this session (the dev server's) while the
        catalogue files hold the same bytes: each save's rebuild read and parsed them again. What
        reading them reported is reported again."""
        files = [file for lang in languages for file in catalogue_files(site_dir, folders, lang, variant)]
        key = (str(site_dir), tuple(languages), country, variant, tuple(map(_bytes_digest, files)))
        if key not in self._catalogues:
            found = Diagnostics()
            loaded = load_catalogues(site_dir, folders, languages, country, found, variant=variant)
            if len(self._catalogues) > 8:  # a few sets of files (the main language's, every language's)
                self._catalogues.clear()
            self._catalogues[key] = (loaded, found.items)
        loaded, reported = self._catalogues[key]
        diagnostics.extend(reported)
        return loaded

    def environment(
        self,
        site_dir: Path,
        theme: Any,
        config: Any,
        asset_urls: dict[str, str],
        catalogues: dict[str, Any] | None = None,
    ) -> Any:
        overrides = site_dir / "templates"
        # a template added to (or removed from) the site's own folder changes which file wins the lookup
        shadowing = tuple(sorted(str(p) for p in overrides.rglob("*"))) if overrides.is_dir() else ()
        key = (site_dir, theme, config, tuple(sorted(asset_urls.items())), shadowing, repr(catalogues))
        if key != self.env_key:
            self.env_key, self.env = key, make_environment(site_dir, theme, config, asset_urls, catalogues)
            folder = None
            if self.cache.folder is not None:  # compiled templates outlive the process; Jinja checks each
                # source but not the filters and globals they were compiled against: those are sitegen's code
                compiled = self.cache.folder / "templates" / code_fingerprint()[:12]
                compiled.mkdir(parents=True, exist_ok=True)
                for old in compiled.parent.iterdir():  # compiled by another sitegen: never used again
                    if old != compiled:
                        shutil.rmtree(old) if old.is_dir() else old.unlink()
                folder = SignedBytecodeCache(compiled)  # signed: see bytecode.py
            self.env.bytecode_cache = ProcessBytecodeCache(folder)
        return self.env


@dataclass
class BuildResult:
    site: Site | None  # None when `build` found nothing changed since the last build (nothing was loaded)
    artifacts: list[Artifact]
    diagnostics: list[Diagnostic]
    seconds: float = 0.0
    written: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    kit: list[Artifact] = field(
        default_factory=list
    )  # the promotion kit, written beside the site, never into it
    rendered_pages: list[str] = field(default_factory=list)  # output paths of the pages this build rendered
    reused: int = 0  # pages whose output of the last build was kept
    removed: int = 0  # files removed from the output folder
    records: dict[str, Any] = field(default_factory=dict)  # what fed each page (see reuse.PageReuse)
    notices: list[str] = field(default_factory=list)  # e.g. why the build cache was ignored
    silenced: int = 0  # diagnostics dropped because a file silences their rule (`check: ignore`)
    # the whole-site checks still to run (see render_site's `check_later`): every diagnostic, or ContentError
    checks_pending: Callable[[], list[Diagnostic]] | None = None
    structure: swap.Structure | None = None  # what was assembled and planned (the dev server keeps it)
    preview: bool = (
        False  # the last site with edited models in place, not checked (see render_site's `preview`)
    )
    trace: list[str] = field(default_factory=list)  # what the build did, in order (see `Session.trace`)

    @property
    def rendered(self) -> int:
        return len(self.rendered_pages)

    @property
    def page_count(self) -> int:
        return sum(1 for a in self.artifacts if a.is_page)


def _bytes_digest(file: Path) -> tuple[str, bytes]:
    """A file's path and the hash of its bytes (empty when it cannot be read: absent, say)."""
    try:
        return str(file), hashlib.sha256(file.read_bytes()).digest()
    except OSError:
        return str(file), b""
