"""Responsive images: photos of content/static/ resized to a few widths, as WebP and in their own
format, with all metadata removed; pages' <img> tags get srcset, sizes, width, height and lazy loading.
Art direction: each photo (JPEG, WebP) also gets a phone crop (a landscape photo square, a square or
upright one 4:5, around its middle), which an <img> with `data-art="<media query>"` offers in a
<source media> of its own.

`ImageProcessor` reads the photos and its cache (`.sitegen/cache/images/`, each entry checked against
the SHA-256 in its meta.json and made again, with a notice, when damaged); `rewrite_pages` rewrites the
pages. It never writes the output folder. What a writer sees: docs/content.md; the cache: docs/security.md.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen.core.artifact import Artifact
from sitegen.core.errors import Diagnostics, SourceLocation

FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}  # SVG, GIF, ICO pass through
WIDTHS = (480, 960, 1600)  # smaller copies made for srcset; the full size is always offered too
BUDGET = 300_000  # bytes: the WebP a wide screen downloads should stay under this
MAX_BYTES = (
    500 * 1024
)  # an original heavier than this, or wider or higher than MAX_PIXELS, is SG520's to report
MAX_PIXELS = 2560
ADVISED_PIXELS = 2000  # what both warnings advise, so following one never trips the other
VERSION = "3"  # part of the cache key: change it when the processing changes
PHONE_WIDTHS = (480, 960)  # the phone crop's copies (never wider than the crop itself)


@dataclass(frozen=True)
class Crop:
    """A photo's phone crop: its size and copies by format, as (width, public path), narrowest first."""

    width: int
    height: int
    original: tuple[tuple[int, str], ...]
    webp: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Processed:
    """One processed image: its size and every copy by format, as (width, public path), narrowest first."""

    public: str
    width: int
    height: int
    original: tuple[tuple[int, str], ...]
    webp: tuple[tuple[int, str], ...]
    crop: Crop | None = None


def variant_path(public: str, width: int, ext: str, shape: str = "") -> str:
    stem, _, _ = public.rpartition(".")
    return f"{stem}-{shape + '-' if shape else ''}{width}w{ext}"


