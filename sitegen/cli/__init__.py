"""The command line: the only package that prints or exits.

`build` (and with it Jinja, Markdown, YAML, the models) is imported by the commands that use it, and by
`sitegen build` only once it knows something changed: a no-op rebuild is mostly Python starting.
"""

from sitegen.cli import code, files, report, site  # noqa: F401 - each registers its commands on `main`
from sitegen.cli.group import main

__all__ = ["main"]
