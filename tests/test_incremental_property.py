"""Property (stateful): after any sequence of an editor's edits, a cached build into the same output folder
equals a clean build (`use_cache=False`, a fresh folder) byte for byte.

The edits are random but valid by construction (the property is about equality, not errors): a post's or
a page's text, title, date, topics; a post renamed, deleted or added; a template override written or
removed; site.yaml's name or description; Spanish translations added, edited or deleted. Every build that
raises fails the test. The settings are fixed (derandomized, no example database) so CI runs the same
sequences every time. Run it alone with
`PYTHONPATH=. python -m pytest -q -p no:cacheprovider tests/test_incremental_property.py`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from sitefactory import edit, make_site, snapshot, with_thumbnail_photos, write

from sitegen.build.pipeline import build
from sitegen.core.paths import SHIPPED_THEMES
from sitegen.incremental import reuse

TODAY = date(2026, 6, 1)
SETTINGS = settings(
    derandomize=True,
    database=None,
    max_examples=20,
    stateful_step_count=7,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Words that YAML reads as text whatever their position (no yes/no/on/off/null, no ':' or '#').
WORDS = ["skin", "care", "laser", "calm", "bright", "visit", "gentle", "clinic", "season", "glow", "peel"]
PALABRAS = ["piel", "cuidado", "calma", "visita", "suave", "clínica", "brillo", "temporada", "láser"]
TOPICS = ["skin care", "lasers", "injectables", "practice news"]
NAMES = ["peels", "masks", "facials", "fillers", "sunscreen"]
# Template overrides: a theme template with a mark added at an anchor that its pages show.
ANCHORS = {
    "post.html": '<article class="wrap">',
    "page.html": '<article class="wrap">',
    "partials/cards.html": '<div class="card-body">',
}


def words(vocabulary: list[str], min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(vocabulary), min_size=min_size, max_size=max_size).map(" ".join)


titles = words(WORDS, 2, 3).map(str.capitalize)
titulos = words(PALABRAS, 2, 3).map(str.capitalize)
paragraph = words(WORDS, 1, 8).map(lambda text: text.capitalize() + ".")
parrafo = words(PALABRAS, 1, 8).map(lambda text: text.capitalize() + ".")
extras = st.sampled_from(
    [
        "",
        "## In short",
        "- one\n- two",
        "See [our team](/team/).",
        "**Good to know.**",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "[TOC]",  # the old dialect's marker: a warning (SG216) every build must report, cached or not
    ]
)


def bodies(sentences: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.lists(sentences, min_size=1, max_size=3), extras).map(
        lambda parts: "\n\n".join([*parts[0], parts[1]]).strip()
    )


@dataclass(frozen=True)
class Translation:
    """A Spanish translation: its texts only; `body` None keeps the original's text."""

    title: str
    body: str | None


@dataclass(frozen=True)
class Post:
    title: str
    day: date
    tags: tuple[str, ...]
    summary: str
    body: str
    es: Translation | None = None


@dataclass(frozen=True)
class Page:
    title: str
    body: str
    header: str = ""  # the other front matter fields, kept as they are
    es: Translation | None = None


translations = st.builds(Translation, titulos, st.one_of(st.none(), bodies(parrafo)))
posts = st.builds(
    Post,
    titles,
    st.dates(date(2025, 11, 1), date(2026, 7, 31)),  # some after TODAY
    st.lists(st.sampled_from(TOPICS), max_size=2, unique=True).map(tuple),
    words(WORDS, 2, 5).map(lambda text: text.capitalize() + "."),
    bodies(paragraph),
    st.one_of(st.none(), translations),
)


page_changes = st.one_of(
    st.tuples(st.just("body"), bodies(paragraph)),
    st.tuples(st.just("title"), titles),
    st.tuples(st.just("es"), st.one_of(st.none(), translations)),
)
post_changes = st.one_of(
    page_changes,
    st.tuples(st.just("day"), st.dates(date(2025, 11, 1), date(2026, 7, 31))),
    st.tuples(st.just("tags"), st.lists(st.sampled_from(TOPICS), max_size=3, unique=True).map(tuple)),
)


def post_text(post: Post) -> str:
    return (
        f"---\ntitle: {post.title}\ndate: {post.day.isoformat()}\nsummary: {post.summary}\n"
        f"tags: [{', '.join(post.tags)}]\nauthor: alex-rivera\n---\n{post.body}\n"
    )


def page_text(page: Page) -> str:
    return f"---\ntitle: {page.title}\n{page.header}---\n{page.body}\n"


def translation_text(es: Translation, summary: bool) -> str:
    head = f"---\ntitle: {es.title}\n" + (f"summary: Sobre {es.title.lower()}.\n" if summary else "")
    return head + "---\n" + (f"{es.body}\n" if es.body is not None else "")


