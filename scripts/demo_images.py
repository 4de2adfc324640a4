"""The demo's and the starter's photographs, drawn with Pillow: licence-free stand-ins (a treatment room, the
offices, portraits, before/after close-ups of lips for the gallery; drawings, never a real person) so the
theme's image slots are seen with pictures. Deterministic: each image comes from its own seeded random
generator, grain included, so running it again writes the same bytes (with the same Pillow; checked by
tests/test_demo_images.py).

    PYTHONPATH=. /work/venv/bin/python scripts/demo_images.py            # or: ... demo_images.py gallery

Replace them with the practice's own photos: same paths, or other paths in the content files."""

from __future__ import annotations

import io
import math
import random
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "content" / "static" / "images"
STARTER = ROOT / "sitegen" / "starter" / "content" / "static" / "images"
RGB = tuple[int, int, int]


def gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    """A vertical gradient from `top` to `bottom`."""
    height = size[1]
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return column.resize(size)


def bokeh(
    image: Image.Image,
    rng: random.Random,
    count: int,
    colours: list[RGB],
    blur: float,
    box: tuple[float, float, float, float] = (0, 0, 1, 1),
    largest: int = 9,
) -> Image.Image:
    """Soft out-of-focus discs (of light, of leaves) in `box` (fractions of the picture)."""
    layer = Image.new("RGBA", image.size, (*colours[0], 0))
    draw = ImageDraw.Draw(layer)
    left, top, right, bottom = box
    for _ in range(count):
        r = rng.randint(image.width // 60, image.width // largest)
        x = rng.randint(int(image.width * left), int(image.width * right))
        y = rng.randint(int(image.height * top), int(image.height * bottom))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*rng.choice(colours), rng.randint(90, 200)))
    return Image.alpha_composite(image.convert("RGBA"), layer.filter(ImageFilter.GaussianBlur(blur))).convert(
        "RGB"
    )


def grain(image: Image.Image, rng: random.Random, amount: int = 6) -> Image.Image:
    """A little sensor noise, so flat areas read as a photograph; drawn from `rng` (Pillow's own
    effect_noise is not seeded, so the pictures came out different on every run)."""
    width, height = image.size
    noise = Image.frombytes("L", image.size, rng.randbytes(width * height))
    noise = noise.point(lambda v: 128 + (v - 128) * amount // 16).convert("RGB")
    return Image.blend(image, noise, 0.04 + rng.random() * 0.01)


def treatment_room(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    w, h = size
    image = gradient(size, (236, 226, 214), (214, 200, 186))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, int(h * 0.72), w, h), fill=(190, 170, 150))  # floor
    draw.rectangle((int(w * 0.58), int(h * 0.1), int(w * 0.9), int(h * 0.62)), fill=(250, 246, 236))  # window
    for i in range(1, 3):  # window bars
        x = int(w * 0.58 + (w * 0.32) * i / 3)
        draw.rectangle((x - 3, int(h * 0.1), x + 3, int(h * 0.62)), fill=(226, 216, 204))
    draw.rounded_rectangle(  # treatment chair
        (int(w * 0.12), int(h * 0.5), int(w * 0.5), int(h * 0.66)), radius=int(h * 0.05), fill=(120, 110, 160)
    )
    draw.rectangle((int(w * 0.3), int(h * 0.66), int(w * 0.33), int(h * 0.8)), fill=(90, 84, 110))
    draw.ellipse((int(w * 0.03), int(h * 0.55), int(w * 0.1), int(h * 0.8)), fill=(150, 110, 90))  # pot
    plant = [(90, 140, 90), (120, 170, 110), (70, 120, 80)]
    image = bokeh(image, rng, 26, plant, w / 300, (0.02, 0.3, 0.12, 0.6), largest=22)  # the plant
    image = image.filter(ImageFilter.GaussianBlur(w / 900))
    image = bokeh(image, rng, 8, [(255, 250, 235)], w / 50, (0.55, 0.05, 0.95, 0.6), largest=14)  # the light
    return grain(image, rng)


