"""Offline checker for internal links, assets and #anchors in a built site.

    problems = check_site(Path("public"))            # -> ["about/index.html:12: <a href> ...", ...]
    python tests/linkcheck.py public [--site-url https://example.org/]

It reads every ``*.html`` file of an output folder with ``html.parser`` and checks, without a server,
that every same-site URL points at a file of the output:

* ``a/area/link[href]``, ``img/source[src, srcset]``, ``script/iframe/embed/audio/video/track[src]``,
  ``video[poster]``, ``object[data]``, ``input[type=image][src]``, ``form[action]``,
  ``meta[http-equiv=refresh]``;
* ``meta[property=og:image|og:url, name=twitter:image]`` and ``link[rel=canonical]`` when they are absolute
  URLs on the site's own origin;
* ``url(...)`` and ``@import`` in ``*.css`` files, and ``<loc>`` in ``sitemap*.xml``.

Root-relative URLs resolve against the output root, directory URLs to their ``index.html``, and a
``#fragment`` must name an ``id`` (or ``a[name]``) of the target page. URLs with another scheme or host
(``https://elsewhere``, ``mailto:``, ``tel:``, ``sms:``, ``data:`` ...) are skipped. Paths matched by a
Netlify ``_redirects`` rule count as existing. The site's own origin comes from ``site_url`` or, when
not given, from the ``canonical`` / ``og:url`` of the root ``index.html``.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# (tag, attribute) pairs whose value is one URL.
URL_ATTRS = {
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("source", "src"),
    ("script", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("audio", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("track", "src"),
    ("object", "data"),
    ("form", "action"),
    ("button", "formaction"),
    ("input", "formaction"),
}
# (tag, attribute) pairs whose value is a srcset (candidate list).
SRCSET_ATTRS = {("img", "srcset"), ("source", "srcset")}
# <meta> keys whose content is a URL, checked only when it is absolute and on the site's origin.
META_URL_KEYS = {
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "og:url",
    "twitter:image",
    "og:video",
    "og:audio",
}
# Schemes that never name a file of the site.
SKIPPED_SCHEMES = {"mailto", "tel", "sms", "callto", "data", "javascript", "blob", "about", "geo"}

CSS_URL = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')"""
)
SITEMAP_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    refs: list[tuple[int, str, str]] = field(default_factory=list)  # (line, what, url)
    absolute_refs: list[tuple[int, str, str]] = field(default_factory=list)  # only if same-site
    canonical: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        a = {k: (v or "") for k, v in attrs}
        page = self.page
        if a.get("id"):
            page.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            page.ids.add(a["name"])
        if tag == "input" and a.get("type", "").lower() == "image" and "src" in a:
            page.refs.append((line, "<input src>", a["src"]))
        for name, value in attrs:
            if value is None:
                continue
            if (tag, name) in URL_ATTRS:
                if tag == "link" and name == "href" and _is_canonical(a):
                    page.absolute_refs.append((line, "<link rel=canonical>", value))
                    page.canonical.append(value)
                    if not _has_origin(value):
                        page.refs.append((line, "<link rel=canonical>", value))
                    continue
                page.refs.append((line, f"<{tag} {name}>", value))
            elif (tag, name) in SRCSET_ATTRS:
                for url in parse_srcset(value):
                    page.refs.append((line, f"<{tag} {name}>", url))
        if tag == "meta":
            key = (a.get("property") or a.get("name") or "").lower()
            if key in META_URL_KEYS and a.get("content"):
                page.absolute_refs.append((line, f"<meta {key}>", a["content"]))
                if key == "og:url":
                    page.canonical.append(a["content"])
            if a.get("http-equiv", "").lower() == "refresh":
                m = re.search(r"url\s*=\s*['\"]?([^'\"]+)", a.get("content", ""), re.I)
                if m:
                    page.refs.append((line, "<meta refresh>", m.group(1).strip()))


def _is_canonical(attrs: dict[str, str]) -> bool:
    return "canonical" in attrs.get("rel", "").lower().split()


