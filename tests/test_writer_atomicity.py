"""A full write (sitegen/output/writer.py): the new site is written aside and swapped in whole, so a build
that fails, or is killed between the two renames, leaves the previous output folder as it was, with nothing
beside it; the cache's record of each file is the same whichever way the file was written.

Written for the mutation run of writer.py (docs/testing.md): the writer was tested only through whole
builds (test_cache.py, test_security.py), several seconds each. These tests write a few files into a
temporary folder, the real file system throughout; two of them make one rename fail (a full disk, a kill),
which no real folder does on demand."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from sitegen.core.artifact import Artifact
from sitegen.core.errors import OutputError
from sitegen.output import journal, writer
from sitegen.output.ownership import MARKER, MARKER_TEXT


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    (folder / "content").mkdir(parents=True)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def beside(out: Path) -> list[str]:
    """What a write left next to the output folder: staging folders, retired folders, a journal."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def failed(out: Path) -> str:
    """The start of the message of a write that failed, as a pattern."""
    return re.escape(f"could not write the site to {out}: ")


def page(path: str, text: str, source: str = "content/x.md") -> Artifact:
    return Artifact(path, content=text.encode(), sources=(source,))


OLD = [page("index.html", "old home"), page("old/index.html", "gone next time")]
NEW = [page("index.html", "new home"), page("posts/a/index.html", "A"), page("feed.xml", "<feed/>")]


def published(site: Path, out: Path, artifacts: list[Artifact]) -> dict[str, bytes]:
    writer.check_output_dir(out, site)
    writer.write(artifacts, out)
    return snapshot(out)


# -- A write that succeeds -----------------------------------------------------------------------------


def test_a_first_write_creates_the_folder_with_every_file_and_the_marker(site: Path) -> None:
    out = site / "deploy" / "www" / "public"  # its parents do not exist yet
    writer.check_output_dir(out, site)
    assert writer.write(NEW, out) == 3
    assert snapshot(out) == {
        "index.html": b"new home",
        "posts/a/index.html": b"A",
        "feed.xml": b"<feed/>",
        MARKER: MARKER_TEXT,
    }
    assert stat.S_IMODE(out.stat().st_mode) == 0o755  # a web server running as another user can read it
    assert beside(out) == []


def test_a_second_write_replaces_the_whole_folder_and_leaves_nothing_beside_it(site: Path) -> None:
    out = site / "public"
    published(site, out, OLD)
    (out / "stray.txt").write_text("left by hand")
    assert published(site, out, NEW) == {
        "index.html": b"new home",
        "posts/a/index.html": b"A",
        "feed.xml": b"<feed/>",
        MARKER: MARKER_TEXT,
    }
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert beside(out) == []  # no retired folder, no staging folder, no journal


def test_an_artifact_without_content_is_an_empty_file(site: Path) -> None:
    out = site / "public"
    assert published(site, out, [Artifact(".nojekyll")])[".nojekyll"] == b""


def test_a_copied_file_is_published_with_its_bytes(site: Path) -> None:
    photo = site / "content" / "photo.jpg"
    photo.write_bytes(b"\xff\xd8jpeg")
    out = site / "public"
    assert (
        published(site, out, [Artifact("img/photo.jpg", copy_from=photo)])["img/photo.jpg"] == b"\xff\xd8jpeg"
    )


# -- A write that fails leaves the previous site --------------------------------------------------------


def test_a_write_that_fails_on_the_disk_leaves_the_previous_site_and_says_where(site: Path) -> None:
    out = site / "public"
    before = published(site, out, OLD)
    clash = [page("about", "a file"), page("about/index.html", "a page under a file of the same name")]
    with pytest.raises(OutputError) as error:
        writer.write([*NEW, *clash], out)
    assert str(error.value).startswith(f"could not write the site to {out}: ")
    assert "about" in str(error.value)  # the OS's reason names the path it could not make
    assert snapshot(out) == before
    assert beside(out) == []


def test_a_file_refused_for_publishing_leaves_the_previous_site(site: Path, tmp_path: Path) -> None:
    out = site / "public"
    before = published(site, out, OLD)
    outside = tmp_path / "secret.env"
    outside.write_text("PASSWORD=x")
    with pytest.raises(OutputError, match="outside the site"):
        writer.write([*NEW, Artifact("zz/secret.env", copy_from=outside)], out)
    assert snapshot(out) == before
    assert beside(out) == []