def office(rng: random.Random, size: tuple[int, int], wall: RGB) -> Image.Image:
    w, h = size
    image = gradient(size, (160, 196, 228), (226, 236, 242))
    draw = ImageDraw.Draw(image)
    top = int(h * 0.22)
    draw.rectangle((int(w * 0.08), top, int(w * 0.92), int(h * 0.86)), fill=wall)
    draw.rectangle((int(w * 0.06), top - 14, int(w * 0.94), top), fill=tuple(c - 40 for c in wall))
    for row in range(2):
        for col in range(5):
            x = int(w * (0.14 + col * 0.155))
            y = int(top + h * (0.08 + row * 0.26))
            if row == 1 and col == 2:
                draw.rectangle((x, y, x + int(w * 0.1), int(h * 0.86)), fill=(70, 60, 80))  # the door
                continue
            draw.rectangle((x, y, x + int(w * 0.1), y + int(h * 0.16)), fill=(120, 150, 170))
    draw.rectangle((0, int(h * 0.86), w, h), fill=(150, 150, 146))  # pavement
    trees = [(70, 120, 70), (90, 140, 80)]
    image = bokeh(image, rng, 16, trees, w / 300, (0.0, 0.45, 0.1, 0.8), largest=14)  # trees at the sides
    image = bokeh(image, rng, 16, trees, w / 300, (0.9, 0.45, 1.0, 0.8), largest=14)
    image = image.filter(ImageFilter.GaussianBlur(w / 1000))
    return grain(image, rng)


def portrait(rng: random.Random, size: tuple[int, int], skin: RGB, hair: RGB, coat: RGB) -> Image.Image:
    w, h = size
    image = gradient(
        size, (rng.randint(200, 230), rng.randint(205, 225), rng.randint(215, 235)), (180, 186, 196)
    )
    image = bokeh(image, rng, 14, [(255, 255, 255), (230, 220, 200), (200, 215, 230)], w / 30)
    draw = ImageDraw.Draw(image)
    draw.ellipse((int(w * 0.12), int(h * 0.7), int(w * 0.88), int(h * 1.4)), fill=coat)  # shoulders
    draw.rectangle((int(w * 0.43), int(h * 0.55), int(w * 0.57), int(h * 0.75)), fill=skin)  # neck
    draw.ellipse((int(w * 0.3), int(h * 0.14), int(w * 0.7), int(h * 0.52)), fill=hair)  # hair behind
    draw.ellipse((int(w * 0.34), int(h * 0.2), int(w * 0.66), int(h * 0.6)), fill=skin)  # face
    draw.chord((int(w * 0.32), int(h * 0.13), int(w * 0.68), int(h * 0.42)), 180, 360, fill=hair)
    image = image.filter(ImageFilter.GaussianBlur(w / 500))
    return grain(image, rng)


