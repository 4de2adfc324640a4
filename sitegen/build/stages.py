"""The stages of one build, each a function over the values of the stages before it.

`pipeline.render_site` calls them in order; each adds to the run's diagnostics and stops the build
before anything is written when an error is left (`Run.stop_if_errors`).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

from sitegen import checks
from sitegen.admin import publish as admin
from sitegen.build.run import Inputs, Mode, Rendered, Run, Theme
from sitegen.content.i18n import english_name
from sitegen.content.loader import load_config, load_faq
from sitegen.content.markdown import MarkdownRenderer
from sitegen.core.artifact import Artifact
from sitegen.core.errors import ContentError, Diagnostics, SourceLocation
from sitegen.core.paths import SHIPPED_THEMES
from sitegen.incremental import swap
from sitegen.incremental.digests import Digester
from sitegen.incremental.documents import load_all, load_translations
from sitegen.incremental.edits import Edit
from sitegen.incremental.reuse import PageReuse, render_pages
from sitegen.render import assets, emit, feeds, images, pages
from sitegen.render import hostfiles as hosting
from sitegen.render import referral_pages as referral
from sitegen.render.editions import Edition, link_editions
from sitegen.render.templates import find_theme
from sitegen.site.assembly import Site, assemble, find_static_files
from sitegen.site.forms import load_forms
from sitegen.site.program import load_program


def read_inputs(run: Run) -> Inputs:
    """Stage 1: settings, every document (from the cache when unchanged), the FAQ, forms, the program
    and the translations; what files silence (`check: ignore`) is collected here."""
    site_dir, renderer, cache = run.site_dir, run.session.renderer, run.session.cache
    diagnostics = run.diagnostics
    renderer.start_build()
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
    rejected = cache.rejected
    documents = load_all(site_dir, renderer, diagnostics, cache, run.options.jobs, run.progress)
    loaded = documents.loaded
    offices = [
        d.model.name
        for d in sorted(
            (d for d in loaded if d.kind == "locations"), key=lambda d: (d.model.order, d.model.name)
        )
    ]
    program = load_program(site_dir, renderer, diagnostics)
    run.silencer = checks.Silencer.collect(loaded, config, program, diagnostics)
    facts = documents.facts
    translations = load_translations(site_dir, config.languages, renderer, diagnostics, cache, facts)
    run.silencer.include([d for docs in translations.values() for d in docs], (), diagnostics)
    return Inputs(
        config,
        loaded,
        frozenset(documents.invalid),
        documents.keys,
        load_faq(site_dir, renderer, diagnostics),
        forms_of(site_dir, config, offices, renderer, diagnostics, _main_wording(run, config)),
        program,
        translations,
        find_static_files(site_dir),
        cache.rejected != rejected,
        facts,
    )


def assemble_site(run: Run, inputs: Inputs, found: Diagnostics, check_later: list | None = None) -> Site:
    """Stage 2: the main language's Site: references, links, images and addresses cross-checked (or,
    given `check_later`, left there to run after the pages are shown)."""
    run.session.trace.append(f"assembled {inputs.config.language}")
    return assemble(
        inputs.config,
        inputs.loaded,
        inputs.faq,
        inputs.static_paths,
        found,
        drafts=run.options.drafts,
        invalid=inputs.invalid,
        forms=inputs.forms,
        program=inputs.program,
        today=run.options.today,
        later=check_later,
    )


def load_theme(run: Run, inputs: Inputs) -> Theme:
    """Stage 3: the theme (its settings checked), its fingerprinted files and every language's catalogue."""
    config, diagnostics = inputs.config, run.diagnostics
    theme = find_theme(run.site_dir, config, diagnostics)
    assets.check_fonts(config, tuple(inputs.static_paths), diagnostics)
    assets.check_contrast(config, diagnostics)
    run.stop_if_errors()
    assert theme is not None
    files, asset_urls = assets.theme_assets(theme, config, run.site_dir)
    folders = [t.root / "i18n" for t in theme.chain] + [SHIPPED_THEMES / "default" / "i18n"]
    catalogues = run.session.catalogues(
        run.site_dir, folders, config.languages, config.country, diagnostics, variant=config.type
    )
    return Theme(theme, files, asset_urls, catalogues)


