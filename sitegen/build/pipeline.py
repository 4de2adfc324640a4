"""The build: one function that the CLI, the dev server, the tests and the benchmark all call.

load → validate → assemble → render → write. Every stage adds to one list of diagnostics; the build
stops before writing anything if there is a single error, so the previous site stays as it was.
"""

from __future__ import annotations

import dataclasses
import gc
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitegen import checks
from sitegen.build import writer
from sitegen.content.i18n import english_name, load_catalogues
from sitegen.content.loader import load_config, load_faq
from sitegen.content.markdown import MarkdownRenderer
from sitegen.content.translations import (
    load_translations,
    original_of,
    translation_key,
    translation_of,
)
from sitegen.core.artifact import Artifact
from sitegen.core.errors import (
    ContentError,
    Diagnostic,
    Diagnostics,
    Severity,
    SourceLocation,
)
from sitegen.incremental import manifest as incremental
from sitegen.incremental import swap
from sitegen.incremental.bytecode import SignedBytecodeCache
from sitegen.incremental.cache import BuildCache, code_fingerprint, content_key
from sitegen.incremental.depends import Digester
from sitegen.incremental.documents import load_all
from sitegen.incremental.reuse import PageReuse, Store, no_store, render_pages
from sitegen.render import assets, feeds, images, pages
from sitegen.render import hostfiles as hosting
from sitegen.render import referral_pages as referral
from sitegen.render.editions import Edition, link_editions
from sitegen.render.templates import SHIPPED_THEMES, find_theme, make_environment
from sitegen.site.assembly import Site, assemble, find_static_files
from sitegen.site.forms import load_forms
from sitegen.site.program import load_program


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
            if (
                self.cache.folder is not None
            ):  # compiled templates outlive the process; Jinja checks each source
                # but not the filters and globals they were compiled against: those are sitegen's code
                compiled = self.cache.folder / "templates" / code_fingerprint()[:12]
                compiled.mkdir(parents=True, exist_ok=True)
                for old in compiled.parent.iterdir():  # compiled by another sitegen: never used again
                    if old != compiled:
                        shutil.rmtree(old) if old.is_dir() else old.unlink()
                self.env.bytecode_cache = SignedBytecodeCache(compiled)  # signed: see bytecode.py
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

    @property
    def rendered(self) -> int:
        return len(self.rendered_pages)

    @property
    def page_count(self) -> int:
        return sum(1 for a in self.artifacts if a.is_page)


