"""Earlier versions of the program's terms stay published at their own address, so a patient who
enrolled under them (the enrol form records the version) can read what they accepted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from sitefactory import add_program, make_site, snapshot, write

from sitegen.site.program import PROGRAM_FILE


def _site_with_earlier_terms(tmp_path: Path, version: str = "0.9", effective: str = "2025-06-01") -> Path:
    site = make_site(tmp_path)
    add_program(site)
    current = (site / PROGRAM_FILE).read_text(encoding="utf-8")
    earlier = current.replace('version: "1.0"', f'version: "{version}"').replace(
        "effective: 2026-01-01", f"effective: {effective}"
    )
    write(site, f"program-archive/{version}.yaml", earlier)
    return site


def _build(site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "build", str(site)], capture_output=True, text=True, timeout=300
    )


def test_an_earlier_version_is_published_at_its_own_address_and_says_it_was_replaced(tmp_path: Path) -> None:
    site = _site_with_earlier_terms(tmp_path)
    run = _build(site)
    assert run.returncode == 0, run.stderr
    public = site / "public"
    earlier = (public / "refer" / "terms" / "v0.9" / "index.html").read_text(encoding="utf-8")
    assert "Version 0.9, effective" in earlier
    assert re.search(
        r"These are earlier terms: version 1\.0 replaced them on <time datetime=\"2026-01-01\"", earlier
    )
    assert '<meta name="robots" content="noindex">' in earlier  # reached from the current terms only
    assert "/refer/terms/v0.9/" not in (public / "sitemap.xml").read_text(encoding="utf-8")
    current = (public / "refer" / "terms" / "index.html").read_text(encoding="utf-8")
    assert 'href="/refer/terms/v0.9/"' in current and "These are earlier terms" not in current


def test_an_archived_copy_named_after_another_version_is_refused_at_its_line(tmp_path: Path) -> None:
    site = _site_with_earlier_terms(tmp_path)
    assert _build(site).returncode == 0
    before = snapshot(site / "public")
    (site / "content" / "program-archive" / "0.9.yaml").rename(
        site / "content" / "program-archive" / "0.8.yaml"
    )
    run = _build(site)
    assert run.returncode == 1
    line = next(
        n
        for n, text in enumerate((site / "content/program-archive/0.8.yaml").read_text().splitlines(), 1)
        if text.strip().startswith("version:")
    )
    assert f"content/program-archive/0.8.yaml:{line}: error[SG218]" in run.stderr
    assert "name the file 0.9.yaml" in run.stderr
    assert snapshot(site / "public") == before


def test_an_archived_copy_that_is_not_earlier_than_the_current_terms_is_refused(tmp_path: Path) -> None:
    site = _site_with_earlier_terms(tmp_path, version="1.1", effective="2026-02-01")
    run = _build(site)
    assert run.returncode == 1
    assert "content/program-archive/1.1.yaml" in run.stderr and "error[SG218]" in run.stderr
    assert "is not earlier than the current terms" in run.stderr
