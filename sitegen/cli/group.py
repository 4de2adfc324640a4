"""The `sitegen` command group and what every command shares: how diagnostics are printed."""

from __future__ import annotations

import click

from sitegen import __version__
from sitegen.core.errors import Severity

# `build` (and with it Jinja, Markdown, YAML, the models) is imported by the commands that use it, and by
# `sitegen build` only once it knows something changed: a no-op rebuild is mostly Python starting.


def echo_diagnostics(diagnostics: list) -> None:
    for diagnostic in diagnostics:
        colour = "red" if diagnostic.severity is Severity.ERROR else "yellow"
        head, _, hint = diagnostic.format().partition("\n")
        click.secho(head, fg=colour, err=True)
        if hint:
            click.echo(hint, err=True)


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