def render_site(
    site_dir: Path,
    *,
    drafts: bool = False,
    session: Session | None = None,
    today: date | None = None,
    jobs: int | None = 1,
    previous: dict[str, Any] | None = None,
    store: Store = no_store,
    progress: Any = None,
    facts: checks.PageFacts | None = None,
    edited: dict[str, str | None] | None = None,
    check_later: bool = False,
    preview: bool = False,
    spool: Callable[[Artifact], Artifact] | None = None,
) -> BuildResult:
    """Load, validate and render the whole site in memory; raises ContentError listing every problem.

    Documents come from `session.cache` when unchanged; a page whose `previous` record shows nothing
    it used has changed is taken from `store` instead of rendered. `jobs` > 1 spreads large loads and
    renders over processes; `progress(stage, done, total)` is told how far each stage is.
    `edited` names the input files that changed since the build that left `previous` (with the hash
    each had then, None for a new file), when the caller knows: see `body_edits`. When only texts
    changed, `check_later` (the dev server) leaves the whole-site checks (every document's links,
    references and images, and the rules of `sitegen check`) to `BuildResult.checks_pending`, so the
    edited page is shown first and the report follows. When more than texts changed, `preview` (the
    dev server) asks for the edited pages as the last site would show them with the new models in
    place (`outline_edits`), unchecked and marked `BuildResult.preview`, so that a title or a date
    edit is on screen before the site is built again in full by a second call. `spool` is handed each
    rendered page as it comes (a full build writes it to its new folder: see `writer.Staging`).
    """
    session = session or Session()
    progress = progress or (lambda *_: None)
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
    renderer.configure(allow_html=config.allow_html)
    if config.allow_html:
        diagnostics.warn(
            "SG307",
            "allow_html is on: raw HTML in Markdown is published as written, scripts included",
            SourceLocation(config.src_path, config.at_line("allow_html")),
            "turn it off unless every editor is trusted; pages may then break the Content-Security-Policy",
        )
    rejected = session.cache.rejected
    documents = load_all(site_dir, renderer, diagnostics, session.cache, jobs, progress)
    if session.cache.rejected != rejected:  # a damaged cache: its page records are not trusted either
        previous, store = {}, no_store
    loaded, invalid = documents.loaded, documents.invalid
    faq = load_faq(site_dir, renderer, diagnostics)
    offices = [
        d.model.name
        for d in sorted(
            (d for d in loaded if d.kind == "locations"), key=lambda d: (d.model.order, d.model.name)
        )
    ]
    forms = _forms(site_dir, config, offices, renderer, diagnostics)
    program = load_program(site_dir, renderer, diagnostics)
    silencer = checks.Silencer.collect(
        loaded, config, program, diagnostics
    )  # `check: {ignore: [...]}` in files
    translations = load_translations(site_dir, config.languages, renderer, diagnostics, session.cache)
    translated = [d for docs in translations.values() for d in docs]
    silencer.include(translated, (), diagnostics)
    texts_only = (
        body_edits(edited, loaded, translations, config.languages, session.cache, renderer)
        if previous
        else None
    )
    later: list[Any] | None = [] if check_later and texts_only else None
    outlines = (
        outline_edits(edited, loaded, translated, session.structure)
        if preview and previous and not texts_only
        else None
    )
    # the dev server, after an edit of texts alone: the last site with the new models, assembled in full
    # later; after another edit of documents (a title, a date), the same for a preview
    swapping = texts_only if later is not None else outlines
    shortcut = swap.swapped(session.structure, loaded + translated, swapping) if swapping else None
    outlines = outlines if shortcut else None
    lap("load")
    static_paths = find_static_files(site_dir)

    def assembled(found: Diagnostics) -> Site:
        return assemble(
            config,
            loaded,
            faq,
            static_paths,
            found,
            drafts=drafts,
            invalid=frozenset(invalid),
            forms=forms,
            program=program,
            today=today,
            later=later,
        )

    site = shortcut[0][config.language] if shortcut else assembled(diagnostics)
    theme = find_theme(site_dir, config, diagnostics)
    assets.check_fonts(config, tuple(static_paths), diagnostics)
    assets.check_contrast(config, diagnostics)
    _stop_if_errors(diagnostics, silencer)
    assert theme is not None
    lap("validate")
    theme_files, asset_urls = assets.theme_assets(theme, config, site_dir)
    catalogues = load_catalogues(
        site_dir,
        [t.root / "i18n" for t in theme.chain] + [SHIPPED_THEMES / "default" / "i18n"],
        config.languages,
        config.country,
        diagnostics,
    )

    def planned(site: Site, found: Diagnostics) -> tuple[dict[str, Site], list[Edition]]:
        sites = {config.language: site}
        for lang in config.languages[1:]:
            sites[lang] = _edition_site(
                lang,
                site_dir,
                site,
                loaded,
                translations[lang],
                renderer,
                catalogues[lang],
                found,
                drafts=drafts,
                invalid=frozenset(invalid),
                today=today,
            )
        _stop_if_errors(found, silencer)  # a broken translation is reported, not also as a missing one
        return sites, _editions(sites, catalogues, found)

    sites, editions = shortcut or planned(site, diagnostics)
    _stop_if_errors(diagnostics, silencer)
    env = session.environment(site_dir, theme, config, asset_urls, catalogues)
    # photos of content/static/: resized, WebP, metadata stripped (cached by content); pages get srcset
    image_cache = site_dir / ".sitegen" / "cache" / "images" if session.cache.folder is not None else None
    static_files, processed = images.ImageProcessor(image_cache).process(
        assets.static_files(site_dir, site.static_files, diagnostics), diagnostics
    )
    digester = Digester(documents.keys)
    # a page kept from the last build has its <picture>s already: any change to the images renders all again;
    # the catalogues' words are in every page
    salt = digester.of(
        [sorted(asset_urls.items()), sorted(processed.items()), repr(sorted(catalogues.items()))]
    )
    artifacts: list[Artifact] = []
    records: dict[str, Any] = {}
    rendered: list[str] = []
    reused = 0
    for edition in editions:  # one language after the other, each page knowing its edition
        reuse = PageReuse(env, digester, previous or {}, store, salt)
        reuse.edited = texts_only or outlines  # a preview keeps the pages not made from the edited documents
        edition_site = sites[edition.lang]
        artifacts += render_pages(
            lambda part, found, r, edition_site=edition_site, edition=edition: pages.render(
                edition_site, part, site_dir, found, r, edition
            ),
            edition.plans,
            reuse,
            diagnostics,
            jobs,
            progress,
            (lambda page: spool(images.rewrite_page(page, processed))) if spool else None,
        )
        records.update(reuse.records)
        rendered += reuse.rendered
        reused += reuse.reused
    artifacts = images.rewrite_pages(artifacts, processed) + theme_files + static_files
    static = site_dir / "content" / "static"
    artifacts += [
        hosting.redirects(
            site, _read_if_present(static / "_redirects"), [s.prefix for s in sites.values() if s.prefix]
        ),
        hosting.headers(site, _read_if_present(static / "_headers")),
    ]
    artifacts += [qr for edition_site in sites.values() for qr in referral.card_qr(edition_site)]
    # the sitemap lists addresses and dates, never texts: when only texts changed, it is the last one
    sitemap = store("sitemap.xml", ()) if texts_only or outlines else None
    artifacts += [
        feeds.atom_feed(site),
        sitemap
        or feeds.sitemap(
            site,
            [
                (p.prefix + p.url, p.modified, edition.alternates(p.url))
                for edition in editions
                for p in edition.plans
                if p.in_sitemap
            ],
        ),
        feeds.robots(site),
    ]
    lap("render")
    main_pages = [
        a
        for a in artifacts
        if not any(a.out_path.startswith(e.prefix.lstrip("/") + "/") for e in editions[1:])
    ]

    result = BuildResult(
        site,
        artifacts,
        diagnostics.items,
        time.perf_counter() - started,
        timings=timings,
        kit=referral.promotion_kit(site),
        rendered_pages=rendered,
        reused=reused,
        records=records,
        silenced=silencer.silenced,
    )
    result.structure = swap.Structure(sites, editions, {d.raw.src_path: d.model for d in loaded + translated})
    if outlines:
        result.preview = True
        return result

    def check_all(found: Diagnostics) -> None:
        site, plans = result.site, editions[0].plans
        if shortcut:  # what was skipped, for its report and for the next edit
            site = assembled(found)
            result.structure.sites, result.structure.editions = planned(site, found)
            plans = result.structure.editions[0].plans
        for cross_checks in later or ():
            cross_checks(found)
        other_programs = [
            s.program
            for lang, s in result.structure.sites.items()
            if lang != config.language and s.program is not None
        ]
        silencer.include((), other_programs, found, translated_owners=True)
        checks.run(
            checks.CheckContext(
                site,
                checks.published_documents(site, loaded),
                loaded,
                main_pages,
                plans,
                site_dir,
                today or date.today(),
                template_path=_template_path(env),
                facts=facts,
                translated=translated,
                other_programs=other_programs,
            ),
            found,
        )
        _stop_if_errors(found, silencer)

    if later is not None:
        result.checks_pending = lambda: _checked_later(diagnostics, check_all)
        return result
    check_all(diagnostics)
    lap("check")
    result.seconds, result.diagnostics, result.silenced = (
        time.perf_counter() - started,
        diagnostics.items,
        silencer.silenced,
    )
    return result


