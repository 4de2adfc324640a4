"""A document read back from the build cache rebuilds the lines of its front matter only when a diagnostic
asks for them (sitegen/incremental/codec.py, `LATER`): the lines are still right, a shard written again
keeps them, and a forged value among them is refused when read, never imported."""

from __future__ import annotations

import marshal
import re
from pathlib import Path

import pytest
from sitefactory import make_site, write

from sitegen.build.pipeline import build
from sitegen.content.sources import RawDocument
from sitegen.core.errors import ContentError
from sitegen.core.yamlmarks import LocatedDict, load_yaml
from sitegen.incremental import codec

SERVICE = "---\ntitle: {title}\nsummary: A visit.\n{slug}---\nWhat happens.\n"


def raw_document() -> RawDocument:
    meta = load_yaml("title: Peels\nslug: peel\ntags:\n  - skin\n", line_offset=1)
    return RawDocument("posts", "content/posts/peels.md", "peels", meta, "Body.", 7)


def test_the_front_matters_lines_come_back_when_read() -> None:
    back = codec.decode(codec.encode(raw_document()))
    assert back == raw_document()
    assert isinstance(back.meta, LocatedDict) and back.meta.line_of("slug") == 3
    assert back.meta["tags"].item_lines == [5]


def test_a_document_written_again_unread_keeps_its_lines() -> None:
    """A shard holding an edited document is written again with its other documents as they were read."""
    again = codec.decode(codec.encode(codec.decode(codec.encode(raw_document()))))
    assert again == raw_document() and again.meta.line_of("tags") == 4


def test_a_forged_class_in_the_front_matter_is_refused_when_read() -> None:
    node = marshal.loads(codec.encode(raw_document()))
    node[2]["meta"] = (12, "collections:OrderedDict", {}, {})
    back = codec.decode(marshal.dumps(node))
    assert back.src_path == "content/posts/peels.md"
    with pytest.raises(ValueError, match=re.escape("the cache names collections:OrderedDict")):
        _ = back.meta
    with pytest.raises(AttributeError):
        _ = back.no_such_field


def test_a_cached_documents_slug_line_is_reported_when_a_new_file_takes_its_address(tmp_path: Path) -> None:
    """The first build caches first-visit.md; the second reads it back and must point at its `slug:`
    line (the file named after the address claims it first)."""
    site = make_site(tmp_path)
    write(site, "services/consultation.md", SERVICE.format(title="Consultation", slug=""))
    write(site, "services/first-visit.md", SERVICE.format(title="First visit", slug="slug: peel-visit\n"))
    build(site, site / "public")
    write(site, "services/peel-visit.md", SERVICE.format(title="Peel visit", slug=""))
    with pytest.raises(ContentError) as failed:
        build(site, site / "public")
    (found,) = [d for d in failed.value.diagnostics if d.code == "SG208"]
    assert (found.location.src_path, found.location.line) == ("content/services/first-visit.md", 4)
    assert "also used by content/services/peel-visit.md" in found.message
