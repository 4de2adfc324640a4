"""A synthetic practice site of N documents, written for sitegen, Pelican, MkDocs and Hugo from one corpus.

Every tool gets the same Markdown bodies (headings, lists, links, a table, an image; about 550 words),
the same images and the same titles, dates and tags; only the metadata header and the folder layout
follow each tool's conventions. The corpus is deterministic: the same N always gives the same files,
so numbers from two runs compare.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

WORDS = [
    "skin",
    "treatment",
    "results",
    "visit",
    "patients",
    "provider",
    "consultation",
    "laser",
    "peel",
    "collagen",
    "sunscreen",
    "appointment",
    "recovery",
    "redness",
    "series",
    "gentle",
    "texture",
    "tone",
    "clinic",
    "nurse",
    "physician",
    "plan",
    "booking",
    "comfortable",
    "numbing",
    "aftercare",
    "week",
    "month",
    "hydration",
    "serum",
    "retinol",
    "pigment",
    "spots",
    "lines",
    "volume",
    "natural",
    "subtle",
    "safe",
    "evidence",
    "follow-up",
    "price",
    "package",
    "question",
    "answer",
    "team",
    "office",
    "parking",
]
TAGS = sorted(set(WORDS))[:30]  # words, not "topic 1": Pelican pages tag "topic 1" as topic-12.html
PROVIDERS = ["ana-lopez", "ben-okafor", "chris-moreau", "dana-iqbal", "eli-novak", "fay-lindqvist"]
CATEGORIES = ["Injectables", "Skin", "Laser", "Wellness"]
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 60">'
    '<rect width="96" height="60" fill="#{0}"/></svg>\n'
)


@dataclass(frozen=True)
class Doc:
    kind: str  # "posts" or "services"
    slug: str
    title: str
    day: date
    summary: str
    tags: tuple[str, ...]
    author: str
    image: str
    body: str


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(9, 16)) for _ in range(sentences))


def _body(rng: random.Random, docs_so_far: list[tuple[str, str]], image: str) -> str:
    """About 550 words: three sections, a bullet list, a numbered list, a table, an image, links."""
    links = rng.sample(docs_so_far, k=min(3, len(docs_so_far)))
    linked = [
        f"[{title.lower()}](/{kind}/{slug}/)"
        for kind, slug, title in ((k, s, s.replace("-", " ")) for k, s in links)
    ]
    parts = [
        _paragraph(rng, 6) + (f" Read more in {', '.join(linked)}." if linked else ""),
        "## How it works",
        _paragraph(rng, 7),
        f"![{_sentence(rng, 5)[:-1]}]({image})",
        "- " + "\n- ".join(_sentence(rng, rng.randint(6, 12)) for _ in range(5)),
        "## What to expect",
        _paragraph(rng, 7),
        "| Visit | Length | Price |\n|---|---|---|\n"
        + "\n".join(
            f"| {_sentence(rng, 2)[:-1]} | {rng.randint(15, 90)} minutes | ${rng.randint(5, 60) * 10} |"
            for _ in range(4)
        ),
        "1. " + "\n1. ".join(_sentence(rng, rng.randint(6, 12)) for _ in range(4)),
        "## Booking and aftercare",
        _paragraph(rng, 6) + " See [our prices](/services/) or [the team](/team/).",
    ]
    return "\n\n".join(parts) + "\n"


def documents(n: int, seed: int = 8) -> list[Doc]:
    """n documents: a fifth of them services, the rest posts, each with a stable slug."""
    rng = random.Random(seed)
    services = max(2, n // 5)
    docs, seen = [], []
    start = date(2012, 1, 1)
    for index in range(n):
        kind = "services" if index < services else "posts"
        slug = f"{'service' if kind == 'services' else 'post'}-{index:05d}"
        title = f"{_sentence(rng, 4)[:-1]} {index}"
        image = f"/images/{kind}/img-{index % 20:02d}.svg"
        docs.append(
            Doc(
                kind,
                slug,
                title,
                start + timedelta(days=index % 5000),
                _sentence(rng, 18),
                tuple(rng.sample(TAGS, 2)) if kind == "posts" else (),
                rng.choice(PROVIDERS),
                image,
                _body(rng, seen, image),
            )
        )
        seen.append((kind, slug))
    return docs


def _images(static: Path) -> None:
    for kind in ("posts", "services"):
        folder = static / "images" / kind
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(20):
            (folder / f"img-{i:02d}.svg").write_text(SVG.format(f"{i * 12:02x}{i * 7:02x}99"))


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_sitegen(root: Path, docs: list[Doc]) -> Path:
    site = _fresh(root)
    content = site / "content"
    (content / "locations").mkdir(parents=True)
    (content / "site.yaml").write_text(
        "name: Benchmark Aesthetics\nbase_url: https://bench.example.com\n"
        "description: A synthetic practice site for measuring build times.\n"
        "contact:\n  phone: (555) 555-0100\n  email: hello@bench.example.com\n"
    )
    (content / "locations" / "main.yaml").write_text(
        "name: Main office\naddress:\n  street: 1 Main St\n  city: Springfield\n  region: IL\n"
        '  postal_code: "62701"\n'
        'phone: (555) 555-0100\nhours:\n  monday: "09:00-17:00"\n  tuesday: "09:00-17:00"\n'
    )
    for folder in ("pages", "providers", "services", "posts"):
        (content / folder).mkdir()
    (content / "pages" / "index.md").write_text("---\ntitle: Welcome\n---\nA synthetic practice.\n")
    for slug in PROVIDERS:
        name = slug.replace("-", " ").title()
        (content / "providers" / f"{slug}.md").write_text(
            f"---\nname: {name}\nrole: Nurse practitioner\nlocations: [main]\n---\n{name} treats patients.\n"
        )
    for doc in docs:
        if doc.kind == "posts":
            meta = (
                f"title: {_yaml_text(doc.title)}\ndate: {doc.day.isoformat()}\n"
                f"summary: {_yaml_text(doc.summary)}\n"
                f"tags: [{', '.join(doc.tags)}]\nauthor: {doc.author}\nimage:\n  src: {doc.image}\n"
                "  alt: An illustration\n"
            )
        else:
            meta = (
                f"title: {_yaml_text(doc.title)}\nsummary: {_yaml_text(doc.summary)}\n"
                f"category: {CATEGORIES[len(doc.slug) % 4]}\nproviders: [{doc.author}]\n"
                f"prices:\n  - label: Per visit\n    amount: {100 + len(doc.title)}\n"
            )
        (content / doc.kind / f"{doc.slug}.md").write_text(f"---\n{meta}---\n{doc.body}")
    _images(content / "static")
    return site


def write_pelican(root: Path, docs: list[Doc]) -> Path:
    """Posts become articles, services pages; Pelican's own Markdown metadata header; default theme."""
    site = _fresh(root)
    content = site / "content"
    (content / "pages").mkdir(parents=True)
    for doc in docs:
        head = f"Title: {doc.title}\nDate: {doc.day.isoformat()}\nSlug: {doc.slug}\nSummary: {doc.summary}\n"
        if doc.kind == "posts":
            head += f"Tags: {', '.join(doc.tags)}\nAuthor: {doc.author}\nCategory: news\n"
            target = content / f"{doc.slug}.md"
        else:
            target = content / "pages" / f"{doc.slug}.md"
        target.write_text(f"{head}\n{doc.body}")
    _images(content)
    (site / "pelicanconf.py").write_text(
        'AUTHOR = "Benchmark"\nSITENAME = "Benchmark Aesthetics"\nSITEURL = ""\nPATH = "content"\n'
        'TIMEZONE = "UTC"\nDEFAULT_LANG = "en"\nSTATIC_PATHS = ["images"]\nDEFAULT_PAGINATION = 10\n'
        'FEED_ALL_ATOM = "feeds/all.atom.xml"\nARTICLE_URL = "posts/{slug}/"\n'
        'ARTICLE_SAVE_AS = "posts/{slug}/index.html"\n'
        'PAGE_URL = "services/{slug}/"\nPAGE_SAVE_AS = "services/{slug}/index.html"\n'
        'LOAD_CONTENT_CACHE = True\nCACHE_CONTENT = True\nCACHE_PATH = "cache"\n'
    )
    return site