def _checked_later(diagnostics: Diagnostics, check_all: Callable[[Diagnostics], None]) -> list[Diagnostic]:
    """Every diagnostic of the build, once the checks `render_site` left for later have run (or
    ContentError)."""
    found = Diagnostics()
    found.extend(diagnostics.items)
    check_all(found)
    return found.items


def body_edits(
    edited: dict[str, str | None] | None,
    loaded: list[Any],
    translations: dict[str, list[Any]],
    languages: list[str],
    cache: BuildCache,
    renderer: MarkdownRenderer,
) -> frozenset[str] | None:
    """The documents (by source file) that an edit of texts alone changed: each edited file is a
    document or a translation whose model differs from the last build's in its text alone (title,
    date, slug, tags, author, order, draft... equal), and nothing but such files changed (no template,
    setting, theme, picture, form, new or deleted file).

    Then the site has the same pages, sorted and grouped the same way, and a page can differ only if
    it was made from one of these documents: the others are kept without building their contexts
    (`reuse.PageReuse.keep`), which is most of an edit's time on a large site. Everything whole-site
    (references, links, the rules of `sitegen check`) still runs, so the report is the same as a full
    build's. A translation that keeps its original's text changes with it, so it is named too. None:
    the usual page-by-page check."""
    if not edited:
        return None
    by_source = {d.raw.src_path: d for d in loaded}
    translated = {(d.raw.src_path, d.lang): d for docs in translations.values() for d in docs}
    changed = set(edited)

    def now(rel: str) -> str | None:
        scanned = cache.scanned.get(rel)
        return scanned[0] if scanned else None

    def same_outline(doc: Any, old_key: str) -> Any:
        """The last build's version of `doc` when it differs in its text alone, else None."""
        old = cache.document(old_key, use=False)
        return old[0] if old and old[0] and _outline(old[0]) == _outline(doc) else None

    for rel, old_hash in edited.items():
        if old_hash is None:
            return None
        doc = by_source.get(rel)
        if doc is not None:
            if same_outline(doc, content_key(doc.kind, rel, renderer.settings, old_hash)) is None:
                return None
            for lang in languages[1:]:
                sibling = translation_of(rel, lang)
                if sibling not in cache.scanned:
                    continue
                translation, sibling_hash = (
                    translated.get((sibling, lang)),
                    edited.get(sibling) or now(sibling),
                )
                old_key = translation_key(
                    doc.kind, sibling, renderer.settings, languages[0], old_hash, sibling_hash or ""
                )
                old_translation = same_outline(translation, old_key) if translation is not None else None
                if old_translation is None:
                    return None
                if old_translation.model.html != translation.model.html:
                    changed.add(sibling)  # it shows the original's text
            continue
        lang = next((lang for lang in languages[1:] if (rel, lang) in translated), None)
        if lang is None:
            return None
        original = original_of(rel, lang)
        translation, original_hash = translated[(rel, lang)], edited.get(original) or now(original)
        if (
            same_outline(
                translation,
                translation_key(
                    translation.kind, rel, renderer.settings, languages[0], original_hash or "", old_hash
                ),
            )
            is None
        ):
            return None
    return frozenset(changed)


