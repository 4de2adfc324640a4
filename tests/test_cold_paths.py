"""The shortcuts a cold build takes give what the slower ways gave: `_()` in a template, prices and
opening times, the sanitiser, the old-dialect notes, and the files a full build writes as pages arrive."""

from __future__ import annotations

from pathlib import Path

import nh3
import pytest

from sitegen.content.i18n import Catalogue, format_clock, format_money
from sitegen.content.loader import load_config
from sitegen.content.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    URL_SCHEMES,
    MarkdownRenderer,
)
from sitegen.core.artifact import Artifact
from sitegen.core.errors import Diagnostics, OutputError
from sitegen.output.writer import Staging
from sitegen.render.templates import Theme, make_environment
from tests.sitefactory import make_site

TEMPLATE = (
    '{{ _("Menu") }}|{{ _("Hello %(name)s", name=who) }}|{{ _("Save 10%% today") }}|{{ _("<em>New</em>") }}|'
    '{% autoescape false %}{{ _("Hello %(name)s", name=who) }}|{{ _("Menu") }}{% endautoescape %}'
)


@pytest.fixture
def environment(tmp_path: Path):
    site = make_site(tmp_path)
    config = load_config(site, Diagnostics())
    assert config is not None
    theme_root = tmp_path / "theme"
    (theme_root / "templates").mkdir(parents=True)
    (theme_root / "templates" / "page.html").write_text(TEMPLATE, encoding="utf-8")
    spanish = Catalogue("es", "es_US", {"Menu": "Menú", "Hello %(name)s": "Hola %(name)s"})
    return make_environment(site, Theme("t", theme_root), config, {}, {"es": spanish}), config


def test_translate_escapes_variables_and_follows_the_page_language(environment) -> None:
    """`_()` gives what Jinja's own newstyle gettext gives: a variable escaped (not inside
    `autoescape false`), the message's own markup kept, `%%` written once, the page's language; asked
    twice, the same."""
    env, config = environment
    page = env.get_template("page.html")
    for _ in range(2):  # the second time a message without variables is remembered
        assert page.render(lang="es", who="<b>") == (
            "Menú|Hola &lt;b&gt;|Save 10% today|<em>New</em>|Hola <b>|Menú"
        )
        assert page.render(lang=config.language, who="Ann & Co") == (
            "Menu|Hello Ann &amp; Co|Save 10% today|<em>New</em>|Hello Ann & Co|Menu"
        )


def test_prices_and_times_are_the_same_when_asked_again() -> None:
    """Remembered per type: 150 and 150.0 both read "$150", 149.5 keeps its cents."""
    for _ in range(2):
        assert format_money(150, "USD", "en_US") == "$150"
        assert format_money(150.0, "USD", "en_US") == "$150"
        assert format_money(149.5, "USD", "en_US") == "$149.50"
        assert format_money(150, "EUR", "es_ES") == "150 €"
        assert format_clock("09:00", "en_US") == "9 AM"
        assert format_clock("17:30", "es_ES") == "17:30"


def test_the_shared_sanitiser_cleans_as_nh3_clean_does() -> None:
    text = (
        '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">a</a>'
        '<a href="tel:+15550100" title="t">call</a><img src="x.png" width="3" align="left"></p>'
        "<center>old</center><section id=s>kept</section>"
    )
    rendered = MarkdownRenderer().render(text).html
    expected = nh3.clean(
        text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None
    ).replace("<img ", '<img loading="lazy" ')
    assert rendered == expected
    assert "script" not in rendered and "javascript" not in rendered and 'width="3"' in rendered


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("Intro.\n\n[TOC]\n", 3),
        ("Intro.\n\n*[IPL]: intense pulsed light\n", 3),
        ("One.\n\nA paragraph {: .lead}\n", 3),
        ("One.\n\nEscaped \\{: .lead\\}\n", 3),
    ],
)
def test_old_dialect_is_still_noted_on_its_line(body: str, line: int) -> None:
    """Texts are searched only when they hold `{`, `*[` or `TOC`: every old-dialect form does."""
    notes = MarkdownRenderer().render(body).notes
    assert [note.line for note in notes] == [line]


def test_plain_text_gets_no_old_dialect_note() -> None:
    assert MarkdownRenderer().render("Braces are rare: [a link](/x/) and *stars*.\n").notes == []


def test_staging_writes_nested_pages_each_folder_once(tmp_path: Path) -> None:
    staging = Staging(tmp_path / "public")
    paths = ["index.html", "posts/a/index.html", "posts/b/index.html", "es/posts/a/index.html", "feed.xml"]
    for number, path in enumerate(paths):
        kept = staging.put(Artifact(path, f"<p>{number}</p>".encode()))
        assert kept.copy_from == staging.folder / path
    staging.put(Artifact("empty.txt", b""))
    assert staging.folder is not None
    for number, path in enumerate(paths):
        assert (staging.folder / path).read_bytes() == f"<p>{number}</p>".encode()
    assert (staging.folder / "empty.txt").read_bytes() == b""
    assert set(staging.digests) == {*paths, "empty.txt"}


def test_staging_refuses_a_page_whose_folder_is_a_file(tmp_path: Path) -> None:
    staging = Staging(tmp_path / "public")
    staging.put(Artifact("posts", b"a file where a folder is needed"))
    with pytest.raises(OutputError, match="could not write the site"):
        staging.put(Artifact("posts/a/index.html", b"<p>a</p>"))
    staging.discard()
    assert not any(tmp_path.glob(".public.new-*"))