def plan_editions(
    run: Run, inputs: Inputs, site: Site, catalogues: dict[str, Any], found: Diagnostics
) -> tuple[dict[str, Site], list[Edition]]:
    """Stage 4: the Site in every language and each edition's page plans."""
    sites = {inputs.config.language: site}
    for lang in inputs.config.languages[1:]:
        sites[lang] = _edition_site(run, inputs, lang, site, catalogues[lang], found)
    run.stop_if_errors(found)  # a broken translation is reported, not also as a missing one
    return sites, _editions(sites, catalogues, found)


def render_editions(
    run: Run,
    inputs: Inputs,
    sites: dict[str, Site],
    editions: list[Edition],
    theme: Theme,
    mode: Mode,
    edit: Edit,
) -> tuple[Rendered, list[Artifact], dict[str, str]]:
    """Stage 5: every edition's pages, each rendered or kept from the last build; the site's photos
    resized (their `<picture>`s written into the pages)."""
    session, site = run.session, sites[inputs.config.language]
    env = session.environment(run.site_dir, theme.theme, inputs.config, theme.asset_urls, theme.catalogues)
    image_cache = run.site_dir / ".sitegen" / "cache" / "images" if session.cache.folder is not None else None
    processor = images.ImageProcessor(image_cache)
    static_files, processed = processor.process(
        assets.static_files(run.site_dir, site.static_files, run.diagnostics), run.diagnostics
    )
    session.cache.notice = session.cache.notice or "; ".join(processor.notices)
    digester = Digester(inputs.keys)
    # a page kept from the last build has its <picture>s already: any change to the images renders all
    # again; the catalogues' words are in every page
    salt = digester.of(
        [sorted(theme.asset_urls.items()), sorted(processed.items()), repr(sorted(theme.catalogues.items()))]
    )
    spool = (lambda page: mode.spool(images.rewrite_page(page, processed))) if mode.spool else None
    artifacts: list[Artifact] = []
    records: dict[str, Any] = {}
    rendered: list[str] = []
    reused = 0
    for edition in editions:  # one language after the other, each page knowing its edition
        reuse = PageReuse(env, digester, mode.previous, mode.store, salt)
        reuse.edited = edit.documents  # a preview keeps the pages not made from the edited documents
        reuse.made_from = mode.made_from
        reuse.trace = session.trace.append

        def render(part: list, found: Diagnostics, r: PageReuse, edition: Edition = edition) -> list:
            return emit.render(sites[edition.lang], part, run.site_dir, found, r, edition)

        artifacts += render_pages(
            render, edition.plans, reuse, run.diagnostics, run.options.jobs, run.progress, spool
        )
        records.update(reuse.records)
        rendered += reuse.rendered
        reused += reuse.reused
    pages_out = images.rewrite_pages(artifacts, processed)
    return Rendered(pages_out, records, rendered, reused, env), static_files, processed


def site_files(
    run: Run, sites: dict[str, Site], editions: list[Edition], mode: Mode, edit: Edit
) -> list[Artifact]:
    """Stage 6: the files made from the whole site: `_redirects`, `_headers`, QR codes, feed, sitemap."""
    site = next(iter(sites.values()))
    static = run.site_dir / "content" / "static"
    prefixes = [s.prefix for s in sites.values() if s.prefix]
    page_urls = [p.prefix + p.url for edition in editions for p in edition.plans]
    if site.config.editor is not None:
        for url in admin.taken(page_urls, site.static_files):
            run.diagnostics.error(
                "SG675",
                f"{url} is under /admin/, where site.yaml's `editor:` publishes the editor",
                SourceLocation(site.config.src_path, site.config.at_line("editor")),
                "give that page another slug or move that file out of content/static/admin/",
            )
    files = [
        hosting.redirects(site, _read_if_present(static / "_redirects"), prefixes),
        hosting.headers(site, _read_if_present(static / "_headers"), page_urls),
        *admin.published_files(site.config),
    ]
    files += [qr for edition_site in sites.values() for qr in referral.card_qr(edition_site)]
    # the sitemap lists addresses and dates, never texts: after an edit of texts, it is the last one
    sitemap = mode.store("sitemap.xml", ()) if edit.documents else None
    if sitemap is None:
        listed = [
            (p.prefix + p.url, p.modified, edition.alternates(p.url))
            for edition in editions
            for p in edition.plans
            if p.in_sitemap
        ]
        sitemap = feeds.sitemap(site, listed)
    feed = [feeds.atom_feed(site)] if site.posts else []  # no posts: no feed (and no /posts/ page)
    return files + feed + [sitemap, feeds.robots(site)]


