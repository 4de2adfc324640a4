"""Per page: render it, or reuse the output of the last build because nothing it was made from changed.

`PageReuse` is asked by `render.emit.render` about each page (`reuse`) and renders the others
(`render`), recording what each used (depends.py), with or without a cache, so every build renders
the same way. Reused bytes come from a `store`: the last output folder or the dev server's memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jinja2

from sitegen.core.artifact import Artifact
from sitegen.core.errors import Diagnostics
from sitegen.incremental import gcpolicy
from sitegen.incremental.depends import (
    Digester,
    NotDigestible,
    SiteView,
    answered,
    read_answer,
    record_templates,
    template_digest,
    view_context,
)
from sitegen.incremental.parallel import map_chunks, usable_jobs
from sitegen.incremental.stores import Store


class PageReuse:
    """Decides, page by page, and keeps the record of every page for the next build."""

    def __init__(
        self, env: jinja2.Environment, digester: Digester, previous: dict[str, Any], store: Store, salt: str
    ) -> None:
        self.env, self.digester, self.previous, self.store, self.salt = env, digester, previous, store, salt
        self.context_digester = digester.shallow()
        self._last: dict[
            str, tuple[Any, bytes, frozenset[str]]
        ] = {}  # per context key: the last value hashed, its hash, its documents
        self.loaded = record_templates(env)
        self.records: dict[str, Any] = {}
        self.rendered: list[str] = []  # output paths of the pages rendered
        self.reused = 0
        self._keys: dict[str, tuple[str, list[frozenset[str]]] | None] = {}
        self._templates: dict[str, str] = {}
        self._answers: dict[str, tuple[str, frozenset[str]]] = {}
        self.checking = False
        self.to_render: set[str] = set()
        self.edited: frozenset[str] | None = None  # see `keep`
        self.made_from: MadeFrom | None = None  # `previous` by document, when the caller keeps one
        self.trace: Callable[[str], None] = lambda _: None  # told each page compared or rendered here

    def _key(self, template: str, context: dict[str, Any]) -> tuple[str, list[frozenset[str]]] | None:
        """The hash of a page's context (`site` aside, which is asked of through its view), and the
        documents the context was made from."""
        try:
            return self.context_digester.of_named(
                [self.salt, template],
                ((name, value) for name, value in context.items() if name != "site"),
                self._last,
            )
        except NotDigestible:
            return None

    def keep(self, page: Any) -> Artifact | None:
        """The last build's output of `page`, without building its context, when the build knows that
        only the texts of `edited` documents changed (nothing else a page is made of: no template,
        no setting, no other field of those documents; see `build.body_edits`) and the page was made
        from none of them. Every other page is left to `reuse`."""
        if self.edited is None:
            return None
        out_path = page.out_path
        if not untouched(out_path, self.edited, self.previous, self.made_from):
            return None
        return self._kept(page, self.previous.get(out_path), out_path)

    def reuse(self, page: Any, context: dict[str, Any]) -> Artifact | None:
        """The last build's output of `page` when every input it recorded is unchanged, else None."""
        self.trace(f"compared {page.out_path}")
        keyed = self._keys[page.out_path] = self._key(page.template, context)
        old = self.previous.get(page.out_path)
        if keyed is None or not old or old.get("key") != keyed[0]:
            return None
        if any(
            template_digest(self.env, name, self._templates) != digest
            for name, digest in old["templates"].items()
        ):
            return None
        site = context.get("site")
        for note in old["site"]:
            if self._answer(site, note) != note[3]:
                return None
        for read in old.get("reads", ()):
            if read_answer(self.digester, context, read) != read[3]:
                return None
        return self._kept(page, old)

    def _kept(self, page: Any, old: dict[str, Any], out_path: str | None = None) -> Artifact | None:
        """The last build's output of `page` from the store (None if it is not there as written), its
        record kept."""
        out_path = out_path or page.out_path
        artifact = self.store(out_path, page.named_sources)
        if artifact is not None:
            self.records[out_path] = old
            self.reused += 1
        return artifact

    def _answer(self, site: Any, note: list) -> str:
        return answered(self._answers, repr(note[:3]), self.digester, site, note)

    def render(self, page: Any, context: dict[str, Any]) -> str:
        """Render `page`, noting the templates it loaded and what it read from the site.

        While `checking`, nothing is rendered: the page is only noted as one to render."""
        if self.checking:
            self.to_render.add(page.out_path)
            return ""
        keyed = self._keys.pop(page.out_path, None)
        view = SiteView(context["site"], self.digester, self._answers) if "site" in context else None
        start = len(self.loaded)
        viewed, reads = view_context(context)
        try:
            html = self.env.get_template(page.template).render(dict(viewed, site=view) if view else viewed)
        finally:
            used = list(dict.fromkeys(self.loaded[start:]))
            del self.loaded[start:]
        self.rendered.append(page.out_path)
        self.trace(f"rendered {page.out_path}")
        read_documents = []
        answers = []
        for read in reads.values():
            answer, docs = self.digester.collect(lambda read=read: read_answer(self.digester, context, read))
            answers.append(read + [answer])
            if docs:
                read_documents.append(docs)
        if (
            keyed is not None
            and view is not None
            and "not digestible" not in (n[-1] for n in view.notes() + answers)
        ):
            self.records[page.out_path] = {
                "key": keyed[0],
                "templates": {name: template_digest(self.env, name, self._templates) for name in used},
                "site": view.notes(),
                # see `keep`; lists of names, not sets: 10,000 records are read back with no set made
                "documents": [sorted(docs) for docs in keyed[1] + view.documents() + read_documents],
            }
            if answers:
                self.records[page.out_path]["reads"] = answers
        return html

    def take(self) -> tuple[dict[str, Any], list[str], int]:
        """Records and counts so far, then forgets them (a worker hands them back per chunk)."""
        taken = (self.records, self.rendered, self.reused)
        self.records, self.rendered, self.reused = {}, [], 0
        return taken


