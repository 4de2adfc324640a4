"""Small real sites in a temporary folder, for tests: the starter that `sitegen init` writes, then edits."""

from __future__ import annotations

import atexit
import hashlib
import io
import shutil
import tempfile
from functools import cache
from pathlib import Path

from PIL import Image

from sitegen.build.pipeline import build
from sitegen.scaffold import create_site


def make_site(root: Path, *, photos_processed: bool = True) -> Path:
    """The starter that `sitegen init` writes, in root/site. With `photos_processed` (the default) its
    build cache already holds the resized copies of the starter's three photos (.sitegen/cache/images/,
    made by this code once per process, see `_built_starter`), as a site built before has them: its first
    build reads them instead of encoding about 40 JPEG and WebP files again, two thirds of a starter
    build's time. Pages, templates and everything else are built as in a new site. A build with
    `use_cache=False` (`--no-cache`) ignores the folder and encodes them."""
    site = root / "site"
    create_site(site)
    return with_processed_photos(site) if photos_processed else site


def with_processed_photos(site: Path) -> Path:
    """The site given the resized copies of the starter's photos in its build cache, as a site built
    before has them (sitegen finds an entry by a hash of the photo's bytes, and checks every file of it
    before use: a site whose photos are not the starter's just does not use them). Only a build with its
    cache reads them; `sitegen check` and `use_cache=False` resize every photo again."""
    shutil.copytree(
        _built_starter() / ".sitegen" / "cache" / "images",
        site / ".sitegen" / "cache" / "images",
        dirs_exist_ok=True,
    )
    return site


@cache
def _built_starter() -> Path:
    """The starter, built once per process with its cache in a temporary folder of its own (removed when
    the process ends): the compiled templates and processed photos that sites made here are given."""
    folder = tempfile.mkdtemp(prefix="sitegen-starter-")
    atexit.register(shutil.rmtree, folder, True)
    starter = Path(folder) / "site"
    create_site(starter)
    build(starter, starter / "public")
    return starter


def with_compiled_templates(site: Path) -> Path:
    """The site given the starter's compiled templates in its build cache, as a site built before has
    them: its first build in a new process (a `sitegen` subprocess) compiles no theme template again
    (sitegen reads a compiled template only when its signature and its source's checksum hold). Within
    one test process compiled templates are shared anyway (incremental/bytecode.ProcessBytecodeCache)."""
    shutil.copytree(
        _built_starter() / ".sitegen" / "cache" / "templates", site / ".sitegen" / "cache" / "templates"
    )
    return site


def with_thumbnail_photos(site: Path) -> Path:
    """The site's JPEG photos made thumbnails an eighth as wide (still resized, cropped for phones and
    given `<picture>`s in the pages): for tests that build a site many times without its cache
    (`use_cache=False` encodes every photo again, two thirds of a starter build's time at full size)
    and whose subject is not the photos. Entries of the photos in the build cache are removed."""
    for photo in (site / "content" / "static" / "images").glob("*.jpg"):
        photo.write_bytes(_thumbnail(photo.read_bytes()))
    shutil.rmtree(site / ".sitegen" / "cache" / "images", ignore_errors=True)
    return site


@cache
def _thumbnail(jpeg: bytes) -> bytes:
    """A JPEG an eighth as wide and high (made once per process for each photo)."""
    with Image.open(io.BytesIO(jpeg)) as full:
        small = full.resize((full.width // 8, full.height // 8))
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def write(site: Path, rel_path: str, text: str) -> Path:
    file = site / "content" / rel_path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


def edit(site: Path, rel_path: str, old: str, new: str) -> None:
    file = site / "content" / rel_path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel_path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder with a hash of its bytes: equal snapshots mean nothing changed. The marker
    sitegen leaves in an output folder it owns (`.sitegen-output`) is not part of the site."""
    return {
        f.relative_to(folder).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(folder.rglob("*"))
        if f.is_file() and f.relative_to(folder).as_posix() != ".sitegen-output"
    }


PROGRAM = """\
name: The Friends Circle
headline: Share us with a friend
intro: Your friend gets a welcome offer, and you are thanked for every friend who becomes a patient.
model: direct
referrer_reward:
  kind: credit
  value: 10
  description: a $10 account credit
friend_reward:
  kind: discount
  value: 10
  description: $10 off a first treatment
success:
  within_days: 60
terms:
  version: "1.0"
  effective: 2026-01-01
  eligibility: Patients aged 18 or over.
  new_patient: Someone who has not visited in three years.
  reward_timing: Within 14 days of the friend's first paid visit.
  restrictions:
    - Rewards have no cash value.
  privacy: We store your first name and email to credit your rewards.
  changes: We may change the program with 30 days' notice.
"""


def add_program(site: Path, text: str = PROGRAM) -> Path:
    """A small valid referral program (direct model) for the starter site."""
    return write(site, "program.yaml", text)
