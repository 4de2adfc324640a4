"""The rules of `sitegen check`: each a stable id, a severity, what it catches and why, and a function.

`@rule` registers a generator over a `CheckContext` that yields `Finding`s; `run` adds each rule's id
and severity to the diagnostics. `declare` lists a rule enforced while the site is loaded, so that the
documentation lists it and files can silence it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from sitegen.checks.facts import HREF, ID_ATTR, TAG, PageFacts, attributes, link_target, page_facts_of
from sitegen.content.loader import Loaded, field_lines
from sitegen.core.artifact import Artifact
from sitegen.core.errors import (
    Diagnostic,
    Diagnostics,
    Severity,
    SourceLocation,
    relative_to,
)
from sitegen.core.urls import out_path_for
from sitegen.render.hostrules import match

GROUPS = (
    "Content",
    "Referral program",
    "Testimonials, galleries and reviews",
    "Memberships and packages",
    "Privacy",
    "Required pages",
    "Check settings",
)


@dataclass(frozen=True)
class Finding:
    location: SourceLocation
    message: str
    hint: str = ""
    severity: Severity | None = None  # None: the rule's own


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    group: str
    summary: str  # what it catches, one line
    basis: str = ""  # why: the law, guideline or reason behind it
    run: Callable[[CheckContext], Iterable[Finding]] | None = None  # None: reported while loading

    @property
    def severity_text(self) -> str:
        return self.severity.value


RULES: dict[str, Rule] = {}


def rule(code: str, severity: str, group: str, summary: str, basis: str = "") -> Callable:
    """Register a rule function: `@rule("SG321", "warning", "Content", "an orphan page")`."""
    assert group in GROUPS, group

    def register(function: Callable[[CheckContext], Iterable[Finding]]) -> Callable:
        assert code not in RULES, f"{code} is registered twice"
        RULES[code] = Rule(code, Severity(severity), group, summary, basis, function)
        return function

    return register


def declare(code: str, severity: str, group: str, summary: str, basis: str = "") -> None:
    """A rule the build enforces itself while loading; listed here for the docs and for silencing."""
    assert code not in RULES, f"{code} is registered twice"
    RULES[code] = Rule(code, Severity(severity), group, summary, basis)


DOCUMENT_FACTS: dict[str, Callable[[Loaded], Any]] = {}


def document_fact(name: str) -> Callable:
    """Register what a rule needs of one document's text alone (`@document_fact("review_texts")`): found
    when the document is loaded, kept in the build cache with it (so a rebuild does not read every text
    again), and asked of `CheckContext.fact`. The value must be plain data (tuples, strings, numbers)."""

    def register(function: Callable[[Loaded], Any]) -> Callable:
        assert name not in DOCUMENT_FACTS, f"the document fact {name} is registered twice"
        DOCUMENT_FACTS[name] = function
        return function

    return register


def document_facts(doc: Loaded) -> dict[str, Any]:
    """Every registered fact of one loaded document (see `document_fact`)."""
    return {name: find(doc) for name, find in DOCUMENT_FACTS.items()}


def fact_key(doc: Loaded) -> str:
    """How `CheckContext.document_facts` names a document: its file and its language."""
    return f"{doc.lang}:{doc.raw.src_path}"


@dataclass(frozen=True)
class Tag:
    name: str
    attrs: dict[str, str]
    offset: int


@dataclass
class CheckContext:
    """What the rules look at. `published` are the documents on the site (with their Markdown's links
    and lines), `documents` every document loaded (drafts and withheld ones too)."""

    site: Any
    published: list[Loaded]
    documents: list[Loaded]
    artifacts: list[Artifact]
    plans: list[Any]
    site_dir: Path
    today: date
    template_path: Callable[[str], Path | None] = lambda name: None
    facts: PageFacts | None = None  # what each page holds for the rules, found once (and kept across builds)
    translated: list[Loaded] = field(
        default_factory=list
    )  # documents translated into the site's other languages
    other_programs: list[Any] = field(
        default_factory=list
    )  # the program as each other language's edition shows it
    _html: dict[str, str] = field(default_factory=dict)
    _targets: dict[str, str | None] = field(default_factory=dict)
    _exists: dict[str, bool] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)  # what several rules need, found once
    # per document (`fact_key`), its facts as found when it was loaded (see `document_fact`)
    document_facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    trace: Callable[[str], None] = lambda _: None  # told "read <url>" for each page read for the rules

    def fact(self, doc: Loaded, name: str) -> Any:
        """A registered fact of `doc`: as found when it was loaded, else found now."""
        found = self.document_facts.get(fact_key(doc))
        return found[name] if found is not None and name in found else DOCUMENT_FACTS[name](doc)

    @cached_property
    def by_out_path(self) -> dict[str, Artifact]:
        return {a.out_path: a for a in self.artifacts}

    @cached_property
    def plan_by_url(self) -> dict[str, Any]:
        return {p.url: p for p in self.plans}

    @cached_property
    def doc_by_url(self) -> dict[str, Loaded]:
        return {d.model.url: d for d in self.published if getattr(d.model, "url", "")}

    @cached_property
    def doc_by_src(self) -> dict[str, Loaded]:
        return {d.raw.src_path: d for d in self.documents}

    @cached_property
    def originals(self) -> dict[tuple[str, str], Loaded]:
        """Every document by kind and file name: what a translation in `translated` was made from."""
        return {(d.kind, d.raw.stem): d for d in self.documents}

    def text(self, out_path: str) -> str | None:
        """The text of an output file (a page), or None when there is no such file."""
        if out_path not in self._html:
            text = self._read(out_path)
            if text is None:
                return None
            self._html[out_path] = text
        return self._html[out_path]

    def page(self, url: str) -> str | None:
        return self.text(out_path_for(url))

    def pages(self) -> Iterator[tuple[str, str]]:
        """(url, html) of every page that was built. Read again on each call, not kept: 10,000 pages
        of text would double the build's memory; the common questions are `page_facts`."""
        for plan in self.plans:
            html = self._read(plan.out_path)
            if html is not None:
                yield plan.url, html

    def _read(self, out_path: str) -> str | None:
        if out_path in self._html:
            return self._html[out_path]
        artifact = self.by_out_path.get(out_path)
        if artifact is None:
            return None
        data = (
            artifact.content
            if artifact.content is not None
            else (artifact.copy_from.read_bytes() if artifact.copy_from else b"")
        )
        return data.decode("utf-8", "replace")

    @cached_property
    def page_facts(self) -> dict[str, dict[str, Any]]:
        """Per page URL, what the rules ask of every page (`page_facts_of`): found in one pass, and for
        a page whose bytes are those of the last build, taken from `facts` without reading it."""
        facts = self.facts or PageFacts()
        found: dict[str, dict[str, Any]] = {}
        for plan in self.plans:
            artifact = self.by_out_path.get(plan.out_path)
            if artifact is None:
                continue
            found[plan.url] = facts.get(artifact, lambda plan=plan: self._page_facts_of(plan))
        return found

    def _page_facts_of(self, plan: Any) -> dict[str, Any]:
        self.trace(f"read {plan.url}")
        return page_facts_of(plan.url, self._read(plan.out_path) or "")

    @cached_property
    def targets(self) -> dict[str, list[str]]:
        """Per page URL, the paths on this site its links lead to (`target`), each once, in page order."""
        return {url: facts["targets"] for url, facts in self.page_facts.items()}

    def tags(self, url: str) -> list[Tag]:
        """The tags of one page that load or lead somewhere, with their attributes."""
        html = self.page(url) or ""
        return [Tag(m[1].lower(), attributes(m[2]), m.start()) for m in TAG.finditer(html)]

    def hrefs(self, url: str) -> list[str]:
        """Where the links of the page at `url` lead (as written; entities left as they are)."""
        return HREF.findall(self.page(url) or "")

    @cached_property
    def loads(self) -> dict[str, list[Tag]]:
        """Per page URL, the tags that make the browser load something from another site (scripts,
        images, frames, styles)."""
        return {
            url: [Tag(name, attrs, offset) for name, attrs, offset in facts["loads"]]
            for url, facts in self.page_facts.items()
        }

    def target(self, url: str, href: str) -> str | None:
        """The path on this site that a link on the page at `url` leads to; None for other sites and
        for links to the same page's parts."""
        key = href if href.startswith("/") else f"{url}\0{href}"
        if key not in self._targets:
            self._targets[key] = link_target(url, href)
        return self._targets[key]

    def ids(self, url: str) -> set[str] | None:
        html = self.page(url)
        return None if html is None else set(ID_ATTR.findall(html))

    def exists(self, path: str) -> bool:
        """Whether an address on this site is served: a page, a file, or a redirect rule's source."""
        if path not in self._exists:
            self._exists[path] = (
                out_path_for(path) in self.by_out_path
                or path.lstrip("/") in self.by_out_path
                or (not path.endswith("/") and out_path_for(path + "/") in self.by_out_path)
                or any(_matches(source, path) for source in self.redirect_sources)
            )
        return self._exists[path]

    @cached_property
    def redirect_sources(self) -> list[str]:
        rules = self.text("_redirects") or ""
        return [line.split()[0] for line in rules.splitlines() if line.strip() and not line.startswith("#")]

    def source_of(self, url: str) -> SourceLocation:
        """Where to send someone who wants to change the page at `url`: its content file, else its
        template."""
        doc = self.doc_by_url.get(url)
        if doc is not None:
            return doc.at()
        plan = self.plan_by_url.get(url)
        if plan is not None:
            return self.template_location(plan.template)
        return SourceLocation(out_path_for(url))

    def template_location(self, name: str, needle: str = "") -> SourceLocation:
        """A template file, at the first line holding `needle` (its whole file when not found)."""
        path = self.template_path(name)
        if path is None:
            return SourceLocation(f"templates/{name}")
        line = 0
        if needle:
            try:
                for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                    if needle in text:
                        line = number
                        break
            except OSError:
                pass
        return SourceLocation(relative_to(path, self.site_dir), line)

    def find_in_templates(self, needle: str, names: Iterable[str]) -> SourceLocation | None:
        for name in names:
            location = self.template_location(name, needle)
            if location.line:
                return location
        return None


def _matches(pattern: str, path: str) -> bool:

    return match(pattern, path) is not None


def run(ctx: CheckContext, diagnostics: Diagnostics) -> None:
    """Every rule with a function, in id order; findings become diagnostics."""
    for code in sorted(RULES):
        rule_ = RULES[code]
        if rule_.run is None:
            continue
        for found in rule_.run(ctx):
            diagnostics.items.append(
                Diagnostic(code, found.message, found.location, found.hint, found.severity or rule_.severity)
            )


def line_of(loaded: Loaded, dotted: str) -> int:
    """The line of a field, nested ones too (`compliance.review.reviewed_on`), in a document."""

    return field_lines(loaded.raw.meta).get(dotted, 0)


def setting_at(owner: Any, dotted: str) -> SourceLocation:
    """Where a setting of site.yaml or program.yaml (or a translation of one) is written: its own line,
    else the nearest enclosing one that is (`tiers[2].reward.description` -> `tiers[2].reward`...)."""
    line = owner.at_line(dotted)
    while not line and "." in dotted:
        dotted = dotted.rsplit(".", 1)[0]
        line = owner.at_line(dotted)
    return SourceLocation(owner.src_path, line or owner.at_line(dotted.split("[")[0]) or 1)
