"""The default theme's critical path: every page links one stylesheet (the brand's variables, the theme's
rules and the print rules joined and fingerprinted), and the brand colours of site.yaml show through it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sitefactory import edit, make_site

from sitegen.build.pipeline import build

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import demo_images  # a script of scripts/, not a package


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


# ---------------------------------------------------------------------------------------------
# The demo's before/after gallery: drawn close-ups through the responsive-image pipeline
# ---------------------------------------------------------------------------------------------


def test_the_demo_gallery_shows_each_before_and_after_as_a_responsive_photo(demo_site: Path) -> None:
    gallery = (demo_site / "gallery" / "index.html").read_text(encoding="utf-8")
    pictures = re.findall(r"<picture>(.*?)</picture>", gallery, flags=re.S)
    photos = [p for p in pictures if "/images/gallery/lip-filler-" in p]
    assert len(photos) == 4, "two pairs, each a before and an after"
    for picture in photos:
        assert re.search(r'<source type="image/webp" srcset="[^"]+\.webp \d+w', picture)
        assert 'sizes="(min-width: 75rem) 36rem, 50vw"' in picture  # a phone gets a phone's copy
        assert re.search(r'alt="(Before treatment|Two weeks after)[^"]+"', picture)
    assert ".svg" not in "".join(photos)


def test_a_pairs_before_and_after_are_drawn_in_the_same_light_and_only_the_lips_change() -> None:
    draw = {name: demo_images.closeup(*shape) for name, shape in demo_images.GALLERY.items()}
    before, after = draw["lip-filler-1-before"](None), draw["lip-filler-1-after"](None)
    assert before.tobytes() == draw["lip-filler-1-before"](None).tobytes()  # deterministic
    w, h = before.size
    same = (0, 0, w, int(h * 0.25))  # forehead side of the frame: the same skin, light and grain
    lips = (int(w * 0.3), int(h * 0.4), int(w * 0.7), int(h * 0.55))
    assert before.crop(same).tobytes() == after.crop(same).tobytes()
    assert before.crop(lips).tobytes() != after.crop(lips).tobytes()