def outline_edits(
    edited: dict[str, str | None] | None,
    loaded: list[Any],
    translated: list[Any],
    structure: swap.Structure | None,
) -> frozenset[str] | None:
    """The documents (by source file) that the dev server may show edited before building the site
    again (`render_site`'s `preview`): every edited file is a page, post, treatment or provider, or a
    translation of one, that the last site was assembled from, at the same address and as much a
    draft as before (a moved or withdrawn page changes other pages' links); nothing else changed.
    The translations of an edited document are named too: they inherit what changed.

    What such a preview may show from before the edit: the order and grouping of lists (a new date
    or topic moves a post only in the full build that follows)."""
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


def _edition_site(
    lang: str,
    site_dir: Path,
    main: Site,
    loaded: list[Any],
    translated: list[Any],
    renderer: MarkdownRenderer,
    catalogue: Any,
    diagnostics: Diagnostics,
    **assemble_options: Any,
) -> Site:
    """The site in another language: each document in its translation when there is one, else the
    original (whose page that edition does not have: its links lead to the original's page)."""
    found = Diagnostics()
    config = load_config(site_dir, found, lang) or main.config
    by_original = {(d.kind, d.raw.stem): d for d in translated}
    documents = [by_original.get((d.kind, d.raw.stem), d) for d in loaded]
    forms = _forms(site_dir, config, [loc.name for loc in main.locations], renderer, found, catalogue)
    site = assemble(
        config,
        documents,
        load_faq(site_dir, renderer, found, lang),
        list(main.static_files),
        found,
        forms=forms,
        program=load_program(site_dir, renderer, found, lang),
        cross_check=lambda d: bool(d.lang),
        **assemble_options,
    )
    # the main language's build has reported its own documents' problems already, with their lines
    known = {(d.code, d.message) for d in diagnostics.items}
    diagnostics.extend(d for d in found.items if (d.code, d.message) not in known)
    return dataclasses.replace(
        site, lang=lang, prefix=f"/{lang}", translated=frozenset(d.model.url for d in translated)
    )


