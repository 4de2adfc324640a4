"""Issue 24, "nothing lost, nothing leaked": hostile or damaged input gives a located message through the
real CLI, never a traceback, a leak or a broken published file; a failed build leaves public/ as it was."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from sitefactory import add_program, edit, make_site, snapshot, write

from sitegen.cli import main
from sitegen.incremental.cache import code_fingerprint
from sitegen.incremental.signing import sign

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Ran:
    """What a `sitegen` command did: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def sitegen(*args: str, prefix: tuple[str, ...] = ()) -> Ran:
    """The `sitegen` command line run in this process (click's runner); with a `prefix` (running it as
    another user), as a process of its own. An exception that escapes the command counts as a crash:
    its traceback is in stderr, as a terminal would show it."""
    if prefix:
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "sitegen", *args],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            timeout=120,
        )
        return Ran(done.returncode, done.stdout, done.stderr)
    result = CliRunner().invoke(main, list(args))
    crash = result.exception is not None and not isinstance(result.exception, SystemExit)
    trace = "".join(traceback.format_exception(*result.exc_info)) if crash and result.exc_info else ""
    return Ran(result.exit_code, result.stdout, result.stderr + trace)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small site already built once: its public/ is the previous site a failed build must keep."""
    site = make_site(tmp_path)
    add_program(site)
    built = sitegen("build", str(site))
    assert built.returncode == 0, built.stderr
    return site


def refused(site: Path, expected: str, *, command: str = "build") -> str:
    """Build (or check) the site; it must fail with `expected` in its message, no traceback, and
    public/ exactly as the last good build left it."""
    before = snapshot(site / "public")
    result = sitegen(command, str(site))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert expected in output, output
    assert "Traceback" not in output, output
    assert snapshot(site / "public") == before
    return output


# -- item 10: nesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "check"])
def test_front_matter_nested_300_deep_is_a_located_error(site: Path, command: str) -> None:
    edit(site, "posts/welcome.md", "tags: [practice news]", "tags: " + "[" * 300 + "]" * 300)
    output = refused(site, "content/posts/welcome.md:5: error[SG219]", command=command)
    assert "nested 301 levels deep; at most 50" in output


def test_yaml_nested_past_libyamls_own_limit_is_a_located_error(site: Path) -> None:
    edit(site, "site.yaml", "brand:", "menu: " + "{a: " * 1200 + "x" + "}" * 1200 + "\nbrand:")
    refused(
        site, "content/site.yaml:9: error[SG219] lists and mappings are nested more than 1000 levels deep"
    )


def test_yaml_nested_in_indented_blocks_is_a_located_error(site: Path) -> None:
    deep = "".join("  " * level + "- \n" for level in range(1, 80))
    edit(site, "site.yaml", "brand:", "menu:\n" + deep + "brand:")
    refused(site, "content/site.yaml:59: error[SG219] lists and mappings are nested 80 levels deep")


def test_aliases_are_not_expanded_into_a_billion_laughs(site: Path) -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )
    write(site, "posts/laughs.md", "---\ntitle: Laughs\ndate: 2026-01-01\nsummary: s\n" + laughs + "---\nx\n")
    started = time.monotonic()
    refused(site, 'content/posts/laughs.md:5: error[SG205] unknown field "a"')
    assert time.monotonic() - started < 30


# -- item 11: link addresses --------------------------------------------------------------------------

SOCIAL = "social:\n  - label: Instagram\n    url: {url}\nbrand:"


@pytest.mark.parametrize(
    ("rel_path", "old", "new", "url", "where"),
    [
        ("site.yaml", "brand:", SOCIAL, "javascript:alert(document.cookie)", "content/site.yaml:11"),
        ("site.yaml", "brand:", SOCIAL, '" JavaScript:alert(1)"', "content/site.yaml:11"),
        ("site.yaml", "brand:", SOCIAL, '"java\\tscript:alert(1)"', "content/site.yaml:11"),
        (
            "site.yaml",
            "brand:",
            "reviews:\n  - label: Yelp\n    url: {url}\nbrand:",
            "data:text/html;base64,PHNjcmlwdD4=",
            "content/site.yaml:11",
        ),
        (
            "site.yaml",
            "brand:",
            "menu:\n  - label: Home\n    url: {url}\nbrand:",
            "//evil.example",
            "content/site.yaml:11",
        ),
        (
            "site.yaml",
            "brand:",
            "footer_links:\n  - label: X\n    url: {url}\nbrand:",
            "/\\evil.example",
            "content/site.yaml:11",
        ),
        (
            "locations/main-office.yaml",
            "hours:",
            "map_url: {url}\nhours:",
            "vbscript:msgbox",
            "content/locations/main-office.yaml:8",
        ),
        (
            "site.yaml",
            "brand:",
            "analytics:\n  script: {url}\nbrand:",
            "http://stats.example/a.js",
            "content/site.yaml:10",
        ),
    ],
)
def test_a_link_that_could_run_code_is_refused_at_its_line(
    site: Path, rel_path: str, old: str, new: str, url: str, where: str
) -> None:
    edit(site, rel_path, old, new.format(url=url))
    output = refused(site, f"{where}: error[SG203]")
    assert "is not a safe link address" in output or "is not an https:// address" in output
    assert "hint: write" in output


def test_safe_link_addresses_are_published(site: Path) -> None:
    edit(
        site,
        "site.yaml",
        "brand:",
        "social:\n  - label: Mail\n    url: mailto:desk@example.com\n"
        "  - label: Call\n    url: tel:+15555550100\n"
        "  - label: Yelp\n    url: https://www.yelp.com/biz/example\n"
        "  - label: About\n    url: /about/\nbrand:",
    )
    result = sitegen("build", str(site))
    assert result.returncode == 0, result.stderr
    home = (site / "public" / "index.html").read_text()
    assert 'href="mailto:desk@example.com"' in home and 'href="https://www.yelp.com/biz/example"' in home


# -- item 12: file size; a post linked from outside ----------------------------------------------------


def test_a_content_file_over_1_mb_is_refused_without_being_read(site: Path) -> None:
    huge = site / "content" / "posts" / "huge.md"
    with huge.open("wb") as handle:  # 20 GB that take no disk: reading them would take minutes
        handle.write(b"---\ntitle: Huge\ndate: 2026-01-01\nsummary: s\n---\n")
        handle.truncate(20 * 10**9)
    started = time.monotonic()
    output = refused(site, "content/posts/huge.md: error[SG217] the file is 20000.0 MB")
    assert "at most 1 MB" in output and time.monotonic() - started < 30


def test_a_post_of_1_1_mb_is_refused_and_one_under_1_mb_builds(site: Path) -> None:
    body = ("A sentence about skin care, written again and again. " * 20 + "\n\n") * 1000  # 1.1 MB
    write(site, "posts/long.md", "---\ntitle: Long\ndate: 2026-01-01\nsummary: s\n---\n" + body)
    refused(
        site, "content/posts/long.md: error[SG217] the file is 1.1 MB; a content file may be at most 1 MB"
    )
    write(site, "posts/long.md", "---\ntitle: Long\ndate: 2026-01-01\nsummary: s\n---\n" + body[:900_000])
    assert sitegen("build", str(site)).returncode == 0


def test_a_post_linked_to_a_file_outside_the_site_is_not_read(site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Notes\ndate: 2026-01-01\nsummary: s\n---\nPATIENT-LIST-42\n")
    (site / "content" / "posts" / "notes.md").symlink_to(secret)
    output = refused(site, "content/posts/notes.md: error[SG223] the file is a link to")
    assert str(secret.resolve()) in output and "hint: copy the file into the site" in output
    assert not any(
        "PATIENT-LIST-42" in f.read_text(errors="ignore") for f in (site / "public").rglob("*.html")
    )


def test_a_content_folder_linked_outside_the_site_is_not_read(site: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.move(site / "content" / "posts", elsewhere)
    (elsewhere / "notes.md").write_text(
        "---\ntitle: Notes\ndate: 2026-01-01\nsummary: s\n---\nPATIENT-LIST-42\n"
    )
    (site / "content" / "posts").symlink_to(elsewhere)
    refused(site, "content/posts/notes.md: error[SG223]")


def test_a_post_linked_to_a_file_inside_the_site_still_builds(site: Path) -> None:
    (site / "drafts").mkdir()
    (site / "drafts" / "kept.md").write_text("---\ntitle: Kept\ndate: 2026-01-01\nsummary: s\n---\nInside.\n")
    (site / "content" / "posts" / "kept.md").symlink_to(site / "drafts" / "kept.md")
    result = sitegen("build", str(site))
    assert result.returncode == 0, result.stderr
    assert "Inside." in (site / "public" / "posts" / "kept" / "index.html").read_text()


# -- item 13: a damaged or unusable cache, a read-only folder --------------------------------------------


def test_a_cut_short_image_in_the_cache_is_made_again_never_published_empty(site: Path) -> None:
    photo = site / "content" / "static" / "images" / "photo.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)  # the starter has photos of its own
    Image.new("RGB", (1200, 800), (200, 100, 50)).save(photo)
    assert sitegen("build", str(site)).returncode == 0
    published = (site / "public" / "images" / "photo.jpg").read_bytes()
    for copy in (site / ".sitegen" / "cache" / "images").glob("*/full.jpg"):
        with Image.open(copy) as cached:
            size = cached.size
        if size == (1200, 800):  # photo.jpg's entry, not the starter's photos
            copy.write_bytes(b"")  # a full disk, or a build killed while writing
    edit(site, "posts/welcome.md", "Your first post.", "Your first post, edited.")
    result = sitegen("build", str(site))
    assert result.returncode == 0, result.stderr
    assert "notice: the cached copies of /images/photo.jpg" in result.stdout + result.stderr
    assert (site / "public" / "images" / "photo.jpg").read_bytes() == published
    edit(site, "posts/welcome.md", "edited.", "edited twice.")
    again = sitegen("build", str(site))  # the entry was replaced: no notice the next time
    assert "notice" not in again.stdout + again.stderr
    assert (site / "public" / "images" / "photo.jpg").read_bytes() == published


def write_signed_manifest(site: Path, manifest: dict) -> None:
    """A manifest signed with this machine's key, as a hand edit or a bug could leave it."""
    data = json.dumps({"format": 1, "fingerprint": code_fingerprint(), **manifest}).encode()
    (site / ".sitegen" / "cache" / "manifest.json").write_bytes(data)
    (site / ".sitegen" / "cache" / "manifest.json.hmac").write_bytes(sign(data))


