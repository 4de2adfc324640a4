"""Earlier versions of the terms in every language the program speaks: program-archive/<version>.<lang>.yaml
is published at /<lang>/refer/terms/v<version>/, with its language and its alternates; a version without
that copy is linked in the main language, with a warning (SG670)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from sitefactory import add_program, edit, make_site, write

from sitegen.cli import main
from sitegen.site.program import PROGRAM_FILE

SPANISH_NOW = "terms:\n  eligibility: Pacientes de 18 años o más.\n"
SPANISH_THEN = "terms:\n  eligibility: Pacientes de 21 años o más (versión 0.9).\n"


def bilingual_site_with_earlier_terms(tmp_path: Path, spanish_copy: bool) -> Path:
    site = make_site(tmp_path)
    add_program(site)
    edit(site, "site.yaml", "tagline:", "languages: [en, es]\ntagline:")
    write(site, "program.es.yaml", SPANISH_NOW)
    current = (site / PROGRAM_FILE).read_text(encoding="utf-8")
    earlier = (
        current.replace('version: "1.0"', 'version: "0.9"')
        .replace("effective: 2026-01-01", "effective: 2025-06-01")
        .replace("Patients aged 18 or over.", "Patients aged 21 or over.")
    )
    write(site, "program-archive/0.9.yaml", earlier)
    if spanish_copy:
        write(site, "program-archive/0.9.es.yaml", SPANISH_THEN)
    return site


def build(site: Path) -> str:
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_earlier_version_is_published_in_each_language_it_was_written_in(tmp_path: Path) -> None:
    site = bilingual_site_with_earlier_terms(tmp_path, spanish_copy=True)
    output = build(site)
    assert "SG218" not in output and "SG670" not in output  # the translation is not taken for a version
    public = site / "public"
    spanish = (public / "es" / "refer" / "terms" / "v0.9" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es"' in spanish
    assert "Pacientes de 21 años o más (versión 0.9)." in spanish and "aged 21" not in spanish
    assert re.search(r'<link rel="alternate" hreflang="en" href="[^"]*/refer/terms/v0\.9/"', spanish)
    english = (public / "refer" / "terms" / "v0.9" / "index.html").read_text(encoding="utf-8")
    assert "Patients aged 21 or over." in english
    assert re.search(r'<link rel="alternate" hreflang="es" href="[^"]*/es/refer/terms/v0\.9/"', english)
    current = (public / "es" / "refer" / "terms" / "index.html").read_text(encoding="utf-8")
    assert 'href="/es/refer/terms/v0.9/"' in current


def test_a_version_without_its_translation_is_linked_in_the_main_language_with_a_warning(
    tmp_path: Path,
) -> None:
    site = bilingual_site_with_earlier_terms(tmp_path, spanish_copy=False)
    output = build(site)
    assert (
        "content/program-archive/0.9.yaml:1: warning[SG670] the terms of version 0.9 have no es copy"
    ) in output
    assert "program-archive/0.9.es.yaml" in output  # the hint names the file to write
    public = site / "public"
    assert not (public / "es" / "refer" / "terms" / "v0.9").exists()  # never English under /es/
    current = (public / "es" / "refer" / "terms" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="/refer/terms/v0\.9/" hreflang="en">', current)