START_POSTS = {
    "welcome": Post(
        "Our new website", date(2026, 1, 15), ("practice news",), "A new site.", "Your first post."
    ),
    "peels": Post("Peels", date(2026, 3, 1), ("skin care",), "About peels.", "Peels, explained."),
    "lasers": Post(
        "Lasers", date(2026, 4, 1), ("lasers",), "About lasers.", "Lasers.", Translation("Láseres", None)
    ),
}
START_PAGES = {
    "about": Page(
        "About us",
        "Who we are.",
        "description: Who we are and how we care for our patients.\nmenu: header\norder: 1\n",
        Translation("Sobre nosotros", "Quiénes somos."),
    ),
    "visit": Page("Your visit", "What to bring."),
}
START_SITE = {"name": "Your Practice Name", "description": "A physician-led aesthetic practice."}


def write_post(site: Path, slug: str, post: Post) -> None:
    write(site, f"posts/{slug}.md", post_text(post))
    translation = site / "content" / "posts" / f"{slug}.es.md"
    if post.es is None:
        translation.unlink(missing_ok=True)
    else:
        write(site, f"posts/{slug}.es.md", translation_text(post.es, summary=True))


def write_page(site: Path, name: str, page: Page) -> None:
    write(site, f"pages/{name}.md", page_text(page))
    translation = site / "content" / "pages" / f"{name}.es.md"
    if page.es is None:
        translation.unlink(missing_ok=True)
    else:
        write(site, f"pages/{name}.es.md", translation_text(page.es, summary=False))


def starting_site(root: Path) -> Path:
    """The starter site, bilingual, two news per list page, with the posts and pages above; its three
    photos made thumbnails an eighth as wide (still resized, cropped and given a `<picture>` in the pages):
    every step's clean build encodes them again, which at full size took two thirds of its time."""
    site = with_thumbnail_photos(make_site(root))
    edit(site, "site.yaml", "tagline:", "languages: [en, es]\nposts_per_page: 2\ntagline:")
    settings_file = site / "content" / "site.yaml"
    settings_file.write_text(
        re.sub(
            r"^description: .*$",
            f"description: {START_SITE['description']}",
            settings_file.read_text(),
            count=1,
            flags=re.M,
        )
    )
    for slug, post in START_POSTS.items():
        write_post(site, slug, post)
    for name, page in START_PAGES.items():
        write_page(site, name, page)
    return site