def phone_shape(width: int, height: int) -> tuple[int, int]:
    """The phone crop of a `width` x `height` photo, centred: a landscape photo made square, a square or
    upright one made 4:5 (or narrower photos left as they are)."""
    if width > height:
        return height, height
    return min(width, height * 4 // 5), height


class ImageProcessor:
    """Processes the raster images of content/static/ with Pillow, through the cache folder when given."""

    def __init__(self, cache_folder: Path | None) -> None:
        self.cache_folder = cache_folder
        self.hits = 0
        self.misses = 0
        self.notices: list[str] = []  # damaged cache entries found (and made again), for the build's summary

    def process(
        self, artifacts: list[Artifact], diagnostics: Diagnostics
    ) -> tuple[list[Artifact], dict[str, Processed]]:
        """Replace every raster image among the static artifacts by its stripped copy plus its variants."""
        out: list[Artifact] = []
        processed: dict[str, Processed] = {}
        for artifact in artifacts:
            ext = Path(artifact.out_path).suffix.lower()
            if ext not in FORMATS or artifact.copy_from is None:
                out.append(artifact)
                continue
            public = "/" + artifact.out_path
            data = artifact.copy_from.read_bytes()
            try:
                files, meta = self._files(data, ext, public)
            except Exception as exc:  # Pillow raises many kinds for a damaged or unsupported file
                diagnostics.warn(
                    "SG503",
                    f"this image cannot be processed ({exc}); it is published as it is",
                    SourceLocation(artifact.sources[0] if artifact.sources else artifact.out_path),
                    "open it in an image editor and save it again as JPEG or PNG",
                )
                out.append(artifact)
                continue
            variants, item = _variants(artifact, files, meta, ext)
            out += variants
            processed[public] = item
            width, height = item.width, item.height
            widest = files.get("full.webp", b"")
            too_large = (
                len(data) > MAX_BYTES or max(width, height) > MAX_PIXELS
            )  # SG520 says so, with the same advice
            if len(widest) > BUDGET and not too_large:
                diagnostics.warn(
                    "SG503",
                    f"this image is {len(widest) // 1000} KB as WebP at its full {width} pixels, "
                    f"over the {BUDGET // 1000} KB budget",
                    SourceLocation(artifact.sources[0] if artifact.sources else public),
                    f"crop it, or save it at most {ADVISED_PIXELS} pixels wide; wide screens download the "
                    "full size",
                )
        return out, processed

    def _files(self, data: bytes, ext: str, public: str) -> tuple[dict[str, bytes], dict]:
        key = hashlib.sha256(f"{VERSION}|{WIDTHS}|{ext}|".encode() + data).hexdigest()
        folder = self.cache_folder / key if self.cache_folder else None
        if folder is not None and (folder / "meta.json").is_file():
            files, meta = _read_entry(folder)
            if files is not None:
                self.hits += 1
                return files, meta
            self.notices.append(
                f"the cached copies of {public} in {folder} were damaged (cut short or changed); made again"
            )
        files, meta = _make(data, ext)
        self.misses += 1
        if folder is not None:
            _store(folder, files, meta)
        return files, meta


def _read_entry(folder: Path) -> tuple[dict[str, bytes] | None, dict]:
    """A cache entry's files and meta, or (None, {}) when any file is missing or not as recorded."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        files = {name: (folder / name).read_bytes() for name in meta["files"]}
        sums = meta["sha256"]
        if all(hashlib.sha256(content).hexdigest() == sums[name] for name, content in files.items()):
            return files, meta
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None, {}


def _make(data: bytes, ext: str) -> tuple[dict[str, bytes], dict]:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)  # turn by the EXIF orientation before EXIF is dropped
        image.load()
    fmt = FORMATS[ext]
    width, height = image.size
    files: dict[str, bytes] = {}
    sizes = [w for w in WIDTHS if w < width] + [width]
    for w in sizes:
        copy = (
            image
            if w == width
            else image.resize((w, max(1, round(height * w / width))), Image.Resampling.LANCZOS)
        )
        name = "full" if w == width else str(w)
        files[f"{name}{ext}"] = _encode(copy, fmt)
        if fmt != "WEBP":
            files[f"{name}.webp"] = _encode(copy, "WEBP")
    crop_w, crop_h = phone_shape(width, height) if fmt != "PNG" else (width, height)  # photos, not drawings
    if (crop_w, crop_h) != (width, height):
        left, top = (width - crop_w) // 2, (height - crop_h) // 2
        cropped = image.crop((left, top, left + crop_w, top + crop_h))
        for w in sorted({min(w, crop_w) for w in PHONE_WIDTHS}):
            copy = (
                cropped
                if w == crop_w
                else cropped.resize((w, round(crop_h * w / crop_w)), Image.Resampling.LANCZOS)
            )
            files[f"phone-{w}{ext}"] = _encode(copy, fmt)
            if fmt != "WEBP":
                files[f"phone-{w}.webp"] = _encode(copy, "WEBP")
    meta = {
        "width": width,
        "height": height,
        **({"phone": [crop_w, crop_h]} if (crop_w, crop_h) != (width, height) else {}),
        "files": sorted(files),
        "sha256": {name: hashlib.sha256(content).hexdigest() for name, content in files.items()},
    }
    return files, meta


def _encode(image: object, fmt: str) -> bytes:
    """Encode without metadata: no `exif=` is passed, and PNG text chunks are not copied."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    buffer = io.BytesIO()
    icc = image.info.get("icc_profile")  # the colour profile is kept: it is not about the patient
    if fmt == "JPEG":
        rgb = image if image.mode in ("RGB", "L") else image.convert("RGB")
        rgb.save(
            buffer,
            "JPEG",
            quality=82,
            optimize=True,
            progressive=True,
            **({"icc_profile": icc} if icc else {}),
        )
    elif fmt == "PNG":
        image.save(buffer, "PNG", optimize=True, **({"icc_profile": icc} if icc else {}))
    else:
        rgb = (
            image
            if image.mode in ("RGB", "RGBA")
            else image.convert("RGBA" if "A" in image.mode or "transparency" in image.info else "RGB")
        )
        rgb.save(buffer, "WEBP", quality=80, method=4, **({"icc_profile": icc} if icc else {}))
    return buffer.getvalue()


def _store(folder: Path, files: dict[str, bytes], meta: dict) -> None:
    """Write a cache entry into a temporary folder, then rename it into place: never half an entry."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
        for name, content in files.items():
            (temp / name).write_bytes(content)
        (temp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        if folder.exists():  # a damaged entry, found by `_read_entry`
            shutil.rmtree(folder, ignore_errors=True)
        try:
            temp.rename(folder)
        except OSError:  # another build stored the same entry first
            shutil.rmtree(temp, ignore_errors=True)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower


# --- pages -----------------------------------------------------------------------------------------------

IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTR = re.compile(r'\s([a-zA-Z-]+)(?:="([^"]*)")?')
MAIN = re.compile(r"<main\b", re.IGNORECASE)


def rewrite_pages(artifacts: list[Artifact], processed: dict[str, Processed]) -> list[Artifact]:
    """Give every page's <img> of a processed image a <picture> with WebP, srcset, sizes, width and height."""
    if not processed:
        return artifacts
    return [rewrite_page(a, processed) for a in artifacts]


def rewrite_page(artifact: Artifact, processed: dict[str, Processed]) -> Artifact:
    """`rewrite_pages` for one artifact (a page still in memory; anything else is left as it is)."""
    if not processed or not artifact.is_page or artifact.content is None:
        return artifact
    return replace(
        artifact, content=rewrite_html(artifact.content.decode("utf-8"), processed).encode("utf-8")
    )


def rewrite_html(text: str, processed: dict[str, Processed]) -> str:
    main = MAIN.search(text)
    main_at = main.start() if main else 0
    seen_in_main = False
    parts: list[str] = []
    last = 0
    for match in IMG.finditer(text):
        tag = match.group(0)
        attrs = {name.lower(): html.unescape(value) for name, value in ATTR.findall(tag[4:].rstrip("/>"))}
        src = attrs.get("src") or ""
        item = processed.get(src)
        in_main = match.start() >= main_at
        first_in_main = in_main and not seen_in_main
        seen_in_main = seen_in_main or in_main
        if item is None or "srcset" in attrs:
            continue
        parts += [text[last : match.start()], _picture(attrs, item, lazy=in_main and not first_in_main)]
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)


