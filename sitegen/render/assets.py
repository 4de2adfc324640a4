"""Theme files under fingerprinted names, the brand stylesheet, the one stylesheet every page links, and
the site's own static files."""

from __future__ import annotations

from pathlib import Path

from sitegen.core.artifact import Artifact
from sitegen.core.errors import Diagnostics, OutputError, SourceLocation, relative_to
from sitegen.core.paths import SHIPPED_THEMES, regular_file_inside
from sitegen.models import SiteConfig
from sitegen.render.templates import Theme, fingerprinted_name


def brand_css(config: SiteConfig, theme: Theme | None = None) -> bytes:
    """site.yaml's brand settings and the theme's settings as CSS custom properties: a file, because a
    strict CSP forbids inline styles. Fonts shipped with the site get @font-face rules; with dark_mode
    on, the dark colours replace the light ones for visitors whose device asks for a dark look."""
    brand = config.brand
    lines = []
    for font in brand.fonts:
        lines += [
            "@font-face {",
            f'  font-family: "{_css_value(font.family).replace(chr(34), "")}";',
            f'  src: url("{_css_url(font.src)}") '
            f'format("{"woff" if font.src.endswith(".woff") else "woff2"}");',
            f"  font-weight: {_css_value(font.weight)};",
            f"  font-style: {_css_value(font.style)};",
            "  font-display: swap;",
            "}",
        ]
    lines += [
        ":root {",
        f"  color-scheme: {'light dark' if brand.dark_mode else 'light'};",
        *_colours(brand.primary, brand.accent, brand.text, brand.background, brand.surface, brand.on_primary),
        f"  --brand-font-body: {_css_value(brand.font_body)};",
        f"  --brand-font-heading: {_css_value(brand.font_heading)};",
        f"  --brand-radius: {_css_value(brand.radius)};",
    ]
    for name, value in (theme.settings(config) if theme else {}).items():
        lines.append(f"  --theme-{name.replace('_', '-')}: {_css_value(value)};")
    lines.append("}")
    if brand.dark_mode:
        dark = brand.dark
        lines += [
            "@media (prefers-color-scheme: dark) {",
            "  :root {",
            *(
                "  " + line
                for line in _colours(
                    dark.primary, dark.accent, dark.text, dark.background, dark.surface, dark.on_primary
                )
            ),
            "  }",
            "}",
        ]
    return ("\n".join(lines) + "\n").encode()


def _colours(
    primary: str, accent: str, text: str, background: str, surface: str, on_primary: str
) -> list[str]:
    return [
        f"  --brand-primary: {primary};",
        f"  --brand-accent: {accent};",
        f"  --brand-text: {text};",
        f"  --brand-background: {background};",
        f"  --brand-surface: {surface};",
        f"  --brand-on-primary: {on_primary};",
    ]


def _css_value(value: str) -> str:
    """Keep a font stack or length from closing the rule or opening another one."""
    return "".join(ch for ch in value if ch not in "{};<>\\")


def _css_url(path: str) -> str:
    return "/" + "".join(ch for ch in path if ch not in "\"'()\\{};<> ").lstrip("/")


def theme_assets(theme: Theme, config: SiteConfig, site_dir: Path) -> tuple[list[Artifact], dict[str, str]]:
    """Every file of the theme's static/ folder and its parents' (the theme's own file wins), fingerprinted;
    returns the artifacts and name -> URL."""
    artifacts, urls = [], {}
    generated: dict[str, tuple[bytes, tuple[str, ...]]] = {}
    for folder in reversed(theme.static_folders):  # the parent first, so the child's files replace its
        for file in sorted(f for f in folder.rglob("*") if f.is_file()):
            name = file.relative_to(folder).as_posix()
            reason = regular_file_inside(file, (site_dir.resolve(), SHIPPED_THEMES.resolve()))
            if reason:
                raise OutputError(f"refusing to publish {file}: {reason}; replace it by a copy of the file")
            generated[name] = (file.read_bytes(), (relative_to(file, site_dir),))
    generated["css/brand.css"] = (brand_css(config, theme), (config.src_path,))
    generated[BUNDLE] = bundle_css(theme, generated)
    for name, (data, sources) in sorted(generated.items()):
        out_path = fingerprinted_name(name, data)
        urls[name] = "/" + out_path
        artifacts.append(Artifact(out_path, data, sources=sources))
    return artifacts, urls


