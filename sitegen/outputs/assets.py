"""Theme files under fingerprinted names, the brand stylesheet, and the site's own static files."""
from __future__ import annotations

from pathlib import Path

from ..errors import Diagnostics, SourceLocation, relative_to
from ..models import SiteConfig
from ..templates import Theme, fingerprinted_name
from . import Artifact


def brand_css(config: SiteConfig) -> bytes:
    """site.yaml's brand settings as CSS custom properties: a file, because a strict CSP forbids inline styles."""
    brand = config.brand
    lines = [
        ":root {",
        f"  --brand-primary: {brand.primary};",
        f"  --brand-accent: {brand.accent};",
        f"  --brand-text: {brand.text};",
        f"  --brand-background: {brand.background};",
        f"  --brand-font-body: {_css_value(brand.font_body)};",
        f"  --brand-font-heading: {_css_value(brand.font_heading)};",
        f"  --brand-radius: {_css_value(brand.radius)};",
        "}",
    ]
    return ("\n".join(lines) + "\n").encode()


def _css_value(value: str) -> str:
    """Keep a font stack or length from closing the rule or opening another one."""
    return "".join(ch for ch in value if ch not in "{};<>\\")


def theme_assets(theme: Theme, config: SiteConfig, site_dir: Path) -> tuple[list[Artifact], dict[str, str]]:
    """Every file of the theme's static/ folder, fingerprinted; returns the artifacts and name -> URL."""
    artifacts, urls = [], {}
    files = sorted(f for f in theme.static.rglob("*") if f.is_file()) if theme.static.is_dir() else []
    generated = {"css/brand.css": (brand_css(config), (config.src_path,))}
    for file in files:
        name = file.relative_to(theme.static).as_posix()
        generated[name] = (file.read_bytes(), (relative_to(file, site_dir),))
    for name, (data, sources) in sorted(generated.items()):
        out_path = fingerprinted_name(name, data)
        urls[name] = "/" + out_path
        artifacts.append(Artifact(out_path, data, sources=sources))
    return artifacts, urls


def static_files(site_dir: Path, public_paths: tuple[str, ...], diagnostics: Diagnostics) -> list[Artifact]:
    """content/static/ copied as it is; a symlink that leads outside the site is refused."""
    static = (site_dir / "content" / "static").resolve()
    artifacts = []
    for public in public_paths:
        file = site_dir / "content" / "static" / public.lstrip("/")
        if static not in file.resolve().parents:
            diagnostics.error("SG502", "this file is a link to something outside the site; it is not copied",
                              SourceLocation(relative_to(file, site_dir)), "replace the link by a copy of the file")
            continue
        artifacts.append(Artifact(public.lstrip("/"), copy_from=file, sources=(relative_to(file, site_dir),)))
    return artifacts
