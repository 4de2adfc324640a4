"""Machine-readable files: the Atom feed of posts, the sitemap and robots.txt.

Built with ElementTree rather than templates so they are always well-formed XML, whatever the content.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, time

from sitegen.core.artifact import Artifact
from sitegen.site.assembly import Site

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def _timestamp(day: date) -> str:
    return datetime.combine(day, time(9, 0), tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def atom_feed(site: Site, limit: int = 20) -> Artifact:
    config = site.config
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{config.name}: news"
    ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = config.description
    ET.SubElement(feed, f"{{{ATOM}}}id").text = config.base_url + "/posts/"
    ET.SubElement(feed, f"{{{ATOM}}}link", href=config.base_url + "/feed.xml", rel="self")
    ET.SubElement(
        feed, f"{{{ATOM}}}link", href=config.base_url + "/posts/", rel="alternate", type="text/html"
    )
    posts = site.posts[:limit]
    newest = max(((p.updated or p.date) for p in posts), default=date(2000, 1, 1))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _timestamp(newest)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = config.name
    for post in posts:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = post.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = config.base_url + post.url
        ET.SubElement(
            entry, f"{{{ATOM}}}link", href=config.base_url + post.url, rel="alternate", type="text/html"
        )
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _timestamp(post.date)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _timestamp(post.updated or post.date)
        provider = site.provider(post.author) if post.author else None
        if provider:
            writer = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(writer, f"{{{ATOM}}}name").text = provider.name
        for tag in post.tags:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=tag)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = post.summary
        ET.SubElement(entry, f"{{{ATOM}}}content", type="html").text = post.html
    sources = tuple(p.src_path for p in posts) + (config.src_path,)
    return Artifact("feed.xml", _xml(feed), sources=sources)


def sitemap(site: Site, pages: list[tuple[str, date | None, list[tuple[str, str]]]]) -> Artifact:
    """`pages` are (url, last modified, translations) of every published HTML page except the 404 page;
    translations, (language, absolute address) of each language that has the page, become the
    `xhtml:link rel="alternate"` entries search engines read to show a searcher their language."""
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for url, modified, alternates in sorted(pages, key=lambda entry: entry[0]):
        entry = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(entry, f"{{{SITEMAP}}}loc").text = site.config.base_url + url
        if modified:
            ET.SubElement(entry, f"{{{SITEMAP}}}lastmod").text = modified.isoformat()
        for lang, href in alternates:
            ET.SubElement(entry, f"{{{XHTML}}}link", rel="alternate", hreflang=lang, href=href)
        if alternates:
            ET.SubElement(
                entry, f"{{{XHTML}}}link", rel="alternate", hreflang="x-default", href=alternates[0][1]
            )
    return Artifact("sitemap.xml", _xml(urlset), sources=(site.config.src_path,))


def robots(site: Site) -> Artifact:
    text = f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}/sitemap.xml\n"
    return Artifact("robots.txt", text.encode(), sources=(site.config.src_path,))