def _forms(
    site_dir: Path,
    config: Any,
    offices: list[str],
    renderer: MarkdownRenderer,
    diagnostics: Diagnostics,
    catalogue: Any = None,
) -> dict[str, Any]:
    """The forms with their thank-you texts rendered, in the catalogue's language when one is given."""
    return {
        name: dataclasses.replace(form, thanks_html=renderer.render(form.thanks_text).html)
        for name, form in load_forms(site_dir, config, offices, diagnostics, catalogue).items()
    }


def _editions(sites: dict[str, Site], catalogues: dict[str, Any], diagnostics: Diagnostics) -> list[Edition]:
    """Each language's pages: every generated page, and the pages of the documents it has in its language."""
    languages = tuple(sites)
    main_config = sites[languages[0]].config
    main_urls: set[str] = set()
    editions = []
    for lang, site in sites.items():  # the main language first
        plans = pages.plan(site, catalogues[lang])
        if site.prefix:
            untranslated = [
                d for d in _documents_with_pages(site) if d.url not in site.translated and d.url != "/"
            ]
            fallback = {d.url for d in untranslated}
            plans = [p for p in plans if p.url not in fallback]
            for p in plans:
                p.prefix = site.prefix
            _warn_untranslated(
                lang,
                languages[0],
                [d.src_path for d in untranslated if d.url in main_urls],
                main_config,
                diagnostics,
            )
        else:
            main_urls = {p.url for p in plans}
        editions.append(Edition(lang, languages, catalogues[lang], site.config.base_url, plans=plans))
    return link_editions(editions)


def _warn_untranslated(
    lang: str, main: str, missing: list[str], config: Any, diagnostics: Diagnostics
) -> None:
    if not missing:
        return
    missing = sorted(missing)
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    diagnostics.warn(
        "SG222",
        f"{len(missing)} page(s) have no {english_name(lang)} ({lang}) translation "
        f"and lead to the {english_name(main)} page: {shown}",
        SourceLocation(config.src_path, config.at_line("languages")),
        f"translate each beside its file (about.md -> about.{lang}.md, only the texts), or "
        "silence SG222 in site.yaml's `check: ignore` with the reason they stay untranslated",
    )


def _documents_with_pages(site: Site) -> list[Any]:
    return [
        *site.pages,
        *site.services,
        *site.providers,
        *site.locations,
        *site.posts,
        *site.campaigns,
        *([site.home] if site.home else []),
    ]


def _stop_if_errors(diagnostics: Diagnostics, silencer: checks.Silencer) -> None:
    """Drop what files silence (`check: ignore`), then stop if an error is left."""
    silencer.apply(diagnostics)
    if diagnostics.errors:
        raise ContentError(diagnostics.items, silenced=silencer.silenced)


def _template_path(env: Any) -> Any:
    def find(name: str) -> Path | None:
        try:
            filename = env.loader.get_source(env, name)[1]
        except Exception:  # a template that cannot be found is SG401's to report
            return None
        return Path(filename) if filename else None

    return find


