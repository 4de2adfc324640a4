"""A page to render: its address, template, title, sources and context (planned, not yet rendered)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sitegen.core.urls import out_path_for


@dataclass
class PagePlan:
    url: str
    template: str
    title: str
    description: str
    sources: tuple[str, ...]
    context: dict[str, Any] = field(default_factory=dict)
    trail: list[tuple[str, str]] = field(default_factory=list)  # breadcrumbs above this page
    image: str | None = None
    modified: date | None = None
    kind: str = "website"
    in_sitemap: bool = True
    prefix: str = ""  # the language's folder (/es) for an edition other than the main one

    @property
    def out_path(self) -> str:
        return out_path_for(self.prefix + self.url)

    @property
    def named_sources(self) -> tuple[str, ...]:
        """What a message about the page's file names (`Artifact.sources`): its first source and its
        template. Not every source: the news pages each list every post, 800 copies of 8,000 names."""
        return self.sources[:1] + (f"template:{self.template}",)
