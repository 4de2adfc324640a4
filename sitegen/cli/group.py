"""The `sitegen` command group and what every command shares: how diagnostics are printed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from sitegen import __version__
from sitegen.core.errors import ContentError, Severity

# `build` (and with it Jinja, Markdown, YAML, the models) is imported by the commands that use it, and by
# `sitegen build` only once it knows something changed: a no-op rebuild is mostly Python starting.


def echo_diagnostics(diagnostics: list, err: bool = True) -> None:
    """Each diagnostic's located line in red (an error) or yellow (a warning), its hint below; on stderr
    unless `err` is false (`sitegen check`, whose output they are)."""
    for diagnostic in diagnostics:
        colour = "red" if diagnostic.severity is Severity.ERROR else "yellow"
        head, _, hint = diagnostic.format().partition("\n")
        click.secho(head, fg=colour, err=err)
        if hint:
            click.echo(hint, err=err)


@contextmanager
def failing_on_content_errors() -> Iterator[None]:
    """A ContentError raised inside is printed as its diagnostics and ends the command with its message
    (exit 1), never a traceback."""
    try:
        yield
    except ContentError as exc:
        echo_diagnostics(exc.diagnostics)
        raise click.ClickException(exc.message) from None


def site_option(help: str) -> Callable[[Any], Any]:
    """`--site SITE`, the site folder (default: the current folder), given to the command as `site_dir`."""
    return click.option(
        "--site", "site_dir", default=".", type=click.Path(file_okay=False, path_type=Path), help=help
    )


def format_option(help: str) -> Callable[[Any], Any]:
    """`--format text|json` (default text), given to the command as `output_format`."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def main() -> None:
    """sitegen builds a healthcare practice's website from the files in content/.

    \b
    Start a site:      sitegen init my-practice
    Build it:          sitegen build my-practice
    """


def log(message: str) -> None:
    """A line for the person at the terminal (on stderr, apart from the command's output)."""
    click.echo(message, err=True)