def write_pelican_lean(root: Path, docs: list[Doc]) -> Path:
    """The same content as write_pelican, with Pelican at its leanest: the default theme, no pagination, no
    feeds, no cache, none of its optional pages (tag, category and author pages and their indexes), and
    its pages (the services) not listed in every page's menu (the default theme's menu would list all of
    them, as sitegen's does not); what is left is each article and page, the home page listing every
    article, and the archives."""
    site = write_pelican(root, docs)
    (site / "pelicanconf.py").write_text(
        'AUTHOR = "Benchmark"\nSITENAME = "Benchmark Aesthetics"\nSITEURL = ""\nPATH = "content"\n'
        'TIMEZONE = "UTC"\nDEFAULT_LANG = "en"\nSTATIC_PATHS = ["images"]\nDEFAULT_PAGINATION = False\n'
        'ARTICLE_URL = "posts/{slug}/"\nARTICLE_SAVE_AS = "posts/{slug}/index.html"\n'
        'PAGE_URL = "services/{slug}/"\nPAGE_SAVE_AS = "services/{slug}/index.html"\n'
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n"
        'TAG_SAVE_AS = ""\nCATEGORY_SAVE_AS = ""\nAUTHOR_SAVE_AS = ""\n'
        'DIRECT_TEMPLATES = ["index", "archives"]\nDISPLAY_PAGES_ON_MENU = False\n'
        "LOAD_CONTENT_CACHE = False\nCACHE_CONTENT = False\n"
    )
    return site


