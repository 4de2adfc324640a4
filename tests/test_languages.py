"""A bilingual site: a Spanish edition under /es/, translations that override only texts, fallbacks,
alternates for search engines, the language switcher, and mistakes in translations."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Page, expect
from sitefactory import add_program, edit, make_site, snapshot, write

from sitegen.cli import main
from sitegen.serve import server as serve

BASE = "https://www.example.com"

ABOUT_ES = """\
---
title: Quiénes somos
description: Quiénes somos y cómo cuidamos a nuestros pacientes.
---
Somos una práctica dirigida por médicos. Lea nuestra [política de privacidad](/privacy/) y vea los \
[tratamientos](/services/consultation/).
"""

PROGRAM_ES = """\
headline: Recomiende a un amigo
intro: Su amigo recibe una oferta de bienvenida.
friend_reward:
  description: $10 de descuento en un primer tratamiento
referrer_reward:
  description: un crédito de $10 en su cuenta
"""


def run(site: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", str(site), *args])
    return result.exit_code, result.output


def page(site: Path, url: str) -> str:
    return (site / "public" / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The starter site in English and Spanish: the about page and the referral program translated."""
    site = make_site(tmp_path)
    edit(site, "site.yaml", "tagline:", "languages: [en, es]\ntagline:")
    write(site, "pages/about.es.md", ABOUT_ES)
    add_program(site)
    write(site, "program.es.yaml", PROGRAM_ES)
    code, output = run(site)
    assert code == 0, output
    return site


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_every_page_names_its_language_and_the_main_one_stays_at_the_root(site: Path) -> None:
    assert '<html lang="en">' in page(site, "/about/")
    spanish = page(site, "/es/about/")
    assert '<html lang="es">' in spanish
    assert "<h1>Quiénes somos</h1>" in spanish
    assert f'<link rel="canonical" href="{BASE}/es/about/">' in spanish


def test_translated_pages_link_each_other_for_search_engines(site: Path) -> None:
    expected = {"en": f"{BASE}/about/", "es": f"{BASE}/es/about/", "x-default": f"{BASE}/about/"}
    assert alternates(page(site, "/about/")) == expected
    assert alternates(page(site, "/es/about/")) == expected
    # generated pages exist in every language
    assert alternates(page(site, "/es/refer/terms/"))["en"] == f"{BASE}/refer/terms/"


def test_an_untranslated_document_has_no_spanish_page_and_spanish_pages_link_to_the_english_one(
    site: Path,
) -> None:
    assert not (site / "public/es/services/consultation").exists()
    assert not alternates(page(site, "/services/consultation/")), "an English-only page has no alternates"
    body = page(site, "/es/about/")
    assert '<a href="/services/consultation/" hreflang="en">' in body
    assert '<a href="/es/privacy/"' not in body and 'href="/privacy/" hreflang="en"' in body
    # links to pages the Spanish edition has are pointed at them, in the menu and in Markdown alike
    assert 'href="/es/services/"' in body and 'href="/es/refer/"' in body and 'href="/es/"' in body


def card_languages(html: str) -> dict[str, str]:
    """The lang attribute (or '') of each card, by the address its title links to."""
    return {
        href: lang
        for lang, href in re.findall(
            r'<article class="card[^"]*"(?: lang="([^"]*)")?>.*?class="card-title"><a href="([^"]*)"',
            html,
            re.DOTALL,
        )
    }


def test_untranslated_documents_listed_on_a_spanish_page_are_marked_as_english(site: Path) -> None:
    """A screen reader reads an English treatment card on /es/services/ in English (WCAG 3.1.2)."""
    assert card_languages(page(site, "/es/services/")) == {"/services/consultation/": "en"}
    assert card_languages(page(site, "/es/team/")) == {"/team/alex-rivera/": "en"}
    assert set(card_languages(page(site, "/services/")).values()) == {""}, (
        "nothing is marked in the main language"
    )
    write(
        site,
        "services/consultation.es.md",
        "---\ntitle: Consulta estética\nsummary: Una visita de 30 minutos.\n---\n"
        "Hablamos de sus objetivos.\n",
    )
    code, output = run(site)
    assert code == 0, output
    assert card_languages(page(site, "/es/services/")) == {"/es/services/consultation/": ""}


