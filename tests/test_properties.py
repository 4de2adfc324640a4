"""Property-based: whatever a content file holds, the build succeeds or names a located content error;
it never crashes with a traceback and never writes outside the output folder.

Each example is a clean build of a new starter site that has only the starter's compiled templates in its
build cache (`with_compiled_templates`): the content is what varies, and compiling the same theme again
for each of 160 examples was half their time."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitefactory import make_site, with_compiled_templates, write

from sitegen.build.pipeline import build
from sitegen.core.errors import ContentError

# The seed is fixed by the profile tests/conftest.py loads (derandomize=True), so a failure here fails the
# same way on every run and in CI; HYPOTHESIS_PROFILE=explore draws new examples.
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
yaml_scalars = st.one_of(
    st.text(max_size=40),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.sampled_from(["2026-02-30", "../x", "{a: [", "'", '"', ": :", "- - -", "!!python/object:os.system"]),
)
markdown_text = st.lists(
    st.sampled_from(
        list("abc #*_[]()!<>/\\\"'`|-:\n.@&;=")
        + ["javascript:", "<script>", "](/", "{%", "{{", "<img src=x onerror=", "| a | b |\n|---|---|\n"]
    ),
    max_size=120,
).map("".join)


def assert_build_is_safe(site: Path) -> None:
    """The build either succeeds and writes only inside public/, or fails with located content errors. Any
    other exception (an OutputError refusing a path, a crash) fails the test."""
    out = site / "public"
    try:
        build(site, out)
    except ContentError as error:
        assert error.diagnostics, "a content error must say what is wrong"
        assert all(d.location.src_path for d in error.diagnostics)
        return
    assert (out / "index.html").is_file(), "a build that succeeds writes the home page"
    root = out.resolve()
    for file in out.rglob("*"):
        assert root in file.resolve().parents, f"{file} is outside the output folder"
    assert not (site.parent / "x").exists()


@SETTINGS
@given(title=yaml_scalars, slug=yaml_scalars, summary=yaml_scalars, tags=st.lists(yaml_scalars, max_size=3))
def test_any_front_matter_builds_or_fails_with_a_located_error(
    title: object, slug: object, summary: object, tags: list
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = with_compiled_templates(make_site(Path(folder)))
        front = (
            f"---\ntitle: {title!r}\nslug: {slug}\nsummary: {summary}\ndate: 2026-01-02\n"
            f"tags: {tags!r}\n---\nText.\n"
        )
        write(site, "posts/fuzz.md", front)
        assert_build_is_safe(site)


@SETTINGS
@given(body=markdown_text)
def test_any_markdown_body_builds_or_fails_with_a_located_error(body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = with_compiled_templates(make_site(Path(folder)))
        write(site, "pages/fuzz.md", "---\ntitle: Fuzz\n---\n" + body)
        assert_build_is_safe(site)
        page = site / "public" / "fuzz" / "index.html"
        if page.exists():
            html = page.read_text()
            assert "<script>" not in html.split("</head>", 1)[1]  # no script ever comes from content
            assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", html, re.IGNORECASE)
            assert not re.search(r"<[a-z]+[^>]*\son[a-z]+\s*=", html.split("</head>", 1)[1], re.IGNORECASE)


@SETTINGS
@given(text=st.text(max_size=200))
def test_any_yaml_in_site_yaml_builds_or_fails_with_a_located_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = with_compiled_templates(make_site(Path(folder)))
        (site / "content" / "site.yaml").write_text(text, encoding="utf-8")
        assert_build_is_safe(site)


@SETTINGS
@given(
    name=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
        min_size=1,
        max_size=30,
    )
)
def test_any_file_name_builds_or_fails_with_a_located_error(name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = with_compiled_templates(make_site(Path(folder)))
        try:
            write(site, f"pages/{name}.md", "---\ntitle: Odd name\n---\nText.\n")
        except OSError:
            return  # the file system itself refuses the name
        assert_build_is_safe(site)