def made_from_none(record: dict[str, Any] | None, edited: frozenset[str]) -> bool:
    """Whether a page's record names the documents it was made from, and none of `edited`."""
    return bool(record) and "documents" in record and all(edited.isdisjoint(d) for d in record["documents"])  # type: ignore[operator]


def untouched(
    out_path: str, edited: frozenset[str], records: dict[str, Any], made_from: MadeFrom | None = None
) -> bool:
    """`made_from_none` of the page at `out_path` in `records`, asked of `made_from` (its index by
    document) when it was made from these very records."""
    if made_from is not None and made_from.records is records:
        return made_from.none_of(out_path, edited)
    return made_from_none(records.get(out_path), edited)


class MadeFrom:
    """One build's page records by the documents each page was made from: `made_from_none` for every
    page at once. The dev server makes it from the last build's records after the pages are shown, so
    that the next edit finds the pages it leaves as they were (`PageReuse.keep`, `edits.plan_edit`)
    without going through 10,000 records before showing the edited page."""

    def __init__(self, records: dict[str, Any]) -> None:
        self.records = records
        # pages whose record names no documents: never kept by `keep`
        unnamed: set[str] = set()
        pages: dict[str, set[str]] = {}
        for out_path, record in records.items():
            if not record or "documents" not in record:
                unnamed.add(out_path)
                continue
            for docs in record["documents"]:
                for doc in docs:
                    found = pages.get(doc)
                    if found is None:
                        found = pages[doc] = set()
                    found.add(out_path)
        self._unnamed, self._pages = frozenset(unnamed), pages
        self._touched: dict[frozenset[str], frozenset[str]] = {}

    def none_of(self, out_path: str, edited: frozenset[str]) -> bool:
        """`made_from_none(records.get(out_path), edited)`."""
        touched = self._touched.get(edited)
        if touched is None:
            touched = self._touched[edited] = self._unnamed.union(
                *(self._pages.get(doc, ()) for doc in edited)
            )
        return out_path not in touched and out_path in self.records


def render_pages(
    render: Callable[[list[Any], Diagnostics, PageReuse], list[Artifact]],
    plans: Sequence[Any],
    reuse: PageReuse,
    diagnostics: Diagnostics,
    jobs: int | None,
    progress: Callable[[str, int, int], None] = lambda *_: None,
    spool: Callable[[Artifact], Artifact] | None = None,
) -> list[Artifact]:
    """`render` (render.emit.render bound to the site) over all plans, across processes when many.

    Results come back in plan order. With records, pages are checked here first and only those to
    render go to workers. `spool`, when given, takes each rendered page as it arrives and returns what
    to keep of it (a full build writes it to disk and keeps the file's name).
    """
    gcpolicy.keep_to_the_end()
    return _render_pages(render, plans, reuse, diagnostics, jobs, progress, spool)


def _render_pages(
    render: Callable[[list[Any], Diagnostics, PageReuse], list[Artifact]],
    plans: Sequence[Any],
    reuse: PageReuse,
    diagnostics: Diagnostics,
    jobs: int | None,
    progress: Callable[[str, int, int], None],
    spool: Callable[[Artifact], Artifact] | None,
) -> list[Artifact]:
    done = [0]
    kept: list[Artifact] = []
    if reuse.previous and usable_jobs(jobs, len(plans)) > 1:
        reuse.checking = True
        kept = render(list(plans), Diagnostics(), reuse)
        reuse.checking = False
        kept_records, _, reused_here = reuse.take()
        plans = [plan for plan in plans if plan.out_path in reuse.to_render]

    def chunk(part: Sequence[Any]) -> list[tuple]:
        found = Diagnostics()
        artifacts = render(list(part), found, reuse)
        return [(artifacts, found.items, *reuse.take())]

    def advance(count: int) -> None:
        done[0] += count
        progress("render", done[0], len(plans))

    artifacts: list[Artifact] = []
    records: dict[str, Any] = {}
    rendered: list[str] = []
    reused = 0

    def arrived(results: list[tuple]) -> list[tuple]:
        if spool is None:
            return results
        return [([spool(a) if a.content is not None else a for a in part[0]], *part[1:]) for part in results]

    for part_artifacts, part_diagnostics, part_records, part_rendered, part_reused in map_chunks(
        chunk, plans, usable_jobs(jobs, len(plans)), advance, arrived
    ):
        artifacts += part_artifacts
        diagnostics.extend(part_diagnostics)
        records.update(part_records)
        rendered += part_rendered
        reused += part_reused
    if kept:
        records.update(kept_records)
        reused += reused_here
        fresh = {artifact.out_path: artifact for artifact in artifacts}
        artifacts = [
            fresh[a.out_path] if a.out_path in reuse.to_render else a
            for a in kept
            if a.out_path not in reuse.to_render or a.out_path in fresh
        ]
    reuse.records, reuse.rendered, reuse.reused = records, rendered, reused
    return artifacts
