"""Translations in the published editor (a Git backend, where Decap's i18n would save the original as
`about.en.md`): each folder's translations into each other language are a collection of their own
("Posts in ES", files `*.es.md`) offering only the texts a translation may change, so that what the
editor saves builds. A translation of every kind of the demo, written as the editor saves it with every
field it offers filled, builds with no SG214."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO_ROOT

from sitegen.admin.config import Backend, editor_config
from sitegen.build.pipeline import build
from sitegen.content.kinds import KINDS
from sitegen.content.overlay import NOT_TEXT

GITHUB = Backend(name="github", repo="smile-dental/website")
FACT_WIDGETS = {"datetime", "select", "relation", "boolean", "number", "image"}


def _collections(backend: Backend = GITHUB) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in editor_config(backend, languages=["en", "es"])["collections"]}


def _walk(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [w for f in fields for w in [f, *_walk(f.get("fields", []))]]


def test_a_translation_collection_offers_only_the_texts_a_translation_may_change() -> None:
    collections = _collections()
    posts = collections["posts_es"]
    assert posts["folder"] == "content/posts" and posts["extension"] == "es.md"
    assert posts["label"] == "Posts in ES" and posts["create"] is False
    names = [f["name"] for f in posts["fields"]]
    assert names == ["title", "summary", "image", "body"], names  # no date, author, tags, draft, slug
    for kind in KINDS.values():
        translation = collections[f"{kind.name}_es"]
        every = _walk(translation["fields"])
        assert not {f["name"] for f in every} & (NOT_TEXT | {"check"}), kind.name
        assert not {f["widget"] for f in every} & FACT_WIDGETS, kind.name
        required = {f["name"] for f in _walk(collections[kind.name]["fields"]) if f["required"]}
        assert {f["name"] for f in every if f["required"]} <= required, kind.name  # as in the original
        assert translation["identifier_field"] in [f["name"] for f in translation["fields"]]
        lists = [f for f in every if f["widget"] == "list"]  # the original's items, in its order
        assert all(not f["allow_add"] and not f["allow_remove"] and not f["allow_reorder"] for f in lists)
    assert [f["name"] for f in posts["fields"] if f["required"]] == ["title", "summary"]  # its own
    assert "“Posts in ES”" in collections["posts"]["description"]
    local = _collections(Backend())  # sitegen serve: side by side (Decap's i18n), no such collection
    assert "posts_es" not in local and local["posts"]["i18n"] is True


def _filled(fields: list[dict[str, Any]], original: Any, where: str) -> dict[str, Any]:
    """Every field the editor offers, filled as a translator would: an object or list the original has,
    with as many items (the editor adds none)."""
    data: dict[str, Any] = {}
    for field in fields:
        name, had = field["name"], (original or {}).get(field["name"])
        if field["widget"] == "object":
            if isinstance(had, dict):
                data[name] = _filled(field["fields"], had, f"{where}.{name}")
        elif field["widget"] == "list":
            if isinstance(had, list) and had and "fields" in field:
                data[name] = [_filled(field["fields"], item, f"{where}.{name}") for item in had]
        elif name != "body":
            data[name] = f"Texto en español ({where}.{name})"
    return data


def _translation(original: Path, fields: list[dict[str, Any]], markdown: bool) -> str:
    text = original.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1] if markdown else text)
    data = _filled([f for f in fields if f["name"] != "body"], meta, original.stem)
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\nTexto del cuerpo, en español.\n" if markdown else front


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    site = tmp_path / "demo"
    shutil.copytree(REPO_ROOT / "content", site / "content")
    return site


def test_a_translation_saved_with_every_field_filled_builds(demo: Path, tmp_path: Path) -> None:
    collections = _collections()
    written = []
    for kind in KINDS.values():
        folder = demo / "content" / kind.name
        originals = sorted(f for f in folder.glob(f"*{kind.suffix}") if "." not in f.stem)
        assert originals, f"the demo has no {kind.name}"
        original = originals[0]
        translation = original.with_name(f"{original.stem}.es{kind.suffix}")
        fields = collections[f"{kind.name}_es"]["fields"]
        translation.write_text(_translation(original, fields, kind.suffix == ".md"), encoding="utf-8")
        written.append(translation)
    result = build(demo, tmp_path / "out")  # a refused translation (SG214) would raise ContentError
    assert not [d for d in result.diagnostics if d.code.startswith("SG21")], result.diagnostics
    services = next(t for t in written if t.parent.name == "services")
    page = (tmp_path / "out/es/services" / services.stem.split(".")[0] / "index.html").read_text()
    assert f"Texto en español ({services.stem.split('.')[0]}.title)" in page