def built_twice(site: Path, clean: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The output of a cached build into site/public, and of a clean build into `clean`; the two builds
    must report the same warnings (a cached document's, or a rule's finding kept with it, included)."""
    cached = build(site, site / "public", today=TODAY)
    shutil.rmtree(clean, ignore_errors=True)
    fresh = build(site, clean, use_cache=False, today=TODAY)
    reported = sorted(d.format() for d in cached.diagnostics)
    assert reported == sorted(d.format() for d in fresh.diagnostics), "the cached build reports otherwise"
    return snapshot(site / "public"), snapshot(clean)


def assert_same_output(cached: dict[str, str], clean: dict[str, str]) -> None:
    differ = sorted(path for path in cached.keys() | clean.keys() if cached.get(path) != clean.get(path))
    assert not differ, f"the cached build differs from a clean build in {differ}"


class EditsThenBuilds(RuleBasedStateMachine):
    """An editor's session: each rule edits the site's content; the invariant builds with the cache and
    compares with a clean build."""

    slugs = Bundle("slugs")

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start
        self.root = Path(tempfile.mkdtemp(dir=start.parent))
        self.site = self.root / "site"
        self.posts: dict[str, Post] = {}
        self.pages = dict(START_PAGES)
        self.site_yaml = dict(START_SITE)
        self.new_names = 0
        self.edited = False

    @initialize(target=slugs)
    def start_from_a_built_site(self):  # type: ignore[no-untyped-def]
        """A copy of the starting site as its last cached build left it (output and cache)."""
        shutil.copytree(self.start, self.site)
        self.posts = dict(START_POSTS)
        return multiple(*START_POSTS)

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _post(self, slug: str, post: Post) -> None:
        self.posts[slug] = post
        write_post(self.site, slug, post)
        self.edited = True

    def _page(self, name: str, page: Page) -> None:
        self.pages[name] = page
        write_page(self.site, name, page)
        self.edited = True

    # -- posts ---------------------------------------------------------------------------------------

    @rule(slug=slugs, change=post_changes)
    def edit_post(self, slug: str, change: tuple[str, object]) -> None:
        """One field of a post: its text, title, date, topics, or its translation (added, edited or
        deleted)."""
        field, value = change
        self._post(slug, replace(self.posts[slug], **{field: value}))

    @rule(target=slugs, slug=consumes(slugs), name=st.sampled_from(NAMES))
    def rename_post(self, slug: str, name: str) -> str:
        """The file moved (and its translation with it): the post gets a new address."""
        self.new_names += 1
        new = f"{name}-{self.new_names}"
        folder = self.site / "content" / "posts"
        (folder / f"{slug}.md").rename(folder / f"{new}.md")
        if (folder / f"{slug}.es.md").exists():
            (folder / f"{slug}.es.md").rename(folder / f"{new}.es.md")
        self.posts[new] = self.posts.pop(slug)
        self.edited = True
        return new

    @rule(slug=consumes(slugs))
    def delete_post(self, slug: str) -> None:
        del self.posts[slug]
        (self.site / "content" / "posts" / f"{slug}.md").unlink()
        (self.site / "content" / "posts" / f"{slug}.es.md").unlink(missing_ok=True)
        self.edited = True

    @rule(target=slugs, name=st.sampled_from(NAMES), post=posts)
    def add_post(self, name: str, post: Post) -> str:
        self.new_names += 1
        slug = f"{name}-{self.new_names}"
        self._post(slug, post)
        return slug

    # -- pages ---------------------------------------------------------------------------------------

    @rule(name=st.sampled_from(sorted(START_PAGES)), change=page_changes)
    def edit_page(self, name: str, change: tuple[str, object]) -> None:
        """One field of a page: its text, its title, or its translation (added, edited or deleted)."""
        field, value = change
        self._page(name, replace(self.pages[name], **{field: value}))

    # -- templates and settings ----------------------------------------------------------------------

    @rule(template=st.sampled_from(sorted(ANCHORS)), mark=st.one_of(st.none(), st.sampled_from(WORDS)))
    def override_a_template(self, template: str, mark: str | None) -> None:
        """A theme template copied into the site's templates/ with a word added that its pages show; with
        no word, the override removed (the theme's template used again)."""
        target = self.site / "templates" / template
        if mark is None:
            self.edited |= target.exists()
            target.unlink(missing_ok=True)
            return
        text = (SHIPPED_THEMES / "default" / "templates" / template).read_text(encoding="utf-8")
        anchor = ANCHORS[template]
        assert anchor in text, f"{anchor!r} not in the theme's {template}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace(anchor, anchor[:-1] + f' data-mark="{mark}">', 1), encoding="utf-8")
        self.edited = True

    @rule(field=st.sampled_from(sorted(START_SITE)), value=titles)
    def edit_site_yaml(self, field: str, value: str) -> None:
        edit(self.site, "site.yaml", f"{field}: {self.site_yaml[field]}", f"{field}: {value}")
        self.site_yaml[field] = value
        self.edited = True

    # -- the property --------------------------------------------------------------------------------

    @invariant()
    def cached_build_equals_clean_build(self) -> None:
        if not self.edited:
            return  # the starting site: compared once, in `built_start`
        self.edited = False
        assert_same_output(*built_twice(self.site, self.root / "clean"))


@pytest.fixture(scope="module")
def built_start(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starting site after a cached build (checked against a clean one), for every example to copy."""
    root = tmp_path_factory.mktemp("start")
    site = starting_site(root)
    assert_same_output(*built_twice(site, root / "clean"))
    return site


def test_a_cached_build_after_any_edits_equals_a_clean_build(built_start: Path) -> None:
    run_state_machine_as_test(lambda: EditsThenBuilds(built_start), settings=SETTINGS)


# -- the comparison can fail ---------------------------------------------------------------------------


def test_the_comparison_sees_one_changed_byte_and_one_extra_file(built_start: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_start, site)
    cached, clean = built_twice(site, tmp_path / "clean")
    assert_same_output(cached, clean)
    page = site / "public" / "posts" / "peels" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"Peels, explained.", b"Peels, explained!"))
    with pytest.raises(AssertionError, match=r"posts/peels/index\.html"):
        assert_same_output(snapshot(site / "public"), clean)
    page.write_bytes(page.read_bytes().replace(b"Peels, explained!", b"Peels, explained."))
    (site / "public" / "stray.txt").write_text("left over")
    with pytest.raises(AssertionError, match=r"stray\.txt"):
        assert_same_output(snapshot(site / "public"), clean)


def test_a_cache_that_keeps_stale_pages_fails_the_property(
    built_start: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache broken on purpose (every page with a record is kept, whatever changed): the same check
    the state machine runs finds the post page that still shows the old title."""
    site = tmp_path / "site"
    shutil.copytree(built_start, site)
    monkeypatch.setattr(
        reuse.PageReuse,
        "reuse",
        lambda self, page, context: (
            self._kept(page, self.previous[page.out_path]) if page.out_path in self.previous else None
        ),
    )
    write_post(site, "peels", replace(START_POSTS["peels"], title="Chemical peels"))
    with pytest.raises(AssertionError, match=r"posts/peels/index\.html"):
        assert_same_output(*built_twice(site, tmp_path / "clean"))
