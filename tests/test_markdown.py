"""The content dialect: CommonMark with GitHub's tables, smart punctuation and the heading ids pages had
before; raw HTML sanitised; every link at its own line (docs/content.md, "How Markdown is read")."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sitefactory import edit, make_site

from sitegen.cli import main
from sitegen.content.markdown import MarkdownRenderer

STARTER_POST = "Your first post. Posts appear on /posts/, in the news feed, and on a page per tag."


def render(text: str, allow_html: bool = False) -> str:
    return MarkdownRenderer(allow_html).render(text).html


def test_a_list_right_after_a_paragraph_is_a_list() -> None:
    html = render("Before your visit:\n- no retinol for 3 days\n- no waxing\n")
    assert (
        "<p>Before your visit:</p>\n<ul>\n<li>no retinol for 3 days</li>\n<li>no waxing</li>\n</ul>" in html
    )


def test_a_nested_list_needs_only_the_content_indent() -> None:
    html = render("- Face\n  - forehead\n  - crow's feet\n- Neck\n")
    assert html.count("<ul>") == 2
    assert "<li>Face\n<ul>\n<li>forehead</li>" in html


def test_quotes_dashes_and_ellipses_are_typographic_but_not_in_code() -> None:
    html = render('She said "it\'s 9--5"... no -- it\'s 9---5. `"raw"`')
    assert "She said “it’s 9–5”… no – it’s 9—5." in html
    assert '<code>"raw"</code>' in html


def test_a_table_is_wrapped_to_scroll_on_a_phone() -> None:
    html = render("| Treatment | Price |\n|---|--:|\n| Peel | $150 |\n")
    assert html.startswith('<div class="table-scroll" tabindex="0" role="region" aria-label="Table"><table>')
    assert "<th>Treatment</th>" in html and "<td>$150</td>" in html and html.rstrip().endswith("</div>")
    assert "align" not in html and "style" not in html  # presentational attributes are not valid HTML


def test_heading_ids_are_the_ones_python_markdown_gave() -> None:
    text = (
        "## What’s new?\n\n## Café & *spa* `hours`\n\n## What's new?\n\n## Prices {#our-prices}\n\n## ---\n"
    )
    rendered = MarkdownRenderer().render(text)
    assert rendered.headings == [
        ("whats-new", "What’s new?"),
        ("cafe-spa-hours", "Café & spa hours"),
        ("whats-new_1", "What’s new?"),
        ("our-prices", "Prices"),
        ("_1", "—"),
    ]
    assert '<h2 id="whats-new_1">What’s new?</h2>' in rendered.html
    # a heading in raw HTML keeps its own attributes: it is not given an id
    assert '<h3>Raw</h3>\n<h2 id="after">' in render("<h3>Raw</h3>\n\n## After\n")


def test_raw_html_is_sanitised_unless_allowed() -> None:
    text = '<script>alert(1)</script>\n\n<a href="javascript:alert(2)" onclick="x()">a</a> <b>bold</b>\n'
    safe = MarkdownRenderer().render(text)
    assert "script" not in safe.html and "onclick" not in safe.html and "javascript" not in safe.html
    assert "<b>bold</b>" in safe.html
    assert [(r.url, r.line, r.removed) for r in safe.references] == [("javascript:", 3, True)]
    assert "<script>alert(1)</script>" in render(text, allow_html=True)


def test_the_cache_key_names_the_dialect_and_the_html_setting() -> None:
    safe, raw = MarkdownRenderer().settings, MarkdownRenderer(allow_html=True).settings
    assert safe != raw and "commonmark" in safe and safe not in ("sanitised", "raw-html")


def test_every_link_and_image_has_the_line_it_is_written_on() -> None:
    text = "See [prices](/p/).\n\nA second paragraph that\nlinks [prices](/p/) again, ![x](/i.png).\n"
    refs = MarkdownRenderer().render(text, first_line=8).references
    assert [(r.url, r.line, r.is_image) for r in refs] == [
        ("/p/", 8, False),
        ("/p/", 11, False),
        ("/i.png", 11, True),
    ]


def test_a_broken_link_in_a_long_post_is_reported_at_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    body = (
        "Your first post.\n\n"  # line 8
        "Read about [our team](/team/) and\n"  # line 10
        "our [offers](/offers/).\n\n"  # line 11
        "- a list right after\n- this paragraph\n\n"  # 13, 14
        "A last paragraph, then the\n"  # line 16
        "[same broken link](/offers/) again.\n"  # line 17
    )
    edit(site, "posts/welcome.md", STARTER_POST, body)
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1
    broken = "error[SG302] broken link: no page at /offers/"
    assert f"content/posts/welcome.md:11: {broken}" in result.output
    assert f"content/posts/welcome.md:17: {broken}" in result.output


def test_writing_from_the_old_dialect_is_a_warning_at_its_line(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    edit(
        site,
        "posts/welcome.md",
        "Your first post.",
        "Your first post.\n\n*[IPL]: intense pulsed light\n\n"  # line 10
        "A lead paragraph. {: .lead}\n\n```\n{: .code}\n```\n",  # line 12, then a code block
    )
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    assert "content/posts/welcome.md:10: warning[SG216] an abbreviation definition" in result.output
    assert "content/posts/welcome.md:12: warning[SG216] an attribute list" in result.output
    assert result.output.count("SG216") == 2  # not inside a code block
