"""The build: one function that the CLI, the dev server, the tests and the benchmark all call.

load → validate → assemble → render → write. Every stage adds to one list of diagnostics; the build
stops before writing anything if there is a single error, so the previous site stays as it was.
"""
from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ContentError, Diagnostic, Diagnostics
from .forms import load_forms
from .loader import load_config, load_document, load_faq
from .markdown import MarkdownRenderer
from .outputs import Artifact, assets, feeds, pages
from .site import Site, assemble, find_static_files
from .sources import discover
from .templates import find_theme, make_environment
from . import writer


@dataclass
class Session:
    """What one build can hand to the next in the same process (the dev server): rendered Markdown
    and the template environment, which Jinja keeps up to date by checking template files' times."""

    renderer: MarkdownRenderer = field(default_factory=MarkdownRenderer)
    env_key: tuple | None = None
    env: Any = None

    def environment(self, site_dir: Path, theme: Any, config: Any, asset_urls: dict[str, str]) -> Any:
        overrides = site_dir / "templates"
        # a template added to (or removed from) the site's own folder changes which file wins the lookup
        shadowing = tuple(sorted(str(p) for p in overrides.rglob("*"))) if overrides.is_dir() else ()
        key = (site_dir, theme, config, tuple(sorted(asset_urls.items())), shadowing)
        if key != self.env_key:
            self.env_key, self.env = key, make_environment(site_dir, theme, config, asset_urls)
        return self.env


@dataclass
class BuildResult:
    site: Site
    artifacts: list[Artifact]
    diagnostics: list[Diagnostic]
    seconds: float = 0.0
    written: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return sum(1 for a in self.artifacts if a.is_page)


def render_site(site_dir: Path, *, drafts: bool = False, session: Session | None = None) -> BuildResult:
    """Load, validate and render the whole site in memory; raises ContentError listing every problem."""
    session = session or Session()
    renderer = session.renderer
    renderer.start_build()
    started = time.perf_counter()
    diagnostics = Diagnostics()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        timings[name] = time.perf_counter() - started - sum(timings.values())

    config = load_config(site_dir, diagnostics)
    if config is None:
        raise ContentError(diagnostics.items)
    loaded, invalid = [], set()
    for raw in discover(site_dir, diagnostics):
        doc = load_document(raw, renderer, diagnostics)
        if doc is None:
            invalid.add((raw.kind, raw.stem))
        else:
            loaded.append(doc)
    faq = load_faq(site_dir, renderer, diagnostics)
    offices = [d.model.name for d in sorted((d for d in loaded if d.kind == "locations"), key=lambda d: (d.model.order, d.model.name))]
    forms = {name: dataclasses.replace(form, thanks_html=renderer.render(form.thanks_text).html)
             for name, form in load_forms(site_dir, config, offices, diagnostics).items()}
    lap("load")
    site = assemble(config, loaded, faq, find_static_files(site_dir), diagnostics, drafts=drafts,
                    invalid=frozenset(invalid), forms=forms)
    theme = find_theme(site_dir, config, diagnostics)
    diagnostics.raise_if_errors()
    assert theme is not None
    lap("validate")
    theme_files, asset_urls = assets.theme_assets(theme, config, site_dir)
    env = session.environment(site_dir, theme, config, asset_urls)
    plans = pages.plan(site)
    artifacts = pages.render(site, plans, env, site_dir, diagnostics)
    artifacts += theme_files + assets.static_files(site_dir, site.static_files, diagnostics)
    artifacts += [
        feeds.atom_feed(site),
        feeds.sitemap(site, [(p.url, p.modified) for p in plans if p.in_sitemap]),
        feeds.robots(site),
    ]
    lap("render")
    diagnostics.raise_if_errors()
    return BuildResult(site, artifacts, diagnostics.items, time.perf_counter() - started, timings=timings)


def build(site_dir: Path, out_dir: Path, *, drafts: bool = False) -> BuildResult:
    """Render the site and, only if nothing is wrong, replace `out_dir` with it."""
    writer.check_output_dir(out_dir, site_dir)
    result = render_site(site_dir, drafts=drafts)
    started = time.perf_counter()
    result.written = writer.write(result.artifacts, out_dir)
    result.timings["write"] = time.perf_counter() - started
    result.seconds += result.timings["write"]
    return result
