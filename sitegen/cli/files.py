"""`sitegen new` and `sitegen init`: content files and sites written from the registry and the starter."""

from __future__ import annotations

from pathlib import Path

import click

from sitegen.cli.group import main


@main.command()
@click.argument("kind", metavar="KIND")
@click.argument("title")
@click.option(
    "--site",
    "site_dir",
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site folder (default: the current folder).",
)
def new(kind: str, title: str, site_dir: Path) -> None:
    """Start a new content file of KIND (service, provider, post, page, location, testimonial, campaign)
    titled TITLE, with every field explained.

    Required fields come first; optional ones are commented out with what they mean. The file name
    is made from the title and never overwrites an existing file.

    \b
    Examples:
      sitegen new service "Chemical peels"
      sitegen new post "Sunscreen after laser" --site my-site
      sitegen new testimonial "Sarah K."       (then fill in her consent record)
      sitegen new campaign "May friends month"
    """
    from datetime import date

    from sitegen.content.kinds import BY_SINGULAR
    from sitegen.scaffold import new_document

    if kind not in BY_SINGULAR:  # the registry's kinds; not a click.Choice, which would import it up front
        choices = ", ".join(f"'{name}'" for name in BY_SINGULAR)
        raise click.BadParameter(f"'{kind}' is not one of {choices}.", param_hint="'KIND'")
    path = new_document(site_dir, kind, title, date.today())
    click.echo(path)


@main.command()
@click.argument("site_dir", type=click.Path(file_okay=False, path_type=Path))
def init(site_dir: Path) -> None:
    """Create a new practice site in SITE_DIR from a small, working starter.

    \b
    Example:
      sitegen init my-practice && sitegen build my-practice
    """
    from sitegen.scaffold import create_site

    created = create_site(site_dir)
    click.echo(
        f"Created {len(created)} files in {site_dir}. Next: edit {site_dir}/content/site.yaml, then run "
        f"`sitegen build {site_dir}`."
    )
