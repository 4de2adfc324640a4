"""The editor's configuration (Decap CMS `config.yml`), generated from the kind registry and the models.

Every kind of `content/` is a collection: each folder kind of `content.kinds.KINDS` (Markdown with
front matter, or YAML), the forms of content/forms/, and the site-wide files (site.yaml, program.yaml,
faq.yaml). Images are uploaded into content/static/uploads/, published at /uploads/.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitegen.admin.fields import editor_fields, label
from sitegen.admin.richtext import NOTHING_TYPED, NOTHING_TYPED_MESSAGE
from sitegen.content.kinds import KINDS, Kind
from sitegen.content.overlay import NOT_TEXT
from sitegen.models import SiteConfig
from sitegen.models.forms import Form
from sitegen.models.practice import FaqItem
from sitegen.models.referral import Program

MEDIA_FOLDER = "content/static/uploads"
PUBLIC_FOLDER = "/uploads"
API_PATH = "/admin/api/v1"  # the dev server's local backend
LABELS = {"gallery": "Before-and-after galleries", "faq": "FAQ"}
# texts sitegen's overlay would take from a translation that are the same in every language: codes,
# addresses and references the editor does not offer in a translation
SAME_IN_EVERY_LANGUAGE = {
    "tracking_phone",
    "map_url",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "street",
    "city",
    "postal_code",
    "reference",
    "provider",
}


@dataclass(frozen=True)
class Backend:
    """Where the editor reads and writes: the dev server (`local`) or a Git host."""

    name: str = "local"  # local, github, gitlab, gitea or git-gateway
    repo: str = ""  # owner/name at the Git host
    branch: str = "main"
    base_url: str = ""  # the OAuth server that signs editors in (github, gitea), when not the host's
    api_root: str = ""  # a self-hosted GitLab or Gitea's API address
    site_folder: str = ""  # where the site's folder is in the repository, e.g. "site" ("" = its root)
    auth_endpoint: str = ""  # the OAuth server's path, when not "auth"
    app_id: str = ""  # GitLab / Gitea: the OAuth application, signing in with PKCE (no server)
    identity_url: str = ""  # git-gateway: the sign-in service (DecapBridge's, or Netlify Identity's)
    gateway_url: str = ""  # git-gateway: the gateway that writes to the repository

    def as_config(self) -> dict[str, Any]:
        if self.name == "local":
            return {"name": "proxy", "proxy_url": API_PATH, "branch": self.branch}
        found: dict[str, Any] = {"name": self.name, "repo": self.repo, "branch": self.branch}
        if self.name in ("gitlab", "gitea") and self.app_id:
            found["auth_type"] = "pkce"
        options = ("base_url", "auth_endpoint", "api_root", "app_id", "identity_url", "gateway_url")
        found.update({k: getattr(self, k) for k in options if getattr(self, k)})
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


def translatable(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fields with `i18n: true` where a translation may change them (texts, and the objects and
    lists holding texts); everything else is the original's only, as sitegen's overlay reads it."""
    marked = []
    for field in fields:
        field = dict(field)
        if "fields" in field and field["name"] != "check":  # silencing a rule is the original's
            field["fields"] = translatable(field["fields"])
            if any(f.get("i18n") is True for f in field["fields"]):
                field["i18n"] = True
        elif field["widget"] in ("string", "text", "markdown") and field["name"] not in NOT_TEXT | {"check"}:
            field["i18n"] = True
        field.setdefault("i18n", False)
        marked.append(field)
    return marked


def with_translations(collection: dict[str, Any]) -> dict[str, Any]:
    return {**collection, "i18n": True, "fields": translatable(collection["fields"])}


def texts_only(fields: list[dict[str, Any]], keep_required: bool = False) -> list[dict[str, Any]]:
    """The fields a translation may hold (`translatable`'s, less codes and addresses: checked by a
    pattern, or `SAME_IN_EVERY_LANGUAGE`), none required unless `keep_required` (a field not written
    keeps the original's text; one the editor saves empty is published empty). A list of items keeps
    the items the file has (none added, removed or moved: the build lays them over the original's in
    order and refuses another count, SG214)."""
    kept = []
    for field in translatable(fields):
        if (
            field.get("i18n") is True
            and "pattern" not in field
            and field["name"] not in SAME_IN_EVERY_LANGUAGE
        ):
            field = {k: v for k, v in field.items() if k not in ("i18n", "default")}
            if "fields" in field:
                field["fields"] = texts_only(field["fields"], keep_required)
                if not field["fields"]:  # only codes inside: nothing to translate
                    continue
            if field["widget"] == "list":
                field.update(allow_add=False, allow_remove=False, allow_reorder=False)
            kept.append({**field, "required": keep_required and field.get("required", True)})
    return kept


