"""The dev server keeps the catalogues it read (`Session.catalogues`) only while their files hold the
same bytes: an edited catalogue is shown at the next rebuild, and a mistake in one is reported by every
rebuild, as `sitegen build` reports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitefactory import make_site, write

from sitegen.build.pipeline import build
from sitegen.core.errors import ContentError
from sitegen.serve.server import DevSite


def page(dev: DevSite) -> bytes:
    content = dev.snapshot.files["index.html"].content
    assert content is not None
    return content


def test_an_edited_catalogue_is_shown_and_its_mistake_reported_at_every_rebuild(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    dev = DevSite(site)
    dev.rebuild()
    assert b"Skip to main content" in page(dev)
    write(site, "i18n/en.yaml", '"Skip to main content": "Skip to the page"\n')
    dev.rebuild()
    assert b"Skip to the page" in page(dev) and b"Skip to main content" not in page(dev)
    write(site, "i18n/en.yaml", '"Skip to main content": "Straight to the page"\n')
    dev.rebuild()
    assert b"Straight to the page" in page(dev)
    write(site, "i18n/en.yaml", "- a list, not messages\n")
    for _ in range(2):  # the second rebuild takes the catalogues kept from the first: same report
        dev.rebuild()
        assert [p.code for p in dev.snapshot.problems] == ["SG110"] and not dev.snapshot.files
    with pytest.raises(ContentError) as error:
        build(site, tmp_path / "out")
    assert [d.format() for d in error.value.diagnostics] == [p.format() for p in dev.snapshot.problems]
