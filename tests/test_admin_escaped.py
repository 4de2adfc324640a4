"""SG687: Markdown typed into the published editor's rich text, which Decap CMS saves escaped
(`\\[our prices](/prices/)`, `\\*\\*Saturdays\\*\\*`, `\\## Hours`, `\\- Cleanings`) and a Git backend writes
to the repository as it is. `sitegen check` and the build warn at the file and line, with the fix; a
writer's own escapes (a footnote's `\\*`, `1984\\.` at a line's start, code) are not reported, nor is
anything in the demo, the starter or examples/dental; the local backend's save leaves nothing to report."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sitefactory import make_site, write

from sitegen.admin.config import Backend, editor_config
from sitegen.admin.richtext import as_typed
from sitegen.build.pipeline import build, check
from sitegen.checks.editor import escaped_markdown
from sitegen.core.errors import Severity

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 3, 1)

# a post as Decap 3.16's rich text saves it through a Git backend, when its writer typed Markdown
SAVED_BY_THE_EDITOR = """\
---
title: Saturday mornings
date: 2026-02-01
summary: From February we also open on Saturday mornings.
---
\\## Opening hours

From February we open on \\*\\*Saturdays\\*\\*, 9 to 1. See \\[our prices](/services/consultation/) first.

\\- Cleanings

\\- Whitening

\\- Check-ups

Questions? Call the front desk.
"""

# a writer's own escapes, which are right where they are
WRITTEN_ON_PURPOSE = """\
---
title: Our story
date: 2026-02-02
summary: How the practice began.
---
1984\\. That is the year Dr. Raman opened our first office.

\\#1 in patient satisfaction in our county, three years running.

\\# 1 for family dentistry, say our patients.

Whitening is $199\\* this month; 3 \\* 2 visits make a series.

\\* New patients only. Not valid with insurance.

Our \\_underscored\\_ names stay, and so does `\\*\\*this\\*\\*` in code.

```
\\[a link](/written/as/text/) \\## in code
```
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def _sg687(site: Path) -> list[tuple[str, int, str, str]]:
    report = check(site, today=TODAY)
    return [
        (d.location.src_path, d.location.line, d.message, d.hint)
        for d in report.diagnostics
        if d.code == "SG687"
    ]


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_markdown_the_editor_escaped_is_reported_at_its_line_with_the_fix(site: Path) -> None:
    write(site, "posts/saturday-mornings.md", SAVED_BY_THE_EDITOR)
    found = _sg687(site)
    where = "content/posts/saturday-mornings.md"
    lines = {line: (message, hint) for src, line, message, hint in found if src == where}
    assert sorted(lines) == [
        _line(SAVED_BY_THE_EDITOR, "Opening hours"),
        _line(SAVED_BY_THE_EDITOR, "Saturdays"),
        _line(SAVED_BY_THE_EDITOR, "Cleanings"),
    ], found
    heading = lines[_line(SAVED_BY_THE_EDITOR, "Opening hours")]
    assert heading[0].startswith("a heading (level 2) was typed into the editor's rich text")
    assert "the page shows `## Opening hours` as it is" in heading[0]
    assert "Headings" in heading[1] and heading[1].endswith("`## Opening hours`")
    items = lines[_line(SAVED_BY_THE_EDITOR, "Cleanings")]
    assert items[0].startswith("a list of 3 items") and items[1].endswith("`- Cleanings`")
    both = [m for s, n, m, h in found if n == _line(SAVED_BY_THE_EDITOR, "Saturdays")]
    assert any(m.startswith("bold text") and "`**Saturdays**`" in m for m in both), both
    assert any(m.startswith("a link to /services/consultation/") for m in both), both
    assert len(found) == 4


def test_the_build_prints_the_warning_and_still_publishes(site: Path, tmp_path: Path) -> None:
    write(site, "posts/saturday-mornings.md", SAVED_BY_THE_EDITOR)
    result = build(site, tmp_path / "out", today=TODAY)
    warned = [d for d in result.diagnostics if d.code == "SG687"]
    assert warned and all(d.severity is Severity.WARNING for d in warned)
    page = (tmp_path / "out/posts/saturday-mornings/index.html").read_text(encoding="utf-8")
    assert "[our prices](/services/consultation/)" in page  # what the reader sees, as the warning says


def test_a_writers_own_escapes_and_code_are_not_reported(site: Path) -> None:
    write(site, "posts/our-story.md", WRITTEN_ON_PURPOSE)
    assert _sg687(site) == []


def test_what_the_local_editor_saves_leaves_nothing_to_report(site: Path) -> None:
    """The local backend un-escapes as it saves (sitegen.admin.richtext): the same typing through
    `sitegen serve` gives a post with a real link, bold text, heading and list."""
    saved = as_typed(SAVED_BY_THE_EDITOR)
    assert "**Saturdays**" in saved and "- Cleanings\n- Whitening" in saved
    write(site, "posts/saturday-mornings.md", saved)
    assert _sg687(site) == []
    assert escaped_markdown(saved.split("---\n", 2)[2]) == []


@pytest.mark.parametrize(
    "folder", ["", "sitegen/starter", "examples/dental"], ids=["demo", "starter", "dental"]
)
def test_no_warning_on_the_shipped_sites(folder: str) -> None:
    assert _sg687(REPO / folder) == []


def test_a_translation_saved_by_the_editor_is_reported_too(site: Path) -> None:
    write(site, "site.yaml", (site / "content/site.yaml").read_text() + "languages: [en, es]\n")
    write(site, "posts/saturday-mornings.md", as_typed(SAVED_BY_THE_EDITOR))
    write(
        site, "posts/saturday-mornings.es.md", "---\ntitle: Los sábados\n---\nVea \\[precios](/services/)\n"
    )
    found = _sg687(site)
    assert [(src, line) for src, line, *_ in found] == [("content/posts/saturday-mornings.es.md", 4)], found


def test_the_published_editors_body_refuses_what_sg687_reports() -> None:
    """The pattern is checked by the editor (JavaScript's RegExp, tests/test_admin_richtext.py in
    Chromium) and here with Python's re, which read it alike."""
    published = editor_config(Backend(name="github", repo="smile-dental/website"))
    posts = next(c for c in published["collections"] if c["name"] == "posts")
    body = next(f for f in posts["fields"] if f["name"] == "body")
    pattern, message = body["pattern"]
    assert message.startswith("Markdown typed here is kept as text") and "toolbar" in message
    saved = SAVED_BY_THE_EDITOR.split("---\n", 2)[2]
    for line in saved.split("\n\n")[:2] + ["\\- Cleanings\n\n\\- Whitening", "1\\. One\n2\\. Two"]:
        assert not re.match(pattern, line), line
    assert re.match(pattern, as_typed(SAVED_BY_THE_EDITOR).split("---\n", 2)[2])
    assert re.match(pattern, WRITTEN_ON_PURPOSE.split("---\n", 2)[2].split("Our \\_")[0])
    local = next(c for c in editor_config()["collections"] if c["name"] == "posts")
    assert "pattern" not in next(f for f in local["fields"] if f["name"] == "body")  # saved as meant