def translated_file(file: dict[str, Any], lang: str) -> dict[str, Any]:
    """A site-wide file's translation (site.es.yaml) as a file of its own, with its texts only."""
    path = file["file"].rsplit(".", 1)
    fields = file["fields"] if file["name"] == "faq" else texts_only(file["fields"])  # the whole FAQ
    if file["name"] == "faq":
        fields = [{**f, "required": False} for f in fields]
    return {
        **file,
        "name": f"{file['name']}_{lang}",
        "label": f"{file['label']} in {lang.upper()}",
        "file": f"{path[0]}.{lang}.{path[1]}",
        "fields": fields,
    }


def translations_listed(collection: dict[str, Any], languages: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """A folder collection of a site with several languages, saved through a Git host: Decap would name
    the original `about.en.md` (sitegen reads that as a document of its own), so there is no i18n and
    the collection says where its translations are edited."""
    others = ", ".join(f"about.{lang}.md" for lang in languages[1:])
    where = " or ".join(f"“{collection['label']} in {lang.upper()}”" for lang in languages[1:])
    return {
        **collection,
        "description": (
            f"Translations ({others} beside about.md) are listed here too, but edit them under {where}, "
            "which shows only what a translation may change: opened here, the editor asks for the "
            "original's date, choices and references too, and the build refuses a translation that "
            "changes them (SG214). To edit translations beside their originals, use /admin/ of "
            "`sitegen serve` on your computer."
        ),
    }


def translation_collection(collection: dict[str, Any], lang: str) -> dict[str, Any]:
    """A folder's translations into `lang` (`about.es.md`) as a collection of their own, for a Git
    backend: only the texts a translation may change (required as in the original: a translation shows
    its own title), so that what the editor saves always builds. No new entries: the editor would name
    a new one after its translated title, which matches no original (SG213); a translation starts as a
    copy of its original (docs/editor.md)."""
    fields = texts_only(collection["fields"], keep_required=True)
    names = [f["name"] for f in fields]
    shown = collection["identifier_field"] if collection["identifier_field"] in names else names[0]
    return {
        **collection,
        "name": f"{collection['name']}_{lang}",
        "label": f"{collection['label']} in {lang.upper()}",
        "label_singular": f"{collection['label_singular']} in {lang.upper()}",
        "extension": f"{lang}.{collection['extension']}",
        "create": False,
        "identifier_field": shown,
        "summary": "{{" + shown + "}}",
        "fields": fields,
        "description": (
            f"The translations into {lang.upper()}: only the texts a translation may change. A text not "
            "filled in keeps the original's; one you empty is published empty. To start a translation, "
            "copy the original's file as "
            f"about.{lang}.{collection['extension']} beside it in the repository (or use /admin/ of "
            "`sitegen serve`)."
        ),
    }


def nothing_typed(collection: dict[str, Any]) -> dict[str, Any]:
    """A Markdown collection for a Git backend: its body refuses Markdown typed into the rich text,
    which Decap saves escaped and only the local backend can save as meant (SG687)."""
    fields = [
        {**f, "pattern": [NOTHING_TYPED, NOTHING_TYPED_MESSAGE], "hint": TOOLBAR_HINT}
        if f["name"] == "body" and f["widget"] == "markdown"
        else f
        for f in collection.get("fields", [])
    ]
    return {**collection, "fields": fields} if "fields" in collection else collection


TOOLBAR_HINT = (
    "Make links, bold text, headings and lists with the buttons above the text (for a link: select "
    "the words, then the link button). Markdown typed here is kept as text."
)


def editor_config(
    backend: Backend = Backend(), site_url: str = "", languages: list[str] | tuple[str, ...] = ()
) -> dict[str, Any]:
    """The whole configuration, as the editor reads it from /admin/config.yml. With several
    `languages`, the folders' documents are edited side by side in each (Decap's `multiple_files`:
    `about.es.md` beside the original, which Decap names `about.en.md`: the local backend reads and
    writes that name as `about.md`; a Git backend cannot, so there each folder's translations into each
    language are a collection of their own, `translation_collection`). For a Git backend, Markdown
    bodies refuse typed Markdown (`nothing_typed`)."""
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
    if len(languages) > 1 and backend.name == "local":
        config["i18n"] = {"structure": "multiple_files", "locales": list(languages)}
        config["i18n"]["default_locale"] = languages[0]
        folders = {kind.name for kind in KINDS.values()}
        config["collections"] = [
            with_translations(c) if c["name"] in folders else c for c in config["collections"]
        ]
    elif len(languages) > 1:  # Decap 3.16 names every language's file, the original too: see docs/editor.md
        folders = {kind.name for kind in KINDS.values()}
        config["collections"] = [
            listed
            for c in config["collections"]
            for listed in (
                [
                    translations_listed(c, languages),
                    *(translation_collection(c, lang) for lang in languages[1:]),
                ]
                if c["name"] in folders
                else [c]
            )
        ]
    if len(languages) > 1:  # Decap 3.16 translates a files collection only as single_file: files of their own
        settings = config["collections"][0]
        settings["files"] += [translated_file(f, lang) for lang in languages[1:] for f in settings["files"]]
    if backend.name != "local":
        config["collections"] = [nothing_typed(c) for c in config["collections"]]
    return config
