"""Responsive images: widths and formats, no EXIF left, <picture> markup, the cache, SVG untouched, the
budget."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from linkcheck import check_site
from PIL import Image
from sitefactory import make_site, write
from test_demo_quality import start_tags

from sitegen.build.pipeline import build
from sitegen.render import images

GPS_IFD = 0x8825


def photo_with_gps(width: int = 2000, height: int = 1500) -> bytes:
    """A JPEG with camera make and a GPS position in its EXIF, like a phone photo."""
    image = Image.new("RGB", (width, height), (180, 120, 90))
    for x in range(0, width, 50):  # some detail, so the encoder has work to do
        image.paste((40, 60, 200), (x, 0, x + 10, height))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:05:01 10:00:00"  # DateTime
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (30.0, 16.0, 1.5), 3: "W", 4: (97.0, 44.0, 2.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    data = buffer.getvalue()
    assert GPS_IFD in Image.open(io.BytesIO(data)).getexif(), "the test photo must carry GPS data"
    return data


def site_with_photo(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    static = site / "content" / "static" / "images"
    static.mkdir(parents=True, exist_ok=True)
    (static / "office.jpg").write_bytes(photo_with_gps())
    (static / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n',
        encoding="utf-8",
    )
    write(
        site,
        "pages/office.md",
        "---\ntitle: Our office\n---\n\n![The waiting room](/images/office.jpg)\n\n"
        "Some words.\n\n![A second look](/images/office.jpg)\n\n![Logo](/images/logo.svg)\n",
    )
    return site


def test_photos_are_resized_to_widths_in_webp_and_their_own_format_without_exif(tmp_path: Path) -> None:
    site = site_with_photo(tmp_path)
    out = tmp_path / "out"
    build(site, out)

    made = sorted(p.name for p in (out / "images").iterdir() if p.name.startswith(("office", "logo")))
    assert made == [
        "logo.svg",
        "office-1600w.jpg",
        "office-1600w.webp",
        "office-2000w.webp",
        "office-480w.jpg",
        "office-480w.webp",
        "office-960w.jpg",
        "office-960w.webp",
        "office-phone-480w.jpg",  # the phone crop (square, from the middle) that a slot may ask for
        "office-phone-480w.webp",
        "office-phone-960w.jpg",
        "office-phone-960w.webp",
        "office.jpg",
    ]
    for name in made:
        if name.endswith(".svg"):
            continue
        with Image.open(out / "images" / name) as image:
            assert image.format == ("WEBP" if name.endswith(".webp") else "JPEG"), name
            expected = (
                2000
                if name in ("office.jpg", "office-2000w.webp")
                else int(name.split("-")[-1].split("w")[0])
            )
            phone = "-phone-" in name  # square
            assert image.size == (expected, expected if phone else expected * 3 // 4), name
            assert not image.getexif(), f"{name} still carries EXIF: {dict(image.getexif())}"
            assert "exif" not in image.info, name
        assert b"PhoneMaker" not in (out / "images" / name).read_bytes()
    svg = site / "content" / "static" / "images" / "logo.svg"
    assert (out / "images" / "logo.svg").read_bytes() == svg.read_bytes()  # SVG passes through unchanged


def test_pages_get_picture_srcset_sizes_dimensions_and_lazy_loading(tmp_path: Path) -> None:
    site = site_with_photo(tmp_path)
    out = tmp_path / "out"
    build(site, out)
    page = (out / "office" / "index.html").read_text(encoding="utf-8")
    tags = start_tags(page)
    sources = [a for t, a in tags if t == "source"]
    imgs = [a for t, a in tags if t == "img" and (a.get("src") or "").startswith("/images/office")]
    assert len(sources) == 2 and len(imgs) == 2
    assert sources[0]["type"] == "image/webp"
    assert sources[0]["srcset"] == (
        "/images/office-480w.webp 480w, /images/office-960w.webp 960w, "
        "/images/office-1600w.webp 1600w, /images/office-2000w.webp 2000w"
    )
    first, second = imgs
    assert first["srcset"] == (
        "/images/office-480w.jpg 480w, /images/office-960w.jpg 960w, "
        "/images/office-1600w.jpg 1600w, /images/office.jpg 2000w"
    )
    assert first["src"] == "/images/office.jpg" and first["alt"] == "The waiting room"
    assert (first["width"], first["height"]) == ("2000", "1500")
    assert first["sizes"] and "loading" not in first  # the first picture is likely in view
    assert second["loading"] == "lazy"  # the rest load when scrolled to
    logo = [a for t, a in tags if t == "img" and a.get("src") == "/images/logo.svg"]
    assert logo and "srcset" not in logo[0]
    assert check_site(out) == []


def test_a_template_width_is_kept_and_the_height_follows_the_photo() -> None:
    item = images.Processed(
        "/p.jpg",
        1200,
        900,
        ((480, "/p-480w.jpg"), (1200, "/p.jpg")),
        ((480, "/p-480w.webp"), (1200, "/p-1200w.webp")),
    )
    html = '<header><img src="/p.jpg" alt="A &amp; B" width="240" height="240"></header><main><p>x</p></main>'
    out = images.rewrite_html(html, {"/p.jpg": item})
    assert 'width="240" height="180"' in out and 'alt="A &amp; B"' in out
    assert 'sizes="(max-width: 240px) 100vw, 240px"' in out
    assert (
        images.rewrite_html(out, {"/p.jpg": item}) == out
    )  # pages kept from the last build are left as they are


def test_processed_images_come_from_the_cache_on_the_second_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with_photo(tmp_path)
    build(site, tmp_path / "first")
    entries = [p for p in (site / ".sitegen" / "cache" / "images").iterdir() if not p.name.startswith(".")]
    photos = list((site / "content" / "static").rglob("*.jpg"))  # office.jpg and the starter's photos
    assert len(entries) == len(photos) and all((entry / "meta.json").is_file() for entry in entries)

    def no_pillow(*args: object) -> None:
        raise AssertionError("the image was processed again instead of taken from the cache")

    monkeypatch.setattr(images, "_make", no_pillow)
    write(
        site,
        "pages/office.md",
        "---\ntitle: Our office, again\n---\n\n![The waiting room](/images/office.jpg)\n",
    )
    build(site, tmp_path / "second")
    assert (tmp_path / "second" / "images" / "office-960w.webp").read_bytes() == (
        tmp_path / "first" / "images" / "office-960w.webp"
    ).read_bytes()


def test_an_image_over_the_budget_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "BUDGET", 1000)
    site = site_with_photo(tmp_path)
    result = build(site, tmp_path / "out", use_cache=False)
    warnings = [
        d for d in result.diagnostics if d.code == "SG503" and str(d.location).endswith("/office.jpg")
    ]
    assert [str(d.location) for d in warnings] == ["content/static/images/office.jpg"]
    assert "budget" in warnings[0].message


def test_a_photo_too_large_gets_one_warning_with_one_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over 2560 pixels (SG520) and over the WebP budget (SG503) are one problem: only SG520 says so, and
    its advice is the width the budget warning would give, so following it trips neither."""
    monkeypatch.setattr(images, "BUDGET", 1000)
    site = site_with_photo(tmp_path)
    (site / "content" / "static" / "images" / "office.jpg").write_bytes(photo_with_gps(3000, 2000))
    found = [
        d
        for d in build(site, tmp_path / "out", use_cache=False).diagnostics
        if d.code in ("SG503", "SG520")
        and str(d.location).endswith("/office.jpg")  # the starter's photos are small
    ]
    assert [(d.code, str(d.location)) for d in found] == [("SG520", "content/static/images/office.jpg")]
    assert "at most 2000 pixels" in found[0].hint