def test_a_translation_of_the_title_alone_marks_the_kept_text_as_english(site: Path) -> None:
    """The translator translated the treatment's name and summary, not its text: the Spanish page shows
    the English text, marked as English for screen readers (WCAG 3.1.2)."""
    write(
        site,
        "services/consultation.es.md",
        "---\ntitle: Consulta estética\nsummary: Una visita de 30 minutos.\n---\n",
    )
    code, output = run(site)
    assert code == 0, output
    spanish = page(site, "/es/services/consultation/")
    assert "<h1>Consulta estética</h1>" in spanish
    marked = re.search(r'<div lang="en">(.*?)</div>', spanish, re.DOTALL)
    assert marked and "Describe the treatment: how it works" in marked[1], (
        "the English text is in the lang=en block"
    )
    assert '<div lang="en">' not in page(site, "/es/about/"), "a translated text is not marked"


def test_the_build_warns_about_untranslated_pages_in_a_published_language(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    edit(site, "site.yaml", "tagline:", "languages: [en, es]\ntagline:")
    code, output = run(site)
    assert code == 0, output
    assert re.search(
        r"content/site.yaml:\d+: warning\[SG222\] \d+ page\(s\) have no Spanish \(es\) translation", output
    )
    assert "content/pages/about.md" in output


def test_interface_strings_dates_and_prices_follow_the_language(site: Path) -> None:
    services = page(site, "/es/services/")
    assert "<title>Tratamientos y precios" in services
    posts = page(site, "/es/posts/")
    english_date = re.search(
        r"(January|February|March|April|May|June|July|August|September|October|November|December) \d+, \d{4}",
        page(site, "/posts/"),
    )
    assert english_date, "the English news page shows dates as 'March 3, 2026'"
    assert re.search(
        r"\d+ de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre) "
        r"de \d{4}",
        posts,
    )


def test_prices_are_written_as_each_language_writes_them(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    edit(site, "site.yaml", "tagline:", "languages: [en, es]\ncountry: GB\ncurrency: EUR\ntagline:")
    assert run(site)[0] == 0
    assert re.search(r'<p class="price-hint">(From )?€50', page(site, "/services/"))
    assert re.search(r'<p class="price-hint">(Desde )?50 €', page(site, "/es/services/"))


def test_the_program_translation_overrides_its_texts_and_keeps_its_figures(site: Path) -> None:
    refer = page(site, "/es/refer/")
    assert "Recomiende a un amigo" in refer and "$10 de descuento en un primer tratamiento" in refer
    terms = page(site, "/es/refer/terms/")
    assert "60" in terms, "the success window comes from program.yaml"
    assert "$10 off a first treatment" not in terms
    assert "Share us with a friend" in page(site, "/refer/")


def test_the_switcher_leads_to_the_same_page_in_the_other_language(site: Path) -> None:
    switch = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+"', page(site, "/es/about/"))
    assert ("/about/", "en") in switch
    # an English page without translation offers the Spanish home page
    assert ("/es/", "es") in re.findall(
        r'<a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+"', page(site, "/services/consultation/")
    )


def test_the_sitemap_lists_every_language_with_its_alternates(site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(site / "public/sitemap.xml")
    entries = {
        u.findtext("s:loc", namespaces=ns): {
            link.get("hreflang"): link.get("href") for link in u.findall("x:link", ns)
        }
        for u in tree.getroot().findall("s:url", ns)
    }
    assert entries[f"{BASE}/es/about/"] == {
        "en": f"{BASE}/about/",
        "es": f"{BASE}/es/about/",
        "x-default": f"{BASE}/about/",
    }
    assert f"{BASE}/es/services/consultation/" not in entries
    assert entries[f"{BASE}/services/consultation/"] == {}


def test_the_friend_of_a_spanish_speaking_patient_lands_in_spanish(site: Path) -> None:
    rules = (site / "public/_redirects").read_text()
    assert "/es/r/:code  /es/welcome/?ref=:code  302" in rules
    assert rules.rstrip().endswith("/es/*  /es/404.html  404"), (
        "missing Spanish addresses get the Spanish 404 page"
    )
    welcome = page(site, "/es/welcome/")
    assert '<html lang="es">' in welcome
    assert re.search(r'<form[^>]+action="/es/thanks/appointment/"', welcome), (
        "the booking form thanks in Spanish"
    )
    assert (site / "public/es/thanks/appointment/index.html").is_file()


def test_a_site_in_one_language_has_no_alternates_or_switcher(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    assert run(site)[0] == 0
    html = page(site, "/about/")
    assert "hreflang" not in html
    assert not (site / "public/es").exists()


@pytest.mark.parametrize(
    "name, text, expected",
    [
        (
            "program.es.yaml",
            PROGRAM_ES + "success:\n  within_days: 5\n",
            r"content/program.es.yaml:\d+: error\[SG214\] success.within_days is not a text",
        ),
        (
            "pages/about.es.md",
            "---\ntitle: Hola\nslug: hola\n---\nHola\n",
            r"content/pages/about.es.md:3: error\[SG214\] slug is not a text",
        ),
        (
            "pages/contacto.es.md",
            "---\ntitle: Contacto\n---\nHola\n",
            r"content/pages/contacto.es.md: error\[SG213\] this translates pages/contacto.md, which does not "
            r"exist",
        ),
        (
            "pages/about.es.md",
            "---\ntitle: [Quiénes, somos\n---\n",
            r"content/pages/about.es.md:\d+: error\[SG201\] invalid YAML",
        ),
        (
            "pages/about.es.md",
            "---\ntitle: Hola\n---\nVea nuestros [precios](/precios/).\n",
            r"content/pages/about.es.md:4: error\[SG302\] broken link: no page at /precios/",
        ),
        (
            "pages/about.es.md",
            "---\ntitle: Hola\n---\n![La sala de espera](/images/sala.jpg)\n",
            r"content/pages/about.es.md:4: error\[SG303\] missing image: no file "
            r"content/static/images/sala.jpg",
        ),
    ],
)
def test_a_bad_translation_is_reported_at_its_line_and_keeps_the_previous_site(
    site: Path, name: str, text: str, expected: str
) -> None:
    before = snapshot(site / "public")
    write(site, name, text)
    code, output = run(site)
    assert code == 1
    assert re.search(expected, output), output
    assert "Traceback" not in output
    assert snapshot(site / "public") == before


def test_a_translation_into_a_language_the_site_does_not_publish_is_ignored_with_a_warning(
    site: Path,
) -> None:
    write(site, "pages/about.fr.md", "---\ntitle: À propos\n---\nBonjour\n")
    code, output = run(site)
    assert code == 0, output
    assert (
        'content/pages/about.fr.md: warning[SG212] ignored: "fr" is not one of the site\'s other languages '
        "(es)" in output
    )
    assert not (site / "public/fr").exists()


@pytest.mark.parametrize(
    "name, text, outcome",
    [
        (
            "services/consultation.es.md",
            None,
            "the document stays untranslated and has no page in that language",
        ),
        (
            "locations/main-office.es.yaml",
            "",
            "the document stays untranslated and has no page in that language",
        ),
        ("program.es.yaml", "", "the pages in that language show the original's texts"),
        ("faq.es.yaml", "", "the FAQ in that language shows the original's questions"),
    ],
)
def test_a_translation_that_translates_nothing_is_said_and_never_published_as_one(
    site: Path, name: str, text: str | None, outcome: str
) -> None:
    """An empty file, or the original copied and not translated yet: a warning, never English text under
    /es/ as if Spanish."""
    original = name.replace(".es.", ".")
    write(site, name, (site / "content" / original).read_text(encoding="utf-8") if text is None else text)
    code, output = run(site)
    assert code == 0, output
    assert (
        f"content/{name}:1: warning[SG215] this translation changes no text of content/{original}, so "
        f"{outcome}" in output
    ), output
    if name.startswith(("services/", "locations/")):
        assert not (site / "public" / "es" / original.rsplit(".", 1)[0]).exists()
    elif name == "program.es.yaml":
        assert "Share us with a friend" in page(site, "/es/refer/")
    else:
        assert "How do I book?" in page(site, "/es/faq/")


def test_a_page_cannot_take_the_address_of_a_language(site: Path) -> None:
    write(site, "pages/es.md", "---\ntitle: Español\n---\nHola\n")
    code, output = run(site)
    assert code == 1
    assert "error[SG208] the address /es/ is already used by the site in its language es" in output


def test_an_unknown_language_code_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    edit(site, "site.yaml", "tagline:", "languages: [en, spanish]\ntagline:")
    code, output = run(site)
    assert code == 1
    assert re.search(
        r'content/site.yaml:\d+: error\[SG209\] languages: "spanish" is not a language code', output
    )


def test_a_practice_can_reword_an_interface_string_in_its_own_catalogue(site: Path) -> None:
    write(site, "i18n/es.yaml", '"Treatments and prices": "Tratamientos y tarifas"\n')
    assert run(site)[0] == 0
    assert "<title>Tratamientos y tarifas" in page(site, "/es/services/")
    assert "<title>Treatments and prices" in page(site, "/services/")


def test_a_cached_rebuild_after_editing_a_translation_equals_a_clean_build(
    site: Path, tmp_path: Path
) -> None:
    before = snapshot(site / "public")
    edit(site, "pages/about.es.md", "Somos una práctica", "Somos una clínica")
    code, output = run(site)
    after = snapshot(site / "public")
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert code == 0 and changed == {"es/about/index.html"}  # the Spanish about page, nothing else
    assert "Files: 1 written, 0 removed." in output, output  # and the summary says so
    assert "Somos una clínica" in page(site, "/es/about/")
    edit(site, "pages/about.es.md", "Quiénes somos\n", "Nuestra historia\n")
    assert run(site)[0] == 0
    assert "<h1>Nuestra historia</h1>" in page(site, "/es/about/")
    clean = tmp_path / "clean"
    assert run(site, "--no-cache", "--out", str(clean))[0] == 0
    assert snapshot(site / "public") == snapshot(clean)


# -- the Spanish referral journey in the browser ----------------------------------------------------


@pytest.fixture
def bilingual_server(site: Path) -> Iterator[serve.DevServer]:
    running = serve.start(site, "127.0.0.1", 0)
    yield running
    serve.stop(running)


@pytest.mark.browser
def test_a_spanish_speaking_patient_shares_a_link_that_lands_their_friend_in_spanish(
    bilingual_server: serve.DevServer, page: Page
) -> None:
    url = bilingual_server.url
    page.goto(url + "/es/refer/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role(
        "button", name="Obtener mi enlace"
    ).click()  # empty: the browser-side check answers in Spanish
    expect(page.locator("#enroll-first_name-error")).to_have_text("Complete el campo “Nombre”.")
    page.locator("#enroll-first_name").fill("María")
    page.locator("#enroll-email").fill("maria@example.com")
    page.locator("#enroll-consent").check()
    page.get_by_role("button", name="Obtener mi enlace").click()
    page.wait_for_url(url + "/es/thanks/enroll/")
    link = page.locator("[data-link-field]").input_value()
    code = link.rsplit("/", 1)[1]
    assert link == f"{url}/es/r/{code}", "the personal link keeps the patient's language"
    rows = (bilingual_server.site.submissions_dir / "enroll.csv").read_text(encoding="utf-8")
    assert code in rows and "/es/refer/" in rows, "the submission says which edition it came from"

    friend = page.context.browser.new_page()
    friend.goto(link)
    expect(friend).to_have_url(f"{url}/es/welcome/?ref={code}")
    expect(friend.locator("html")).to_have_attribute("lang", "es")
    expect(friend.locator("#appointment-referral_code")).to_have_value(code)
    expect(friend.get_by_role("button", name="Solicitar mi consulta")).to_be_visible()
    # the friend prefers English: the switcher keeps the referral code
    friend.locator('a[hreflang="en"][lang="en"]').first.click()
    expect(friend).to_have_url(f"{url}/welcome/?ref={code}")
    expect(friend.locator("#appointment-referral_code")).to_have_value(code)
    friend.close()
