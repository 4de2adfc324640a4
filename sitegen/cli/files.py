"""`sitegen new` and `sitegen init`: content files and sites written from the registry and the starter."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sitegen.cli.group import main, site_option


@main.command()
@click.argument("kind", metavar="KIND")
@click.argument("title")
@site_option("The site folder (default: the current folder).")
def new(kind: str, title: str, site_dir: Path) -> None:
    """Start a new content file of KIND (every kind of content: page, service, provider, location, post,
    campaign, testimonial, gallery..., and program, form or faq) titled TITLE, with every field explained.

    Required fields come first; optional ones are commented out with what they mean. The file name
    is made from the title and never overwrites an existing file; `faq` adds a question to
    content/faq.yaml, `program` writes content/program.yaml.

    \b
    Examples:
      sitegen new service "Chemical peels"
      sitegen new post "Sunscreen after laser" --site my-site
      sitegen new testimonial "Sarah K."       (then fill in her consent record)
      sitegen new campaign "May friends month"
      sitegen new faq "Do you take my insurance?"
    """
    from datetime import date

    from sitegen.scaffold import new_document, new_kinds

    if kind not in new_kinds():  # the registry's kinds; not a click.Choice, which would import it up front
        choices = ", ".join(f"'{name}'" for name in new_kinds())
        raise click.BadParameter(f"'{kind}' is not one of {choices}.", param_hint="'KIND'")
    path = new_document(site_dir, kind, title, date.today())
    click.echo(path)


PRACTICE_TYPES = (
    "generic",
    "dental",
    "dermatology",
    "med_spa",
    "plastic_surgery",
    "physical_therapy",
    "optometry",
    "primary_care",
)  # sitegen.models.practicetypes.PracticeType, listed here so `--help` imports nothing


@main.command()
@click.argument("site_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--type", "practice_type", type=click.Choice(PRACTICE_TYPES), help="The kind of practice.")
@click.option("--name", help="The practice's name as patients know it.")
@click.option(
    "--location", "locations", multiple=True, help="An office's name; repeat the option for each office."
)
@click.option(
    "--language",
    "languages",
    multiple=True,
    help="A two-letter language code; repeat for each, the main language first (default: en).",
)
def init(
    site_dir: Path,
    practice_type: str | None,
    name: str | None,
    locations: tuple[str, ...],
    languages: tuple[str, ...],
) -> None:
    """Create a new practice site in SITE_DIR that builds and passes `sitegen check`: the pages, a referral
    program to adapt (content/program.yaml), a .gitignore and a README.md for the staff.

    At a terminal it asks for the practice's type, name, offices and languages; the options answer
    instead (for scripts), and an answer left out keeps the starter's.

    \b
    Examples:
      sitegen init my-practice && sitegen build my-practice
      sitegen init smile --type dental --name "Harbor Dental" --location Portland --location Brunswick
    """
    from sitegen.initsite import Answers, init_site

    asking = sys.stdin.isatty()
    if asking and practice_type is None:
        practice_type = click.prompt(
            "What kind of practice is it?", type=click.Choice(PRACTICE_TYPES), default="generic"
        )
    if asking and name is None:
        name = click.prompt("The practice's name, as patients know it", default="Your Practice Name")
    if asking and not locations:
        locations = _prompt_list("Its offices, separated by commas", "Main office")
    if asking and not languages:
        languages = _prompt_list("Its languages, main one first (e.g. en, es)", "en")
    answers = Answers(
        type=practice_type or "generic",
        name=(name or "Your Practice Name").strip(),
        locations=list(locations),
        languages=[code.strip().lower() for code in languages] or ["en"],
    )
    created = init_site(site_dir, answers)
    click.echo(
        f"Created {len(created)} files in {site_dir}. Next: read {site_dir}/README.md, edit "
        f"{site_dir}/content/site.yaml, then run `sitegen serve {site_dir}` to see it, or "
        f"`sitegen build {site_dir}`."
    )


def _prompt_list(question: str, default: str) -> tuple[str, ...]:
    """The answer to `question`, split at commas, empty parts left out."""
    answer = click.prompt(question, default=default)
    return tuple(part.strip() for part in answer.split(",") if part.strip())
