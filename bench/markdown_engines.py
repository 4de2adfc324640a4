"""CPU time per document of Markdown engines over the benchmark's documents, and whether sitegen's
output is the same as Python-Markdown's was (docs/performance.md, "Markdown engine").

    PYTHONPATH=. python bench/markdown_engines.py                 # 1,000 documents, best of 3
    pip install --target /tmp/mdlib markdown markdown-it-py cmarkgfm   # the engines not in use, to compare
    PYTHONPATH=.:/tmp/mdlib python bench/markdown_engines.py --compare content

Each engine renders every document (about 550 words: headings, lists, a table, an image, links) with
tables and smart punctuation on; the time is `time.process_time` over all of them, divided by their
number, best of `--repeat`. "sitegen" is the whole renderer: parsing, the walk that finds each link's
line and the heading ids, nh3 sanitising. An engine that is not installed is skipped. `--compare`
also renders the benchmark's documents and the bodies of a site's Markdown files (a content folder)
with sitegen and with Python-Markdown as sitegen used it, sanitises both with nh3, normalises
whitespace, and counts the documents whose HTML differs.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nh3
import pyromark

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

from sitegen.content.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    URL_SCHEMES,
    MarkdownRenderer,
)


def _optional(module: str) -> Any:
    """An engine this script compares but sitegen does not depend on: imported only when measured."""
    return importlib.import_module(module)


def _python_markdown() -> Callable[[str], str]:
    md = _optional("markdown").Markdown(
        extensions=["extra", "sane_lists", "smarty", "toc"],
        extension_configs={"toc": {"permalink": False}, "smarty": {"smart_angled_quotes": False}},
    )
    return lambda text: md.reset().convert(text)


def _markdown_it() -> Callable[[str], str]:
    md = (
        _optional("markdown_it")
        .MarkdownIt("commonmark", {"typographer": True})
        .enable(["table", "replacements", "smartquotes"])
    )
    return md.render


def _cmarkgfm() -> Callable[[str], str]:
    cmarkgfm = _optional("cmarkgfm")
    options = cmarkgfm.Options.CMARK_OPT_SMART | cmarkgfm.Options.CMARK_OPT_UNSAFE
    return lambda text: cmarkgfm.markdown_to_html_with_extensions(text, options, ["table"])


def _pyromark() -> Callable[[str], str]:
    md = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_SMART_PUNCTUATION)
    return md.html


def _sitegen() -> Callable[[str], str]:
    renderer = MarkdownRenderer()
    return lambda text: renderer._render(text, 1).html  # not the renderer's memo of earlier texts


TABLE = '<div class="table-scroll" tabindex="0" role="region" aria-label="Table"><table>'
ENGINES = {
    "python-markdown": ("markdown", _python_markdown),
    "markdown-it-py": ("markdown_it", _markdown_it),
    "cmarkgfm": ("cmarkgfm", _cmarkgfm),
    "pyromark": ("pyromark", _pyromark),
    "sitegen": ("pyromark", _sitegen),
}


def per_document(render: Callable[[str], str], texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for text in texts:
            render(text)
        best = min(best, time.process_time() - start)
    return best / len(texts) * 1000


def _as_sitegen_did(html: str) -> str:
    """Python-Markdown's HTML as sitegen published it: sanitised, lazy images, tables that scroll."""
    html = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None
    )
    html = html.replace("<img ", '<img loading="lazy" ').replace("<table>", TABLE)
    return _normal(html.replace("</table>", "</table></div>"))


def _normal(html: str) -> str:
    """Whitespace between tags and the order of a tag's attributes do not count."""
    html = re.sub(r"\s*(<[^>]+>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()
    return _TAG.sub(lambda m: f"<{m[1]}{''.join(sorted(_ATTRIBUTE.findall(m[2])))}>", html)


_TAG = re.compile(r'<(\w+)((?:\s+[\w-]+(?:="[^"]*")?)*)\s*>')
_ATTRIBUTE = re.compile(r'\s+[\w-]+(?:="[^"]*")?')


def _bodies(content: Path) -> list[str]:
    return [
        parts[2] if len(parts) == 3 else ""
        for parts in (f.read_text(encoding="utf-8").split("---\n", 2) for f in sorted(content.rglob("*.md")))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare", type=Path, metavar="CONTENT", help="also compare with Python-Markdown")
    args = parser.parse_args()
    texts = [doc.body for doc in corpus.documents(args.documents)]
    print(f"{len(texts)} documents, {sum(map(len, texts)) // len(texts)} characters each on average")
    for name, (module, make) in ENGINES.items():
        if importlib.util.find_spec(module) is None:
            print(f"{name:16} not installed")
            continue
        print(f"{name:16} {per_document(make(), texts, args.repeat):8.3f} ms a document")
    if args.compare:
        before, after = _python_markdown(), _sitegen()
        for label, bodies in (("benchmark", texts), (str(args.compare), _bodies(args.compare))):
            differ = sum(_as_sitegen_did(before(t)) != _normal(after(t)) for t in bodies)
            print(f"{label}: {differ} of {len(bodies)} documents render differently from Python-Markdown")


if __name__ == "__main__":
    main()
