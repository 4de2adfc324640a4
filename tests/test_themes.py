"""Themes: theme.yaml (extends, settings), the lookup order, brand settings as CSS, contrast warnings,
and the shipped `harbor` theme passing the same quality gates on the demo as the default theme."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import serving
from linkcheck import check_site
from playwright.sync_api import Browser
from sitefactory import edit, make_site, snapshot
from test_demo_quality import (
    DESKTOP,
    PHONE,
    PHONE_AXE_RULES,
    axe_blocking_violations,
    distinct_page_urls,
    nu_validator_problems,
    report,
    strict_csp_problems,
    sweep_page,
    too_wide_for_a_phone,
)

from sitegen.build.pipeline import build, render_site
from sitegen.core.errors import ContentError
from sitegen.render.assets import contrast_ratio

REPO_ROOT = Path(__file__).resolve().parent.parent


def files(root: Path, tree: dict[str, str]) -> None:
    for rel, text in tree.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def brand_css(out: Path) -> str:
    [css] = (out / "assets" / "css").glob("brand.*.css")
    return css.read_text(encoding="utf-8")


def linked_css(out: Path, html: str) -> str:
    """The text of the page's one stylesheet (a page links exactly one; nojs.css is for visitors without
    script, in <noscript>)."""
    html = re.sub(r"<noscript>.*?</noscript>", "", html, flags=re.S)
    [sheet] = re.findall(r'<link rel="stylesheet" href="/(assets/css/[^"]+)"', html)
    return (out / sheet).read_text(encoding="utf-8")


def codes(exc: pytest.ExceptionInfo[ContentError]) -> list[tuple[str, str, int]]:
    return [(d.code, d.location.src_path, d.location.line) for d in exc.value.diagnostics]


# ---------------------------------------------------------------------------------------------
# theme.yaml, lookup order, settings
# ---------------------------------------------------------------------------------------------

CHILD = {
    "themes/child/theme.yaml": (
        'name: child\nversion: "2.1"\nextends: default\nstylesheets: [css/child.css]\n'
        "settings:\n  accent_width: 3px\n  hero_layout: stacked\n"
    ),
    "themes/child/static/css/child.css": ".eyebrow { border-left: var(--theme-accent-width) solid; }\n",
    "themes/child/templates/page.html": (
        '{% extends "base.html" %}{% block main %}<div class="wrap"><h1>{{ page.title }}</h1>'
        '<p class="child-page">{{ theme.name }} {{ theme.version }} {{ theme.settings.hero_layout }}</p>'
        "</div>{% endblock %}\n"
    ),
}


def test_a_theme_extends_default_adds_a_stylesheet_and_overrides_one_template(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    files(site, CHILD)
    edit(site, "site.yaml", "name:", "theme: child\ntheme_settings:\n  hero_layout: split\nname:")
    out = tmp_path / "out"
    build(site, out, use_cache=False)

    about = (out / "about" / "index.html").read_text(encoding="utf-8")
    assert '<p class="child-page">child 2.1 split</p>' in about  # the child's page.html, site's setting
    assert 'class="site-header"' in about  # base.html comes from the parent theme
    # the page's one stylesheet joins the child's after the parent's site.css
    joined = linked_css(out, about)
    assert joined.index("/* css/site.css */") < joined.index(CHILD["themes/child/static/css/child.css"])
    assert list((out / "assets" / "js").glob("site.*.js")), "the parent's static files are published"
    css = brand_css(out)
    assert "--theme-accent-width: 3px;" in css and "--theme-hero-layout: split;" in css
    post = next((out / "posts").glob("*/index.html")).read_text(encoding="utf-8")
    assert "child-page" not in post  # other templates still come from default


def test_a_static_file_of_the_child_theme_replaces_the_parents(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    files(site, {**CHILD, "themes/child/static/js/site.js": "/* the child's */\n"})
    edit(site, "site.yaml", "name:", "theme: child\nname:")
    out = tmp_path / "out"
    build(site, out, use_cache=False)
    [script] = (out / "assets" / "js").glob("site.*.js")
    assert script.read_text(encoding="utf-8") == "/* the child's */\n"


def test_overriding_one_template_in_the_site_changes_only_that_templates_output(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    before = tmp_path / "before"
    build(site, before, use_cache=False)
    post_template = (REPO_ROOT / "themes" / "default" / "templates" / "post.html").read_text(encoding="utf-8")
    assert "{% block main %}" in post_template
    files(
        site,
        {
            "templates/post.html": post_template.replace(
                "{% block main %}", "{% block main %}<p>site's own</p>", 1
            )
        },
    )
    after = tmp_path / "after"
    build(site, after, use_cache=False)

    old, new = snapshot(before), snapshot(after)
    assert old.keys() == new.keys()
    changed = sorted(name for name in old if old[name] != new[name])
    posts = sorted(f"posts/{md.stem}/index.html" for md in (site / "content" / "posts").glob("*.md"))
    assert posts and changed == posts
    assert all("<p>site's own</p>" in (after / name).read_text(encoding="utf-8") for name in posts)


def test_unknown_theme_setting_in_site_yaml_is_a_located_error(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    files(site, CHILD)
    edit(site, "site.yaml", "name:", "theme: child\ntheme_settings:\n  hero_layot: split\nname:")
    with pytest.raises(ContentError) as exc:
        build(site, tmp_path / "out", use_cache=False)
    assert ("SG105", "content/site.yaml", 4) in codes(exc)
    message = next(d for d in exc.value.diagnostics if d.code == "SG105")
    assert 'did you mean "hero_layout"' in message.message


@pytest.mark.parametrize(
    "manifest, line, words",
    [
        ("name: child\nextends: default\ncolour: red\n", 3, 'unknown field "colour"'),
        ("name: child\nextends: nowhere\n", 2, 'no theme "nowhere"'),
        ("name: child\nextends: child\n", 2, "leads back"),
        ("name: child\nextends: default\nstylesheets: [css/missing.css]\n", 3, "css/missing.css"),
        ("name: child\nsettings:\n  Bad-Name: 1\n", 3, "not a setting name"),
    ],
)
def test_theme_yaml_is_validated_with_located_errors(
    tmp_path: Path, manifest: str, line: int, words: str
) -> None:
    site = make_site(tmp_path)
    files(site, {"themes/child/theme.yaml": manifest, "themes/child/templates/.keep": ""})
    edit(site, "site.yaml", "name:", "theme: child\nname:")
    with pytest.raises(ContentError) as exc:
        build(site, tmp_path / "out", use_cache=False)
    found = [d for d in exc.value.diagnostics if d.location.src_path == "themes/child/theme.yaml"]
    assert found, codes(exc)
    assert (found[0].location.line, found[0].code) == (line, "SG205" if "unknown field" in words else "SG104")
    assert words in found[0].message


# ---------------------------------------------------------------------------------------------
# Brand settings: CSS custom properties, dark mode, fonts, contrast
# ---------------------------------------------------------------------------------------------


def test_brand_settings_become_custom_properties_with_dark_mode_and_fonts(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "content" / "static" / "fonts").mkdir(parents=True, exist_ok=True)
    (site / "content" / "static" / "fonts" / "inter.woff2").write_bytes(b"wOF2 not really")
    text = (site / "content" / "site.yaml").read_text(encoding="utf-8")
    brand = (
        "brand:\n  radius: 1rem\n  font_body: Inter, sans-serif\n"
        '  fonts:\n    - family: Inter\n      src: /fonts/inter.woff2\n      weight: "100 900"\n'
        '  dark_mode: true\n  dark:\n    background: "#101010"\n'
    )
    (site / "content" / "site.yaml").write_text(_without_brand(text) + brand, encoding="utf-8")
    out = tmp_path / "out"
    result = build(site, out, use_cache=False)
    assert not [d for d in result.diagnostics if d.code == "SG106"]
    css = brand_css(out)
    assert "--brand-radius: 1rem;" in css and "--brand-font-body: Inter, sans-serif;" in css
    assert '@font-face {\n  font-family: "Inter";\n  src: url("/fonts/inter.woff2") format("woff2");' in css
    assert "font-weight: 100 900;" in css and (out / "fonts" / "inter.woff2").is_file()
    assert "color-scheme: light dark;" in css
    dark = css[css.index("@media (prefers-color-scheme: dark)") :]
    assert "--brand-background: #101010;" in dark and "--brand-surface:" in dark
    assert check_site(out) == []


def test_a_font_that_is_not_shipped_is_an_error(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    text = (site / "content" / "site.yaml").read_text(encoding="utf-8")
    (site / "content" / "site.yaml").write_text(
        _without_brand(text) + "brand:\n  fonts:\n    - family: Inter\n      src: /fonts/inter.woff2\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as exc:
        build(site, tmp_path / "out", use_cache=False)
    assert any(
        code == "SG107" and path == "content/site.yaml" and line > 0 for code, path, line in codes(exc)
    )


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#fff", "#fff") == pytest.approx(1.0)


def test_low_contrast_brand_colours_are_a_located_warning_in_build_and_check(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    text = (site / "content" / "site.yaml").read_text(encoding="utf-8")
    (site / "content" / "site.yaml").write_text(
        _without_brand(text) + 'brand:\n  text: "#999999"\n  dark_mode: true\n  dark:\n    text: "#333333"\n',
        encoding="utf-8",
    )
    lines = (site / "content" / "site.yaml").read_text(encoding="utf-8").splitlines()
    text_line = lines.index('  text: "#999999"') + 1
    dark_line = lines.index('    text: "#333333"') + 1
    result = build(site, tmp_path / "out", use_cache=False)
    warnings = [d for d in result.diagnostics if d.code == "SG106"]
    assert {(d.location.src_path, d.location.line) for d in warnings} == {
        ("content/site.yaml", text_line),
        ("content/site.yaml", dark_line),
    }
    assert any("text #999999 on background" in d.message and "4.5:1" in d.message for d in warnings)
    assert any(d.message.startswith("dark text #333333") for d in warnings)
    in_memory = render_site(site).diagnostics  # what `sitegen check` runs: the same warnings, nothing written
    assert [d.code for d in in_memory].count("SG106") == len(warnings)


def test_the_demo_brand_passes_the_contrast_check() -> None:
    assert not [d for d in render_site(REPO_ROOT).diagnostics if d.code == "SG106"]


def _without_brand(site_yaml: str) -> str:
    """site.yaml without its brand: block (the starter's), so a test can write its own."""
    kept, skipping = [], False
    for line in site_yaml.splitlines(keepends=True):
        if line.startswith("brand:"):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    return "".join(kept).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------------------------
# The shipped harbor theme on the demo practice: the same gates as the default theme
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def harbor_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo practice with `theme: harbor`, built with the real CLI."""
    root = tmp_path_factory.mktemp("harbor-demo")
    shutil.copytree(REPO_ROOT / "content", root / "content")
    with (root / "content" / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("\ntheme: harbor\n")
    out = root / "public"
    proc = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", str(root), "--out", str(out), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return out


def test_harbor_looks_different_from_default(harbor_site: Path) -> None:
    home = (harbor_site / "index.html").read_text(encoding="utf-8")
    assert 'class="harbor-band"' in home and 'class="visit-card"' in home
    assert "/* css/harbor.css */" in linked_css(harbor_site, home)
    assert "--theme-card-radius" in brand_css(harbor_site)
    service = next((harbor_site / "services").glob("*/index.html")).read_text(encoding="utf-8")
    assert "/* css/harbor.css */" in linked_css(harbor_site, service) and "harbor-band" not in service


def test_harbor_demo_has_no_broken_links_and_no_inline_scripts(harbor_site: Path) -> None:
    problems = check_site(harbor_site) + strict_csp_problems(harbor_site)
    assert not problems, report("harbor: broken links or markup a strict CSP would block", problems)


def test_harbor_demo_passes_the_nu_html_validator(harbor_site: Path) -> None:
    problems = nu_validator_problems(harbor_site)
    assert not problems, report("harbor: Nu HTML Checker errors", problems)


@pytest.mark.browser
def test_harbor_demo_has_no_serious_accessibility_violation(harbor_site: Path, browser: Browser) -> None:
    """axe on each distinct page at both widths (the sample of test_demo_quality.distinct_page_urls: every
    kind of element in each of its surroundings), and none of them scrolling sideways on a phone. (Every
    page of the demo is checked for fitting a phone in the default theme by test_demo_quality; the sample
    has every element harbor's styles can reach, in each of its surroundings.)"""
    problems: list[str] = []
    distinct = distinct_page_urls(harbor_site)
    with serving(harbor_site) as base:
        with sweep_page(browser, base, viewport=DESKTOP) as page:
            for url in distinct:
                page.goto(url, wait_until="load")
                problems += axe_blocking_violations(page, url)
        with sweep_page(browser, base, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
            for url in dict.fromkeys(["/", *distinct]):
                phone.goto(url, wait_until="load")
                if url == "/":
                    problems += axe_blocking_violations(phone, "/ (375px phone)")
                else:
                    problems += axe_blocking_violations(phone, f"{url} (375px phone)", rules=PHONE_AXE_RULES)
                problems += too_wide_for_a_phone(phone, f"{url} (375px phone)")
    assert not problems, report("harbor: serious or critical axe violations", problems)
