"""Where sitegen's own files are, and the folders of a site."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
"""The installed `sitegen` package (its code, the starter site, and in a wheel the shipped themes)."""

SHIPPED_THEMES = PACKAGE / "themes" if (PACKAGE / "themes").is_dir() else PACKAGE.parent / "themes"
"""The shipped themes: inside the package when installed, beside it in a source checkout."""

STARTER = PACKAGE / "starter"
"""The starter site that `sitegen init` copies."""