def _picture(attrs: dict[str, str], item: Processed, lazy: bool) -> str:
    shown = int(attrs["width"]) if (attrs.get("width") or "").isdigit() else item.width
    shown = min(shown, item.width)
    height = max(1, round(item.height * shown / item.width))
    # a template that knows its slot's width says so in `data-sizes` (a plain `sizes` without `srcset`
    # would be invalid HTML for an image left as it is, an SVG); else the image's own width
    slot = attrs.pop("data-sizes", "")
    sizes = slot or f"(max-width: {shown}px) 100vw, {shown}px"
    art = attrs.pop("data-art", "")  # the media query under which the phone crop is shown
    attrs = {
        **attrs,
        "width": str(shown),
        "height": str(height),
        "sizes": sizes,
        "srcset": ", ".join(f"{path} {w}w" for w, path in item.original),
        "decoding": "async",
    }
    if lazy:
        attrs.setdefault("loading", "lazy")
    else:
        attrs.pop("loading", None)  # the first picture of the page is likely in view: load it at once
    img = "<img" + "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs.items()) + ">"
    sources = ""
    if art and item.crop is not None:  # first: the browser takes the first <source> that matches
        crop = item.crop
        tall = max(1, round(crop.height * shown / crop.width))
        ratio = f'width="{shown}" height="{tall}"'  # the crop's shape, so nothing moves when it is chosen
        sources += _source(
            crop.webp, sizes, f'media="{html.escape(art, quote=True)}" type="image/webp" {ratio}'
        )
        if crop.original != crop.webp:  # a WebP photo has one list for both
            sources += _source(crop.original, sizes, f'media="{html.escape(art, quote=True)}" {ratio}')
    sources += _source(item.webp, sizes, 'type="image/webp"')
    return f"<picture>{sources}{img}</picture>"


def _source(copies: tuple[tuple[int, str], ...], sizes: str, attributes: str) -> str:
    srcset = html.escape(", ".join(f"{p} {w}w" for w, p in copies))
    return f'<source {attributes} srcset="{srcset}" sizes="{html.escape(sizes, quote=True)}">'


def _variants(
    artifact: Artifact, files: dict[str, bytes], meta: dict, ext: str
) -> tuple[list[Artifact], Processed]:
    """The artifacts of an image's variants (each width in its own format and WebP, and the phone crop's),
    and what pages need to know of them."""
    public = "/" + artifact.out_path
    out: list[Artifact] = []
    width, height = meta["width"], meta["height"]
    original, webp = [], []
    phone: dict[str, list[tuple[int, str]]] = {"own": [], "webp": []}
    for name, content in files.items():  # "480.jpg", "full.jpg", "480.webp", "phone-480.webp"
        size, _, kind = name.partition(".")
        if size.startswith("phone-"):
            w = int(size.removeprefix("phone-"))
            path = "/" + variant_path(artifact.out_path, w, "." + kind, "phone")
            if "." + kind == ext:
                phone["own"].append((w, path))
            if kind == "webp":
                phone["webp"].append((w, path))
            out.append(Artifact(path.lstrip("/"), content, sources=artifact.sources))
            continue
        w = width if size == "full" else int(size)
        own = "." + kind == ext  # the image's own format (for a .webp file, both lists)
        path = public if size == "full" and own else "/" + variant_path(artifact.out_path, w, "." + kind)
        if own:
            original.append((w, path))
        if kind == "webp":
            webp.append((w, path))
        out.append(Artifact(path.lstrip("/"), content, sources=artifact.sources))
    crop = None
    if "phone" in meta:
        crop = Crop(*meta["phone"], tuple(sorted(phone["own"])), tuple(sorted(phone["webp"])))
    item = Processed(public, width, height, tuple(sorted(original)), tuple(sorted(webp)), crop)
    return out, item
