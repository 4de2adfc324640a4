"""`sitegen init` (its questions at a terminal, its options in scripts) writes a site that builds and passes
`check`; `sitegen new` writes every kind of the registry, and a program, a form and an FAQ entry."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sitefactory import make_site, with_processed_photos, write

from sitegen.cli import main
from sitegen.content.kinds import KINDS
from sitegen.models.practicetypes import PROFILES

REPO_ROOT = Path(__file__).resolve().parent.parent


def ld_types(html: str) -> list:
    blocks = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)]
    return [b["@type"] for b in blocks if b.get("@id", "").endswith("/#practice")]


def test_init_with_options_writes_the_practice_it_was_told(tmp_path: Path) -> None:
    site = tmp_path / "harbor"
    result = CliRunner().invoke(
        main,
        [
            "init",
            str(site),
            *("--type", "dental", "--name", 'Harbor "Smile" Dental'),
            *(
                "--location",
                "Portland",
                "--location",
                "South Portland",
                "--language",
                "en",
                "--language",
                "es",
            ),
        ],
    )
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((site / "content" / "site.yaml").read_text())
    assert (config["type"], config["name"], config["languages"]) == (
        "dental",
        'Harbor "Smile" Dental',
        ["en", "es"],
    )
    assert sorted(p.name for p in (site / "content" / "locations").iterdir()) == [
        "portland.yaml",
        "south-portland.yaml",
    ]
    ignored = [line for line in (site / ".gitignore").read_text().splitlines() if not line.startswith("#")]
    assert ignored == ["public/", ".sitegen/", "reports/"]
    readme = (site / "README.md").read_text()
    assert "sitegen serve" in readme and "sitegen build" in readme and "content/site.yaml" in readme
    checked = CliRunner().invoke(main, ["check", str(site)])
    assert checked.exit_code == 0, checked.output
    assert "0 error(s)" in checked.output
    built = CliRunner().invoke(main, ["build", str(site)])
    assert built.exit_code == 0, built.output
    home = (site / "public" / "index.html").read_text()
    assert ld_types(home) == ["Dentist"] and "Harbor &#34;Smile&#34; Dental" in home
    assert (site / "public" / "refer" / "index.html").is_file()  # program.yaml: the referral pages
    assert (site / "public" / "locations" / "south-portland" / "index.html").is_file()
    assert (site / "public" / "es" / "welcome" / "index.html").is_file()


def test_init_refuses_an_unknown_type_with_the_choices(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "x"), "--type", "dentistry"])
    assert result.exit_code == 2 and "'dental'" in result.output
    assert not (tmp_path / "x").exists()


def test_init_asks_at_a_terminal(tmp_path: Path) -> None:
    """A real terminal (a pseudo-terminal): each question is asked and the answers typed are written."""
    site = tmp_path / "eyes"
    pid, fd = pty.fork()
    if pid == 0:  # the child: sitegen init, its stdin a terminal
        os.environ["PYTHONPATH"] = str(REPO_ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "sitegen", "init", str(site)])
    transcript = b""
    answers = [
        (b"What kind of practice", b"optometry\n"),
        (b"name", b"Clear View Eye Care\n"),
        (b"offices", b"Downtown, Airport Road\n"),
        (b"languages", b"en\n"),
    ]
    deadline = time.monotonic() + 120
    for question, answer in answers:
        while question not in transcript:
            assert time.monotonic() < deadline, transcript.decode(errors="replace")
            transcript += os.read(fd, 4096)
        os.write(fd, answer)
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        transcript += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, transcript.decode(errors="replace")
    config = yaml.safe_load((site / "content" / "site.yaml").read_text())
    assert (config["type"], config["name"], config["languages"]) == (
        "optometry",
        "Clear View Eye Care",
        ["en"],
    )
    assert sorted(p.stem for p in (site / "content" / "locations").iterdir()) == ["airport-road", "downtown"]


def test_init_without_a_terminal_asks_nothing_and_keeps_the_starters_answers(tmp_path: Path) -> None:
    site = tmp_path / "plain"
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "init", str(site)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "?" not in done.stdout
    assert yaml.safe_load((site / "content" / "site.yaml").read_text())["type"] == "generic"


# every kind `sitegen new` writes, from the registry (a kind added there is tested here at once), and where
NEW = {
    **{
        kind.singular: f"{kind.name}/example-entry{'.md' if kind.suffix == '.md' else '.yaml'}"
        for kind in KINDS.values()
        if kind.creatable
    },
    "program": "program.yaml",
    "form": "forms/example-entry.yaml",
    "faq": "faq.yaml",
}


def test_every_kind_of_the_registry_can_be_written_by_new() -> None:
    assert {kind.singular for kind in KINDS.values()} <= set(NEW)
    assert {"program", "campaign", "form", "faq", "location"} <= set(NEW)


@pytest.mark.parametrize("kind", list(NEW))
def test_new_writes_each_kind_and_the_build_names_only_what_is_left_to_fill(
    tmp_path: Path, kind: str
) -> None:
    site = make_site(tmp_path)
    result = CliRunner().invoke(main, ["new", kind, "Example entry", "--site", str(site)])
    assert result.exit_code == 0, result.output
    created = Path(result.output.strip())
    assert created == site / "content" / NEW[kind]
    text = created.read_text()
    assert "Example entry" in text and "required" in text
    built = CliRunner().invoke(main, ["build", str(site)])
    # the file is read (never a crash): it builds as it is (a page, a form: only the title is required),
    # or the build stops on what is left to fill in, each error in that file
    assert built.exception is None or isinstance(built.exception, SystemExit), built.output
    errors = re.findall(r"^(\S+?):(\d+): error\[(SG\d+)\]", built.output, re.MULTILINE)
    assert (built.exit_code == 0) == (not errors), built.output
    assert {path for path, _, _ in errors} <= {f"content/{NEW[kind]}"}, built.output
    again = CliRunner().invoke(main, ["new", kind, "Example entry", "--site", str(site)])
    assert again.exit_code == 1 and ("refusing to overwrite" in again.output or "already has" in again.output)


def test_new_faq_adds_a_question_to_the_list_and_keeps_the_others(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    before = yaml.safe_load((site / "content" / "faq.yaml").read_text())
    result = CliRunner().invoke(main, ["new", "faq", "Do you take my insurance?", "--site", str(site)])
    assert result.exit_code == 0, result.output
    text = (site / "content" / "faq.yaml").read_text()
    text = text.replace("  answer:   # required", "  answer: Yes, most plans.  # required")
    (site / "content" / "faq.yaml").write_text(text)
    after = yaml.safe_load(text)
    assert after[:-1] == before and after[-1] == {
        "question": "Do you take my insurance?",
        "answer": "Yes, most plans.",
    }
    built = CliRunner().invoke(main, ["build", str(site)])
    assert built.exit_code == 0, built.output
    assert "Do you take my insurance?" in (site / "public" / "faq" / "index.html").read_text()


def test_init_offers_every_practice_type_the_model_knows() -> None:
    help_text = CliRunner().invoke(main, ["init", "--help"]).output
    offered = re.search(r"--type \[([^\]]+)\]", help_text)[1].split("|")
    assert offered == list(PROFILES)


# each type's first treatment, its provider's role and schema.org type, written out here, not from sitegen
STARTER = {
    "generic": ("first-visit", "First visit", "Nurse practitioner", "Person"),
    "dental": ("new-patient-exam", "New patient exam", "Dentist", "Person"),
    "dermatology": ("skin-exam", "Full-body skin exam", "Dermatologist", "Physician"),
    "med_spa": ("consultation", "Aesthetic consultation", "Nurse practitioner", "Person"),
    "plastic_surgery": ("surgical-consultation", "Surgical consultation", "Plastic surgeon", "Physician"),
    "physical_therapy": ("evaluation", "Physical therapy evaluation", "Physical therapist", "Person"),
    "optometry": ("eye-exam", "Comprehensive eye exam", "Optometrist", "Person"),
    "primary_care": ("new-patient-visit", "New patient visit", "Family physician", "Physician"),
}


@pytest.mark.parametrize("languages", [["en"], ["en", "es"]], ids=["en", "en+es"])
@pytest.mark.parametrize("kind", list(STARTER))
def test_each_type_starts_with_its_own_treatment_and_provider_and_builds(
    tmp_path: Path, kind: str, languages: list[str]
) -> None:
    site = tmp_path / kind
    flags = [arg for code in languages for arg in ("--language", code)]
    made = CliRunner().invoke(main, ["init", str(site), "--type", kind, *flags])
    assert made.exit_code == 0, made.output
    with_processed_photos(site)  # the build reads the starter's photos resized (by this code) from its cache
    checked = CliRunner().invoke(main, ["check", str(site)])
    assert checked.exit_code == 0 and "0 error(s)" in checked.output, checked.output
    built = CliRunner().invoke(main, ["build", str(site)])
    assert built.exit_code == 0, built.output
    slug, treatment, role, person_type = STARTER[kind]
    service = (site / "public" / "services" / slug / "index.html").read_text()
    assert f"<h1>{treatment}</h1>" in service
    provider = (site / "public" / "team" / "alex-rivera" / "index.html").read_text()
    assert role in provider
    people = [
        json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', provider)
    ]
    assert person_type in [block["@type"] for block in people]
    if kind != "med_spa":  # the med spa's words are nowhere else
        assert "Aesthetic" not in service + (site / "public" / "index.html").read_text()
        assert "aesthetic" not in (site / "content" / "program.yaml").read_text()
    if "es" in languages:
        # untranslated, the treatment's page leads to the English one from the Spanish edition
        spanish = (site / "public" / "es" / "index.html").read_text()
        assert 'lang="es"' in spanish and f'href="/services/{slug}/"' in spanish


def test_new_form_has_two_working_fields_that_a_page_shows(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = CliRunner().invoke(main, ["new", "form", "Ask us", "--site", str(site)])
    assert result.exit_code == 0, result.output
    write(site, "pages/ask.md", "---\ntitle: Ask\nform: ask-us\n---\nAsk anything.\n")
    built = CliRunner().invoke(main, ["build", str(site)])
    assert built.exit_code == 0, built.output
    html = (site / "public" / "ask" / "index.html").read_text()
    inputs = re.findall(r"<input[^>]*>", html)
    assert [i for i in inputs if 'name="name"' in i and "required" in i and 'autocomplete="name"' in i]
    assert [i for i in inputs if 'name="email"' in i and 'type="email"' in i and "required" in i]
    assert "Your name" in html and "Your email" in html


def test_new_gallery_has_a_pair_with_placeholder_photos_published_once_consent_is_recorded(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path)
    result = CliRunner().invoke(main, ["new", "gallery", "Peel results", "--site", str(site)])
    assert result.exit_code == 0, result.output
    for moment in ("before", "after"):
        assert (site / "content/static/images/gallery" / f"peel-results-{moment}.jpg").stat().st_size > 1000
    checked = CliRunner().invoke(main, ["check", str(site)])
    assert checked.exit_code == 0, checked.output
    assert "content/gallery/peel-results.yaml:6: warning[SG620]" in checked.output  # no consent: withheld
    built = CliRunner().invoke(main, ["build", str(site)])
    assert built.exit_code == 0, built.output
    assert not (site / "public" / "gallery" / "index.html").exists()  # the only pair is withheld
    assert "peel-results" not in (site / "public" / "services" / "consultation" / "index.html").read_text()
    gallery = site / "content" / "gallery" / "peel-results.yaml"
    gallery.write_text(
        gallery.read_text().replace("    # consent:", "    consent:").replace("    #   ", "      ")
    )
    built = CliRunner().invoke(main, ["build", str(site)])
    assert built.exit_code == 0, built.output
    html = (site / "public" / "gallery" / "index.html").read_text()
    assert "peel-results-before" in html and "peel-results-after" in html
    assert "peel-results-after" in (site / "public" / "services" / "consultation" / "index.html").read_text()
