"""Netlify's `_redirects` and `_headers` files, read the way the static host reads them.

The dev server applies these rules so that a site behaves locally exactly as deployed: an invited
friend's `/r/CODE` link, a moved page's old address, the security headers.
Syntax: https://docs.netlify.com/routing/redirects/ and https://docs.netlify.com/routing/headers/
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Redirect:
    source: str
    target: str
    status: int = 301
    force: bool = False
    line: int = 0

    def match(self, path: str) -> dict[str, str] | None:
        """The placeholder values (and `splat`) when `path` matches this rule's source, else None."""
        return match(self.source, path)

    def destination(self, values: dict[str, str], query: str) -> str:
        target = self.target
        for name, value in sorted(values.items(), key=lambda item: -len(item[0])):
            target = target.replace(f":{name}", value)
        if query:  # the host passes the visitor's query on (UTM tags survive a redirect)
            target += ("&" if "?" in target else "?") + query
        return target


def match(pattern: str, path: str) -> dict[str, str] | None:
    pattern_parts = pattern.rstrip("/").split("/") if pattern != "/" else [""]
    path_parts = path.rstrip("/").split("/") if path != "/" else [""]
    values: dict[str, str] = {}
    for index, part in enumerate(pattern_parts):
        if part == "*":
            values["splat"] = "/".join(path_parts[index:])
            return values
        if index >= len(path_parts):
            return None
        if part.startswith(":"):
            if not path_parts[index]:
                return None
            values[part[1:]] = path_parts[index]
        elif part != path_parts[index]:
            return None
    return values if len(path_parts) == len(pattern_parts) else None


def parse_redirects(text: str) -> list[Redirect]:
    rules = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 2:
            continue
        status, force = 301, False
        for extra in parts[2:]:
            match = re.fullmatch(r"(\d{3})(!?)", extra)
            if match:
                status, force = int(match[1]), bool(match[2])
        rules.append(Redirect(parts[0], parts[1], status, force, number))
    return rules


def parse_headers(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(path pattern, [(name, value), ...]), ...] in file order."""
    blocks: list[tuple[str, list[tuple[str, str]]]] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw[0].isspace():
            blocks.append((raw.strip(), []))
        elif blocks and ":" in raw:
            name, value = raw.strip().split(":", 1)
            blocks[-1][1].append((name.strip(), value.strip()))
    return blocks


def headers_for(blocks: list[tuple[str, list[tuple[str, str]]]], path: str) -> list[tuple[str, str]]:
    """Every header whose block matches `path`; later blocks add to earlier ones, as on Netlify."""
    found: list[tuple[str, str]] = []
    for pattern, headers in blocks:
        if match(pattern, path) is not None or (pattern.endswith("/*") and path.rstrip("/") == pattern[:-2]):
            found.extend(headers)
    return found


def is_external(target: str) -> bool:
    parts = urlsplit(target)
    return bool(parts.scheme or parts.netloc)
