"""`sitegen init` with answers: the starter made into one practice (its type, name, offices and languages),
with a referral program to adapt, a .gitignore and a README for the staff. Never overwrites a file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.core.errors import SitegenError
from sitegen.core.urls import is_safe_slug, slugify
from sitegen.models.practicetypes import PROFILES
from sitegen.scaffold import create_site
from sitegen.startertypes import STARTER_WORDS, StarterWords

# what the starter's site.yaml says, and what each type says instead: plain, and true of most practices
STARTER_DESCRIPTION = (
    "A physician-led aesthetic practice. Replace this with one or two sentences about yours."
)
STARTER_TAGLINE = "Thoughtful, medical-grade aesthetic care"
TAGLINES = {
    "generic": "Careful, unhurried care close to home",
    "dental": "Gentle dental care for the whole family",
    "dermatology": "Medical and cosmetic dermatology, explained plainly",
    "med_spa": STARTER_TAGLINE,
    "plastic_surgery": "Board-certified plastic surgery, with honest consultations",
    "physical_therapy": "Physical therapy that gets you moving again",
    "optometry": "Eye exams, glasses and contact lenses",
    "primary_care": "Primary care for every stage of life",
}
GITIGNORE = """\
# made by sitegen: rebuilt from content/ at any time, never edited by hand
public/
.sitegen/
# exports of form submissions and referral reports: they hold patients' personal details
reports/
"""


@dataclass(frozen=True)
class Answers:
    """What `sitegen init` asks: every answer has a default, so a site can be made without any."""

    type: str = "generic"
    name: str = "Your Practice Name"
    locations: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["en"])


def init_site(site_dir: Path, answers: Answers) -> list[Path]:
    """The starter in `site_dir`, made into the practice the answers describe."""
    if answers.type not in PROFILES:
        raise SitegenError(f'"{answers.type}" is not a practice type: use one of {", ".join(PROFILES)}')
    if (site_dir / "README.md").exists() or (site_dir / ".gitignore").exists():
        raise SitegenError(f"{site_dir} already holds a README.md or .gitignore: refusing to overwrite them")
    created = create_site(site_dir)
    content = site_dir / "content"
    _edit_site_yaml(content / "site.yaml", answers)
    words = STARTER_WORDS.get(answers.type)
    if words is not None:
        created = _type_words(content, words, created)
    if answers.locations:
        created = _offices(content, answers.locations, created)
    program = content / "program.yaml"
    welcome = words.friend_welcome if words else "a personal welcome and an unhurried first visit"
    program.write_text(_program(_quoted(f"Friends of {answers.name}"), welcome), encoding="utf-8")
    (site_dir / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    (site_dir / "README.md").write_text(staff_readme(answers.name), encoding="utf-8")
    return [*created, program, site_dir / ".gitignore", site_dir / "README.md"]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _edit_site_yaml(file: Path, answers: Answers) -> None:
    text = file.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^name: .*$", f"type: {answers.type}\nname: {_quoted(answers.name)}", text, count=1)
    text = text.replace(
        f"tagline: {STARTER_TAGLINE}", f"tagline: {_quoted(TAGLINES[answers.type])}", 1
    ).replace(
        f"description: {STARTER_DESCRIPTION}",
        "description: "
        + _quoted(f"{answers.name}: replace this with one or two sentences about the practice."),
        1,
    )
    languages = ", ".join(answers.languages)
    text = re.sub(r"(?m)^type: ", f"languages: [{languages}]\ntype: ", text, count=1)
    file.write_text(text, encoding="utf-8")


def _offices(content: Path, names: list[str], created: list[Path]) -> list[Path]:
    """One location file per office, from the starter's; the starter's team and services point at them."""
    template = content / "locations" / "main-office.yaml"
    text = template.read_text(encoding="utf-8")
    slugs = []
    for name in names:
        slug = slugify(name)
        if not is_safe_slug(slug) or slug in slugs:
            raise SitegenError(f'"{name}": give each office a different name with letters or digits')
        slugs.append(slug)
        target = content / "locations" / f"{slug}.yaml"
        target.write_text(text.replace("name: Main office", f"name: {_quoted(name)}", 1), encoding="utf-8")
        created.append(target)
    if "main-office" not in slugs:
        template.unlink()
        created.remove(template)
    for folder in ("providers", "services"):
        for file in (content / folder).glob("*.md"):
            source = file.read_text(encoding="utf-8")
            file.write_text(
                source.replace("locations: [main-office]", f"locations: [{', '.join(slugs)}]"),
                encoding="utf-8",
            )
    return created


def _type_words(content: Path, words: StarterWords, created: list[Path]) -> list[Path]:
    """The starter's first treatment, provider and FAQ answer in the words of the practice's type."""
    old = content / "services" / "consultation.md"
    service = content / "services" / f"{words.service_slug}.md"
    old.unlink()
    service.write_text(
        f"""\