BUNDLE = "css/bundle.css"
PRINT_SHEET = "css/print.css"


def bundle_css(
    theme: Theme, files: dict[str, tuple[bytes, tuple[str, ...]]]
) -> tuple[bytes, tuple[str, ...]]:
    """The page's one render-blocking stylesheet: brand.css, site.css, every stylesheet of the theme chain
    (parent first) and print.css inside `@media print`, from `files` (name -> bytes, sources), so a child
    theme's replacement of any of them is the one joined. Lives in css/, so url()s relative to css/ hold."""
    names = ["css/brand.css", "css/site.css", *theme.stylesheets]
    parts: list[bytes] = []
    sources: list[str] = []
    for name in dict.fromkeys(names):
        if name in files and name != PRINT_SHEET:
            parts.append(f"/* {name} */\n".encode() + files[name][0].rstrip(b"\n") + b"\n")
            sources += files[name][1]
    if PRINT_SHEET in files:
        parts.append(b"@media print {\n" + files[PRINT_SHEET][0].rstrip(b"\n") + b"\n}\n")
        sources += files[PRINT_SHEET][1]
    return b"".join(parts), tuple(dict.fromkeys(sources))


# --- contrast (WCAG 2.x) ------------------------------------------------------------------------------

AA_TEXT = 4.5


def _luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(one: str, other: str) -> float:
    """The WCAG contrast ratio of two hex colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def check_contrast(config: SiteConfig, diagnostics: Diagnostics) -> None:
    """SG106: a pair of brand colours the theme puts text in front of falls below WCAG AA (4.5:1)."""
    brand = config.brand
    looks = [("", "brand", brand)] + ([("dark ", "brand.dark", brand.dark)] if brand.dark_mode else [])
    for look, prefix, c in looks:
        pairs = [
            ("text", "background", c.text, c.background, "body text on the page background"),
            ("text", "surface", c.text, c.surface, "text on cards and panels"),
            ("primary", "background", c.primary, c.background, "links on the page background"),
            ("primary", "surface", c.primary, c.surface, "links on cards and panels"),
            ("on_primary", "primary", c.on_primary, c.primary, "button text on the main colour"),
        ]
        for fore, back, fg, bg, what in pairs:
            ratio = contrast_ratio(fg, bg)
            if ratio < AA_TEXT:
                field = f"{prefix}.{fore}"
                line = config.at_line(field) or config.at_line(f"{prefix}.{back}") or config.at_line(prefix)
                diagnostics.warn(
                    "SG106",
                    f"{look}{fore} {fg} on {back} {bg} has a contrast of {ratio:.2f}:1, below the 4.5:1 "
                    f"WCAG AA asks for ({what})",
                    SourceLocation(config.src_path, line),
                    "darken or lighten one of the two colours until the ratio is at least 4.5:1",
                )


def static_files(site_dir: Path, public_paths: tuple[str, ...], diagnostics: Diagnostics) -> list[Artifact]:
    """content/static/ copied as it is; a symlink that leads outside the site is refused."""
    static = (site_dir / "content" / "static").resolve()
    artifacts = []
    for public in public_paths:
        file = site_dir / "content" / "static" / public.lstrip("/")
        if static not in file.resolve().parents:
            diagnostics.error(
                "SG502",
                "this file is a link to something outside the site; it is not copied",
                SourceLocation(relative_to(file, site_dir)),
                "replace the link by a copy of the file",
            )
            continue
        artifacts.append(Artifact(public.lstrip("/"), copy_from=file, sources=(relative_to(file, site_dir),)))
    return artifacts


def check_fonts(config: SiteConfig, public_paths: tuple[str, ...], diagnostics: Diagnostics) -> None:
    """SG107: a font of brand.fonts that is not a file of content/static/ (it would never load)."""
    for index, font in enumerate(config.brand.fonts, start=1):
        if "/" + font.src.lstrip("/") not in public_paths:
            diagnostics.error(
                "SG107",
                f'brand.fonts: "{font.src}" is not a file in content/static/',
                SourceLocation(config.src_path, config.at_line(f"brand.fonts[{index}]")),
                "put the .woff2 file into content/static/ (e.g. content/static/fonts/) and give its public "
                "path",
            )