def write_mkdocs(root: Path, docs: list[Doc]) -> Path:
    """docs/posts and docs/services; a short explicit nav (as a practice site's menu), default theme.

    Without `nav`, MkDocs puts every page in every page's navigation, which makes a 10,000-page site
    quadratic; a short menu is what a practice site has, and what sitegen renders.
    """
    site = _fresh(root)
    docs_dir = site / "docs"
    for kind in ("posts", "services"):
        (docs_dir / kind).mkdir(parents=True)
        (docs_dir / kind / "index.md").write_text(f"# {kind.title()}\n\nAll {kind}.\n")
    (docs_dir / "index.md").write_text("# Benchmark Aesthetics\n\nA synthetic practice.\n")
    for doc in docs:
        meta = f"---\ntitle: {_yaml_text(doc.title)}\ndate: {doc.day.isoformat()}\n---\n"
        (docs_dir / doc.kind / f"{doc.slug}.md").write_text(f"{meta}# {doc.title}\n\n{doc.body}")
    _images(docs_dir)
    (site / "mkdocs.yml").write_text(
        "site_name: Benchmark Aesthetics\nsite_url: https://bench.example.com/\nuse_directory_urls: true\n"
        "nav:\n  - Home: index.md\n  - Services: services/index.md\n  - News: posts/index.md\n"
        "validation:\n  omitted_files: ignore\n  absolute_links: ignore\n  unrecognized_links: ignore\n"
    )
    return site


HUGO_BASEOF = """<!doctype html><html lang="en"><head><meta charset="utf-8">\
<title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ .Summary | plainify | truncate 160 }}"></head><body>
<header><a href="/">{{ site.Title }}</a> \
<nav><a href="/services/">Services</a> <a href="/posts/">News</a> <a href="/tags/">Topics</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>© {{ site.Title }}</footer></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>\
<p><time>{{ .Date.Format "January 2, 2006" }}</time>
{{ with .Params.tags }}· {{ range . }}\
<a href="{{ (site.GetPage (printf "/tags/%s" (. | urlize))).RelPermalink }}">{{ . }}</a> \
{{ end }}{{ end }}</p>
{{ .Content }}</article>{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ $pages := .Paginate .Pages }}
{{ range $pages.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>\
<p>{{ .Params.summary }}</p></article>{{ end }}
{{ with $pages.Next }}<a href="{{ .URL }}">Older</a>{{ end }}{{ end }}
"""


def write_hugo(root: Path, docs: list[Doc]) -> Path:
    """content/posts and content/services with YAML front matter; a small theme of three layouts."""
    site = _fresh(root)
    for kind in ("posts", "services"):
        (site / "content" / kind).mkdir(parents=True)
    for doc in docs:
        meta = (
            f"title: {_yaml_text(doc.title)}\ndate: {doc.day.isoformat()}\n"
            f"summary: {_yaml_text(doc.summary)}\n"
        )
        if doc.tags:
            meta += f"tags: [{', '.join(doc.tags)}]\n"
        (site / "content" / doc.kind / f"{doc.slug}.md").write_text(f"---\n{meta}---\n{doc.body}")
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(HUGO_BASEOF)
    (layouts / "single.html").write_text(HUGO_SINGLE)
    (layouts / "list.html").write_text(HUGO_LIST)
    (site / "layouts" / "index.html").write_text(HUGO_LIST)
    _images(site / "static")
    (site / "hugo.toml").write_text(
        'baseURL = "https://bench.example.com/"\ntitle = "Benchmark Aesthetics"\nlanguageCode = "en"\n'
        "[pagination]\n  pagerSize = 10\n"
    )
    return site


WRITERS = {
    "sitegen": write_sitegen,
    "pelican": write_pelican,
    "pelican-lean": write_pelican_lean,
    "mkdocs": write_mkdocs,
    "hugo": write_hugo,
}


def edit_one(tool: str, site: Path, docs: list[Doc]) -> Path:
    """Change one sentence of one post's body, as an editor would; returns the edited file."""
    doc = next(d for d in reversed(docs) if d.kind == "posts")
    file = {
        "sitegen": site / "content" / "posts" / f"{doc.slug}.md",
        "pelican": site / "content" / f"{doc.slug}.md",
        "pelican-lean": site / "content" / f"{doc.slug}.md",
        "mkdocs": site / "docs" / "posts" / f"{doc.slug}.md",
        "hugo": site / "content" / "posts" / f"{doc.slug}.md",
    }[tool]
    text = file.read_text()
    marker = "## What to expect"
    count = text.count("(edited")
    file.write_text(text.replace(marker, f"{marker}\n\nUpdated guidance (edited {count + 1}).", 1))
    return file


def retitle_one(site: Path, docs: list[Doc]) -> Path:
    """Change the title of sitegen's copy of the same post (a field, not its text): the dev server's
    other kind of one-page edit (bench/serve_edit.py)."""
    doc = next(d for d in reversed(docs) if d.kind == "posts")
    file = site / "content" / "posts" / f"{doc.slug}.md"
    text = file.read_text()
    found = re.search(r"\(retitled (\d+)\)", text)
    count = int(found[1]) if found else 0
    old = f"title: {_yaml_text(doc.title if not count else f'{doc.title} (retitled {count})')}"
    assert old in text, old
    file.write_text(text.replace(old, f"title: {_yaml_text(f'{doc.title} (retitled {count + 1})')}", 1))
    return file