@pytest.mark.parametrize(
    "manifest",
    [
        {"inputs": {"content/site.yaml": 5}, "outputs": {}},
        {"inputs": {}, "outputs": {"public": []}},
        {"inputs": {}, "outputs": {"public": {"files": [], "state": 3}}},
        {"inputs": {}, "outputs": {}, "shards": ["00"]},
    ],
)
def test_a_signed_manifest_with_values_of_the_wrong_kind_is_ignored_with_a_notice(
    site: Path, manifest: dict
) -> None:
    write_signed_manifest(site, manifest)
    result = sitegen("build", str(site))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "its manifest holds values of the wrong kind; building everything" in output
    assert "Pages: 26 rendered, 0 reused" in output


def test_a_cache_folder_that_is_a_file_is_ignored_with_a_notice(site: Path) -> None:
    shutil.rmtree(site / ".sitegen" / "cache")
    (site / ".sitegen" / "cache").write_text("not a folder")
    result = sitegen("build", str(site))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert ".sitegen/cache is a file, not a folder (delete it); building everything" in output


# root writes anywhere; without the capabilities that let it, it meets read-only folders like anyone
AS_A_USER = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner") if os.geteuid() == 0 else ()


def read_only(folder: Path) -> Callable[[], None]:
    """Make a folder and everything in it read-only; returns how to undo it (for the clean-up)."""
    paths = [folder, *folder.rglob("*")]
    for path in paths:
        path.chmod(path.stat().st_mode & ~0o222)
    return lambda: [path.chmod(path.stat().st_mode | 0o200) for path in paths]