---
title: {_quoted(words.service)}
summary: {_quoted(words.summary)}
category: {_quoted(words.category)}
duration: {_quoted(words.duration)}
prices:
  - label: {_quoted(words.price_label)}
    amount: {words.price}
    note: {_quoted(words.price_note)}
providers: [alex-rivera]
preparation:
  - {_quoted(words.preparation)}
---
Describe the visit: what happens, how long it takes, what patients take home. Keep claims modest.
""",
        encoding="utf-8",
    )
    created = [service if path == old else path for path in created]
    provider = content / "providers" / "alex-rivera.md"
    text = provider.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^name: .*$", f"name: {_quoted(words.provider_name)}", text, count=1)
    text = re.sub(r"(?m)^credentials: .*$", f"credentials: {_quoted(words.credentials)}", text, count=1)
    text = re.sub(
        r"(?m)^role: .*$", f"role: {_quoted(words.role)}\ntype: {words.provider_type}", text, count=1
    )
    text = text.replace("specialties: [Consultations]", f"specialties: [{_quoted(words.category)}]", 1)
    provider.write_text(text, encoding="utf-8")
    faq = content / "faq.yaml"
    faq.write_text(
        re.sub(r"(?m)^  answer: .*$", f"  answer: {_quoted(words.faq_answer)}", faq.read_text("utf-8")),
        encoding="utf-8",
    )
    home = content / "pages" / "index.md"
    home.write_text(
        re.sub(
            r"(?m)^description: .*$",
            "description: Care with transparent prices, from licensed clinicians.",
            home.read_text("utf-8"),
            count=1,
        ),
        encoding="utf-8",
    )
    return created


def _program(quoted_name: str, welcome: str) -> str:
    return f"""\
# The referral program: patients share a link, their friends book. Every field is explained in
# docs/referral.md. As written it thanks patients without rewards of money value: add rewards only
# after your counsel has read docs/referral.md's compliance notes, then record their review below.
name: {quoted_name}
headline: Share us with a friend
intro: >-
  If you like coming here, tell a friend. They get a warm welcome, and we thank you for every friend
  who becomes a patient.
model: direct
referrer_reward:
  kind: recognition
  value: 0
  description: a handwritten thank-you note from the team
friend_reward:
  kind: recognition
  value: 0
  description: {welcome}
  told_to_referrer: {welcome}
success:
  within_days: 90
limits:
  per_year: 0
terms:
  version: "1.0"
  effective: 2026-01-01
  eligibility: Patients aged 18 or over.
  new_patient: Someone who has not visited the practice in the last three years.
  reward_timing: Thanks are sent within 14 days of the friend's first visit.
  restrictions:
    - Thanks have no cash value.
  privacy: We store your first name and email only to thank you for your referrals.
  changes: We may change the program with 30 days' notice on this page.
compliance:
  payer_scope: mixed
  states: [IL]
  # review:
  #   reviewed_by: your counsel's name
  #   reviewed_on: 2026-01-31
"""


def staff_readme(name: str) -> str:
    return f"""\
# The {name} website

This folder is the whole website. The words and pictures are in `content/`, in plain text files
you can open with any text editor. Nothing here needs a programmer.

## Change a page

- The practice's name, phone, colours and menu: `content/site.yaml`.
- A page (About, Privacy...): the files in `content/pages/`.
- Treatments, the team, offices, news: `content/services/`, `content/providers/`,
  `content/locations/`, `content/posts/`.
- Questions and answers: `content/faq.yaml`. The referral program: `content/program.yaml`.

To start a new file with every field explained, run for example:

    sitegen new service "Teeth whitening"
    sitegen new provider "Dr. Ana Diaz"

## See it before anyone else does

    sitegen serve

then open http://127.0.0.1:8000/ in your browser. The page reloads by itself each time you save a
file. If something is wrong, the page says which file and which line, and how to fix it. Forms
sent from this preview are kept in `.sitegen/submissions/`, never sent anywhere. The editor at
http://127.0.0.1:8000/admin/ lets you change the texts in the browser instead.

## Publish

    sitegen check
    sitegen build

`check` tells you about anything that should be fixed (a missing privacy page, a broken link, a
health question on a form that must not receive one). `build` writes the finished website into
`public/`; your host (Netlify, for example) publishes that folder. Most practices let the host run
`sitegen build` each time a change is saved to the shared copy of this folder.

## Keep private things private

Never put patients' names, photos or stories in `content/` without their written permission
(`sitegen new testimonial` shows what to record). The form exports and reports in `reports/` hold
personal details: they are left out of the shared copy by `.gitignore`.
"""
