"""The default theme's critical path: every page links one stylesheet (the brand's variables, the theme's
rules and the print rules joined and fingerprinted), and the brand colours of site.yaml show through it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sitefactory import edit, make_site

from sitegen.build.pipeline import build


def stylesheets(html: str) -> list[str]:
    """The stylesheets a page's head links for a visitor with script (nojs.css sits in <noscript>)."""
    head = re.sub(r"<noscript>.*?</noscript>", "", html.split("</head>")[0], flags=re.S)
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', head)


def test_every_page_links_one_stylesheet_with_the_brand_the_theme_and_print(demo_site: Path) -> None:
    pages = sorted(demo_site.rglob("*.html"))
    linked = {p.relative_to(demo_site).as_posix(): stylesheets(p.read_text(encoding="utf-8")) for p in pages}
    wrong = {page: sheets for page, sheets in linked.items() if len(sheets) != 1}
    assert len(pages) > 20 and not wrong, f"pages that do not link exactly one stylesheet: {wrong}"
    [sheet] = {sheets[0] for sheets in linked.values()}  # one file for the whole site, cached once
    assert re.fullmatch(r"/assets/css/bundle\.[0-9a-f]{10}\.css", sheet)
    css = (demo_site / sheet.lstrip("/")).read_text(encoding="utf-8")
    assert (
        css.index("--brand-primary: #4a3d8f;") < css.index("/* css/site.css */") < css.index("@media print {")
    )
    assert "@page { margin: 1.5cm; }" in css.split("@media print {")[1]  # the printed card keeps its rules


def test_a_brand_colour_change_gives_the_stylesheet_a_new_name_and_the_new_colour(tmp_path: Path) -> None:
    site, out = make_site(tmp_path), tmp_path / "out"
    build(site, out)
    [before] = stylesheets((out / "index.html").read_text(encoding="utf-8"))
    edit(site, "site.yaml", '"#2f5d62"', '"#224466"')
    build(site, out)
    [after] = stylesheets((out / "index.html").read_text(encoding="utf-8"))
    css = (out / after.lstrip("/")).read_text(encoding="utf-8")
    assert after != before and "--brand-primary: #224466;" in css and "#2f5d62" not in css


@pytest.mark.browser
def test_the_brand_colour_reaches_the_page_in_chromium(browser: Browser, site_server: str) -> None:
    """The one stylesheet is enough: the main button is painted in site.yaml's primary colour."""
    page = browser.new_page(base_url=site_server, viewport={"width": 390, "height": 844})
    try:
        page.goto("/", wait_until="load")
        colour = page.locator(".hero .button").first.evaluate("e => getComputedStyle(e).backgroundColor")
        sheets = page.evaluate("[...document.styleSheets].filter(s => !s.disabled).length")
    finally:
        page.close()
    assert colour == "rgb(74, 61, 143)"  # #4a3d8f, brand.primary of content/site.yaml
    assert sheets == 1
