"""The editor's local backend in `sitegen serve`: it reads and writes the site's content/ and nothing
else, and answers only the editor's own page."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitefactory import make_site

from sitegen.admin.backend import answer
from sitegen.serve import server as serve


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()
    }


def test_an_entry_is_listed_read_and_saved(site: Path) -> None:
    listed = answer(
        site,
        {
            "action": "entriesByFolder",
            "params": {"folder": "content/services", "extension": "md", "depth": 1},
        },
    )
    assert listed.status == 200
    assert [e["file"]["path"] for e in listed.body] == ["content/services/consultation.md"]
    assert listed.body[0]["data"].startswith("---\ntitle: Aesthetic consultation")
    saved = answer(
        site,
        {
            "action": "persistEntry",
            "params": {
                "entry": {
                    "path": "content/posts/new.md",
                    "raw": "---\ntitle: New\n---\nHello\n",
                    "slug": "new",
                },
                "assets": [
                    {
                        "path": "content/static/uploads/a.png",
                        "content": base64.b64encode(b"PNG").decode(),
                        "encoding": "base64",
                    }
                ],
                "options": {},
            },
        },
    )
    assert saved.status == 200
    assert (site / "content/posts/new.md").read_text() == "---\ntitle: New\n---\nHello\n"
    assert (site / "content/static/uploads/a.png").read_bytes() == b"PNG"
    media = answer(site, {"action": "getMedia", "params": {"mediaFolder": "content/static/uploads"}})
    assert [(m["name"], base64.b64decode(m["content"])) for m in media.body] == [("a.png", b"PNG")]
    assert answer(site, {"action": "deleteFile", "params": {"path": "content/posts/new.md"}}).status == 200
    assert not (site / "content/posts/new.md").exists()


TYPED = (
    "---\ntitle: Hours\nsummary: \\[not the body]\n---\n\\## Saturday hours\n\n"
    "\\[Book a visit](/services/consultation/) or call, \\*\\*Saturdays\\*\\* too.\n\n"
    "\\- Cleanings\n\n\\- Whitening\n\n1\\. First\n\n"
    "```\n\\[kept](/as/typed/)\n```\n"
)


def test_markdown_typed_in_the_rich_text_editor_is_saved_as_meant(site: Path) -> None:
    saved = answer(
        site,
        {"action": "persistEntry", "params": {"entry": {"path": "content/posts/hours.md", "raw": TYPED}}},
    )
    assert saved.status == 200
    text = (site / "content/posts/hours.md").read_text(encoding="utf-8")
    assert text == (
        "---\ntitle: Hours\nsummary: \\[not the body]\n---\n## Saturday hours\n\n"
        "[Book a visit](/services/consultation/) or call, **Saturdays** too.\n\n"
        "- Cleanings\n- Whitening\n\n1. First\n\n"
        "```\n\\[kept](/as/typed/)\n```\n"
    )  # front matter and fenced code as they were
    answer(site, {"action": "persistEntry", "params": {"entry": {"path": "content/faq.yaml", "raw": TYPED}}})
    assert (site / "content/faq.yaml").read_text(encoding="utf-8") == TYPED  # only Markdown files


@pytest.mark.parametrize(
    "path",
    [
        "../outside.md",
        "content/../outside.md",
        "content/posts/../../outside.md",
        "/tmp/outside.md",
        "site.md",
        "themes/x.html",
        "content\\..\\outside.md",
        "content/link/outside.md",  # content/link is a link to a folder outside content/
        "",
    ],
)
def test_no_write_read_or_delete_outside_content(site: Path, tmp_path: Path, path: str) -> None:
    (site / "content" / "link").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "outside.md").write_text("keep")
    before = _files(tmp_path)
    for request in (
        {"action": "persistEntry", "params": {"entry": {"path": path, "raw": "x"}, "assets": []}},
        {
            "action": "persistEntry",
            "params": {
                "entry": {"path": "content/posts/ok.md", "raw": "x"},
                "assets": [{"path": path, "content": "eA==", "encoding": "base64"}],
            },
        },
        {
            "action": "persistMedia",
            "params": {"asset": {"path": path, "content": "eA==", "encoding": "base64"}},
        },
        {"action": "deleteFile", "params": {"path": path}},
        {"action": "getMediaFile", "params": {"path": path}},
        {
            "action": "entriesByFolder",
            "params": {"folder": path.rsplit("/", 1)[0] or path, "extension": "md", "depth": 1},
        },
    ):
        reply = answer(site, request)
        assert reply.status == 400, (request, reply)
    assert _files(tmp_path) == before
    assert not (site / "content/posts/ok.md").exists()  # one bad path: nothing of the request is written
    assert answer(site, {"action": "getEntry", "params": {"path": path}}).body["data"] is None


@pytest.fixture
def server(site: Path) -> Iterator[serve.DevServer]:
    running = serve.start(site, "127.0.0.1", 0)
    yield running
    serve.stop(running)


def _post(server: serve.DevServer, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(server.url + "/admin/api/v1", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        with exc:  # the answer holds its connection until closed
            return exc.code, exc.read()


def test_only_the_editors_own_page_may_save(server: serve.DevServer, site: Path) -> None:
    save = json.dumps(
        {
            "action": "persistEntry",
            "params": {"entry": {"path": "content/posts/x.md", "raw": "x"}, "assets": []},
        }
    ).encode()
    # a form or a "simple" request of another page, which the browser sends without asking first
    assert _post(server, save, {"Content-Type": "text/plain"})[0] == 403
    assert (
        _post(server, save, {"Content-Type": "application/json", "Origin": "http://evil.example"})[0] == 403
    )
    assert _post(server, save, {"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"})[0] == 403
    assert not (site / "content/posts/x.md").exists()
    origin = server.url
    status, body = _post(
        server, save, {"Content-Type": "application/json", "Origin": origin, "Sec-Fetch-Site": "same-origin"}
    )
    assert (status, json.loads(body)) == (200, {"message": "entry persisted"})
    assert (site / "content/posts/x.md").read_text() == "x"


def test_admin_has_its_own_policy_and_the_site_keeps_its_own(server: serve.DevServer) -> None:
    with urllib.request.urlopen(server.url + "/admin/") as response:
        admin_policy = response.headers["Content-Security-Policy"]
        assert b'src="decap-cms.js"' in response.read()
    with urllib.request.urlopen(server.url + "/admin/decap-cms.js") as response:
        assert response.headers["Content-Type"].startswith("text/javascript")
        assert len(response.read()) > 1_000_000  # the editor itself, from sitegen, not from a CDN
    with urllib.request.urlopen(server.url + "/") as response:
        site_policy = response.headers.get("Content-Security-Policy", "")
    assert "style-src 'self' 'unsafe-inline'" in admin_policy and "'unsafe-eval'" in admin_policy
    assert "connect-src 'self' blob:;" in admin_policy and "frame-ancestors 'none'" in admin_policy
    assert site_policy.startswith("default-src") and "unsafe" not in site_policy
