"""What the dev server keeps in memory between rebuilds to show an edit sooner must never change what it
serves: after each edit it serves exactly what a clean build writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sitefactory import edit, make_site, write

from sitegen.build.pipeline import build
from sitegen.incremental.reuse import MadeFrom, made_from_none
from sitegen.serve.devsite import DevSite

POST = (
    "---\ntitle: {title}\ndate: 2026-0{month}-01\nsummary: About {title}.\ntags: [{tag}]\n"
    "author: alex-rivera\n---\n{body}\n"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
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


def served(dev: DevSite) -> dict[str, bytes]:
    return {
        path: a.content if a.content is not None else Path(a.copy_from).read_bytes()
        for path, a in dev.snapshot.files.items()
    }


def clean_build(site: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    out = tmp_path / name
    build(site, out, use_cache=False)
    return {
        f.relative_to(out).as_posix(): f.read_bytes()
        for f in out.rglob("*")
        if f.is_file() and f.name != ".sitegen-output"
    }


def compared(trace: list[str]) -> set[str]:
    return {step.removeprefix("compared ") for step in trace if step.startswith("compared ")}


def test_the_pages_kept_by_document_are_those_each_record_names(site: Path) -> None:
    """`MadeFrom`, made once from a build's records, answers as `made_from_none` does for every page and
    every document (and for a page with no record)."""
    dev = DevSite(site)
    dev.rebuild()
    records: dict[str, Any] = dev.session.pages
    index = dev.session.made_from
    assert isinstance(index, MadeFrom) and index.records is records
    documents = {doc for r in records.values() for docs in r.get("documents", ()) for doc in docs}
    assert {"content/posts/lasers.md", "content/pages/visit.md"} <= documents
    for doc in sorted(documents) + ["content/posts/nowhere.md"]:
        edited = frozenset({doc})
        for out_path in [*records, "no/such/page.html"]:
            assert index.none_of(out_path, edited) == made_from_none(records.get(out_path), edited), (
                out_path,
                doc,
            )
    both = frozenset({"content/posts/lasers.md", "content/posts/peels.md"})
    assert [p for p in records if index.none_of(p, both)] == [
        p for p in records if made_from_none(records[p], both)
    ]


def test_successive_text_edits_of_different_documents_serve_a_clean_build(site: Path, tmp_path: Path) -> None:
    """Each edit's rebuild finds the pages to keep through the records by document of the rebuild before;
    it looks only at the pages made from the edited document and serves what a clean build writes."""
    dev = DevSite(site)
    dev.rebuild()
    made_from_lasers = {
        "posts/lasers/index.html",
        "posts/index.html",
        "posts/tags/index.html",
        "posts/tags/lasers/index.html",
        "team/alex-rivera/index.html",
        "index.html",
    }
    for step, (rel, old, new) in enumerate(
        [
            ("posts/lasers.md", "Lasers, explained.", "Lasers, explained again."),
            ("pages/visit.md", "What to bring.", "What to bring, and when."),
            ("posts/lasers.md", "Lasers, explained again.", "Lasers, explained once more."),
            ("posts/peels.md", "Peels, explained.", "Peels, explained [twice](/posts/lasers/)."),
        ]
    ):
        edit(site, rel, old, new)
        before = dev.session.made_from
        dev.rebuild()
        assert dev.session.made_from is not before  # made again from this rebuild's records
        assert served(dev) == clean_build(site, tmp_path, f"clean{step}"), rel
        if rel == "posts/lasers.md":
            assert compared(dev.session.trace) == made_from_lasers
        if rel == "pages/visit.md":
            assert compared(dev.session.trace) == {"visit/index.html"}


def test_a_title_edit_after_text_edits_serves_a_clean_build(site: Path, tmp_path: Path) -> None:
    """A preview keeps the pages not made from the edited post through the records by document too; the
    full build after it, and the text edit after that, equal a clean build."""
    dev = DevSite(site)
    dev.rebuild()
    edit(site, "posts/fillers.md", "Fillers.", "Fillers, in short.")
    dev.rebuild()
    edit(site, "posts/fillers.md", "title: Fillers", "title: Dermal fillers")
    dev.rebuild()
    preview = dev.published[0]
    assert b"Dermal fillers" in preview.files["posts/fillers/index.html"].content  # type: ignore[operator]
    assert "posts/lasers/index.html" not in compared(
        dev.session.trace[: dev.session.trace.index("published 4")]
    )
    assert served(dev) == clean_build(site, tmp_path, "clean-title")
    edit(site, "posts/lasers.md", "Lasers, explained.", "Lasers, explained again.")
    dev.rebuild()
    assert served(dev) == clean_build(site, tmp_path, "clean-after")


def test_files_added_to_and_removed_from_a_content_folder_are_seen_by_each_rebuild(
    site: Path, tmp_path: Path
) -> None:
    """The content folders' listings are kept between rebuilds by the names in them: a new post is
    published, a file with the wrong suffix is warned about at every rebuild (SG211) until removed."""
    logs: list[str] = []
    dev = DevSite(site, log=logs.append)
    dev.rebuild()
    write(site, "posts/botox.md", POST.format(title="Botox", month=6, tag="injectables", body="Botox."))
    dev.rebuild()
    assert "posts/botox/index.html" in dev.snapshot.files
    assert served(dev) == clean_build(site, tmp_path, "clean-added")
    write(site, "posts/notes.txt", "to do\n")
    for attempt in range(2):  # said again by the rebuild after, which lists the same names
        del logs[:]
        edit(site, "posts/peels.md", "Peels, explained", f"Peels, explained ({attempt})")
        dev.rebuild()
        assert [line for line in logs if "SG211" in line and "notes.txt" in line], logs
    (site / "content" / "posts" / "notes.txt").unlink()
    (site / "content" / "posts" / "botox.md").unlink()
    del logs[:]
    dev.rebuild()
    assert not [line for line in logs if "SG211" in line]
    assert "posts/botox/index.html" not in dev.snapshot.files
    assert served(dev) == clean_build(site, tmp_path, "clean-removed")
