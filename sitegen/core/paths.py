"""Where sitegen's own files are, and the folders of a site."""

from __future__ import annotations

import os
import stat
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
"""The installed `sitegen` package (its code, the starter site, and in a wheel the shipped themes)."""

SHIPPED_THEMES = PACKAGE / "themes" if (PACKAGE / "themes").is_dir() else PACKAGE.parent / "themes"
"""The shipped themes: inside the package when installed, beside it in a source checkout."""

STARTER = PACKAGE / "starter"
"""The starter site that `sitegen init` copies."""

MAX_CONTENT_BYTES = 1_000_000
"""The largest content file (.md, .yaml) sitegen reads (SG217); larger ones are refused by their size,
unread: the loader does not parse them and the build cache does not hash them."""


def regular_file_inside(file: Path, roots: tuple[Path, ...]) -> str:
    """Why `file` may not be published ("" when it may): it must be a regular file, not a link or a
    device, and lie inside one of the (resolved) `roots` once every link above it is followed. The one
    rule for what sitegen publishes: the writer applies it to every copied file, the theme to its own."""
    try:
        st = os.lstat(file)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return "it is a symbolic link"
    if not stat.S_ISREG(st.st_mode):
        return "it is not a regular file"
    real = Path(os.path.realpath(file))
    if not any(real == root or root in real.parents for root in roots):
        return f"it leads to {real}, outside the site and the shipped themes"
    return ""
