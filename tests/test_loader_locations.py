"""Loading content (sitegen/content/loader.py): site.yaml, faq.yaml and each document become typed models,
and every problem found on the way is told at its file and line (a language code at its own list item, a
slug at its `slug:` line, a Markdown note at its line in the body, not the front matter's).

Written for the mutation run of loader.py (docs/testing.md): the loader was tested through whole builds
(test_content_errors.py, test_build.py), 2 to 4 s each. These read the starter's files, changed one line
at a time, with the loader's own functions."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitefactory import edit, make_site, write

from sitegen.content.loader import Loaded, field_lines, load_config, load_document, load_faq
from sitegen.content.markdown import MarkdownRenderer
from sitegen.content.sources import read_document
from sitegen.core.errors import Diagnostics
from sitegen.core.yamlmarks import load_yaml
from sitegen.models import FaqItem, Location, Service


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def line(site: Path, rel_path: str, text: str) -> int:
    lines = (site / "content" / rel_path).read_text(encoding="utf-8").splitlines()
    return next(n for n, t in enumerate(lines, start=1) if text in t)


def told(diagnostics: Diagnostics) -> list[tuple[str, str, int, str]]:
    """(code, file, line, message) of each diagnostic."""
    return [(d.code, d.location.src_path, d.location.line, d.message) for d in diagnostics.items]


def document(site: Path, kind: str, rel_path: str) -> tuple[Loaded | None, Diagnostics]:
    diagnostics = Diagnostics()
    raw = read_document(kind, site / "content" / rel_path, site, diagnostics)
    assert raw is not None, told(diagnostics)
    return load_document(raw, MarkdownRenderer(), diagnostics), diagnostics


# -- site.yaml ------------------------------------------------------------------------------------------


def test_site_yaml_loads_with_its_lines_and_a_base_url_without_its_last_slash(site: Path) -> None:
    edit(site, "site.yaml", "base_url: https://www.example.com", "base_url: https://www.example.com/BOX/")
    diagnostics = Diagnostics()
    config = load_config(site, diagnostics)
    assert diagnostics.items == []
    assert config is not None
    assert config.base_url == "https://www.example.com/BOX"  # only the last slash goes
    assert config.src_path == "content/site.yaml"
    assert config.at_line("contact.email") == line(site, "site.yaml", "email: hello@example.com")


def test_a_folder_without_site_yaml_is_not_a_site(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    assert load_config(tmp_path, diagnostics) is None
    assert told(diagnostics) == [
        ("SG101", "content/site.yaml", 0, "no content/site.yaml: this folder is not a sitegen site")
    ]
    assert (
        diagnostics.items[0].hint
        == "run `sitegen init DIR` to start a site, or pass the folder that holds content/"
    )


def test_an_empty_site_yaml_is_told_at_its_first_line(site: Path) -> None:
    write(site, "site.yaml", "# nothing yet\n")
    diagnostics = Diagnostics()
    assert load_config(site, diagnostics) is None
    assert told(diagnostics) == [("SG202", "content/site.yaml", 1, "site.yaml is empty")]
    assert diagnostics.items[0].hint == "add at least name, base_url, description and contact"


def test_a_site_yaml_that_does_not_parse_is_told_once(site: Path) -> None:
    write(site, "site.yaml", "name: [unclosed\n")
    diagnostics = Diagnostics()
    assert load_config(site, diagnostics) is None
    assert len(diagnostics.items) == 1
    assert diagnostics.items[0].code != "SG202"  # a syntax error, not "site.yaml is empty" as well


def test_a_base_url_that_is_not_a_web_address_is_told_at_its_line(site: Path) -> None:
    edit(site, "site.yaml", "base_url: https://www.example.com", "base_url: www.example.com")
    diagnostics = Diagnostics()
    config = load_config(site, diagnostics)
    assert config is not None  # the rest of site.yaml is still read, for the other messages
    assert told(diagnostics) == [
        (
            "SG209",
            "content/site.yaml",
            line(site, "site.yaml", "base_url:"),
            'base_url: "www.example.com" is not a web address',
        )
    ]
    assert diagnostics.items[0].hint == "write the full address, e.g. https://www.example-medspa.com"
    edit(site, "site.yaml", "base_url: www.example.com", "base_url: http://www.example.com")
    diagnostics = Diagnostics()
    assert load_config(site, diagnostics) is not None and diagnostics.items == []


def test_a_missing_setting_is_told_at_the_first_line_of_site_yaml(site: Path) -> None:
    edit(site, "site.yaml", "name: Your Practice Name\n", "")
    diagnostics = Diagnostics()
    assert load_config(site, diagnostics) is None
    assert told(diagnostics) == [
        ("SG202", "content/site.yaml", 2, 'missing required field "name"')
    ]  # 1: a comment


def test_a_single_language_written_without_a_list_is_told_at_its_line(site: Path) -> None:
    edit(site, "site.yaml", "brand:", "languages: english\nbrand:")
    diagnostics = Diagnostics()
    load_config(site, diagnostics)
    assert told(diagnostics) == [
        (
            "SG209",
            "content/site.yaml",
            line(site, "site.yaml", "languages:"),
            'languages: "english" is not a language code',
        )
    ]


def test_each_wrong_language_code_is_told_at_its_own_line(site: Path) -> None:
    edit(site, "site.yaml", "brand:", "languages:\n  - en\n  - english\n  - es\n  - en\n  - es\nbrand:")
    diagnostics = Diagnostics()
    load_config(site, diagnostics)
    first = line(site, "site.yaml", "languages:")
    assert told(diagnostics) == [
        ("SG209", "content/site.yaml", first + 2, 'languages: "english" is not a language code'),
        ("SG209", "content/site.yaml", first + 4, 'languages: "en" is listed twice'),
        ("SG209", "content/site.yaml", first + 5, 'languages: "es" is listed twice'),
    ]
    assert [d.hint for d in diagnostics.items] == [
        "use two-letter codes (ISO 639-1) in lower case, e.g. en, es, fr, vi, zh",
        "name each language once",
        "name each language once",
    ]


def test_an_empty_list_of_languages_is_told_at_its_line(site: Path) -> None:
    edit(site, "site.yaml", "brand:", "languages: []\nbrand:")
    diagnostics = Diagnostics()
    load_config(site, diagnostics)
    assert told(diagnostics) == [
        ("SG209", "content/site.yaml", line(site, "site.yaml", "languages:"), "languages: the list is empty")
    ]
    assert diagnostics.items[0].hint == "name at least the site's main language, e.g. `languages: [en]`"


def test_site_yaml_in_another_language_lays_its_texts_over_and_names_its_own_file(site: Path) -> None:
    edit(site, "site.yaml", "brand:", "languages: [en, es]\nbrand:")
    edit(site, "site.yaml", "base_url: https://www.example.com", "base_url: https://www.example.com/BOX/")
    write(site, "site.es.yaml", "\ntagline: Cuidado estético\n")
    diagnostics = Diagnostics()
    config = load_config(site, diagnostics, "es")
    assert diagnostics.items == []
    assert config is not None
    assert (config.tagline, config.name) == ("Cuidado estético", "Your Practice Name")
    assert config.src_path == "content/site.es.yaml"
    assert config.at_line("tagline") == 2
    assert config.base_url == "https://www.example.com/BOX"


def test_a_wrong_setting_in_a_translated_site_yaml_is_told_in_that_file(site: Path) -> None:
    edit(site, "site.yaml", "brand:", "languages: [en, es]\nbrand:")
    write(site, "site.es.yaml", "# es\ntagline: [Cuidado, estético]\n")
    diagnostics = Diagnostics()
    assert load_config(site, diagnostics, "es") is None
    assert told(diagnostics) == [("SG203", "content/site.es.yaml", 2, "tagline: expected text, found a list")]


def test_a_broken_site_yaml_is_told_once_not_again_for_each_language(site: Path) -> None:
    edit(site, "site.yaml", "brand:", "languages: [en, es]\nbrand: [\n")
    diagnostics = Diagnostics()
    assert load_config(site, diagnostics) is None
    assert [(code, file) for code, file, _, _ in told(diagnostics)] == [("SG201", "content/site.yaml")]
    diagnostics = Diagnostics()
    assert load_config(site, diagnostics, "es") is None
    assert diagnostics.items == []


# -- field_lines: the line of every setting ----------------------------------------------------------------


def test_field_lines_names_nested_fields_and_list_items_by_their_lines() -> None:
    data = load_yaml(
        "name: x\nbrand:\n  logo: a.png\ntiers:\n  - referrals: 1\n  - referrals: 3\n    reward: {value: 5}\n"
    )
    assert field_lines(data) == {
        "name": 1,
        "brand": 2,
        "brand.logo": 3,
        "tiers": 4,
        "tiers[1]": 5,
        "tiers[1].referrals": 5,
        "tiers[2]": 6,
        "tiers[2].referrals": 6,
        "tiers[2].reward": 7,
        "tiers[2].reward.value": 7,
    }
    assert field_lines(load_yaml("- a\n- b\n")) == {"[1]": 1, "[2]": 2}
    assert field_lines("text") == {}


# -- faq.yaml ---------------------------------------------------------------------------------------------


def test_the_faq_is_read_with_its_answers_rendered(site: Path) -> None:
    diagnostics = Diagnostics()
    faq = load_faq(site, MarkdownRenderer(), diagnostics)
    assert diagnostics.items == []
    assert faq[0].question == "How do I book?"
    assert faq[0].html == "<p>Call us at (555) 555-0100. We answer within one business day.</p>\n"
    assert all(isinstance(item, FaqItem) and item.html for item in faq)


def test_the_faq_as_the_browser_editor_writes_it_is_read_too(site: Path) -> None:
    write(site, "faq.yaml", "questions:\n  - question: Where?\n    answer: '*Here*.'\n")
    faq = load_faq(site, MarkdownRenderer(), Diagnostics())
    assert [(item.question, item.html) for item in faq] == [("Where?", "<p><em>Here</em>.</p>\n")]


def test_no_faq_or_an_empty_one_is_no_questions(site: Path) -> None:
    (site / "content" / "faq.yaml").unlink()
    assert load_faq(site, MarkdownRenderer(), Diagnostics()) == []
    write(site, "faq.yaml", "")
    assert load_faq(site, MarkdownRenderer(), Diagnostics()) == []


def test_a_faq_that_is_not_a_list_is_told_and_gives_no_questions(site: Path) -> None:
    write(site, "faq.yaml", "Ask us anything.\n")
    diagnostics = Diagnostics()
    assert load_faq(site, MarkdownRenderer(), diagnostics) == []
    assert [(file, at) for _, file, at, _ in told(diagnostics)] == [("content/faq.yaml", 1)]


def test_a_faq_of_one_question_written_without_the_dash_is_read(site: Path) -> None:
    write(site, "faq.yaml", "question: Where?\nanswer: Here.\n")
    assert [item.question for item in load_faq(site, MarkdownRenderer(), Diagnostics())] == ["Where?"]


@pytest.mark.parametrize("name", ["faq.yaml", "faq.es.yaml"])
def test_a_faq_that_is_not_yaml_is_told_at_its_line(site: Path, name: str) -> None:
    write(site, name, "- question: Where?\n  answer: [Here\n")
    diagnostics = Diagnostics()
    assert load_faq(site, MarkdownRenderer(), diagnostics, "es") == []
    assert [(code, file) for code, file, _, _ in told(diagnostics)] == [("SG201", f"content/{name}")]


def test_a_wrong_faq_item_is_told_at_its_line_in_its_file(site: Path) -> None:
    write(site, "faq.yaml", "- question: Where?\n  answer: Here.\n- question: When?\n")
    diagnostics = Diagnostics()
    load_faq(site, MarkdownRenderer(), diagnostics)
    assert told(diagnostics) == [("SG202", "content/faq.yaml", 3, 'missing required field "faq[2].answer"')]


def test_a_translated_faq_replaces_the_whole_faq_and_an_empty_one_is_told(site: Path) -> None:
    write(site, "faq.es.yaml", "- question: ¿Cómo reservo?\n  answer: Llámenos.\n")
    diagnostics = Diagnostics()
    faq = load_faq(site, MarkdownRenderer(), diagnostics, "es")
    assert diagnostics.items == []
    assert [(item.question, item.html) for item in faq] == [("¿Cómo reservo?", "<p>Llámenos.</p>\n")]
    assert load_faq(site, MarkdownRenderer(), Diagnostics(), "fr")[0].question == "How do I book?"
    write(site, "faq.es.yaml", "- question: ¿Cómo?\n")
    diagnostics = Diagnostics()
    assert load_faq(site, MarkdownRenderer(), diagnostics, "es") == []  # its own error, not the English
    assert [(code, file, at) for code, file, at, _ in told(diagnostics)] == [
        ("SG202", "content/faq.es.yaml", 1)
    ]
    write(site, "faq.es.yaml", "# to do\n")
    diagnostics = Diagnostics()
    assert load_faq(site, MarkdownRenderer(), diagnostics, "es")[0].question == "How do I book?"
    assert told(diagnostics) == [
        (
            "SG215",
            "content/faq.es.yaml",
            1,
            "this translation changes no text of content/faq.yaml, so the FAQ in that language shows the "
            "original's questions",
        )
    ]


# -- Documents --------------------------------------------------------------------------------------------


def test_a_document_gets_its_slug_address_and_source_and_its_fields_lines(site: Path) -> None:
    loaded, diagnostics = document(site, "services", "services/consultation.md")
    assert diagnostics.items == [] and loaded is not None
    model = loaded.model
    assert isinstance(model, Service)
    assert (model.slug, model.url, model.src_path) == (
        "consultation",
        "/services/consultation/",
        "content/services/consultation.md",
    )
    assert model.html.startswith("<p>Describe the treatment")
    assert model.body == (site / "content" / "services" / "consultation.md").read_text().split("---\n", 2)[2]
    assert loaded.kind == "services"
    assert model.body_line == line(site, "services/consultation.md", "Describe the treatment")
    assert loaded.line_of("duration") == line(site, "services/consultation.md", "duration:")
    assert loaded.at("duration").line == loaded.line_of("duration")
    assert loaded.at().line == 0 and loaded.at().src_path == "content/services/consultation.md"
    assert loaded.has_field("duration") and not loaded.has_field("nothing")


def test_a_missing_field_is_told_at_the_first_line_of_the_front_matter(site: Path) -> None:
    edit(site, "services/consultation.md", "title: Aesthetic consultation\n", "")
    loaded, diagnostics = document(site, "services", "services/consultation.md")
    assert loaded is None
    assert told(diagnostics) == [
        ("SG202", "content/services/consultation.md", 2, 'missing required field "title"')
    ]


def test_a_price_that_makes_no_sense_keeps_the_service_out(site: Path) -> None:
    edit(site, "services/consultation.md", "amount: 50", "amount: -50")
    loaded, diagnostics = document(site, "services", "services/consultation.md")
    assert loaded is None
    assert [(code, at) for code, _, at, _ in told(diagnostics)] == [
        ("SG235", line(site, "services/consultation.md", "amount: -50"))
    ]


def test_a_post_keeps_the_links_of_its_text_for_the_link_checks(site: Path) -> None:
    loaded, diagnostics = document(site, "posts", "posts/welcome.md")
    assert diagnostics.items == [] and loaded is not None
    assert loaded.kind == "posts" and loaded.model.url == "/posts/welcome/"
    edit(
        site,
        "posts/welcome.md",
        "\n---\n",
        "\n---\nSee [our visit page](/visit/#parking).\n\n",
    )
    loaded, _ = document(site, "posts", "posts/welcome.md")
    assert loaded is not None
    assert [(r.url, r.line) for r in loaded.references] == [
        ("/visit/#parking", line(site, "posts/welcome.md", "our visit page"))
    ]


def test_a_slug_written_in_the_front_matter_gives_the_address(site: Path) -> None:
    edit(site, "services/consultation.md", "title:", "slug: first-visit\ntitle:")
    loaded, _ = document(site, "services", "services/consultation.md")
    assert loaded is not None and loaded.model.url == "/services/first-visit/"


def test_an_unsafe_slug_is_told_at_its_line_and_an_unsafe_file_name_at_the_file(site: Path) -> None:
    edit(site, "services/consultation.md", "category:", "slug: ../admin\ncategory:")  # not the first line
    loaded, diagnostics = document(site, "services", "services/consultation.md")
    assert loaded is None
    assert told(diagnostics) == [
        (
            "SG207",
            "content/services/consultation.md",
            line(site, "services/consultation.md", "slug:"),
            'unsafe slug "../admin": it becomes part of the page address',
        )
    ]
    (site / "content" / "services" / "consultation.md").rename(site / "content" / "services" / "Our Visit.md")
    edit(site, "services/Our Visit.md", "slug: ../admin\n", "")
    loaded, diagnostics = document(site, "services", "services/Our Visit.md")
    assert loaded is None
    assert told(diagnostics) == [
        (
            "SG207",
            "content/services/Our Visit.md",
            0,
            'unsafe file name "Our Visit": it becomes part of the page address',
        )
    ]
    assert diagnostics.items[0].hint


def test_a_markdown_note_is_told_at_its_line_in_the_file(site: Path) -> None:
    edit(
        site,
        "services/consultation.md",
        "Describe the treatment",
        "Intro.\n\n[TOC]\n\nDescribe the treatment",
    )
    loaded, diagnostics = document(site, "services", "services/consultation.md")
    assert loaded is not None
    assert told(diagnostics) == [
        (
            "SG216",
            "content/services/consultation.md",
            line(site, "services/consultation.md", "[TOC]"),
            "[TOC] is not replaced by a table of contents any more: it is published as typed",
        )
    ]
    assert diagnostics.items[0].severity.value == "warning"
    assert diagnostics.items[0].hint == "remove it; the headings keep their addresses (#their-text) for links"


def test_a_services_own_faq_is_rendered(site: Path) -> None:
    edit(
        site,
        "services/consultation.md",
        "title:",
        "faq:\n  - question: Does it hurt?\n    answer: '*No*.'\ntitle:",
    )
    loaded, _ = document(site, "services", "services/consultation.md")
    assert loaded is not None
    assert [(item.question, item.html) for item in loaded.model.faq] == [
        ("Does it hurt?", "<p><em>No</em>.</p>\n")
    ]


def test_a_location_gets_its_directions_rendered_and_no_body(site: Path) -> None:
    loaded, diagnostics = document(site, "locations", "locations/main-office.yaml")
    assert diagnostics.items == [] and loaded is not None
    assert isinstance(loaded.model, Location)
    assert loaded.model.directions_html == (
        "<p>Free parking behind the building; the entrance has step-free access.</p>\n"
    )
    assert loaded.model.url == "/locations/main-office/"
    edit(site, "locations/main-office.yaml", "directions: Free parking", "# directions: Free parking")
    loaded, _ = document(site, "locations", "locations/main-office.yaml")
    assert loaded is not None and loaded.model.directions_html == ""


def test_a_document_with_a_wrong_field_is_not_loaded_and_told_at_the_field(site: Path) -> None:
    edit(site, "services/consultation.md", "duration: 30 minutes", "duration: [30, minutes]")
    loaded, diagnostics = document(site, "services", "services/consultation.md")
    assert loaded is None
    assert [(file, at) for _, file, at, _ in told(diagnostics)] == [
        ("content/services/consultation.md", line(site, "services/consultation.md", "duration:"))
    ]