def run_checks(
    run: Run,
    inputs: Inputs,
    site: Site,
    structure: swap.Structure,
    main_pages: list[Artifact],
    env: Any,
    mode: Mode,
    found: Diagnostics,
) -> None:
    """Stage 7: the rules of `sitegen check` over the main edition's site and pages."""
    assert run.silencer is not None
    other_programs = [
        s.program
        for lang, s in structure.sites.items()
        if lang != inputs.config.language and s.program is not None
    ]
    run.silencer.include((), other_programs, found, translated_owners=True)
    checks.run(
        checks.CheckContext(
            site,
            checks.published_documents(site, inputs.loaded),
            inputs.loaded,
            main_pages,
            structure.editions[0].plans,
            run.site_dir,
            run.options.today or date.today(),
            template_path=_template_path(env),
            facts=mode.facts,
            translated=inputs.translated,
            other_programs=other_programs,
            document_facts=inputs.document_facts,
            trace=run.session.trace.append,
        ),
        found,
    )
    run.stop_if_errors(found)


def structure_of(sites: dict[str, Site], editions: list[Edition], inputs: Inputs) -> swap.Structure:
    """What the dev server keeps for the next edit: the sites, their plans and each document's model."""
    return swap.Structure(
        sites, editions, {d.raw.src_path: d.model for d in inputs.loaded + inputs.translated}
    )


def forms_of(
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


def _main_wording(run: Run, config: Any) -> Any:
    """The main language's catalogue of the shipped theme and the site, with the practice type's wording:
    the built-in forms' texts read before the theme is (its files' mistakes are reported with the theme)."""
    folders = [SHIPPED_THEMES / "default" / "i18n"]
    lang = config.language
    return run.session.catalogues(
        run.site_dir, folders, [lang], config.country, Diagnostics(), variant=config.type
    )[lang]


def _edition_site(
    run: Run, inputs: Inputs, lang: str, main: Site, catalogue: Any, diagnostics: Diagnostics
) -> Site:
    """The site in another language: each document in its translation when there is one, else the
    original (whose page that edition does not have: its links lead to the original's page)."""
    site_dir, renderer = run.site_dir, run.session.renderer
    found = Diagnostics()
    config = load_config(site_dir, found, lang) or main.config
    by_original = {(d.kind, d.raw.stem): d for d in inputs.translations[lang]}
    documents = [by_original.get((d.kind, d.raw.stem), d) for d in inputs.loaded]
    forms = forms_of(site_dir, config, [loc.name for loc in main.locations], renderer, found, catalogue)
    run.session.trace.append(f"assembled {lang}")
    site = assemble(
        config,
        documents,
        load_faq(site_dir, renderer, found, lang),
        list(main.static_files),
        found,
        forms=forms,
        program=load_program(site_dir, renderer, found, lang),
        cross_check=lambda d: bool(d.lang),
        drafts=run.options.drafts,
        invalid=inputs.invalid,
        today=run.options.today,
    )
    # the main language's build has reported its own documents' problems already, with their lines
    known = {(d.code, d.message) for d in diagnostics.items}
    diagnostics.extend(d for d in found.items if (d.code, d.message) not in known)
    return dataclasses.replace(
        site,
        lang=lang,
        prefix=f"/{lang}",
        translated=frozenset(d.model.url for d in inputs.translations[lang]),
    )


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


def _template_path(env: Any) -> Any:
    def find(name: str) -> Path | None:
        try:
            filename = env.loader.get_source(env, name)[1]
        except Exception:  # a template that cannot be found is SG401's to report
            return None
        return Path(filename) if filename else None

    return find


def _read_if_present(file: Path) -> str:
    return file.read_text(encoding="utf-8") if file.is_file() else ""
