"""Practice types: the schema.org types search engines read (practice, offices, people) and the wording
defaults of each kind of practice, in English and Spanish, read off built pages."""

from __future__ import annotations

import csv
import html
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sitefactory import add_program, edit, make_site, snapshot, write
from test_form_services import NoRedirect
from test_serve_cli import Cli

from sitegen.cli import main

# what each type must publish, written out here rather than read from sitegen's table
EXPECTED = {
    "generic": ("MedicalClinic", None, "starts with a consultation", "empieza con una consulta"),
    "dental": ("Dentist", "Dentistry", "a new patient exam", "un examen de paciente nuevo"),
    "dermatology": (["Dermatology", "MedicalClinic"], "Dermatology", "a skin exam", "un examen de la piel"),
    "med_spa": (
        ["MedicalBusiness", "HealthAndBeautyBusiness"],
        None,
        "starts with a consultation",
        "empieza con una consulta",
    ),
    "plastic_surgery": (
        ["PlasticSurgery", "MedicalClinic"],
        "PlasticSurgery",
        "starts with a consultation",
        "empieza con una consulta",
    ),
    "physical_therapy": (
        "Physiotherapy",
        "Physiotherapy",
        "an evaluation of how you move",
        "una evaluación de cómo se mueve",
    ),
    "optometry": (
        ["Optometric", "Optician"],
        "Optometric",
        "a comprehensive eye exam",
        "un examen completo de la vista",
    ),
    "primary_care": (
        ["PrimaryCare", "MedicalClinic"],
        "PrimaryCare",
        "a new patient visit",
        "una consulta de paciente nuevo",
    ),
}


def build(site: Path) -> str:
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    return result.output


def page(site: Path, url: str) -> str:
    return (site / "public" / url.strip("/") / "index.html").read_text()


def jsonld(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)]


def first_visit(html: str) -> str:
    """The welcome page's sentence about the first visit."""
    (sentence,) = re.findall(r"<li>((?:Your first visit|Su primera visita)[^<]*)</li>", html)
    return sentence


def practice_site(tmp_path: Path, kind: str) -> Path:
    site = make_site(tmp_path)
    edit(
        site,
        "site.yaml",
        "name: Your Practice Name",
        f"type: {kind}\nlanguages: [en, es]\nname: Your Practice Name",
    )
    add_program(site)
    return site


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_practice_type_publishes_its_schema_types_and_its_wording(tmp_path: Path, kind: str) -> None:
    types, specialty, english, spanish = EXPECTED[kind]
    site = practice_site(tmp_path, kind)
    build(site)
    (practice,) = [d for d in jsonld(page(site, "/")) if d.get("@id", "").endswith("/#practice")]
    assert practice["@type"] == types and practice.get("medicalSpecialty") == specialty
    assert practice["department"][0]["@type"] == types
    (office,) = [d for d in jsonld(page(site, "/locations/main-office/")) if "address" in d]
    assert office["@type"] == types
    assert english in first_visit(page(site, "/welcome/"))
    assert spanish in first_visit(page(site, "/es/welcome/"))


def test_dental_wording_reaches_the_booking_button_and_the_request_form_in_both_languages(
    tmp_path: Path,
) -> None:
    site = practice_site(tmp_path, "dental")
    build(site)
    welcome, bienvenida = page(site, "/welcome/"), page(site, "/es/welcome/")
    assert '<h2 id="appointment-title">Request an appointment</h2>' in welcome
    assert '<h2 id="appointment-title">Solicite una cita</h2>' in bienvenida
    assert "Book an appointment" in page(site, "/services/") and "consultation" not in first_visit(welcome)
    assert "Reserve una cita" in page(site, "/es/")


def test_the_site_rewords_a_type_default_in_its_own_catalogue(tmp_path: Path) -> None:
    site = practice_site(tmp_path, "dental")
    write(
        site,
        "i18n/en.yaml",
        '"Your first visit starts with a consultation, never a sales pitch.": '
        '"Your first visit is a cleaning '
        'and an exam, never a sales pitch."\n',
    )
    build(site)
    assert (
        first_visit(page(site, "/welcome/"))
        == "Your first visit is a cleaning and an exam, never a sales pitch."
    )
    assert "un examen de paciente nuevo" in first_visit(page(site, "/es/welcome/"))


def test_an_office_and_the_practice_may_declare_their_own_schema_type(tmp_path: Path) -> None:
    site = practice_site(tmp_path, "optometry")
    edit(site, "locations/main-office.yaml", "phone:", "business_type: Optician\nphone:")
    edit(site, "site.yaml", "type: optometry", "type: optometry\nbusiness_type: MedicalClinic")
    build(site)
    (practice,) = [d for d in jsonld(page(site, "/")) if d.get("@id", "").endswith("/#practice")]
    assert practice["@type"] == "MedicalClinic" and practice["department"][0]["@type"] == "Optician"
    (office,) = [d for d in jsonld(page(site, "/locations/main-office/")) if "address" in d]
    assert office["@type"] == "Optician"


def test_an_unknown_schema_type_is_refused_with_its_line(tmp_path: Path) -> None:
    site = practice_site(tmp_path, "dental")
    edit(site, "locations/main-office.yaml", "phone:", "business_type: Dentistry\nphone:")
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1
    assert (
        'content/locations/main-office.yaml:7: error[SG206] business_type: "Dentistry" is not allowed '
        '(did you mean "Dentist"?' in result.output
    )


