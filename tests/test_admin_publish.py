"""/admin/ on the published site: `sitegen build` writes it only when site.yaml's `editor:` asks, saving
through the Git host named there; the host's `_headers`, read as the host reads them, give /admin/ its
own policy and every other page the site's strict one, and no page but /admin/ loads a script from
elsewhere. Translations are edited side by side in the local editor."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from sitefactory import add_program, make_site, write

from sitegen.admin.backend import answer
from sitegen.admin.config import editor_config
from sitegen.admin.publish import backend
from sitegen.build.pipeline import build
from sitegen.core.errors import ContentError
from sitegen.models.config import Editor
from sitegen.render.hostrules import headers_for, parse_headers

GITHUB = """editor:
  backend: github
  repo: smile-dental/website
  branch: live
  base_url: https://auth.smile-dental.example
"""


SPANISH = "---\ntitle: Nuevo\nauthor: alex-rivera\ntags:\n  - news\nsummary: Hola\n---\nCuerpo\n"


def _site(tmp_path: Path, editor: str = "") -> Path:
    site = make_site(tmp_path)
    add_program(site)
    config = site / "content/site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + editor, encoding="utf-8")
    return site


def _policies(public: Path, path: str) -> list[str]:
    blocks = parse_headers((public / "_headers").read_text(encoding="utf-8"))
    return [value for name, value in headers_for(blocks, path) if name.lower() == "content-security-policy"]


def _page_paths(public: Path) -> list[str]:
    """The address of every page of the output (a folder's index.html as the folder)."""
    return [
        "/" + p.relative_to(public).as_posix().removesuffix("index.html")
        for p in sorted(public.rglob("*.html"))
        if p.relative_to(public).parts[0] != "admin"
    ]


def test_a_site_that_did_not_ask_publishes_no_editor(tmp_path: Path) -> None:
    site = _site(tmp_path)
    build(site, site / "public")
    public = site / "public"
    assert not (public / "admin").exists()
    assert "/admin/" not in (public / "_headers").read_text(encoding="utf-8")
    site_policy = _policies(public, "/")
    assert len(site_policy) == 1 and "unsafe" not in site_policy[0]


def test_the_published_editor_saves_through_the_git_host_of_site_yaml(tmp_path: Path) -> None:
    site = _site(tmp_path, GITHUB)
    build(site, site / "public")
    admin = site / "public/admin"
    assert 'src="decap-cms.js"' in (admin / "index.html").read_text(encoding="utf-8")
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000  # the editor itself, no CDN
    assert "MIT" in (admin / "LICENSE").read_text(encoding="utf-8")
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {
        "name": "github",
        "repo": "smile-dental/website",
        "branch": "live",
        "base_url": "https://auth.smile-dental.example",
    }
    assert config["site_url"].startswith("https://")
    assert {"services", "posts", "testimonials", "campaigns"} <= {c["name"] for c in config["collections"]}


def test_admin_has_only_its_policy_and_every_other_page_only_the_sites(tmp_path: Path) -> None:
    site = _site(tmp_path, GITHUB)
    build(site, site / "public")
    public = site / "public"
    for path in ("/admin/", "/admin", "/admin/config.yml"):
        policies = _policies(public, path)
        assert len(policies) == 1, (path, policies)  # one policy: the host would enforce both
        assert "'unsafe-eval'" in policies[0] and "style-src 'self' 'unsafe-inline'" in policies[0]
        connect = re.search(r"connect-src ([^;]+)", policies[0])[1].split()  # type: ignore[index]
        assert connect == ["'self'", "blob:", "https://api.github.com", "https://auth.smile-dental.example"]
    strict = _policies(public, "/services/")[0]
    assert "unsafe" not in strict and "script-src 'self';" in strict
    pages = _page_paths(public)
    assert len(pages) > 10 and "/" in pages and "/404.html" in pages
    for path in pages:
        assert _policies(public, path) == [strict], path


def test_no_page_but_the_editor_loads_a_script_from_elsewhere(tmp_path: Path) -> None:
    site = _site(tmp_path, GITHUB)
    build(site, site / "public")
    public = site / "public"
    for path in _page_paths(public):
        html = (public / path.lstrip("/")).with_suffix(".html") if path.endswith(".html") else None
        text = (html or public / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
        sources = re.findall(r"<script[^>]*\bsrc=\"([^\"]*)\"", text)
        assert all(s.startswith("/") and not s.startswith("//") for s in sources), (path, sources)
        assert "decap" not in text


@pytest.mark.parametrize(
    ("editor", "expected"),
    [
        (
            "editor:\n  backend: gitlab\n  repo: clinic/site\n  app_id: 1a2b3c\n",
            {
                "name": "gitlab",
                "repo": "clinic/site",
                "branch": "main",
                "auth_type": "pkce",
                "app_id": "1a2b3c",
            },
        ),
        (
            "editor:\n  backend: git-gateway\n  repo: clinic/site\n"
            "  identity_url: https://auth.decapbridge.com/sites/abc\n"
            "  gateway_url: https://gateway.decapbridge.com\n",
            {
                "name": "git-gateway",
                "repo": "clinic/site",
                "branch": "main",
                "identity_url": "https://auth.decapbridge.com/sites/abc",
                "gateway_url": "https://gateway.decapbridge.com",
            },
        ),
    ],
)
def test_gitlab_signs_in_with_pkce_and_a_gateway_names_its_services(
    tmp_path: Path, editor: str, expected: dict[str, str]
) -> None:
    site = _site(tmp_path, editor)
    build(site, site / "public")
    config = yaml.safe_load((site / "public/admin/config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == expected
    policy = _policies(site / "public", "/admin/")[0]
    for url in expected.values():
        if url.startswith("https://"):
            assert "/".join(url.split("/")[:3]) in policy


@pytest.mark.parametrize(
    ("editor", "code", "words"),
    [
        ("editor:\n  backend: github\n", "SG202", 'missing required field "editor.repo"'),
        ("editor:\n  backend: github\n  repo: website\n", "SG203", "is not a repository name"),
        ("editor:\n  backend: bitbucket\n  repo: a/b\n", "SG206", '"bitbucket" is not allowed'),
        ("editor:\n  backend: github\n  repo: a/b\n  base_url: http://auth.example\n", "SG203", "https://"),
    ],
)
def test_a_wrong_editor_setting_is_reported_at_its_line(
    tmp_path: Path, editor: str, code: str, words: str
) -> None:
    site = _site(tmp_path, editor)
    lines = (site / "content/site.yaml").read_text(encoding="utf-8").splitlines()
    with pytest.raises(ContentError) as failed:
        build(site, site / "public")
    found = [d for d in failed.value.diagnostics if d.code == code]
    assert found and words in found[0].message, failed.value.diagnostics
    assert found[0].location.src_path == "content/site.yaml"
    assert lines[found[0].location.line - 1].strip().startswith(("editor", "backend", "repo", "base_url"))
    assert not (site / "public").exists()


def test_translations_are_edited_side_by_side(tmp_path: Path) -> None:
    config = editor_config(languages=["en", "es"])
    assert config["i18n"] == {"structure": "multiple_files", "locales": ["en", "es"], "default_locale": "en"}
    posts = next(c for c in config["collections"] if c["name"] == "posts")
    fields = {f["name"]: f for f in posts["fields"]}
    assert posts["i18n"] is True
    assert fields["title"]["i18n"] and fields["body"]["i18n"] and fields["summary"]["i18n"]
    # what a translation may not change (sitegen's overlay refuses it) is the original's only
    assert fields["date"]["i18n"] == fields["slug"]["i18n"] == fields["author"]["i18n"] is False
    assert "i18n" not in editor_config(languages=["en"])

    site = make_site(tmp_path)
    write(site, "posts/welcome.es.md", "---\ntitle: Nuestro nuevo sitio\n---\nHola.\n")
    listed = answer(
        site, {"action": "entriesByFolder", "params": {"folder": "content/posts", "extension": "md"}}, "en"
    )
    shown = {e["file"]["path"]: e["data"] for e in listed.body}
    assert sorted(shown) == ["content/posts/welcome.en.md", "content/posts/welcome.es.md"]
    assert shown["content/posts/welcome.en.md"].startswith("---\ntitle: Our new website")
    saved = {
        "entry": {"path": "content/posts/welcome.en.md", "raw": "---\ntitle: New\n---\nBody\n"},
        "dataFiles": [
            {"path": "content/posts/welcome.en.md", "raw": "---\ntitle: New\n---\nBody\n"},
            {
                "path": "content/posts/welcome.es.md",
                "raw": SPANISH,
            },
        ],
        "assets": [],
    }
    assert answer(site, {"action": "persistEntry", "params": saved}, "en").status == 200
    assert (site / "content/posts/welcome.md").read_text(encoding="utf-8").startswith("---\ntitle: New")
    # a reference, a list of tags: the original's only, even when the editor sends them (its relation
    # widget copies the author into every language)
    spanish = (site / "content/posts/welcome.es.md").read_text(encoding="utf-8")
    assert spanish == "---\ntitle: Nuevo\nsummary: Hola\n---\nCuerpo\n"
    assert not (site / "content/posts/welcome.en.md").exists()
    assert json.dumps(listed.body)  # what the editor reads is JSON


def test_the_site_wide_files_translations_are_files_of_their_own_with_texts_only() -> None:
    files = {f["name"]: f for f in editor_config(languages=["en", "es"])["collections"][0]["files"]}
    assert files["program_es"]["file"] == "content/program.es.yaml"
    assert (
        files["site_es"]["file"] == "content/site.es.yaml"
        and files["faq_es"]["file"] == "content/faq.es.yaml"
    )
    program = {f["name"]: f for f in files["program_es"]["fields"]}
    assert {"name", "headline", "intro"} <= set(program) and "max_referrals_per_year" not in program
    site = {f["name"] for f in files["site_es"]["fields"]}
    assert "name" in site and not {"languages", "posts_per_page", "base_url"} & site
    # none required: what a translation leaves out keeps the original's text (docs/languages.md)
    assert all(not f["required"] for f in [*files["site_es"]["fields"], *files["program_es"]["fields"]])
    assert {"question", "answer"} <= {f["name"] for f in files["faq_es"]["fields"][0]["fields"]}
    assert "program_es" not in {f["name"] for f in editor_config(languages=["en"])["collections"][0]["files"]}


def test_a_bilingual_sites_published_editor_never_names_the_original_by_its_language(tmp_path: Path) -> None:
    site = _site(tmp_path, GITHUB + "languages: [en, es]\n")
    write(site, "posts/welcome.es.md", "---\ntitle: Nuestro nuevo sitio\n---\nHola.\n")
    build(site, site / "public")
    config = yaml.safe_load((site / "public/admin/config.yml").read_text(encoding="utf-8"))
    # Decap 3.16's i18n names every language's file, the original too (welcome.en.md), which sitegen
    # would read as a second post: through a Git host there is none, and each folder says why
    assert "i18n" not in config
    collections = {c["name"]: c for c in config["collections"]}
    assert all(
        "i18n" not in c and all("i18n" not in f for f in c.get("fields", [])) for c in collections.values()
    )
    for name in ("posts", "pages", "services", "providers"):
        assert "about.es.md beside about.md" in collections[name]["description"]
        assert (
            "SG214" in collections[name]["description"]
            and "sitegen serve" in collections[name]["description"]
        )
    assert "description" not in collections["settings"]
    assert "content/site.es.yaml" in {f["file"] for f in collections["settings"]["files"]}
    local = editor_config(languages=["en", "es"])  # sitegen serve's editor: side by side, no description
    assert local["i18n"]["default_locale"] == "en"
    assert all("description" not in c for c in local["collections"])
    one = editor_config(backend(Editor(backend="github", repo="smile-dental/website")), languages=["en"])
    assert all("description" not in c for c in one["collections"])  # one language: nothing to explain


@pytest.mark.parametrize("own", ["pages/admin.md", "static/admin/index.html"])
def test_a_page_of_the_site_where_the_editor_would_be_is_refused(tmp_path: Path, own: str) -> None:
    site = _site(tmp_path, GITHUB)
    text = "---\ntitle: Admin\n---\nOurs.\n" if own.endswith(".md") else "<!doctype html><title>x</title>"
    write(site, own, text)
    with pytest.raises(ContentError) as failed:
        build(site, site / "public")
    found = [d for d in failed.value.diagnostics if d.code == "SG675"]
    assert found and "/admin/" in found[0].message, failed.value.diagnostics
    lines = (site / "content/site.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[found[0].location.line - 1] == "editor:"
    (site / "content/site.yaml").write_text(
        "\n".join(lines[: lines.index("editor:")]) + "\n", encoding="utf-8"
    )
    build(site, site / "public")  # without editor:, the site's own /admin/ is the site's business
