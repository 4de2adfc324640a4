"""A required text left as quotes or spaces (`title: ""`, as the editor saves a field someone emptied) is as
empty as one with no value: the build stops at that line, and the page never goes out with a blank
heading. An optional text may still be written empty."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import main

DEMO = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's content in a folder of its own, built once (its public/ and build cache)."""
    site = tmp_path_factory.mktemp("demo")
    shutil.copytree(DEMO, site / "content")
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    return site


@pytest.fixture
def site(built_demo: Path, tmp_path: Path) -> Path:
    """A copy of the built demo: the site as its last good build left it, to edit and build again."""
    return shutil.copytree(built_demo, tmp_path / "site", symlinks=True)


def _set_title(path: Path, title: str) -> int:
    """Rewrites the document's `title:` line; returns its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[number] = f"title: {title}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return number + 1


@pytest.mark.parametrize("file", ["services/hydrating-facial.md", "services/hydrating-facial.es.md"])
@pytest.mark.parametrize("blank", ['""', "'   '"])
def test_an_emptied_title_stops_the_build_at_its_line_and_keeps_the_site(
    site: Path, file: str, blank: str
) -> None:
    runner = CliRunner()
    before = (site / "public/es/services/hydrating-facial/index.html").read_bytes()
    line = _set_title(site / "content" / file, blank)
    result = runner.invoke(main, ["build", str(site)])
    assert result.exit_code == 1
    assert f'content/{file}:{line}: error[SG202] the required field "title" is empty' in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, (SystemExit, type(None))), result.exc_info  # not a crash
    assert (site / "public/es/services/hydrating-facial/index.html").read_bytes() == before


def test_an_optional_text_may_be_written_empty(site: Path) -> None:
    page = site / "content/pages/about.md"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    page.write_text(
        "".join('description: ""\n' if line.startswith("description:") else line for line in lines),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
