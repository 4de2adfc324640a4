"""Kinds of practice and of provider: what each means for the schema.org types search engines read.

A practice's `type` (site.yaml) decides the schema.org types of the practice and of each office
(JSON-LD), the medical specialty it declares, and which wording defaults its pages use (the
catalogues `i18n/<lang>.<type>.yaml`, see content/i18n.py). Types are schema.org's
(https://schema.org/MedicalBusiness and its more specific types): `PhysicalTherapy` there is a
therapy, not a business, so a physical therapy practice is a `Physiotherapy`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PracticeType = Literal[
    "generic",
    "dental",
    "dermatology",
    "med_spa",
    "plastic_surgery",
    "physical_therapy",
    "optometry",
    "primary_care",
]

# schema.org types a practice or an office may declare instead of its type's (`business_type`)
BusinessType = Literal[
    "MedicalBusiness",
    "MedicalClinic",
    "MedicalOrganization",
    "Dentist",
    "Dermatology",
    "HealthAndBeautyBusiness",
    "DaySpa",
    "PlasticSurgery",
    "Physiotherapy",
    "Optician",
    "Optometric",
    "PrimaryCare",
    "Physician",
    "Pediatric",
]

ProviderType = Literal[
    "physician",
    "dentist",
    "dental_hygienist",
    "nurse_practitioner",
    "physician_assistant",
    "nurse",
    "optometrist",
    "physical_therapist",
    "aesthetician",
    "staff",
]


@dataclass(frozen=True)
class PracticeProfile:
    """What one practice type declares: its schema.org types, most specific first, and its specialty."""

    schema_types: tuple[str, ...]
    specialty: str = ""  # a schema.org MedicalSpecialty member, "" for none


PROFILES: dict[str, PracticeProfile] = {
    "generic": PracticeProfile(("MedicalClinic",)),
    "dental": PracticeProfile(("Dentist",), "Dentistry"),
    "dermatology": PracticeProfile(("Dermatology", "MedicalClinic"), "Dermatology"),
    "med_spa": PracticeProfile(("MedicalBusiness", "HealthAndBeautyBusiness")),
    "plastic_surgery": PracticeProfile(("PlasticSurgery", "MedicalClinic"), "PlasticSurgery"),
    "physical_therapy": PracticeProfile(("Physiotherapy",), "Physiotherapy"),
    "optometry": PracticeProfile(("Optometric", "Optician"), "Optometric"),
    "primary_care": PracticeProfile(("PrimaryCare", "MedicalClinic"), "PrimaryCare"),
}

# a provider's occupation as schema.org's Occupation names it; a physician is a `Physician` itself
OCCUPATIONS: dict[str, str] = {
    "physician": "Physician",
    "dentist": "Dentist",
    "dental_hygienist": "Dental hygienist",
    "nurse_practitioner": "Nurse practitioner",
    "physician_assistant": "Physician assistant",
    "nurse": "Registered nurse",
    "optometrist": "Optometrist",
    "physical_therapist": "Physical therapist",
    "aesthetician": "Aesthetician",
    "staff": "",
}


def schema_value(types: tuple[str, ...]) -> str | list[str]:
    """`@type` as JSON-LD writes it: one name, or a list when there are several."""
    return types[0] if len(types) == 1 else list(types)
