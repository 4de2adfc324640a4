"""Incremental builds: a cached rebuild equals a clean build byte for byte, and renders only what changed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sitefactory import edit, make_site, snapshot, with_thumbnail_photos, write

from sitegen.build.pipeline import BuildResult, build
from sitegen.core.errors import ContentError, OutputError
from sitegen.output import writer
from sitegen.serve.devsite import DevSite

POST = (
    "---\ntitle: {title}\ndate: 2026-0{month}-01\nsummary: About {title}.\ntags: [{tag}]\n"
    "author: alex-rivera\n---\n{body}\n"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The starter with three posts and a page; its photos thumbnails (the clean builds the tests compare
    with encode every photo again)."""
    site = with_thumbnail_photos(make_site(tmp_path))
    write(site, "pages/visit.md", "---\ntitle: Your visit\n---\nWhat to bring.\n")
    write(
        site, "posts/peels.md", POST.format(title="Peels", month=3, tag="skin care", body="Peels, explained.")
    )
    write(
        site, "posts/lasers.md", POST.format(title="Lasers", month=4, tag="lasers", body="Lasers, explained.")
    )
    write(site, "posts/fillers.md", POST.format(title="Fillers", month=5, tag="injectables", body="Fillers."))
    edit(site, "site.yaml", "brand:", "posts_per_page: 2\nbrand:")
    return site


def started(site: Path, logs: list[str] | None = None) -> DevSite:
    """The dev server's site (no HTTP) after its first build, as `sitegen serve` starts."""
    dev = DevSite(site) if logs is None else DevSite(site, log=logs.append)
    dev.rebuild()
    return dev


def cached(site: Path) -> BuildResult:
    return build(site, site / "public")


def served(snapshot: Any) -> dict[str, bytes]:
    """What the dev server serves of a snapshot: each file's bytes by output path."""
    return {
        path: a.content if a.content is not None else Path(a.copy_from).read_bytes()
        for path, a in snapshot.files.items()
    }


def clean_build_files(site: Path, tmp_path: Path) -> dict[str, bytes]:
    """Each file a clean build (no cache) of the site writes, by output path."""
    clean = tmp_path / "clean"
    build(site, clean, use_cache=False)
    return {
        f.relative_to(clean).as_posix(): f.read_bytes()
        for f in clean.rglob("*")
        if f.is_file() and f.name != ".sitegen-output"
    }


