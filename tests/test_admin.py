"""/admin/'s configuration, generated from the content model: every kind is editable, every field the
build requires is required in the editor, choices are selects, dates date pickers, images uploads."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Any, Literal

import pytest
from sitefactory import make_site, write

from sitegen.admin.config import MEDIA_FOLDER, Backend, editor_config
from sitegen.admin.fields import unwrap
from sitegen.build.pipeline import build
from sitegen.content.kinds import KINDS
from sitegen.core.schema import input_fields
from sitegen.models import FaqItem, SiteConfig
from sitegen.models.forms import Form
from sitegen.models.referral import Program

CONFIG = editor_config()
BY_NAME = {c["name"]: c for c in CONFIG["collections"]}
FILES = {f["name"]: f for f in BY_NAME["settings"]["files"]}


def _collection_models() -> list[tuple[str, type, list[dict[str, Any]]]]:
    found = [(name, kind.model, BY_NAME[name]["fields"]) for name, kind in KINDS.items()]
    found += [("site", SiteConfig, FILES["site"]["fields"]), ("program", Program, FILES["program"]["fields"])]
    found += [("forms", Form, BY_NAME["forms"]["fields"])]
    found += [("faq", FaqItem, FILES["faq"]["fields"][0]["fields"])]
    return found


def _walk(
    cls: type, fields: list[dict[str, Any]], where: str, within_optional: bool = False
) -> list[tuple[str, Any, dict, Any, bool]]:
    """(path, model field, editor field, type, may be left empty) for every field of `cls` the editor
    shows, nested too; the fields of an object that may be left out may be left empty too."""
    hints = typing.get_type_hints(cls)
    by_name = {f["name"]: f for f in fields}
    found = []
    for field in input_fields(cls):
        if field.name not in by_name:
            continue
        shown, (hint, optional) = by_name[field.name], unwrap(hints[field.name])
        found.append((f"{where}.{field.name}", field, shown, hint, optional or within_optional))
        item = typing.get_args(hint)[0] if typing.get_origin(hint) is list else hint
        if dataclasses.is_dataclass(item) and "fields" in shown and item.__name__ not in ("Image", "Week"):
            # an item of a list is whole or absent: its own required fields stay required
            inner = typing.get_origin(hint) is not list and (within_optional or not shown["required"])
            found += _walk(item, shown["fields"], f"{where}.{field.name}", inner)
    return found


ALL = [row for name, cls, fields in _collection_models() for row in _walk(cls, fields, name)]


def test_every_kind_of_content_is_a_collection_at_its_folder() -> None:
    for name, kind in KINDS.items():
        collection = BY_NAME[name]
        assert collection["folder"] == f"content/{name}"
        assert collection["extension"] == kind.suffix.lstrip(".")
        assert collection["format"] == ("frontmatter" if kind.suffix == ".md" else "yaml")
        if kind.suffix == ".md":
            assert collection["fields"][-1] == {
                "name": "body",
                "label": "Text",
                "widget": "markdown",
                "required": False,
            }
    assert {f["file"] for f in FILES.values()} == {
        "content/site.yaml",
        "content/program.yaml",
        "content/faq.yaml",
    }
    assert BY_NAME["forms"]["folder"] == "content/forms"


def test_every_field_the_build_requires_is_required_and_the_others_are_not() -> None:
    checked = 0
    for path, field, shown, _, optional in ALL:
        needed = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        if path in ("testimonials.consent", "gallery.pairs.consent"):
            assert shown["required"] is True, path  # consent is required by the editor, not by the model
            continue
        assert shown["required"] is (needed and not optional), path
        checked += 1
    assert checked > 150


def test_labels_and_hints_come_from_the_field_docs() -> None:
    price = next(s for p, _, s, _, _ in ALL if p == "services.prices.amount")
    assert price["label"] == "Amount"
    assert price["hint"] == (
        "the price as a number (the lowest of a range); 0 for free; "
        "leave out for 'priced at your consultation'"
    )
    assert price["widget"] == "number" and price["value_type"] == "float" and price["min"] == 0
    assert all(shown.get("hint") for _, field, shown, _, _ in ALL if field.metadata.get("doc")), (
        "a hint is lost"
    )


def test_choices_are_selects_dates_are_date_pickers_images_are_uploads() -> None:
    kinds = {"select": 0, "datetime": 0, "image": 0}
    for path, _, shown, hint, _ in ALL:
        item = typing.get_args(hint)[0] if typing.get_origin(hint) is list else hint
        if typing.get_origin(item) is Literal:
            assert shown["widget"] == "select", path
            assert shown["options"] == list(typing.get_args(item)), path
            kinds["select"] += 1
        if getattr(hint, "__name__", "") == "date":
            assert (shown["widget"], shown["format"], shown["time_format"]) == (
                "datetime",
                "YYYY-MM-DD",
                False,
            )
            kinds["datetime"] += 1
        if getattr(hint, "__name__", "") == "Image":
            assert shown["widget"] == "object" and shown["fields"][0]["widget"] == "image", path
            kinds["image"] += 1
    assert kinds["select"] >= 8 and kinds["datetime"] >= 10 and kinds["image"] >= 8, kinds
    assert CONFIG["media_folder"] == MEDIA_FOLDER == "content/static/uploads"
    assert CONFIG["public_folder"] == "/uploads"


def test_references_to_other_documents_are_chosen_among_them() -> None:
    providers = next(s for p, _, s, _, _ in ALL if p == "services.providers")
    assert providers["widget"] == "relation" and providers["collection"] == "providers"
    assert providers["multiple"] is True and providers["value_field"] == "{{slug}}"
    author = next(s for p, _, s, _, _ in ALL if p == "posts.author")
    assert author["collection"] == "providers" and author["multiple"] is False


def test_rules_the_editor_checks_where_the_mistake_is_made() -> None:
    rating = next(s for p, _, s, _, _ in ALL if p == "testimonials.rating")
    assert (rating["min"], rating["max"]) == (1, 5)
    scope = next(s for p, _, s, _, _ in ALL if p == "testimonials.consent.scope")
    assert scope["widget"] == "select" and scope["multiple"] is True and scope["min"] == 1
    colour = next(s for p, _, s, _, _ in ALL if p == "site.brand.primary")
    assert colour["pattern"][0].endswith("$") and "#" in colour["pattern"][0]
    slug = next(s for p, _, s, _, _ in ALL if p == "posts.slug")
    assert slug["required"] is False and slug["pattern"][0].startswith("^$|")  # may stay empty


def test_the_production_backend_is_the_git_host_named() -> None:
    config = editor_config(Backend("github", repo="larkspur/site", branch="live", site_folder="site"))
    assert config["backend"] == {"name": "github", "repo": "larkspur/site", "branch": "live"}
    assert config["media_folder"] == "site/content/static/uploads"
    assert {c.get("folder", "") for c in config["collections"]} >= {"site/content/posts"}
    assert CONFIG["backend"] == {"name": "proxy", "proxy_url": "/admin/api/v1", "branch": "main"}


@pytest.mark.parametrize(
    "text", ["- question: Q?\n  answer: A.\n", "questions:\n  - question: Q?\n    answer: A.\n"]
)
def test_the_faq_is_read_as_a_list_or_as_the_editor_writes_it(tmp_path: Path, text: str) -> None:
    site = make_site(tmp_path)
    write(site, "faq.yaml", text)
    build(site, tmp_path / "out")
    assert "Q?" in (tmp_path / "out" / "faq" / "index.html").read_text(encoding="utf-8")
