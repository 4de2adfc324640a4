"""The editor's configuration (Decap CMS `config.yml`), generated from the kind registry and the models.

Every kind of `content/` is a collection: each folder kind of `content.kinds.KINDS` (Markdown with
front matter, or YAML), the forms of content/forms/, and the site-wide files (site.yaml, program.yaml,
faq.yaml). Images are uploaded into content/static/uploads/, published at /uploads/.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitegen.admin.fields import editor_fields, label
from sitegen.content.kinds import KINDS, Kind
from sitegen.models import SiteConfig
from sitegen.models.forms import Form
from sitegen.models.practice import FaqItem
from sitegen.models.referral import Program

MEDIA_FOLDER = "content/static/uploads"
PUBLIC_FOLDER = "/uploads"
API_PATH = "/admin/api/v1"  # the dev server's local backend
LABELS = {"gallery": "Before-and-after galleries", "faq": "FAQ"}


@dataclass(frozen=True)
class Backend:
    """Where the editor reads and writes: the dev server (`local`) or a Git host."""

    name: str = "local"  # local, github, gitlab or gitea
    repo: str = ""  # owner/name at the Git host
    branch: str = "main"
    base_url: str = ""  # the OAuth server that signs editors in (github, gitea), when not the host's
    api_root: str = ""  # a self-hosted GitLab or Gitea's API address
    site_folder: str = ""  # where the site's folder is in the repository, e.g. "site" ("" = its root)

    def as_config(self) -> dict[str, Any]:
        if self.name == "local":
            return {"name": "proxy", "proxy_url": API_PATH, "branch": self.branch}
        found = {"name": self.name, "repo": self.repo, "branch": self.branch}
        found.update({k: v for k, v in (("base_url", self.base_url), ("api_root", self.api_root)) if v})
        return found


def _title_field(kind: Kind) -> str:
    names = [field["name"] for field in editor_fields(kind.model)]
    return "title" if "title" in names else "name"


def folder_collection(kind: Kind, root: str) -> dict[str, Any]:
    """One folder of content/ as a collection; Markdown kinds get their body as a Markdown field."""
    markdown = kind.suffix == ".md"
    fields = editor_fields(kind.model)
    if markdown:
        fields.append({"name": "body", "label": "Text", "widget": "markdown", "required": False})
    return {
        "name": kind.name,
        "label": LABELS.get(kind.name, label(kind.name)),
        "label_singular": label(kind.singular),
        "folder": f"{root}content/{kind.name}",
        "extension": "md" if markdown else "yaml",
        "format": "frontmatter" if markdown else "yaml",
        "create": True,
        "delete": True,
        "slug": "{{slug}}",
        "identifier_field": _title_field(kind),
        "summary": "{{" + _title_field(kind) + "}}",
        "fields": fields,
    }


def settings_collection(root: str) -> dict[str, Any]:
    """The files that hold one thing each: the site's settings, the referral program, the FAQ."""
    faq = [{"name": "questions", "label": "Questions", "widget": "list", "fields": editor_fields(FaqItem)}]
    return {
        "name": "settings",
        "label": "Site settings",
        "files": [
            _file("site", "Site settings (site.yaml)", f"{root}content/site.yaml", editor_fields(SiteConfig)),
            _file("program", "Referral program", f"{root}content/program.yaml", editor_fields(Program)),
            _file("faq", "FAQ", f"{root}content/faq.yaml", faq),
        ],
    }


def _file(name: str, title: str, path: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "label": title, "file": path, "format": "yaml", "fields": fields}


def forms_collection(root: str) -> dict[str, Any]:
    return {
        "name": "forms",
        "label": "Forms",
        "label_singular": "Form",
        "folder": f"{root}content/forms",
        "extension": "yaml",
        "format": "yaml",
        "create": True,
        "delete": True,
        "slug": "{{slug}}",
        "identifier_field": "title",
        "fields": editor_fields(Form),
    }


def editor_config(backend: Backend = Backend(), site_url: str = "") -> dict[str, Any]:
    """The whole configuration, as the editor reads it from /admin/config.yml."""
    root = f"{backend.site_folder.strip('/')}/" if backend.site_folder.strip("/") else ""
    config: dict[str, Any] = {
        "backend": backend.as_config(),
        "media_folder": f"{root}{MEDIA_FOLDER}",
        "public_folder": PUBLIC_FOLDER,
        "publish_mode": "simple",
        "collections": [
            settings_collection(root),
            *(folder_collection(kind, root) for kind in KINDS.values()),
            forms_collection(root),
        ],
    }
    if site_url:
        config["site_url"] = config["display_url"] = site_url
    return config