def lips(seed: str, size: tuple[int, int], upper: float, lower: float, tilt: float) -> Image.Image:
    """A close-up of lips, drawn (no person's photo): skin in soft light, the upper lip `upper` and the lower
    `lower` tall (fractions of the height), the upper border lifted on one side by `tilt`. Before and after
    of one pair share `seed`, so light, skin and framing match and only the lips change."""
    rng = random.Random(seed)
    w, h = size
    skin = (rng.randint(200, 228), rng.randint(150, 172), rng.randint(126, 146))
    image = gradient(size, tuple(min(255, c + 18) for c in skin), tuple(c - 26 for c in skin))  # type: ignore[arg-type]
    shade = Image.new("L", size, 0)
    ImageDraw.Draw(shade).ellipse(
        (int(w * 0.3), int(-h * 0.25), int(w * 0.7), int(h * 0.12)), fill=90
    )  # nose
    ImageDraw.Draw(shade).ellipse(
        (int(w * 0.25), int(h * 0.86), int(w * 0.75), int(h * 1.3)), fill=50
    )  # chin
    image = Image.composite(
        Image.new("RGB", size, tuple(c - 60 for c in skin)),
        image,
        shade.filter(ImageFilter.GaussianBlur(w / 14)),
    )
    cx, cy, half = w / 2, h * 0.52, w * 0.36
    steps = [i / 60 - 1 for i in range(121)]

    def border(t: float) -> float:  # the upper border: a Cupid's bow with a dip in the middle
        bow = 1 - 0.32 * math.exp(-((t / 0.13) ** 2))
        return cy - h * upper * (1 - t * t) ** 0.7 * bow * (1 + tilt * t)

    upper_lip = [(cx + t * half, border(t)) for t in steps]
    mouth = [(cx + t * half, cy + h * 0.012 * (1 - t * t)) for t in reversed(steps)]
    lower_lip = [(cx + t * half * 0.97, cy + h * lower * (1 - t * t) ** 0.6) for t in steps]
    colour = (skin[0] - 30, skin[1] - 78, skin[2] - 62)
    layer = Image.new("RGBA", size, (*colour, 0))
    draw = ImageDraw.Draw(layer)
    draw.polygon(upper_lip + mouth, fill=(colour[0] - 14, colour[1] - 10, colour[2] - 8, 255))  # in shade
    draw.polygon(list(reversed(mouth)) + list(reversed(lower_lip)), fill=(*colour, 255))
    image = Image.alpha_composite(image.convert("RGBA"), layer.filter(ImageFilter.GaussianBlur(w / 400)))
    light = Image.new("RGBA", size, (255, 240, 235, 0))  # the sheen on the lower lip
    ImageDraw.Draw(light).ellipse(
        (int(cx - half * 0.35), int(cy + h * lower * 0.3), int(cx + half * 0.3), int(cy + h * lower * 0.55)),
        fill=(255, 240, 235, 90),
    )
    image = Image.alpha_composite(image, light.filter(ImageFilter.GaussianBlur(w / 60))).convert("RGB")
    ImageDraw.Draw(image).line(
        mouth, fill=(skin[0] - 120, skin[1] - 110, skin[2] - 96), width=max(2, w // 240)
    )
    return grain(image.filter(ImageFilter.GaussianBlur(w / 700)), rng)


def encode(image: Image.Image) -> bytes:
    """The JPEG bytes written for a picture (no timestamp or other varying data: same picture, same bytes)."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, optimize=True, progressive=True)
    return buffer.getvalue()


def picture(path: Path) -> bytes:
    """The bytes of the picture at `path` (a key of IMAGES), drawn from its own seed, its file's name."""
    return encode(IMAGES[path](random.Random(path.name)))


def save(data: bytes, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"{path.relative_to(ROOT)}: {len(data) // 1024} KB")


PEOPLE = {
    "maya-okafor": ((140, 96, 70), (40, 30, 28), (250, 250, 250)),
    "elena-ruiz": ((206, 160, 128), (70, 46, 34), (86, 96, 140)),
    "jordan-pike": ((232, 196, 170), (150, 110, 60), (90, 130, 130)),
    "priya-raman": ((176, 128, 96), (30, 26, 26), (140, 90, 110)),
}

Drawing = Callable[[random.Random], Image.Image]


def person(colours: tuple[RGB, RGB, RGB]) -> Drawing:
    return lambda rng: portrait(rng, (640, 640), *colours)


# the before/after gallery (content/gallery/lip-filler.yaml): name -> (pair, upper lip, lower lip, tilt)
GALLERY = {
    "lip-filler-1-before": ("lip-filler-1", 0.065, 0.17, 0.35),
    "lip-filler-1-after": ("lip-filler-1", 0.12, 0.18, 0.0),
    "lip-filler-2-before": ("lip-filler-2", 0.11, 0.09, 0.0),
    "lip-filler-2-after": ("lip-filler-2", 0.11, 0.17, 0.0),
}


def closeup(pair: str, upper: float, lower: float, tilt: float) -> Drawing:
    return lambda _rng: lips(pair, (960, 720), upper, lower, tilt)


IMAGES: dict[Path, Drawing] = {
    DEMO / "home-hero.jpg": lambda rng: treatment_room(rng, (1600, 1000)),
    DEMO / "locations" / "south-lamar.jpg": lambda rng: office(rng, (1200, 800), (232, 220, 200)),
    DEMO / "locations" / "mueller.jpg": lambda rng: office(rng, (1200, 800), (200, 210, 214)),
    **{DEMO / "team" / f"{slug}.jpg": person(colours) for slug, colours in PEOPLE.items()},
    **{DEMO / "gallery" / f"{name}.jpg": closeup(*shape) for name, shape in GALLERY.items()},
    STARTER / "home-hero.jpg": lambda rng: treatment_room(rng, (960, 600)),
    STARTER / "main-office.jpg": lambda rng: office(rng, (720, 480), (226, 214, 196)),
    STARTER / "alex-rivera.jpg": lambda rng: portrait(
        rng, (360, 360), (198, 150, 120), (60, 44, 36), (96, 110, 150)
    ),
}


def main() -> None:
    """Every picture, or only those whose path contains one of the arguments (`demo_images.py gallery`)."""
    for path in IMAGES:
        if sys.argv[1:] and not any(part in path.as_posix() for part in sys.argv[1:]):
            continue
        save(picture(path), path)  # each picture its own seed: one change moves no other picture


if __name__ == "__main__":
    main()