def test_two_artifacts_for_one_path_are_refused_naming_both_sources(site: Path) -> None:
    out = site / "public"
    before = published(site, out, OLD)
    with pytest.raises(
        OutputError, match=re.escape("two things want to write index.html: content/a.md, content/b.md")
    ):
        writer.write([page("index.html", "a", "content/a.md"), page("index.html", "b", "content/b.md")], out)
    assert snapshot(out) == before


def test_an_output_folder_whose_parent_cannot_be_made_is_refused(site: Path) -> None:
    (site / "deploy").write_text("a file, not a folder")
    out = site / "deploy" / "public"
    with pytest.raises(OutputError, match=failed(out)):
        writer.write(NEW, out)
    with pytest.raises(OutputError, match=failed(out)):
        writer.Staging(out).put(NEW[0])


def test_the_second_rename_failing_puts_the_previous_site_back(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills (or the folder is busy) after the old site was moved aside: it is moved back."""
    out = site / "public"
    before = published(site, out, OLD)
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if self.name.startswith(".public.new-"):
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OutputError, match=failed(out) + ".*No space left on device"):
        writer.write(NEW, out)
    monkeypatch.setattr(Path, "rename", real_rename)
    assert snapshot(out) == before
    assert beside(out) == []
    assert published(site, out, NEW)["index.html"] == b"new home"  # and the next build goes through


def test_a_build_killed_between_the_two_renames_gets_its_site_back_at_the_next_start(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed with the old site moved aside and the new one not yet in place: no output folder at all,
    until the next build's `check_output_dir` reads the journal and moves the old one back."""
    out = site / "public"
    before = published(site, out, OLD)
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if self.name.startswith(".public.new-"):
            raise SystemExit("killed")  # not an OSError: nothing in the writer catches it to undo
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(SystemExit):
        writer.write(NEW, out)
    monkeypatch.setattr(Path, "rename", real_rename)
    assert not out.exists()
    assert journal.journal_path(out).exists()
    writer.check_output_dir(out, site)
    assert snapshot(out) == before
    assert beside(out) == []


def test_the_next_start_finishes_nothing_and_removes_leftovers_of_a_killed_write(site: Path) -> None:
    out = site / "public"
    before = published(site, out, OLD)
    (site / ".public.new-abc123").mkdir()  # a staging folder of a build killed while rendering
    (site / ".public.new-abc123" / "index.html").write_text("half")
    writer.check_output_dir(out, site)
    assert snapshot(out) == before
    assert beside(out) == []


def test_a_build_killed_while_rendering_leaves_nothing_after_the_next_start(site: Path) -> None:
    out = site / "public"
    before = published(site, out, OLD)
    writer.Staging(out).put(page("index.html", "new home"))  # then killed: nothing discards it
    assert beside(out) != []
    writer.check_output_dir(out, site)
    assert snapshot(out) == before
    assert beside(out) == []


def test_a_build_killed_while_removing_the_old_site_leaves_the_new_one_and_nothing_beside(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = site / "public"
    published(site, out, OLD)
    real_rmtree = shutil.rmtree

    def rmtree(path: Path, *args: object, **kwargs: object) -> None:
        if Path(path).name.startswith(".public.old-"):
            raise SystemExit("killed")
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    with pytest.raises(SystemExit):
        writer.write(NEW, out)
    monkeypatch.setattr(shutil, "rmtree", real_rmtree)
    new = snapshot(out)
    assert new["index.html"] == b"new home"
    writer.check_output_dir(out, site)
    assert snapshot(out) == new  # the swap was committed: the new site stays
    assert beside(out) == []


@pytest.mark.parametrize("failure", [OSError(5, "Input/output error"), SystemExit("interrupted")])
def test_a_write_whose_commit_fails_is_reported_as_such_and_undone_at_the_next_start(
    site: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    """The new site is in place but the journal could not be removed: the user is told why (an
    OutputError naming the folder, or the interruption itself, not a missing staging folder), and the next
    start, finding the journal, puts the previous site back."""
    out = site / "public"
    before = published(site, out, OLD)

    def commit(out_dir: Path) -> None:
        raise failure

    monkeypatch.setattr(journal, "commit", commit)
    if isinstance(failure, OSError):
        with pytest.raises(OutputError, match=failed(out) + ".*Input/output error"):
            writer.write(NEW, out)
    else:
        with pytest.raises(SystemExit, match="interrupted"):
            writer.write(NEW, out)
    monkeypatch.undo()
    writer.check_output_dir(out, site)
    assert snapshot(out) == before
    assert beside(out) == []


def test_a_folder_sitegen_did_not_write_is_taken_over_only_with_force(site: Path) -> None:
    out = site / "public"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="did not write"):
        writer.check_output_dir(out, site)
    writer.check_output_dir(out, site, force=True)
    assert (out / MARKER).read_bytes() == MARKER_TEXT


# -- Pages written as they are rendered (Staging) ------------------------------------------------------


def test_pages_put_while_rendering_stay_aside_until_the_write(site: Path) -> None:
    out = site / "deploy" / "www" / "public"  # its parents do not exist yet
    staging = writer.Staging(out)
    staged = staging.put(page("posts/a/index.html", "A", "content/posts/a.md"))
    assert staged.out_path == "posts/a/index.html" and staged.sources == ("content/posts/a.md",)
    assert staged.copy_from is not None and staged.copy_from.read_bytes() == b"A"
    assert not out.exists()  # the output folder is not touched while rendering
    staging.put(Artifact("empty.txt"))
    assert (
        writer.write(
            [page("index.html", "home"), staged, Artifact("empty.txt"), page("z.xml", "z")], out, staging
        )
        == 4
    )
    assert snapshot(out) == {
        "index.html": b"home",
        "posts/a/index.html": b"A",
        "empty.txt": b"",
        "z.xml": b"z",
        MARKER: MARKER_TEXT,
    }
    assert staging.folder is None and beside(out) == []
    staging.discard()  # what a build does when a later step fails: the published site stays
    assert snapshot(out)["index.html"] == b"home"


def test_a_failed_render_discards_what_was_put_and_leaves_the_previous_site(site: Path) -> None:
    out = site / "public"
    before = published(site, out, OLD)
    staging = writer.Staging(out)
    staging.put(page("index.html", "new home"))
    assert beside(out) != []
    staging.discard()
    assert staging.folder is None
    assert snapshot(out) == before
    assert beside(out) == []


def test_a_page_that_cannot_be_put_is_refused_naming_the_output_folder(site: Path) -> None:
    out = site / "public"
    staging = writer.Staging(out)
    staging.put(page("about", "a file"))
    with pytest.raises(OutputError, match=failed(out) + ".*about"):
        staging.put(page("about/index.html", "a page under a file of the same name"))
    staging.discard()
    assert beside(out) == []


def test_a_write_that_fails_after_pages_were_put_removes_them_too(site: Path) -> None:
    out = site / "public"
    before = published(site, out, OLD)
    staging = writer.Staging(out)
    staged = staging.put(page("index.html", "new home"))
    clash = [page("about", "a file"), page("about/index.html", "under a file")]
    with pytest.raises(OutputError):
        writer.write([staged, *clash], out, staging)
    assert staging.folder is None
    assert snapshot(out) == before
    assert beside(out) == []


# -- What the cache records about the written files ----------------------------------------------------


def test_the_records_are_the_same_whether_a_page_was_put_while_rendering_or_written_at_the_end(
    site: Path,
) -> None:
    """The next build compares these records with what it renders: a page put while rendering must be
    recorded by the hash of its bytes, as one written at the end is, or it would be rewritten each time."""
    direct, spooled = site / "direct", site / "spooled"
    artifacts = [page("index.html", "home"), page("posts/a/index.html", "A"), Artifact("empty.txt")]
    writer.write(artifacts, direct)
    staging = writer.Staging(spooled)
    put = [staging.put(artifact) for artifact in artifacts]
    writer.write(put, spooled, staging)
    plain = writer.records(artifacts, direct)
    assert [record[0] for record in writer.records(put, spooled, staging).values()] == [
        record[0] for record in plain.values()
    ]
    assert plain["posts/a/index.html"][0] == hashlib.sha256(b"A").hexdigest()[:32]
    for path, (_, size, mtime_ns) in plain.items():
        st = os.stat(direct / path)
        assert (size, mtime_ns) == (st.st_size, st.st_mtime_ns)