@dataclass
class CheckReport:
    """What `sitegen check` found: every diagnostic, sorted by place, and how many files silenced."""

    diagnostics: list[Diagnostic]
    silenced: int = 0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def check(site_dir: Path, *, drafts: bool = False, today: date | None = None) -> CheckReport:
    """`sitegen check`: load, render in memory and run every rule; nothing is written, no cache is used."""
    try:
        result = render_site(site_dir, drafts=drafts, today=today)
    except ContentError as exc:
        return CheckReport(list(exc.diagnostics), exc.silenced)
    finally:
        gc.unfreeze()  # documents.load_all froze the loaded site out of garbage collection
    return CheckReport(sorted(result.diagnostics, key=lambda d: (d.location, d.code)), result.silenced)


KIT_FOLDER = incremental.KIT_FOLDER


def build(
    site_dir: Path,
    out_dir: Path,
    *,
    drafts: bool = False,
    today: date | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Any = None,
    previous: incremental.Previous | None = None,
) -> BuildResult:
    """Render the site and, only if nothing is wrong, bring `out_dir` in line with it.

    With the build cache (see cache.py and incremental.py) only pages whose inputs changed are
    rendered and only files whose bytes changed are written; `use_cache=False` renders everything
    and replaces the folder whole. Either way the folder ends up byte for byte the same.
    """
    writer.check_output_dir(out_dir, site_dir)
    started = time.perf_counter()
    kit_dir = site_dir / KIT_FOLDER
    if previous is None:  # the CLI asks first (see incremental.py), to spare a no-op its imports
        previous = incremental.previous_build(
            site_dir, out_dir, kit_dir, use_cache=use_cache, drafts=drafts, today=today or date.today()
        )
    notices = [previous.cache.notice] if previous.cache.notice else []
    if previous.unchanged:
        return BuildResult(
            None,
            previous.unchanged_artifacts(),
            incremental.warnings_from_json(previous.entry.get("warnings", [])),
            time.perf_counter() - started,
            reused=previous.pages_kept,
            notices=notices,
        )
    facts = checks.PageFacts(
        previous.page_facts(), previous.kept_signatures()
    )  # what the rules found per page
    try:
        return _build(site_dir, out_dir, drafts, today, jobs, progress, previous, facts, started, kit_dir)
    finally:
        gc.unfreeze()  # documents.load_all froze the loaded site out of garbage collection


def _build(
    site_dir: Path,
    out_dir: Path,
    drafts: bool,
    today: date | None,
    jobs: int | None,
    progress: Any,
    previous: incremental.Previous,
    facts: checks.PageFacts,
    started: float,
    kit_dir: Path,
) -> BuildResult:
    """`build` once it is known that something changed: render, write, remember."""
    staging = (
        None if previous.files else writer.Staging(out_dir)
    )  # a full build: pages go to disk as they come
    if staging is not None:
        facts.kept = staging.digests  # the rules know a page on disk by its hash
    try:
        result = render_site(
            site_dir,
            drafts=drafts,
            today=today,
            session=Session(cache=previous.cache),
            jobs=jobs,
            previous=previous.pages,
            store=previous.store,
            progress=progress,
            facts=facts,
            edited=previous.edited(),
            spool=staging.put if staging else None,
        )
    except BaseException as exc:
        if staging is not None:
            staging.discard()
        if isinstance(exc, ContentError):
            previous.save_documents()
        raise
    result.notices = [previous.cache.notice] if previous.cache.notice else []  # also when found while loading
    write_started = time.perf_counter()
    if previous.files:
        report = writer.update(result.artifacts, out_dir, previous.files, previous.entry.get("folders"))
    else:
        report = writer.WriteReport(written=writer.write(result.artifacts, out_dir, staging))
        report.files = writer.records(result.artifacts, out_dir, staging) if previous.cache.enabled else {}
    result.written, result.removed = report.written, report.removed
    kit = None
    if result.kit:
        writer.write(result.kit, kit_dir)
        kit = writer.records(result.kit, kit_dir)
    previous.save(report.files, result.records, result.diagnostics, kit, facts.found, report.folders)
    result.timings["write"] = time.perf_counter() - write_started
    result.seconds = time.perf_counter() - started
    return result


def _read_if_present(file: Path) -> str:
    return file.read_text(encoding="utf-8") if file.is_file() else ""