@pytest.mark.parametrize(
    ("front", "expected_type", "occupation"),
    [
        ("type: dentist", "Person", "Dentist"),
        ("type: dental_hygienist", "Person", "Dental hygienist"),
        ("type: physician", "Physician", None),
        ("physician: true", "Physician", None),  # the older spelling still works
        ("type: staff", "Person", None),
    ],
)
def test_each_provider_is_published_as_what_they_are(
    tmp_path: Path, front: str, expected_type: str, occupation: str | None
) -> None:
    site = practice_site(tmp_path, "dental")
    edit(site, "providers/alex-rivera.md", "role: Nurse practitioner", f"role: Clinician\n{front}")
    build(site)
    (person,) = [d for d in jsonld(page(site, "/team/alex-rivera/")) if d.get("name") == "Alex Rivera"]
    assert person["@type"] == expected_type
    assert person.get("hasOccupation", {}).get("name") == occupation


def test_the_old_physician_flag_beside_another_type_is_an_error_telling_how_to_migrate(
    tmp_path: Path,
) -> None:
    site = practice_site(tmp_path, "dental")
    build(site)
    before = snapshot(site / "public")
    edit(
        site,
        "providers/alex-rivera.md",
        "role: Nurse practitioner",
        "role: Dentist\ntype: dentist\nphysician: true",
    )
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1 and snapshot(site / "public") == before
    assert (
        "content/providers/alex-rivera.md:6: error[SG230] physician: true contradicts type: dentist"
        in result.output
    )
    assert "older spelling of `type: physician`" in result.output


def test_every_type_catalogue_rewords_messages_the_theme_has_in_both_languages() -> None:
    """A type's catalogue rewords existing messages only (a misspelt one would never show), for every
    language of the theme, and each type that has one has it in English and Spanish."""
    folder = Path(__file__).resolve().parent.parent / "themes" / "default" / "i18n"
    messages = {lang: yaml.safe_load((folder / f"{lang}.yaml").read_text()) for lang in ("en", "es")}
    variants = sorted(folder.glob("*.*.yaml"))
    assert {f.name.split(".")[1] for f in variants} == {
        "dental",
        "dermatology",
        "physical_therapy",
        "optometry",
        "primary_care",
    }
    for file in variants:
        lang, kind = file.name.split(".")[:2]
        reworded = yaml.safe_load(file.read_text())
        assert set(reworded) <= set(messages[lang]), file.name
        other = "es" if lang == "en" else "en"
        assert set(reworded) == set(yaml.safe_load((folder / f"{other}.{kind}.yaml").read_text())), file.name


def test_a_dental_practice_is_warned_about_paid_referrals_whatever_schema_type_it_declares(
    tmp_path: Path,
) -> None:
    site = practice_site(tmp_path, "dental")
    edit(site, "site.yaml", "type: dental", "type: dental\nbusiness_type: MedicalClinic")
    output = build(site)
    assert "warning[SG685] dental boards in many states forbid paying for referrals" in output


def test_an_occupation_is_published_in_the_language_of_the_page(tmp_path: Path) -> None:
    site = practice_site(tmp_path, "dental")
    edit(
        site,
        "providers/alex-rivera.md",
        "role: Nurse practitioner",
        "role: Clinician\ntype: dental_hygienist",
    )
    write(site, "providers/alex-rivera.es.md", "---\nrole: Clínica\n---\nUna biografía breve.\n")
    build(site)
    for url, occupation in (
        ("/team/alex-rivera/", "Dental hygienist"),
        ("/es/team/alex-rivera/", "Higienista dental"),
    ):
        (person,) = [d for d in jsonld(page(site, url)) if d.get("name") == "Alex Rivera"]
        assert person["hasOccupation"] == {"@type": "Occupation", "name": occupation}


MEMBERSHIP = """---
title: Smile Club
summary: Two cleanings a year and 10% off fillings.
price: 29
per: month
form: contact
---
Join online or at the front desk.
"""


def test_a_membership_sign_up_says_which_membership_in_the_page_and_the_local_export(tmp_path: Path) -> None:
    site = practice_site(tmp_path, "dental")
    write(site, "memberships/smile-club.md", MEMBERSHIP)
    build(site)
    published = page(site, "/memberships/smile-club/")
    form = published[published.index("<form") : published.index("</form>")]
    assert '<input type="hidden" name="membership" value="Smile Club">' in form
    running = Cli([str(site), "--port", "0"])
    try:
        url = running.url()
        with urllib.request.urlopen(f"{url}/memberships/smile-club/", timeout=30) as response:
            served = response.read().decode()
        tag = re.search(r"<form\b[^>]*>", served)[0]
        action = html.unescape(re.search(r'\saction="([^"]*)"', tag)[1])
        section = served[served.index(tag) : served.index("</form>", served.index(tag))]
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)"[^>]*?value="([^"]*)"', section))
        fields = {**hidden, "name": "Ann Lee", "email": "ann@example.com", "consent": "yes"}
        request = urllib.request.Request(
            url + action,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with pytest.raises(urllib.error.HTTPError) as answer:  # the 303 to the thank-you page, not followed
            urllib.request.build_opener(NoRedirect).open(request, timeout=30)
        assert answer.value.code == 303
        answer.value.close()
    finally:
        running.stop()
    (export,) = (site / ".sitegen" / "submissions").glob("*.csv")
    with export.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["name"], row["membership"]) for row in rows] == [("Ann Lee", "Smile Club")]
