"""The demo's and the starter's stand-in photos (scripts/demo_images.py) are reproducible: drawing each one
again from its seed gives the committed file's bytes, so a rerun of the script changes nothing in git."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("demo_images", ROOT / "scripts" / "demo_images.py")
assert spec is not None and spec.loader is not None
demo_images = importlib.util.module_from_spec(spec)
spec.loader.exec_module(demo_images)


@pytest.mark.parametrize("path", list(demo_images.IMAGES), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_rerun_of_the_script_draws_the_committed_bytes(path: Path) -> None:
    assert path.is_file(), f"{path} is listed by the script but not committed"
    assert demo_images.picture(path) == path.read_bytes(), f"{path.name}: drawn again, the bytes differ"


def test_every_stand_in_photo_of_the_demo_and_the_starter_is_drawn_by_the_script() -> None:
    """The photo slots (hero, offices, team, gallery) hold only pictures the script can make again."""
    drawn = set(demo_images.IMAGES)
    photos = {
        *(ROOT / "content" / "static" / "images").rglob("*.jpg"),
        *(ROOT / "sitegen" / "starter" / "content" / "static" / "images").rglob("*.jpg"),
    }
    assert photos == drawn