def assert_same_as_clean_build(site: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    build(site, clean, use_cache=False)
    assert snapshot(site / "public") == snapshot(clean)


def rendered(result: BuildResult) -> set[str]:
    return {path.removesuffix("index.html") for path in result.rendered_pages}


def test_a_second_build_renders_and_writes_nothing(site: Path) -> None:
    first = cached(site)
    before = snapshot(site / "public")
    second = cached(site)
    assert first.rendered == first.page_count and second.rendered == 0 and second.reused == first.page_count
    assert second.written == 0 and second.removed == 0 and snapshot(site / "public") == before


def test_editing_a_post_renders_it_and_the_lists_it_is_in(site: Path, tmp_path: Path) -> None:
    cached(site)
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained again.")
    result = cached(site)
    # newest first, two a page: Fillers and Lasers on posts/, Peels and the welcome post on posts/page/2/;
    # the home page shows the three newest
    assert rendered(result) == {
        "posts/lasers/",
        "posts/",
        "posts/tags/",
        "posts/tags/lasers/",
        "team/alex-rivera/",
        "",
    }
    assert result.written >= 2 and result.removed == 0  # the page and the feed
    assert_same_as_clean_build(site, tmp_path)


def test_editing_a_template_renders_the_pages_that_use_it(site: Path, tmp_path: Path) -> None:
    cached(site)
    (site / "templates").mkdir()
    (site / "templates" / "post.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ post.title }}</h1>{% endblock %}'
    )
    result = cached(site)
    assert rendered(result) == {"posts/welcome/", "posts/peels/", "posts/lasers/", "posts/fillers/"}
    assert_same_as_clean_build(site, tmp_path)
    (site / "templates" / "partials").mkdir()
    theme_cards = (
        Path(__file__).resolve().parent.parent
        / "themes"
        / "default"
        / "templates"
        / "partials"
        / "cards.html"
    )
    (site / "templates" / "partials" / "cards.html").write_text(theme_cards.read_text() + "\n{# changed #}\n")
    result = cached(site)  # an imported template counts too
    assert (
        "posts/" in rendered(result)
        and "services/" in rendered(result)
        and "posts/peels/" not in rendered(result)
    )
    assert_same_as_clean_build(site, tmp_path)


def test_editing_site_yaml_renders_everything(site: Path, tmp_path: Path) -> None:
    first = cached(site)
    edit(site, "site.yaml", "name: Your Practice Name", "name: Larkspur Clinic")
    result = cached(site)
    assert result.rendered == first.page_count and result.reused == 0
    assert_same_as_clean_build(site, tmp_path)


def test_deleting_a_page_removes_its_output(site: Path, tmp_path: Path) -> None:
    cached(site)
    (site / "content" / "pages" / "visit.md").unlink()
    result = cached(site)
    assert not (site / "public" / "visit").exists()
    assert result.removed == 1 and rendered(result) == set()
    assert_same_as_clean_build(site, tmp_path)


def test_renaming_a_page_moves_its_output(site: Path, tmp_path: Path) -> None:
    cached(site)
    (site / "content" / "pages" / "visit.md").rename(site / "content" / "pages" / "first-visit.md")
    result = cached(site)
    assert rendered(result) == {"first-visit/"} and result.removed == 1
    assert (site / "public" / "first-visit" / "index.html").is_file() and not (
        site / "public" / "visit"
    ).exists()
    assert_same_as_clean_build(site, tmp_path)


def test_a_file_changed_in_the_output_folder_is_put_back(site: Path, tmp_path: Path) -> None:
    cached(site)
    (site / "public" / "visit" / "index.html").write_text("tampered")
    (site / "public" / "stray.txt").write_text("left over")
    (site / "public" / "robots.txt").unlink()
    result = cached(site)
    assert rendered(result) == {"visit/"} and result.removed == 1
    assert_same_as_clean_build(site, tmp_path)


def test_the_folders_an_update_touched_are_recorded_so_the_next_builds_see_what_changed(
    site: Path, tmp_path: Path
) -> None:
    """An update does not list the output folder: it records the times of the folders it wrote into
    (new and removed ones too), and those must be the folder's real times, or the next builds would be
    fooled (a no-op not seen as one, or a stray file not seen at all)."""
    cached(site)
    write(site, "pages/parking.md", "---\ntitle: Parking\nmenu: footer\n---\nWhere to park.\n")
    (site / "content" / "pages" / "visit.md").unlink()
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained again.")
    cached(site)
    assert cached(site).site is None  # nothing changed since: answered without loading anything
    (site / "public" / "posts" / "lasers" / "stray.txt").write_text("left over")
    edit(site, "posts/peels.md", "Peels, explained.", "Peels, explained again.")
    assert cached(site).removed == 1
    assert_same_as_clean_build(site, tmp_path)
    assert cached(site).site is None


def test_a_cache_restored_on_another_machine_is_used(site: Path, tmp_path: Path) -> None:
    """As on Netlify: the site checked out afresh, .sitegen/cache and public/ restored, every file time
    new."""
    cached(site)
    moved = tmp_path / "elsewhere"
    shutil.copytree(site, moved, copy_function=shutil.copyfile)  # new times, same bytes
    result = cached(moved)
    assert result.notices == [] and result.rendered == 0 and result.written == 0
    assert cached(moved).site is None  # and the build after that knows at once that nothing changed
    edit(moved, "posts/peels.md", "Peels, explained.", "Peels, in short.")
    assert "posts/peels/" in rendered(cached(moved))
    assert_same_as_clean_build(moved, tmp_path)


def test_a_damaged_cache_is_ignored_with_a_notice(site: Path, tmp_path: Path) -> None:
    cached(site)
    shard = next((site / ".sitegen" / "cache" / "documents").glob("*.data"))
    shard.write_bytes(shard.read_bytes()[:-20] + b"\x00" * 20)
    edit(site, "posts/peels.md", "Peels, explained.", "Peels, in short.")
    result = cached(site)
    assert any("cannot be read" in n or "damaged" in n for n in result.notices), result.notices
    assert result.rendered == result.page_count
    assert_same_as_clean_build(site, tmp_path)
    (site / ".sitegen" / "cache" / "manifest.json").write_text("{not json")
    edit(site, "posts/peels.md", "Peels, in short.", "Peels, briefly.")
    result = cached(site)
    assert any("cannot be read" in n for n in result.notices) and result.rendered == result.page_count
    assert cached(site).notices == []  # the cache written by that build is good again
    for part, text in (("pages", "Peels, in brief."), ("facts", "Peels, at last.")):
        recorded = next((site / ".sitegen" / "cache").glob(f"{part}-*.data"))
        data = recorded.read_bytes()
        recorded.write_bytes(data[:40] + bytes([data[40] ^ 1]) + data[41:])
        edit(site, "posts/peels.md", "Peels, ", f"{text} ")
        result = cached(site)
        assert any("changed or damaged" in n for n in result.notices) and result.rendered == result.page_count
        assert_same_as_clean_build(site, tmp_path)


def test_a_cache_from_another_sitegen_is_ignored_with_a_notice(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached(site)
    monkeypatch.setattr("sitegen.incremental.cache._fingerprint", "written-by-another-version")
    edit(site, "pages/visit.md", "What to bring.", "What to bring with you.")
    result = cached(site)
    assert any("another sitegen" in n for n in result.notices) and result.rendered == result.page_count


def test_the_cli_reports_what_it_did_and_can_skip_the_cache(site: Path) -> None:
    from click.testing import CliRunner

    from sitegen.cli import main

    first = CliRunner().invoke(main, ["build", str(site)])
    again = CliRunner().invoke(main, ["build", str(site)])
    forced = CliRunner().invoke(main, ["build", str(site), "--no-cache"])
    pages = re.search(r"Built (\d+) pages", first.output).group(1)  # type: ignore[union-attr]
    assert f"Pages: {pages} rendered, 0 reused. Files: " in first.output
    assert f"Pages: 0 rendered, {pages} reused. Files: 0 written, 0 removed." in again.output
    assert f"Pages: {pages} rendered, 0 reused." in forced.output


def test_a_failed_build_leaves_the_output_as_it_was(site: Path) -> None:
    cached(site)
    before = snapshot(site / "public")
    edit(site, "posts/lasers.md", "author: alex-rivera", "author: nobody")
    with pytest.raises(ContentError):
        cached(site)
    assert snapshot(site / "public") == before


@pytest.mark.parametrize("use_cache", [True, False])
def test_a_full_build_that_fails_after_rendering_leaves_nothing_behind(site: Path, use_cache: bool) -> None:
    """A full build writes its pages into a new folder as they are rendered (not holding them all in
    memory); an error the checks find afterwards removes that folder and leaves the output as it was."""
    build(site, site / "public", use_cache=False)
    before = snapshot(site / "public")
    shutil.rmtree(site / ".sitegen", ignore_errors=True)  # no cache: a full build either way
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained [here](/visit/#no-such-part).")
    with pytest.raises(ContentError) as error:
        build(site, site / "public", use_cache=use_cache)
    assert "SG320" in error.value.format_message()
    assert snapshot(site / "public") == before
    assert sorted(p.name for p in site.iterdir()) == sorted(
        ["content", "public", *([".sitegen"] if use_cache else [])]
    )


def test_an_interrupted_update_is_undone(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached(site)
    before = snapshot(site / "public")
    edit(site, "site.yaml", "name: Your Practice Name", "name: Larkspur Clinic")
    (site / "content" / "pages" / "visit.md").unlink()
    real_replace, calls = os.replace, []

    def failing_replace(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", failing_replace)
    with pytest.raises(OutputError, match="No space left"):
        cached(site)
    monkeypatch.setattr(writer.os, "replace", real_replace)
    assert snapshot(site / "public") == before
    assert not [p for p in site.iterdir() if p.name.startswith(".public.")]


def _large_site(root: Path, posts: int) -> Path:
    """The starter with `posts` more posts (enough to spread a build over processes); its photos
    thumbnails, as the `--no-cache` builds encode them again."""
    site = with_thumbnail_photos(make_site(root))
    for n in range(posts):
        write(
            site,
            f"posts/p{n:04d}.md",
            POST.format(
                title=f"Post {n}",
                month=1 + n % 9,
                tag=f"topic {n % 7}",
                body=f"## Part {n}\n\n- one\n- two\n\n| a | b |\n|---|---|\n| {n} | x |\n",
            ),
        )
    return site


def test_parallel_and_one_process_builds_are_byte_identical(tmp_path: Path) -> None:
    site = _large_site(tmp_path, 500)
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}"
        command = [
            sys.executable,
            "-m",
            "sitegen",
            "build",
            str(site),
            "--out",
            str(out),
            "--jobs",
            jobs,
            "--no-cache",
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=600)
        outputs[jobs] = snapshot(out)
    assert len(outputs["1"]) > 500 and outputs["1"] == outputs["2"]
    edit(site, "posts/p0007.md", "| 7 | x |", "| 7 | y |")  # a cached parallel rebuild too
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen",
            "build",
            str(site),
            "--out",
            str(tmp_path / "jobs-1"),
            "--jobs",
            "1",
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen",
            "build",
            str(site),
            "--out",
            str(tmp_path / "jobs-2"),
            "--jobs",
            "2",
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    assert snapshot(tmp_path / "jobs-1") == snapshot(tmp_path / "jobs-2")


FIRST_SERVE = """
import hashlib, json, sys
from pathlib import Path
from sitegen.incremental import parallel, reuse
from sitegen.serve import server as serve

used = []
real = reuse.map_chunks
reuse.map_chunks = lambda function, items, jobs, *rest: \
used.append(jobs) or real(function, items, jobs, *rest)
stages = set()
dev = serve.DevSite(Path(sys.argv[1]))
dev.rebuild(lambda stage, done, total: stages.add((stage, done == total)))
served = {path: hashlib.sha256(a.content if a.content is not None else a.copy_from.read_bytes()).hexdigest()
          for path, a in dev.snapshot.files.items()}
print(json.dumps({"jobs": max(used), "cores": parallel.default_jobs(), \
"stages": sorted(stages), "served": served}))
"""


def test_the_dev_servers_first_build_of_a_large_site_uses_every_core_and_equals_a_clean_build(
    tmp_path: Path,
) -> None:
    """Before the server starts its threads, the first build (a large site's takes a while) is spread over
    processes like `sitegen build`'s, and reports its progress; what it serves is what a clean build
    writes."""
    import json

    site = _large_site(tmp_path, 500)
    run = subprocess.run(
        [sys.executable, "-c", FIRST_SERVE, str(site)], capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr[-3000:]
    first = json.loads(run.stdout)
    assert first["jobs"] == min(first["cores"], 2)  # two processes are what 500 posts' pages are worth
    assert ["render", True] in first["stages"] and ["load", True] in first["stages"]
    clean = tmp_path / "clean"
    build(site, clean, use_cache=False)
    assert first["served"] == snapshot(clean)


def _on_a_terminal(command: list[str], until: str) -> str:
    """What `command` writes to a terminal (a pseudo-terminal as its stdout and stderr) up to `until`."""
    import pty
    import select

    main, terminal = pty.openpty()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal)
    os.close(terminal)
    seen = b""
    try:
        while until.encode() not in seen:
            ready, _, _ = select.select([main], [], [], 120)
            assert ready, seen.decode(errors="replace")[-2000:]
            try:
                seen += os.read(main, 65536)
            except OSError:  # the command ended
                break
    finally:
        process.terminate()
        process.wait(timeout=30)
        os.close(main)
    return seen.decode(errors="replace")


@pytest.mark.parametrize(
    "command, until",
    [
        (["build", "--no-cache", "--jobs", "1"], "Built "),
        (["serve", "--port", "0"], "Serving "),
    ],
    ids=["build", "serve"],
)
def test_a_long_build_shows_a_progress_bar_on_a_terminal_and_clears_it(
    tmp_path: Path, command: list[str], until: str
) -> None:
    site = _large_site(tmp_path, 500)
    shown = _on_a_terminal([sys.executable, "-m", "sitegen", command[0], str(site), *command[1:]], until)
    bar = re.search(r"\rRendering \[#*\.*\] \d+/(\d+)", shown)
    assert bar and int(bar[1]) > 500, shown[-2000:]
    cleared = shown.rindex("\r" + " " * 20)  # the bar's line blanked out
    assert shown.rindex("Rendering [") < cleared < shown.index(until), shown[-2000:]


def test_a_file_name_that_is_not_utf8_is_reported_not_a_crash(site: Path) -> None:
    cached(site)
    (site / "content" / "pages" / os.fsdecode(b"odd-\xff.md")).write_text("---\ntitle: Odd\n---\nText.\n")
    with pytest.raises(ContentError) as error:
        cached(site)
    assert [d.code for d in error.value.diagnostics if d.severity.value == "error"] == ["SG207"]


def test_replacing_a_photo_renders_the_pages_again(site: Path, tmp_path: Path) -> None:
    from PIL import Image

    photo = site / "content" / "static" / "images" / "team.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 800), "teal").save(photo)
    edit(site, "pages/visit.md", "What to bring.", "What to bring.\n\n![Our team](/images/team.jpg)")
    cached(site)
    Image.new("RGB", (1000, 1000), "navy").save(photo)  # another size: width and height in the page change
    cached(site)
    assert 'height="1000"' in (site / "public" / "visit" / "index.html").read_text()
    assert_same_as_clean_build(site, tmp_path)


def test_the_dev_server_renders_only_what_changed_and_serves_what_a_build_writes(
    site: Path, tmp_path: Path
) -> None:
    logs: list[str] = []
    dev = started(site, logs)
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained again.")
    snap = dev.rebuild()
    rendered_now, unchanged = map(int, re.search(r"\((\d+) rendered, (\d+) unchanged\)", logs[-1]).groups())  # type: ignore[union-attr]
    assert 0 < rendered_now < 10 and unchanged > 10
    assert served(snap) == clean_build_files(site, tmp_path)


def test_editing_a_post_does_not_render_the_posts_that_share_its_topics(site: Path, tmp_path: Path) -> None:
    """A post page shows its topics' names and addresses, not their posts: a topic's other posts stay."""
    write(
        site, "posts/masks.md", POST.format(title="Masks", month=2, tag="skin care", body="Masks, explained.")
    )
    cached(site)
    edit(site, "posts/peels.md", "Peels, explained.", "Peels, explained again.")
    result = cached(site)
    # newest first, two a page: Fillers, Lasers | Peels, Masks | the welcome post; the home page shows
    # the three newest, Peels among them
    assert rendered(result) == {
        "posts/peels/",
        "posts/page/2/",
        "posts/tags/",
        "posts/tags/skin-care/",
        "team/alex-rivera/",
        "",
    }
    assert "posts/masks/" not in rendered(result)
    assert_same_as_clean_build(site, tmp_path)
    edit(
        site, "posts/peels.md", "title: Peels", "title: Chemical peels"
    )  # the topic page shows the new title
    result = cached(site)
    assert {"posts/peels/", "posts/tags/skin-care/"} <= rendered(result) and "posts/masks/" not in rendered(
        result
    )
    assert "Chemical peels" in (site / "public" / "posts" / "tags" / "skin-care" / "index.html").read_text()
    assert_same_as_clean_build(site, tmp_path)


def test_a_build_run_in_the_site_folder_keeps_unchanged_pages(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sitegen build` with relative paths (its default): kept pages are not copied onto themselves."""
    monkeypatch.chdir(site)
    build(Path("."), Path("public"))
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained again.")
    result = build(Path("."), Path("public"))
    assert 0 < result.written <= 3 and result.rendered < 10


def test_a_no_op_build_imports_neither_jinja_nor_markdown(site: Path) -> None:
    """The no-op path is mostly Python starting: it must not import what only a real build uses."""
    cached(site)
    code = (
        "import sys; from sitegen.cli import main\n"
        "try:\n    main(['build', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('jinja2', 'markdown', 'pyromark', 'yaml', 'nh3', 'PIL', "
        "'sitegen.build.pipeline', 'sitegen.models')"
        " if m in sys.modules)\n"
        "print('heavy:', heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(site)], capture_output=True, text=True, timeout=120
    )
    assert "Pages: 0 rendered" in done.stdout and "heavy: []" in done.stdout, done.stdout + done.stderr


def test_the_no_op_path_finds_the_shipped_themes_where_the_templates_do() -> None:
    from sitegen.incremental import manifest as incremental
    from sitegen.render import templates

    assert incremental.shipped_themes() == templates.SHIPPED_THEMES


def test_the_rules_read_only_the_pages_whose_bytes_changed(site: Path, tmp_path: Path) -> None:
    """What `sitegen check`'s rules need of each page is kept by the page's hash: a rebuild reads the
    pages it rendered, not the ones it kept, and still reports a broken link a template writes."""
    cached(site)
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained again.")
    result = cached(site)
    read = steps(result.trace, "read")
    assert read and set(read) <= {"/" + path for path in rendered(result)} and "/posts/peels/" not in read
    (site / "templates").mkdir()
    (site / "templates" / "post.html").write_text(
        '{% extends "base.html" %}{% block main %}<a href="/nowhere/">x</a>{% endblock %}'
    )
    with pytest.raises(ContentError) as error:
        cached(site)
    assert "SG302" in {d.code for d in error.value.diagnostics}


@pytest.mark.parametrize("change", ["stray file deep inside", "file removed", "folder added", "file changed"])
def test_a_no_op_build_notices_any_change_to_the_output_folder(
    site: Path, tmp_path: Path, change: str
) -> None:
    """The no-op check looks at each recorded file and folder instead of listing the folder."""
    cached(site)
    public = site / "public"
    if change == "stray file deep inside":
        (public / "posts" / "peels" / "old.html").write_text("left over")
    elif change == "file removed":
        (public / "posts" / "peels" / "index.html").unlink()
    elif change == "folder added":
        (public / "posts" / "peels" / "extra").mkdir()
    else:
        page = public / "visit" / "index.html"
        page.write_text(page.read_text().replace("What to bring.", "What to bring!"))
    result = cached(site)
    assert result.site is not None  # not answered as a no-op
    assert_same_as_clean_build(site, tmp_path)
    assert cached(site).site is None


def test_the_dev_server_reads_only_the_pages_it_rendered_for_the_rules(site: Path) -> None:
    dev = started(site)
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained again.")
    dev.rebuild()
    read = steps(dev.session.trace, "read")
    assert "/posts/lasers/" in read and "/posts/peels/" not in read and len(read) < 10


# -- an edit of a document's text alone ------------------------------------------------------------


def steps(trace: list[str], kind: str) -> list[str]:
    """What a build's trace (`BuildResult.trace`, `Session.trace`) says it did of one kind, in order:
    "compared" (the pages whose context it built and compared with the last build's), "rendered",
    "read" (the pages whose bytes the rules read), "assembled" (a language's site), "published"."""
    return [step.removeprefix(kind + " ") for step in trace if step.startswith(kind + " ")]


def test_an_edit_of_a_text_alone_looks_only_at_the_pages_made_from_it(site: Path, tmp_path: Path) -> None:
    """The other pages are kept without building their contexts: on a 10,000-page site that is most of the
    time."""
    first = cached(site)
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained again.")
    result = cached(site)
    made_from_it = {  # posts/page/2/ does not list Lasers (newest first, two a page)
        "posts/lasers/",
        "posts/",
        "posts/tags/",
        "posts/tags/lasers/",
        "team/alex-rivera/",
        "",
    }
    checked = steps(result.trace, "compared")
    assert {p.removesuffix("index.html") for p in checked} == rendered(result) == made_from_it
    assert result.reused == first.page_count - result.rendered
    assert "Lasers, explained again." in (site / "public" / "posts" / "lasers" / "index.html").read_text()
    assert_same_as_clean_build(site, tmp_path)
    edit(site, "posts/lasers.md", "Lasers, explained again.", "Lasers, explained once more.")
    again = cached(site)  # and the records it kept serve the next build as well
    assert {p.removesuffix("index.html") for p in steps(again.trace, "compared")} == made_from_it


def test_an_edit_of_more_than_the_text_looks_at_every_page(site: Path, tmp_path: Path) -> None:
    first = cached(site)
    for old, new in [
        ("title: Lasers", "title: Laser care"),
        ("date: 2026-04-01", "date: 2026-02-01"),
        ("tags: [lasers]", "tags: [lasers, skin care]"),
    ]:
        edit(site, "posts/lasers.md", old, new)
        result = cached(site)
        assert len(steps(result.trace, "compared")) == result.page_count >= first.page_count
        assert_same_as_clean_build(site, tmp_path)


@pytest.mark.parametrize(
    "shown, old, new",
    [
        (
            '<p>{{ tag.name }}: {{ tag.posts | map(attribute="title") | join(", ") }}</p>',
            "title: Peels",
            "title: Chemical peels",
        ),
        (
            "{% for other in tag.posts %}{{ other.html | safe }}{% endfor %}",
            "Peels, explained.",
            "Peels, explained again.",
        ),
    ],
    ids=["titles", "texts"],
)
def test_a_theme_that_shows_a_topics_posts_on_post_pages_renders_them_again(
    site: Path, tmp_path: Path, shown: str, old: str, new: str
) -> None:
    """What a template reads of a topic beyond its name and address is recorded with the documents it
    came from, so a post page showing other posts' titles or texts is never stale."""
    write(
        site, "posts/masks.md", POST.format(title="Masks", month=2, tag="skin care", body="Masks, explained.")
    )
    (site / "templates").mkdir()
    (site / "templates" / "post.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ post.title }}</h1>'
        "{% for tag in tags %}" + shown + "{% endfor %}{% endblock %}"
    )
    cached(site)
    edit(site, "posts/peels.md", old, new)
    result = cached(site)
    assert {"posts/peels/", "posts/masks/"} <= rendered(result) and "posts/lasers/" not in rendered(result)
    assert new.removeprefix("title: ") in (site / "public" / "posts" / "masks" / "index.html").read_text()
    assert_same_as_clean_build(site, tmp_path)


def test_a_text_edit_that_breaks_a_link_is_still_reported(site: Path) -> None:
    cached(site)
    before = snapshot(site / "public")
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained [here](/no-such-page/).")
    with pytest.raises(ContentError) as error:
        cached(site)
    assert (
        "content/posts/lasers.md:8: error[SG302] broken link: no page at /no-such-page/"
        in error.value.format_message()
    )
    assert snapshot(site / "public") == before


@pytest.mark.parametrize(
    "translation, rel_path, old, new, pages",
    [
        # the Spanish post has its own text: an edit of the English one changes the English pages only
        (
            "---\ntitle: Láseres\nsummary: Sobre láseres.\n---\nLáseres, explicados.\n",
            "posts/lasers.md",
            "Lasers, explained.",
            "Lasers, explained again.",
            {"posts/lasers/"},
        ),
        # an edit of the Spanish text changes the Spanish pages only
        (
            "---\ntitle: Láseres\nsummary: Sobre láseres.\n---\nLáseres, explicados.\n",
            "posts/lasers.es.md",
            "Láseres, explicados.",
            "Láseres, explicados otra vez.",
            {"es/posts/lasers/"},
        ),
        # the Spanish post keeps the English text: an edit of it changes the pages of both
        (
            "---\ntitle: Láseres\nsummary: Sobre láseres.\n---\n",
            "posts/lasers.md",
            "Lasers, explained.",
            "Lasers, explained again.",
            {"posts/lasers/", "es/posts/lasers/"},
        ),
    ],
    ids=["original", "translation", "original-kept-by-the-translation"],
)
def test_a_text_edit_of_a_translated_document_looks_only_at_the_pages_made_from_it(
    site: Path,
    tmp_path: Path,
    translation: str,
    rel_path: str,
    old: str,
    new: str,
    pages: set[str],
) -> None:
    edit(site, "site.yaml", "tagline:", "languages: [en, es]\ntagline:")
    write(site, "posts/lasers.es.md", translation)
    first = cached(site)
    edit(site, rel_path, old, new)
    result = cached(site)
    assert pages <= rendered(result) and len(steps(result.trace, "compared")) < first.page_count / 3
    languages = {"es" if page.startswith("es/") else "en" for page in rendered(result)}
    assert languages == {"es" if page.startswith("es/") else "en" for page in pages}, rendered(result)
    assert_same_as_clean_build(site, tmp_path)


def test_the_dev_server_shows_a_text_edit_first_and_checks_the_site_right_after(
    site: Path, tmp_path: Path
) -> None:
    logs: list[str] = []
    dev = started(site, logs)
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained [here](/no-such-page/).")
    dev.rebuild()
    shown = dev.published
    assert steps(dev.session.trace, "published") == ["2", "3"]  # the pages, then the checks' error page
    assert b"/no-such-page/" in shown[0].files["posts/lasers/index.html"].content  # type: ignore[operator]
    assert [s.number for s in shown] == [2, 3] and not shown[0].problems
    assert [p.code for p in shown[1].problems if p.severity.value == "error"] == [
        "SG302"
    ] and dev.snapshot is shown[1]
    edit(site, "posts/lasers.md", "[here](/no-such-page/)", "[here](/posts/peels/)")
    dev.rebuild()
    shown = dev.published
    assert [s.number for s in shown] == [4] and "checked after" in logs[
        -1
    ]  # the checks found nothing: the pages stay
    assert served(dev.snapshot) == clean_build_files(site, tmp_path)


def edited_in_the_dev_server(
    site: Path,
    tmp_path: Path,
    rel_path: str,
    old: str,
    new: str,
    shown: list | None = None,
    first: tuple[str, str, str] | None = None,
) -> tuple[list[str], dict[str, bytes], dict[str, bytes]]:
    """Edit `rel_path` in a running dev server after a first edit (the first after starting assembles
    in full; by default `rel_path` with " (first)" added, else `first`: file, old and new text); the
    second edit's order of showing and assembling ("shown": a snapshot published, "assembled": a
    language's site assembled, as the rebuild's trace says), what the server then serves, and a clean
    build. `shown` receives each snapshot the server published after the second edit."""
    dev = started(site)
    first_path, first_old, first_new = first or (rel_path, old, new + " (first)")
    edit(site, first_path, first_old, first_new)
    dev.rebuild()
    edit(site, rel_path, first_new if first is None else old, new)
    dev.rebuild()
    order = [
        "shown" if step.startswith("published ") else "assembled"
        for step in dev.session.trace
        if step.startswith(("published ", "assembled "))
    ]
    if shown is not None:
        shown += dev.published
    return order, served(dev.snapshot), clean_build_files(site, tmp_path)


@pytest.mark.parametrize(
    "rel_path, old, new",
    [
        ("posts/lasers.md", "Lasers, explained.", "Lasers, explained again."),
        ("pages/about.md", "Write about your practice here", "We opened in 2019"),
        ("services/consultation.md", "Describe the treatment", "What happens at a consultation"),
        ("providers/alex-rivera.md", "Write a short biography", "Alex trained in Boston"),
    ],
)
def test_the_dev_server_shows_a_text_edit_without_assembling_the_site_again(
    site: Path, tmp_path: Path, rel_path: str, old: str, new: str
) -> None:
    """The last site with the edited model put in place; what it shows equals a clean build."""
    assembled, served_files, clean = edited_in_the_dev_server(site, tmp_path, rel_path, old, new)
    assert assembled == ["shown", "assembled"]  # assembled after the pages were shown, for the report
    assert served_files == clean


@pytest.mark.parametrize(
    "translation, rel_path, old, new",
    [
        (
            "---\ntitle: Láseres\nsummary: Sobre láseres.\n---\nLáseres, explicados.\n",
            "posts/lasers.es.md",
            "Láseres, explicados.",
            "Láseres, explicados otra vez.",
        ),
        (
            "---\ntitle: Láseres\nsummary: Sobre láseres.\n---\n",
            "posts/lasers.md",
            "Lasers, explained.",
            "Lasers, explained again.",
        ),
    ],
    ids=["translation", "original-kept-by-the-translation"],
)
def test_the_dev_server_shows_a_text_edit_of_a_translated_document_without_assembling_the_site_again(
    site: Path,
    tmp_path: Path,
    translation: str,
    rel_path: str,
    old: str,
    new: str,
) -> None:
    edit(site, "site.yaml", "tagline:", "languages: [en, es]\ntagline:")
    write(site, "posts/lasers.es.md", translation)
    assembled, served_files, clean = edited_in_the_dev_server(site, tmp_path, rel_path, old, new)
    assert assembled[0] == "shown"  # the pages were shown before the site was assembled again
    assert served_files == clean
    assert new.encode() in served_files["es/posts/lasers/index.html"]


TEXT_EDIT = ("pages/visit.md", "What to bring.", "What to bring along.")  # a first edit, of texts alone


@pytest.mark.parametrize(
    "rel_path, old, new, page, expected",
    [
        (
            "posts/lasers.md",
            "title: Lasers",
            "title: Laser treatments",
            "posts/lasers/index.html",
            "<title>Laser treatments ·",
        ),
        (
            "pages/about.md",
            "title: About us",
            "title: About the practice",
            "about/index.html",
            "<title>About the practice ·",
        ),
        (
            "services/consultation.md",
            "summary: A 30-minute visit",
            "summary: A half-hour visit",
            "services/consultation/index.html",
            '<meta name="description" content="A half-hour visit',
        ),
        (
            "providers/alex-rivera.md",
            "role: Nurse practitioner",
            "role: Nurse injector",
            "team/alex-rivera/index.html",
            '<meta name="description" content="Alex Rivera, Nurse injector at',
        ),
        (
            "pages/index.md",
            "description: Aesthetic treatments",
            "description: Aesthetic care",
            "index.html",
            '<meta name="description" content="Aesthetic care with transparent prices',
        ),
    ],
    ids=["post-title", "page-title-in-the-menu", "treatment-summary", "provider-role", "home-description"],
)
def test_the_dev_server_shows_an_edited_field_first_then_builds_the_site_again(
    site: Path,
    tmp_path: Path,
    rel_path: str,
    old: str,
    new: str,
    page: str,
    expected: str,
) -> None:
    """A title or a summary edit: the edited page from the last site (its title, description and text
    planned again) before the site is assembled, then the whole site, equal to a clean build."""
    shown: list = []
    order, served_files, clean = edited_in_the_dev_server(
        site, tmp_path, rel_path, old, new, shown, TEXT_EDIT
    )
    assert order == ["shown", "assembled", "shown"]
    assert expected.encode() in shown[0].files[page].content and not shown[0].problems
    assert served_files == clean and expected.encode() in served_files[page]


def test_the_full_build_after_a_preview_keeps_the_pages_the_preview_rendered(
    site: Path, tmp_path: Path
) -> None:
    logs: list[str] = []
    dev = started(site, logs)
    edit(site, *TEXT_EDIT)
    dev.rebuild()
    edit(site, "posts/lasers.md", "title: Lasers", "title: Laser treatments")
    dev.rebuild()
    renders = steps(dev.session.trace, "rendered")  # the preview's, then the full build's
    trace, preview = dev.session.trace, dev.published[0]
    assert len(dev.published) == 2 and b"Laser treatments" in preview.files["posts/lasers/index.html"].content
    shown_at = trace.index(f"published {preview.number}")
    assert "rendered posts/lasers/index.html" in trace[:shown_at]  # the preview rendered it
    assert "rendered posts/lasers/index.html" not in trace[shown_at:]  # and the full build kept it
    assert "posts/lasers/index.html" in renders and sorted(renders) == sorted(set(renders))  # each page once
    took, shown = map(
        float,
        re.search(r"in ([\d.]+)s, the edited pages shown after ([\d.]+)s \(\d+ rendered", logs[-1]).groups(),
    )  # type: ignore[union-attr]
    assert took >= shown  # the time the editor waited for the whole site, the preview's included
    assert served(dev.snapshot) == clean_build_files(site, tmp_path)


def test_a_translations_title_edit_is_shown_first_in_its_language(site: Path, tmp_path: Path) -> None:
    edit(site, "site.yaml", "tagline:", "languages: [en, es]\ntagline:")
    write(
        site,
        "posts/lasers.es.md",
        "---\ntitle: Láseres\nsummary: Sobre láseres.\n---\nLáseres, explicados.\n",
    )
    shown: list = []
    order, served_files, clean = edited_in_the_dev_server(
        site,
        tmp_path,
        "posts/lasers.es.md",
        "title: Láseres",
        "title: Láseres de piel",
        shown,
        TEXT_EDIT,
    )
    assert order == ["shown", "assembled", "assembled", "shown"]  # then each language's site assembled
    assert "<title>Láseres de piel ·".encode() in shown[0].files["es/posts/lasers/index.html"].content
    assert served_files == clean


def test_a_new_date_is_shown_on_the_post_first_and_moves_it_in_the_news_after(
    site: Path, tmp_path: Path
) -> None:
    """The preview keeps the last order of the lists; the full build that follows moves the post."""
    shown: list = []
    order, served_files, clean = edited_in_the_dev_server(
        site,
        tmp_path,
        "posts/peels.md",
        "date: 2026-03-01",
        "date: 2026-07-01",
        shown,
        TEXT_EDIT,
    )
    assert order == ["shown", "assembled", "shown"]
    assert b'datetime="2026-07-01"' in shown[0].files["posts/peels/index.html"].content
    assert (
        b"Peels" in served_files["posts/index.html"]
        and b"Peels" not in served_files["posts/page/2/index.html"]
    )
    assert served_files == clean


@pytest.mark.parametrize(
    "old, new",
    [
        ("title: Lasers", "title: Lasers\nslug: laser-guide"),  # another address: other pages' links change
        ("title: Lasers", "title: Lasers\ndraft: true"),  # no longer on the site
    ],
    ids=["moved", "withdrawn"],
)
def test_a_moved_or_withdrawn_page_is_not_shown_before_the_site_is_built_again(
    site: Path, tmp_path: Path, old: str, new: str
) -> None:
    order, served_files, clean = edited_in_the_dev_server(
        site, tmp_path, "posts/lasers.md", old, new, first=TEXT_EDIT
    )
    assert order == ["assembled", "shown"] and served_files == clean


def test_a_shown_edit_that_breaks_a_reference_gives_way_to_the_error_page(site: Path, tmp_path: Path) -> None:
    """The preview is not checked: the full build right after it finds the author who is not on the team."""
    shown: list = []
    with pytest.raises(ContentError, match="1 error"):  # as the clean build that follows the edit does
        edited_in_the_dev_server(
            site,
            tmp_path,
            "posts/lasers.md",
            "author: alex-rivera",
            "author: sam-nobody",
            shown,
            TEXT_EDIT,
        )
    assert (
        len(shown) == 2
        and not shown[0].problems
        and b"Lasers" in shown[0].files["posts/lasers/index.html"].content
    )
    assert shown[1].files == {} and [p.code for p in shown[1].problems] == ["SG301"]


# -- what the rules need of each text, kept with the document ---------------------------------------


def test_a_review_request_in_a_text_is_reported_from_the_cache_until_it_is_removed(
    site: Path, tmp_path: Path
) -> None:
    """The rules' findings in one document's text (here SG627, a reward offered for a review) are found
    when it is loaded and kept in the cache with it: an edit of the text changes them, and a build that
    takes the document from the cache (another post edited) still reports them, at the same line."""
    cached(site)
    offer = "Lasers, explained. Leave us a review and get $20 off your next visit."
    edit(site, "posts/lasers.md", "Lasers, explained.", offer)
    expected = "content/posts/lasers.md:8: error[SG627]"
    with pytest.raises(ContentError) as error:
        cached(site)
    assert expected in error.value.format_message()
    edit(site, "posts/fillers.md", "Fillers.", "Fillers, explained.")  # lasers.md now comes from the cache
    with pytest.raises(ContentError) as error:
        cached(site)
    assert expected in error.value.format_message()
    edit(site, "posts/lasers.md", offer, "Lasers, explained. Tell us how your visit went.")
    result = cached(site)
    assert "SG627" not in {d.code for d in result.diagnostics}
    assert "Tell us how your visit went." in (site / "public" / "posts" / "lasers" / "index.html").read_text()
    assert_same_as_clean_build(site, tmp_path)


def test_a_documents_warning_is_repeated_when_it_comes_from_the_cache(site: Path) -> None:
    """A warning found while loading a document (SG216, a `[TOC]` marker of the old dialect) and a rule's
    warning found in its text when loaded (SG220, an image without alt text) are reported by every build
    that takes the document from the cache, as a clean build reports them."""
    write(site, "static/images/x.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    edit(site, "posts/peels.md", "Peels, explained.", "[TOC]\n\nPeels, explained.\n\n![](/images/x.svg)")
    clean = build(site, site / "clean", use_cache=False).diagnostics
    assert {"SG216", "SG220"} <= {d.code for d in clean}
    cached(site)
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained again.")
    result = cached(site)
    assert rendered(result) and "posts/peels/" not in rendered(result)  # peels.md came from the cache
    assert sorted(map(str, result.diagnostics)) == sorted(map(str, clean))


def test_a_one_page_edit_rewrites_only_the_page_records_it_changed(site: Path, tmp_path: Path) -> None:
    """Page records are kept in shards by output path: an edit of one post's text rewrites the shards of
    the pages it rendered again and leaves the others' files as they were (same file, same bytes)."""
    first = cached(site)
    folder = site / ".sitegen" / "cache"

    def shards() -> dict[str, tuple[int, int, bytes]]:
        return {
            f.name: (f.stat().st_ino, f.stat().st_mtime_ns, f.read_bytes())
            for f in folder.glob("pages-*.data")
        }

    before = shards()
    assert len(before) > 10  # the site's pages fall into many of the 32 shards
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained again.")
    result = cached(site)
    after = shards()
    rewritten = {name for name in after if after[name] != before.get(name)}
    assert set(after) == set(before) and 0 < len(rewritten) <= result.rendered < first.page_count
    assert_same_as_clean_build(site, tmp_path)
    edit(site, "posts/lasers.md", "Lasers, explained again.", "Lasers, explained once more.")
    assert cached(site).rendered == result.rendered  # the records read back from the shards serve again


def test_markdown_saved_escaped_is_reported_from_the_cache_until_it_is_fixed(
    site: Path, tmp_path: Path
) -> None:
    """SG687 (Markdown typed into the editor's rich text, saved escaped) is found when a document is
    loaded and kept in the cache with it: a build that takes the post from the cache (another post
    edited) reports it at the same line, and fixing the text makes it go."""
    escaped = "Lasers, explained. See \\[our prices](/posts/) first."
    edit(site, "posts/lasers.md", "Lasers, explained.", escaped)
    clean = [
        d.format() for d in build(site, site / "clean", use_cache=False).diagnostics if d.code == "SG687"
    ]
    assert len(clean) == 1 and "content/posts/lasers.md:8" in clean[0]
    cached(site)
    edit(site, "posts/fillers.md", "Fillers.", "Fillers, explained.")  # lasers.md now comes from the cache
    result = cached(site)
    assert "posts/lasers/index.html" not in rendered(result)
    assert [d.format() for d in result.diagnostics if d.code == "SG687"] == clean
    edit(site, "posts/lasers.md", escaped, "Lasers, explained. See [our prices](/posts/) first.")
    assert "SG687" not in {d.code for d in cached(site).diagnostics}
    assert_same_as_clean_build(site, tmp_path)


def test_a_text_edit_puts_back_a_kept_page_changed_in_the_output_folder(site: Path, tmp_path: Path) -> None:
    """After an edit of a text, the other pages are kept from the output folder when it holds exactly
    what the last build wrote (looked at once, each file's size and time and each folder's time); a
    page changed there since (here with bytes of the same length) is not kept but rendered again."""
    cached(site)
    page = site / "public" / "visit" / "index.html"
    page.write_bytes(b"x" * len(page.read_bytes()))
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained again.")
    result = cached(site)
    assert {"visit/", "posts/lasers/"} <= rendered(result) and "posts/peels/" not in rendered(result)
    assert_same_as_clean_build(site, tmp_path)
    edit(site, "posts/lasers.md", "Lasers, explained again.", "Lasers, explained once more.")
    result = cached(site)  # the folder is as recorded again: nothing but the edited post's pages
    assert "visit/" not in rendered(result) and "posts/lasers/" in rendered(result)
    assert_same_as_clean_build(site, tmp_path)


def test_a_posts_new_author_shows_it_on_that_providers_page(site: Path, tmp_path: Path) -> None:
    """A provider's page lists the posts they wrote (the site's index of posts by author, made once per
    build): a post given another author leaves the first provider's page for the other's."""
    bio = (site / "content" / "providers" / "alex-rivera.md").read_text()
    write(site, "providers/sam-okafor.md", bio.replace("Alex Rivera", "Sam Okafor"))
    cached(site)
    alex, sam = (site / "public" / "team" / name / "index.html" for name in ("alex-rivera", "sam-okafor"))
    assert "/posts/lasers/" in alex.read_text() and "/posts/lasers/" not in sam.read_text()
    edit(site, "posts/lasers.md", "author: alex-rivera", "author: sam-okafor")
    cached(site)
    assert "/posts/lasers/" not in alex.read_text() and "/posts/lasers/" in sam.read_text()
    assert "/posts/peels/" in alex.read_text()
    assert_same_as_clean_build(site, tmp_path)
