"""`sitegen check`: every content validation of the build plus the rules in this package, each with a
stable id (see docs/checks.md, generated from the registry by `python -m sitegen.checks --write`).

Rules run on the assembled site and its rendered pages, in memory, during every build: `sitegen build`
stops on their errors and prints their warnings; `sitegen check` lists them all and writes nothing.
A file can silence rules for itself with `check: {ignore: [SG321], reason: "..."}`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# imported for their effect: each registers its rules
from sitegen.checks import content, editor, memberships, pages, privacy, referral, testimonials  # noqa: F401
from sitegen.checks.registry import (
    GROUPS,
    RULES,
    CheckContext,
    Finding,
    PageFacts,
    Rule,
    declare,
    line_of,
    rule,
    run,
)
from sitegen.content.loader import Loaded
from sitegen.core.errors import Diagnostics, SourceLocation

__all__ = [
    "RULES",
    "CheckContext",
    "Finding",
    "PageFacts",
    "Rule",
    "Silencer",
    "declare",
    "published_documents",
    "rule",
    "rules_table",
    "run",
]

UNSILENCEABLE = {
    "SG601": "a sensitive field without a BAA would send health information to a service that may not have it"
}

declare(
    "SG221",
    "warning",
    "Check settings",
    "`check: ignore` without a reason, or naming a rule that does not exist or cannot be silenced",
    "a silenced rule should say why, for the next person who reads the file",
)


@dataclass
class Silencer:
    """Which rules each file silences; `apply` drops their diagnostics and counts them."""

    ignored: dict[str, set[str]] = field(default_factory=dict)
    silenced: int = 0

    @classmethod
    def collect(
        cls, documents: Iterable[Loaded], config: Any, program: Any, diagnostics: Diagnostics
    ) -> Silencer:
        found = cls()
        found.include(documents, (config, program), diagnostics)
        return found

    def include(
        self,
        documents: Iterable[Loaded],
        owners: Iterable[Any],
        diagnostics: Diagnostics,
        translated_owners: bool = False,
    ) -> None:
        """What `documents` and `owners` (site.yaml and program.yaml, or with `translated_owners` their
        translations) silence. A translation silences what its original does (it inherits its `check:`)
        and what its own `check:` adds; only a list written in the file itself is checked for SG221, so an
        original's mistake is reported once."""
        # the line is looked up only for a file that silences something: 10,000 documents are loaded per build
        # (file, settings, line, whether the file writes them: a translation that does not inherits them)
        entries = [
            (
                d.raw.src_path,
                d.model.check,
                line_of(d, "check.ignore") or d.line_of("check"),
                not d.lang or bool(d.line_of("check")),
            )
            for d in documents
            if getattr(d.model, "check", None) is not None and d.model.check.ignore
        ]
        for owner in owners:
            if owner is not None and getattr(owner, "check", None) is not None:
                entries.append(
                    (
                        owner.src_path,
                        owner.check,
                        owner.at_line("check.ignore") or owner.at_line("check"),
                        not translated_owners or bool(owner.at_line("check")),
                    )
                )
        for src_path, settings, line, written in entries:
            if not settings.ignore:
                continue
            codes = [code.strip().upper() for code in settings.ignore]
            if written:
                self._validate(codes, settings.reason, SourceLocation(src_path, line), diagnostics)
            self.ignored[src_path] = {
                c for c in codes if c in RULES and c not in UNSILENCEABLE and c != "SG221"
            }

    @staticmethod
    def _validate(codes: list[str], reason: str, where: SourceLocation, diagnostics: Diagnostics) -> None:
        for code in codes:
            if code in UNSILENCEABLE:
                diagnostics.warn(
                    "SG221",
                    f"check.ignore: {code} cannot be silenced: {UNSILENCEABLE[code]}",
                    where,
                    "remove it from the list and fix the problem",
                )
            elif code not in RULES or code == "SG221":
                diagnostics.warn(
                    "SG221",
                    f"check.ignore: {code} is not a rule of sitegen check",
                    where,
                    "use ids from docs/checks.md, e.g. SG321",
                )
        if not reason.strip():
            diagnostics.warn(
                "SG221",
                f"check.ignore silences {', '.join(codes)} without a reason",
                where,
                "add `reason:` saying why the rule does not apply to this file",
            )

    def apply(self, diagnostics: Diagnostics) -> None:
        kept = [d for d in diagnostics.items if d.code not in self.ignored.get(d.location.src_path, ())]
        self.silenced += len(diagnostics.items) - len(kept)
        diagnostics.items[:] = kept


def rules_table() -> str:
    """The rule list of docs/checks.md, by group."""
    lines = ["<!-- generated by `python -m sitegen.checks`; edit the rules, not this block -->"]
    for group in GROUPS:
        rules = [r for r in sorted(RULES.values(), key=lambda r: r.code) if r.group == group]
        lines += ["", f"### {group}", "", "| rule | severity | what it finds | why |", "|---|---|---|---|"]
        lines += [
            f"| {r.code} | {r.severity.value} | {r.summary.replace('|', '/')} | {r.basis.replace('|', '/')} |"
            for r in rules
        ]
    lines.append("<!-- end of generated rule list -->")
    return "\n".join(lines) + "\n"


def published_documents(site: Any, loaded: list[Loaded]) -> list[Loaded]:
    """The documents on the site, each with the model the site shows (a gallery without its withheld
    pairs)."""
    import dataclasses

    shown = {
        model.src_path: model
        for models in site.by_slug.values()
        for model in models.values()
        if getattr(model, "src_path", "")
    }
    return [
        d if d.model is shown[d.raw.src_path] else dataclasses.replace(d, model=shown[d.raw.src_path])
        for d in loaded
        if d.raw.src_path in shown
    ]
