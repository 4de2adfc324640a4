"""Art direction: the images pipeline makes each photo a phone crop, and a slot that asks for it
(`data-art="<media query>"`) gets it in a <source media> of its own, with the crop's width and height, so a
phone sees a squarer picture than a wide screen, from its first paint, without a layout shift."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext

from sitegen.render import images

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: 'layout-shift', buffered: true});
"""
# the slots with a phone crop, on the demo: the home hero, an office, a portrait, before/after pairs
BOX = "i => i.getBoundingClientRect().width / i.getBoundingClientRect().height"
PAGES = ["/", "/locations/south-lamar/", "/team/elena-ruiz/", "/gallery/"]


def stripes(width: int, height: int, middle: tuple[int, int]) -> bytes:
    """A JPEG: red outside the `middle` columns (left, right), green inside them."""
    image = Image.new("RGB", (width, height), (220, 20, 20))
    image.paste((20, 200, 20), (middle[0], 0, middle[1], height))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_a_landscape_photo_gets_a_square_crop_of_its_middle_for_phones() -> None:
    files, meta = images._make(stripes(1600, 1000, (300, 1300)), ".jpg")
    assert meta["phone"] == [1000, 1000]
    assert {"phone-480.jpg", "phone-960.jpg", "phone-480.webp", "phone-960.webp"} <= set(files)
    crop = Image.open(io.BytesIO(files["phone-960.jpg"])).convert("RGB")
    assert crop.size == (960, 960)
    for x in (3, 480, 956):  # its edges are the green middle of the photo, none of the red sides
        red, green, _ = crop.getpixel((x, 480))
        assert green > 150 and red < 80, (x, crop.getpixel((x, 480)))


def test_a_square_portrait_gets_an_upright_crop_and_a_png_none() -> None:
    _, portrait = images._make(stripes(640, 640, (64, 576)), ".jpg")
    assert portrait["phone"] == [512, 640]
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 630), (240, 240, 240)).save(buffer, "PNG")
    _, drawing = images._make(buffer.getvalue(), ".png")
    assert "phone" not in drawing  # a PNG is a drawing or a card: cropping it could cut its text


def test_a_slot_that_asks_for_art_direction_offers_the_crop_first_with_its_shape() -> None:
    item = images.Processed(
        "/images/a.jpg",
        1600,
        1000,
        ((480, "/images/a-480w.jpg"), (1600, "/images/a.jpg")),
        ((480, "/images/a-480w.webp"), (1600, "/images/a-1600w.webp")),
        images.Crop(1000, 1000, ((480, "/images/a-phone-480w.jpg"),), ((480, "/images/a-phone-480w.webp"),)),
    )
    asked = images.rewrite_html(
        '<main><img src="/images/a.jpg" alt="" width="800" height="500" '
        'data-art="(max-width: 52rem)"></main>',
        {"/images/a.jpg": item},
    )
    sources = asked.split("<source")[1:]
    assert sources[0].startswith(' media="(max-width: 52rem)" type="image/webp" width="800" height="800"')
    assert sources[1].startswith(' media="(max-width: 52rem)" width="800" height="800"')
    assert "a-phone-480w.jpg" in sources[1] and "media" not in sources[2]
    assert 'width="800" height="500"' in asked.split("<img")[1] and "data-art" not in asked
    plain = images.rewrite_html('<main><img src="/images/a.jpg" alt=""></main>', {"/images/a.jpg": item})
    assert "phone" not in plain and "media=" not in plain


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("url", PAGES)
def test_each_screen_gets_its_own_crop_in_a_box_of_its_shape_and_nothing_moves(
    new_context: Callable[..., BrowserContext], url: str, viewport: dict[str, int]
) -> None:
    phone = viewport is PHONE
    page = new_context(viewport=viewport, is_mobile=phone, has_touch=phone).new_page()
    page.add_init_script(CLS_OBSERVER)
    # the photos arrive late: the boxes laid out before them must already have the shape of the file chosen
    page.route("**/images/**", lambda route: (page.wait_for_timeout(700), route.continue_()))
    page.goto(url, wait_until="domcontentloaded")
    art = page.locator("main picture:has(source[media]) img")
    assert art.count() > 0, f"{url}: no art-directed slot"
    before = [art.nth(i).evaluate(BOX) for i in range(art.count())]
    page.wait_for_load_state("load")
    for index in range(art.count()):  # bring each into view, so the lazy ones load
        img = art.nth(index)
        img.scroll_into_view_if_needed()
        img.evaluate("i => i.complete && i.naturalWidth ? 0 : new Promise(done => i.onload = done)")
        shown = img.evaluate(
            "i => ({src: i.currentSrc, w: i.getBoundingClientRect().width,"
            " h: i.getBoundingClientRect().height, nw: i.naturalWidth, nh: i.naturalHeight,"
            " attrs: i.hasAttribute('width') && i.hasAttribute('height')})"
        )
        assert shown["attrs"], f"{url}: an image without width and height"
        assert ("-phone-" in shown["src"]) == phone, f"{url} at {viewport['width']}: {shown['src']}"
        box, file = shown["w"] / shown["h"], shown["nw"] / shown["nh"]
        assert abs(before[index] - box) < 0.01 * box, (
            f"{url}: box {before[index]:.3f} before the photo, {box:.3f}"
        )
        clamped = url.startswith("/locations/") and not phone  # a wide office photo is capped at 26rem high
        assert clamped or abs(box - file) < 0.02 * file, f"{url}: box {box:.3f}, picture {file:.3f}"
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert page.evaluate("window.__cls") < 0.01, f"{url}: layout shift {page.evaluate('window.__cls'):.3f}"
    page.unroute_all(behavior="ignoreErrors")