def _has_origin(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def parse_srcset(value: str) -> list[str]:
    """URLs of a srcset attribute (HTML's candidate-list syntax: "a.jpg 1x, b.jpg 2x")."""
    urls, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:  # skip the descriptors up to the next comma outside parentheses
            depth = 0
            while i < n and (value[i] != "," or depth):
                depth += value[i] == "("
                depth -= value[i] == ")" and depth > 0
                i += 1
        if url:
            urls.append(url)
    return urls


def _redirect_patterns(root: Path) -> list[tuple[re.Pattern[str], str]]:
    """Netlify _redirects rules as (regex on the path, target)."""
    rules = []
    file = root / "_redirects"
    if not file.is_file():
        return rules
    for raw in file.read_text(encoding="utf-8").splitlines():
        parts = raw.split("#", 1)[0].split()
        if len(parts) < 2 or not parts[0].startswith("/"):
            continue
        rx = re.escape(parts[0].rstrip("/") or "/")
        rx = re.sub(r":[A-Za-z_][A-Za-z0-9_]*", "[^/]+", rx)
        rx = rx.replace(r"\*", ".*")
        rules.append((re.compile(rx + "/?"), parts[1]))
    return rules


class SiteChecker:
    def __init__(self, root: Path, site_url: str | None = None) -> None:
        self.root = root.resolve()
        self.pages: dict[Path, ParsedPage] = {}
        for file in sorted(self.root.rglob("*.html")):
            parser = _PageParser()
            parser.feed(file.read_text(encoding="utf-8", errors="replace"))
            parser.close()
            self.pages[file.resolve()] = parser.page
        if site_url is None:
            home = self.pages.get(self.root / "index.html")
            site_url = next(iter(home.canonical), None) if home else None
        self.origin: tuple[str, str] | None = None
        self.prefix = "/"
        if site_url:
            parts = urlsplit(site_url)
            self.origin = (parts.scheme.lower(), parts.netloc.lower())
            self.prefix = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
            if self.origin[1] == "" or self.prefix == "":
                self.prefix = "/"
        self.redirects = _redirect_patterns(self.root)
        self.problems: list[str] = []

    # -- resolution ------------------------------------------------------------------------------
    def _same_site(self, scheme: str, netloc: str) -> bool:
        if self.origin is None:
            return False
        host = self.origin[1]
        return netloc.lower() == host and scheme.lower() in ("", "http", "https")

    def _check(self, src: Path, line: int, what: str, url: str, *, absolute_only: bool = False) -> None:
        url = url.strip()
        where = f"{src.relative_to(self.root).as_posix()}:{line}: {what} {url!r}"
        parts = urlsplit(url)
        if parts.scheme.lower() in SKIPPED_SCHEMES:
            return
        if parts.scheme or parts.netloc:
            if not self._same_site(parts.scheme, parts.netloc):
                return
            path = unquote(parts.path) or "/"
            if path.startswith(self.prefix):
                path = "/" + path[len(self.prefix) :]
            elif path + "/" == self.prefix:
                path = "/"
            else:
                self.problems.append(f"{where} -> outside the site's base path {self.prefix}")
                return
        elif absolute_only:
            return
        else:
            path = unquote(parts.path)
        fragment = unquote(parts.fragment)

        if not path:
            target = src
        elif path.startswith("/"):
            target = self.root / path.lstrip("/")
        else:
            target = src.parent / path
        target = Path(os.path.normpath(target))
        if target != self.root and self.root not in target.parents:
            self.problems.append(f"{where} -> leaves the output folder")
            return
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            if self._redirected(path):
                return
            hint = ""
            if target.with_suffix(".html").is_file():
                hint = (
                    f" ({target.with_suffix('.html').relative_to(self.root).as_posix()} exists: link to it)"
                )
            rel = _rel(self.root, target)
            self.problems.append(f"{where} -> missing file {rel}{hint}")
            return
        if (
            fragment
            and fragment.lower() != "top"
            and target in self.pages
            and fragment not in self.pages[target].ids
        ):
            self.problems.append(f"{where} -> missing anchor #{fragment} in {_rel(self.root, target)}")

    def _redirected(self, path: str) -> bool:
        if not path.startswith("/"):
            return False
        return any(rx.fullmatch(path) for rx, _ in self.redirects)

    # -- passes ----------------------------------------------------------------------------------
    def run(self) -> list[str]:
        for file, page in self.pages.items():
            refs = [(line, what, url, False) for line, what, url in page.refs]
            refs += [(line, what, url, True) for line, what, url in page.absolute_refs]
            for line, what, url, absolute_only in sorted(refs, key=lambda ref: ref[0]):
                self._check(file, line, what, url, absolute_only=absolute_only)
        for css in sorted(self.root.rglob("*.css")):
            text = css.read_text(encoding="utf-8", errors="replace")
            for m in CSS_URL.finditer(text):
                url = next(g for g in m.groups() if g is not None)
                if url and not url.startswith("#"):
                    line = text.count("\n", 0, m.start()) + 1
                    self._check(css.resolve(), line, "css url()", url)
        for sitemap in sorted(self.root.glob("sitemap*.xml")):
            text = sitemap.read_text(encoding="utf-8", errors="replace")
            for m in SITEMAP_LOC.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                if self.origin is None:
                    self.problems.append(f"{sitemap.name}:{line}: <loc> {m.group(1)!r} -> site URL unknown")
                    break
                parts = urlsplit(m.group(1))
                if not self._same_site(parts.scheme, parts.netloc) or not parts.netloc:
                    self.problems.append(
                        f"{sitemap.name}:{line}: <loc> {m.group(1)!r} -> not on the site's origin"
                    )
                    continue
                self._check(sitemap.resolve(), line, "<loc>", m.group(1))
        return self.problems


def _rel(root: Path, target: Path) -> str:
    try:
        return target.relative_to(root).as_posix()
    except ValueError:
        return str(target)


def check_site(root: Path | str, site_url: str | None = None) -> list[str]:
    """Every broken internal link, asset or anchor under ``root``, as ``file:line: ...`` strings."""
    return SiteChecker(Path(root), site_url).run()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("root", type=Path, help="the built output folder")
    parser.add_argument("--site-url", help="the site's public URL (default: canonical of index.html)")
    args = parser.parse_args(argv)
    problems = check_site(args.root, args.site_url)
    print("\n".join(problems) or "no broken internal links")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
