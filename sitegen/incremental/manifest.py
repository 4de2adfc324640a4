"""What makes a rebuild incremental: what the last build into an output folder left (`previous_build`),
whether anything it read has changed since, and what to remember for the next one.

When nothing changed (docs/performance.md, "Incremental builds"), nothing is loaded, rendered or
written and the last warnings are repeated. On that no-op path: this module and what it imports must
not import Jinja, Markdown, YAML, the models or the renderers (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitegen.core.artifact import Artifact
from sitegen.core.errors import Diagnostic, Severity, SourceLocation
from sitegen.core.paths import SHIPPED_THEMES
from sitegen.incremental import gcpolicy
from sitegen.incremental.cache import BuildCache, inputs_digest, scan_inputs
from sitegen.incremental.stores import folder_store, no_store
from sitegen.output import writer

KIT_FOLDER = "promotion-kit"  # the promotion kit, written beside the output folder (see build.build)


def shipped_themes() -> Path:
    """The shipped themes' folder, as `templates.SHIPPED_THEMES` finds it (a test keeps the two equal),
    found here without importing templates.py and Jinja with it."""
    return SHIPPED_THEMES


def input_roots(site_dir: Path) -> dict[str, Path]:
    return {
        "content": site_dir / "content",
        "templates": site_dir / "templates",
        "themes": site_dir / "themes",
        "shipped-themes": shipped_themes(),
    }


def output_key(site_dir: Path, out_dir: Path) -> str:
    """How the manifest names an output folder: relative to the site when inside it (so it means the
    same on another machine), else its absolute path."""
    out, site = out_dir.resolve(), site_dir.resolve()
    try:
        return out.relative_to(site).as_posix()
    except ValueError:
        return out.as_posix()


def warnings_to_json(diagnostics: list[Diagnostic]) -> list[list]:
    return [
        [d.code, d.message, d.location.src_path, d.location.line, d.hint, d.severity.value]
        for d in diagnostics
    ]


def warnings_from_json(items: list[list]) -> list[Diagnostic]:
    return [
        Diagnostic(code, message, SourceLocation(src_path, line), hint, Severity(severity))
        for code, message, src_path, line, hint, severity in items
    ]


@dataclass
class Previous:
    """What the last build into this output folder left, and what this build will compare with it."""

    cache: BuildCache
    out_key: str
    inputs: dict[str, list] = field(default_factory=dict)
    state: str = ""
    entry: dict[str, Any] = field(default_factory=dict)  # the manifest's record of this output folder
    files: dict[str, list] = field(default_factory=dict)  # files of the output folder, as written
    unchanged: bool = False
    out_dir: Path = Path()
    options: dict[str, Any] = field(default_factory=dict)  # what besides the inputs decides the output
    # the output folder holds exactly the recorded files, each at its recorded size and time (looked at
    # once, as the no-op path does): kept pages are then taken from it without looking at each again
    intact: bool = False

    @property
    def pages(self) -> dict[str, Any]:
        if "pages" not in self.entry:
            self.entry["pages"] = self.cache.page_records(self.out_key) if self.files else {}
        return self.entry["pages"]

    @property
    def store(self) -> Any:
        """Where kept pages come from (a reuse.Store): the output folder, when there is one."""

        return folder_store(self.out_dir, self.files, self.intact) if self.files else no_store

    @property
    def pages_kept(self) -> int:
        return sum(1 for out_path in self.files if out_path.endswith(".html"))

    def page_facts(self) -> dict[str, list]:
        """What the rules of `sitegen check` found on each page of the last build (checks.PageFacts)."""
        return self.cache.side_file(self.out_key, "facts") if self.files else {}

    def kept_signatures(self) -> dict[str, str]:
        """The hash of each file of the output folder as written (a kept page's bytes are these)."""
        return {out_path: record[0] for out_path, record in self.files.items()}

    def edited(self) -> dict[str, str | None] | None:
        """The input files that changed since the build whose page records these are, with the hash
        each had then (None: a new file); None when that cannot be known (no records, other options,
        or the manifest's inputs are not that build's: a failed build since) or when a file outside
        content/ changed (a template, a theme: every page is checked anyway)."""
        old = self.cache.inputs()
        if not self.files or not old or inputs_digest(old, self.options) != self.entry.get("state"):
            return None
        return edited_since(old, self.inputs)

    def unchanged_artifacts(self) -> list[Artifact]:
        return [Artifact(out_path, copy_from=self.out_dir / out_path) for out_path in sorted(self.files)]

    def save(
        self,
        files: dict[str, list],
        pages: dict[str, Any],
        warnings: list[Diagnostic],
        kit: dict[str, list] | None,
        facts: dict[str, list] | None = None,
        folders: dict[str, int] | None = None,
    ) -> None:
        """`folders`: the output folder's folder times when the writer knows them (else they are listed)."""
        gcpolicy.keep_to_the_end()  # the site is still alive while the records are made
        self._save(files, pages, warnings, kit, facts, folders)

    def _save(
        self,
        files: dict[str, list],
        pages: dict[str, Any],
        warnings: list[Diagnostic],
        kit: dict[str, list] | None,
        facts: dict[str, list] | None,
        folders: dict[str, int] | None,
    ) -> None:
        if folders is None:
            folders = writer.folder_times(self.out_dir) if files and self.out_dir.is_dir() else {}
        self.cache.save(
            self.inputs,
            self.out_key,
            {
                "state": self.state,
                "files": files,
                "folders": folders,
                "pages": pages,
                "warnings": warnings_to_json(warnings),
                "kit": kit,
                "facts": facts or {},
            },
        )

    def save_documents(self) -> None:
        """After a failed build: keep the documents that did load (the output folder was not touched)."""
        self.cache.save(self.inputs, self.out_key, self.entry)


def edited_since(old: dict[str, list] | None, new: dict[str, list]) -> dict[str, str | None] | None:
    """The files of `new` (a scan of the inputs) that are not as in `old`, with their hash in `old`
    (None: a new file; a deleted file is named with its old hash); None when `old` is unknown or a
    file outside content/ changed (see `build.body_edits`, the only use)."""
    if old is None:
        return None
    changed: dict[str, str | None] = {
        rel: old[rel][0] if rel in old else None
        for rel, record in new.items()
        if rel not in old or old[rel][0] != record[0]
    }
    changed.update({rel: record[0] for rel, record in old.items() if rel not in new})
    return changed if all(rel.startswith("content/") for rel in changed) else None


def previous_build(
    site_dir: Path, out_dir: Path, kit_dir: Path, *, use_cache: bool, drafts: bool, today: date
) -> Previous:
    cache = BuildCache.open(site_dir, use_cache)
    found = Previous(cache, output_key(site_dir, out_dir), out_dir=out_dir)
    if not cache.enabled:
        return found
    found.inputs = cache.scanned = scan_inputs(input_roots(site_dir), cache.inputs())
    cache.scan_fresh = True
    found.options = {"drafts": drafts, "today": today.isoformat()}
    found.state = inputs_digest(found.inputs, found.options)
    found.entry = cache.outputs(found.out_key)
    if out_dir.is_dir():
        found.files = found.entry.get("files", {})
    kit = found.entry.get("kit")
    found.unchanged = bool(
        found.files
        and found.entry.get("state") == found.state
        and writer.matches(out_dir, found.files, found.entry.get("folders"))
        and (not kit or writer.matches(kit_dir, kit))
    )
    folders = found.entry.get("folders")
    found.intact = found.unchanged or bool(
        found.files and folders and writer.matches(out_dir, found.files, folders)
    )
    return found
