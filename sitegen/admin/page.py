"""The files of /admin/: the page, its configuration, the editor's bundle (shipped with sitegen as
vendor/decap-cms.tar.xz, made by vendor/update.sh from the pinned npm package), and the page's own
Content-Security-Policy."""

from __future__ import annotations

import functools
import tarfile
from pathlib import Path
from typing import Any

import yaml

ADMIN_URL = "/admin/"
BUNDLE = Path(__file__).parent / "vendor" / "decap-cms.tar.xz"
SCRIPT = "decap-cms.js"

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Edit the site</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<noscript>The editor needs JavaScript.</noscript>
<script src="decap-cms.js"></script>
</body>
</html>
"""


@functools.cache
def bundle_files() -> dict[str, bytes]:
    """The editor's files by name (decap-cms.js, its chunks, LICENSE, VERSION), read once."""
    with tarfile.open(BUNDLE, "r:xz") as archive:
        return {
            member.name.removeprefix("./"): archive.extractfile(member).read()  # type: ignore[union-attr]
            for member in archive.getmembers()
            if member.isfile()
        }


def version() -> str:
    return bundle_files()["VERSION"].decode().split()[1]


def content_security_policy(connect: tuple[str, ...] = (), images: tuple[str, ...] = ()) -> str:
    """/admin/'s policy: the editor's own files only; it needs inline styles (its components style
    themselves at run time) and eval (its configuration validator compiles the schema), which the
    site's other pages never allow. `connect` adds the Git host's API in production, `images` where
    the signed-in person's picture comes from."""
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"]),
        ("style-src", ["'self'", "'unsafe-inline'"]),
        ("img-src", ["'self'", "data:", "blob:", *images]),
        ("media-src", ["'self'", "blob:"]),
        ("font-src", ["'self'", "data:"]),
        ("connect-src", ["'self'", "blob:", *connect]),
        ("frame-src", ["'self'", "blob:"]),
        ("worker-src", ["'self'", "blob:"]),
        ("form-action", ["'self'"]),
        ("frame-ancestors", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("object-src", ["'none'"]),
    ]
    return "; ".join(" ".join([name, *values]) for name, values in directives)


def config_yaml(config: dict[str, Any]) -> bytes:
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode("utf-8")


def admin_file(name: str, config: dict[str, Any]) -> bytes | None:
    """The file `name` of /admin/ ("" is the page), or None when there is none."""
    if name in ("", "index.html"):
        return PAGE.encode("utf-8")
    if name == "config.yml":
        return config_yaml(config)
    return bundle_files().get(name) if "/" not in name else None