def test_a_read_only_cache_folder_is_ignored_with_a_notice(site: Path) -> None:
    undo = read_only(site / ".sitegen" / "cache")
    try:
        edit(site, "posts/welcome.md", "Your first post.", "Your first post, edited.")
        result = sitegen("build", str(site), prefix=AS_A_USER)
    finally:
        undo()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "cache cannot be written (Permission denied; make it writable, or build with --no-cache)" in output


@pytest.mark.parametrize("cache", [True, False])
def test_a_read_only_output_folder_is_an_error_naming_it(site: Path, tmp_path: Path, cache: bool) -> None:
    out = tmp_path / "published" / "public"
    assert sitegen("build", str(site), "--out", str(out)).returncode == 0
    before = snapshot(out)
    write(site, "posts/new.md", "---\ntitle: New\ndate: 2026-02-01\nsummary: s\n---\nNew.\n")
    undo = read_only(tmp_path / "published")
    try:
        result = sitegen(
            "build", str(site), "--out", str(out), *([] if cache else ["--no-cache"]), prefix=AS_A_USER
        )
    finally:
        undo()
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    assert f"cannot write beside the output folder {out}: Permission denied" in output
    assert snapshot(out) == before


def test_a_read_only_site_is_an_error_naming_the_fix(site: Path) -> None:
    before = snapshot(site / "public")
    undo = read_only(site)
    try:
        result = sitegen("build", str(site), prefix=AS_A_USER)
    finally:
        undo()
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    assert "cannot be created (Permission denied); is the site folder writable?" in output
    assert snapshot(site / "public") == before
