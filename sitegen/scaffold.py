"""`sitegen init`: a small, working starter site copied from the package. Never overwrites a file."""

from __future__ import annotations

import dataclasses
import shutil
import typing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

from sitegen.content.kinds import BY_SINGULAR, KINDS
from sitegen.content.sources import COLLECTIONS
from sitegen.core.errors import SitegenError
from sitegen.core.paths import STARTER
from sitegen.core.schema import input_fields
from sitegen.core.urls import is_safe_slug, slugify
from sitegen.models.forms import Form
from sitegen.models.practice import FaqItem
from sitegen.models.referral import Program
from sitegen.models.testimonials import Gallery
from sitegen.reference import type_name


def create_site(site_dir: Path) -> list[Path]:
    """Copy the starter into `site_dir`; refuses when that would touch an existing site."""
    if (site_dir / "content").exists():
        raise SitegenError(f"{site_dir}/content already exists: refusing to overwrite an existing site")
    created = []
    for source in sorted(STARTER.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        target = site_dir / source.relative_to(STARTER)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        created.append(target)
    return created


@dataclass(frozen=True)
class Extra:
    """Something `sitegen new` writes that is not a kind of the registry: one file, or an entry of a list."""

    model: type
    path: str  # under content/, with {slug}
    entry: bool = False  # an item added to the list the file holds (faq.yaml)


EXTRAS: dict[str, Extra] = {
    "program": Extra(Program, "program.yaml"),
    "form": Extra(Form, "forms/{slug}.yaml"),
    "faq": Extra(FaqItem, "faq.yaml", entry=True),
}


# list fields written with a working example rather than commented out ({slug}: the new file's)
EXAMPLES: dict[tuple[type, str], str] = {
    (Form, "fields"): """\
  - name: name
    label: Your name
    required: true
    autocomplete: name
  - name: email
    type: email
    label: Your email
    required: true
    autocomplete: email
""",
    (Gallery, "pairs"): """\
  # one pair: replace the two placeholder photos in content/static/images/gallery/ with the patient's,
  # then record the signed authorization below; until then the pair is withheld, never published
  - before: {{src: /images/gallery/{slug}-before.jpg, alt: Before treatment (describe what it shows)}}
    after: {{src: /images/gallery/{slug}-after.jpg, alt: After treatment (describe the result)}}
    caption: What was done, and when the after photo was taken
    # consent:  # the patient's signed authorization; required for the pair to be published
    #   date: 2026-01-31  # the day the patient signed it
    #   scope: [web]  # where it may be used: web, social, print
    #   reference: the number of the signed form in your records
""",
}
PLACEHOLDER_SIZE = (800, 600)


def new_kinds() -> list[str]:
    """What `sitegen new` writes: every kind of the registry that can be written, then the extras."""
    return [*BY_SINGULAR, *EXTRAS]


def new_document(site_dir: Path, kind: str, title: str, today: date) -> Path:
    """Write content/<kind>/<slug>.md (or .yaml) with every field of the kind, explained in comments;
    for an extra (program, form, FAQ entry), its file or its entry."""
    slug = slugify(title)
    if not is_safe_slug(slug):
        raise SitegenError(f'"{title}" has no letters or digits to make a file name from')
    if kind in EXTRAS:
        return _new_extra(site_dir, EXTRAS[kind], title, slug, today)
    folder = BY_SINGULAR[kind].name
    target = site_dir / "content" / folder / f"{slug}{COLLECTIONS[folder]}"
    if target.exists():
        raise SitegenError(f"{target} already exists: refusing to overwrite it")
    fields = _commented_fields(KINDS[folder].model, title, today, slug)
    if folder == "gallery":
        fields = _gallery_start(site_dir, slug, fields)
    # never a made-up story: the body stays empty until the patient's own words go in
    if folder == "testimonials":
        text = (
            f"---\n{fields}---\n"
            "<!-- Optional: the patient's longer story, in their own words. See docs/content.md. -->\n"
        )
    elif COLLECTIONS[folder] == ".md":
        text = f"---\n{fields}---\nWrite the text here, in Markdown. See docs/content.md.\n"
    else:
        text = fields
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _new_extra(site_dir: Path, extra: Extra, title: str, slug: str, today: date) -> Path:
    target = site_dir / "content" / extra.path.format(slug=slug)
    fields = _commented_fields(extra.model, title, today, slug)
    if not extra.entry:
        if target.exists():
            raise SitegenError(f"{target} already exists: refusing to overwrite it")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(fields, encoding="utf-8")
        return target
    question = yaml.safe_dump(title, allow_unicode=True).splitlines()[0]
    lines = [line for line in fields.splitlines() if not line.startswith("question:")]
    entry = f"- question: {question}\n" + "".join(f"  {line}\n" for line in lines)
    existing = target.read_text(encoding="utf-8") if target.exists() else ""
    if f"question: {question}\n" in existing:
        raise SitegenError(f"{target} already has the question {title!r}")
    separator = "" if not existing or existing.endswith("\n") else "\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(existing + separator + entry, encoding="utf-8")
    return target


def _gallery_start(site_dir: Path, slug: str, fields: str) -> str:
    """A new gallery's placeholder photos (never overwriting one), and its treatment when the site has one."""
    images = site_dir / "content" / "static" / "images" / "gallery"
    images.mkdir(parents=True, exist_ok=True)
    for moment in ("before", "after"):
        target = images / f"{slug}-{moment}.jpg"
        if not target.exists():
            image = Image.new("RGB", PLACEHOLDER_SIZE, (200, 200, 200))
            ImageDraw.Draw(image).text(
                (40, 280),
                f"{moment.upper()}: replace with the patient's photo ({target.name})",
                fill=(40, 40, 40),
            )
            image.save(target, "JPEG", quality=80)
    services = sorted((site_dir / "content" / "services").glob("*.md"))
    if services:
        fields = fields.replace("service:   # required:", f"service: {services[0].stem}  # required:", 1)
    return fields


def _optional_dataclass(hint: object) -> type | None:
    """The record type of an optional nested record (`Consent | None`), else None."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if type(None) in typing.get_args(hint) and len(args) == 1 and dataclasses.is_dataclass(args[0]):
        return args[0]  # type: ignore[return-value]
    return None


def _commented_fields(cls: type, title: str, today: date, slug: str = "") -> str:
    """Required fields filled in or left to fill; optional ones commented out, each with its meaning; the
    list fields of EXAMPLES written with their working example."""
    hints = typing.get_type_hints(cls)
    lines = []
    for field in input_fields(cls):
        required = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        doc = field.metadata.get("doc", "")
        optional_record = _optional_dataclass(hints[field.name])
        if field.name in ("title", "name"):
            value = yaml.safe_dump(title, allow_unicode=True).splitlines()[0]
        elif hints[field.name] is date and required:
            value = today.isoformat()
        elif (cls, field.name) in EXAMPLES:
            lines.append(
                f"{field.name}:  # {doc}\n" + EXAMPLES[cls, field.name].format(slug=slug).rstrip("\n")
            )
            continue
        elif optional_record is not None and field.name == "consent":
            # a record that decides whether the file is published at all: spelled out, to be filled in
            sub = "\n".join(
                "  " + line for line in _commented_fields(optional_record, title, today).splitlines()
            )
            lines.append(f"{field.name}:  # {doc}\n{sub}")
            continue
        elif optional_record is not None:
            sub = "\n".join(
                "#   " + line.removeprefix("# ")
                for line in _commented_fields(optional_record, title, today).splitlines()
            )
            lines.append(f"# {field.name}:  # {doc}\n{sub}")
            continue
        elif hasattr(hints[field.name], "EXAMPLE"):
            example = "\n".join(f"#   {line}" for line in hints[field.name].EXAMPLE.splitlines())
            lines.append(f"# {field.name}:  # {doc}\n{example}")
            continue
        elif dataclasses.is_dataclass(hints[field.name]):
            sub = "\n".join(
                "  " + line for line in _commented_fields(hints[field.name], title, today).splitlines()
            )
            lines.append(f"{'' if required else '# '}{field.name}:  # {doc}\n{sub}")
            continue
        else:
            value = ""
        prefix = "" if required else "# "
        lines.append(
            (
                f"{prefix}{field.name}: {value}  # {'required: ' if required else ''}{doc} "
                f"({type_name(hints[field.name])})"
            ).replace(":  #", ": #")
        )
    return "\n".join(lines) + "\n"
