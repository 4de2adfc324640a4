"""`sitegen init`: a small, working starter site copied from the package. Never overwrites a file."""
from __future__ import annotations

import shutil
from pathlib import Path

from .errors import SitegenError

STARTER = Path(__file__).resolve().parent / "starter"


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
