"""Screenshots of the demo's key pages for docs/themes.md: the first screen of each, as a visitor meets it, on
a phone (390x844) and a wide screen (1280x900), in Chromium, written as JPEG to docs/screenshots/.

    PYTHONPATH=. /work/venv/bin/python scripts/screenshots.py

The demo is built and served by sitegen's own server (`sitegen serve`, which applies the site's _headers)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from sitegen.serve import server as serve
from sitegen.site.refcode import make_code

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
PAGES = {
    "home": "/",
    "refer": "/refer/",
    # no code: a new patient's page, as a search engine's visitor sees it; before the friend's link, whose
    # code the browser then keeps (and shows on /welcome/ too)
    "welcome-stranger": "/welcome/",
    "welcome": f"/welcome/?ref={make_code('FRND234')}",
    "service": "/services/botox-and-dysport/",
}
SCREENS = {"phone": (390, 844), "desktop": (1280, 900)}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    running = serve.start(ROOT, "127.0.0.1", 0)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for screen, (width, height) in SCREENS.items():
                context = browser.new_context(
                    base_url=running.url,
                    viewport={"width": width, "height": height},
                    is_mobile=screen == "phone",
                    has_touch=screen == "phone",
                    reduced_motion="reduce",
                )
                page = context.new_page()
                for name, url in PAGES.items():
                    page.goto(url, wait_until="networkidle")
                    shot = Image.open(io.BytesIO(page.screenshot(type="png"))).convert("RGB")
                    if (
                        screen == "desktop"
                    ):  # three quarters is enough to see the layout, and a quarter of the bytes
                        shot = shot.resize((width * 3 // 4, height * 3 // 4), Image.Resampling.LANCZOS)
                    target = OUT / f"{name}-{screen}.jpg"
                    shot.save(target, "JPEG", quality=72, optimize=True, progressive=True)
                    print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")
                context.close()
            browser.close()
    finally:
        serve.stop(running)


if __name__ == "__main__":
    main()
