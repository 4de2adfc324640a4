"""A translation laid over its original: texts replaced, everything else refused with the line to remove.

`program.es.yaml` over `program.yaml`, `about.es.md`'s front matter over `about.md`'s: mappings key by
key, lists of mappings item by item, other values replaced. What is not text (a number, a switch, an
address, a reference to another document) belongs to the original and is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitegen.content.sources import read_yaml
from sitegen.core.errors import Diagnostics, SourceLocation, relative_to
from sitegen.core.yamlmarks import LocatedDict, LocatedList

# keys a translation may not set, whatever their type: the document's address and what it points to,
# and facts written as words or codes (opening hours, a billing period, a currency, a schema.org type),
# which a translation would otherwise change silently in its language only
NOT_TEXT = {
    "slug",
    "url",
    "base_url",
    "hours",
    "until",
    "per",
    "currency",
    "country",
    "business_type",
    "src",
    "form",
    "draft",
    "date",
    "start",
    "end",
    "updated",
    "order",
    "aliases",
    "email",
    "phone",
}


def read_translated_yaml(file: Path, lang: str, site_dir: Path, diagnostics: Diagnostics) -> tuple[Any, str]:
    """A whole-YAML file (program.yaml, site.yaml) in `lang`: the original with `<name>.<lang>.yaml`
    laid over it when there is one; with the path errors in it should name."""
    quiet = Diagnostics()
    data = read_yaml(file, site_dir, quiet)  # the original's own problems are reported in its own language
    translated = file.with_name(f"{file.stem}.{lang}{file.suffix}")
    if data is None or not translated.is_file():
        return data, relative_to(file, site_dir)
    src = relative_to(translated, site_dir)
    before = len(diagnostics.errors)
    over = read_yaml(translated, site_dir, diagnostics)
    if len(diagnostics.errors) > before:
        return data, src
    merged = overlay(data, over, src, diagnostics)
    if merged == data:
        translates_nothing(
            src,
            relative_to(file, site_dir),
            diagnostics,
            "the pages in that language show the original's texts",
        )
    return merged, src


def translates_nothing(src: str, original: str, diagnostics: Diagnostics, outcome: str) -> None:
    """An empty translation, or a copy of the original not translated yet: said, never published as a
    translation."""
    diagnostics.warn(
        "SG215",
        f"this translation changes no text of {original}, so {outcome}",
        SourceLocation(src, 1),
        "translate the texts here (the fields a reader sees, and for a page the text below its front "
        "matter), or delete the file",
    )


def overlay(
    original: Any, translation: Any, src: str, diagnostics: Diagnostics, name: str = "", line: int = 0
) -> Any:
    """The original with the translation's texts laid over; located errors for anything else.
    `line` is where a plain value stands (mappings and lists know their own)."""
    line = getattr(translation, "line", line)
    if translation is None:
        return original
    if isinstance(translation, dict):
        return _overlay_mapping(original, translation, src, diagnostics, name, line)
    if isinstance(translation, list):
        return _overlay_list(original, translation, src, diagnostics, name, line)
    if not isinstance(translation, str) and translation != original:
        _refuse(diagnostics, src, line, name.rstrip("."), "is not a text: a translation keeps the original's")
        return original
    return translation


def _overlay_mapping(
    original: Any, translation: Any, src: str, diagnostics: Diagnostics, name: str, line: int
) -> Any:
    """The original's fields with the translation's laid over, each where it was written; SG214 for
    a mapping over a value or a field that is not a text (the original's is kept)."""
    if original is not None and not isinstance(original, dict):
        _refuse(diagnostics, src, line, name, "is a list of fields here but not in the original")
        return original
    base = original or {}
    merged = LocatedDict(base)
    merged.line = line
    merged.key_lines = dict.fromkeys(merged, 0)  # inherited: their lines are in the other file
    for key, value in translation.items():
        where = translation.line_of(key)
        if key in NOT_TEXT and base.get(key) != value:
            _refuse(
                diagnostics,
                src,
                where,
                f"{name}{key}",
                "is not a text: a translation keeps the original's",
            )
            continue
        merged[key] = overlay(base.get(key), value, src, diagnostics, f"{name}{key}.", where)
        merged.key_lines[key] = where
    return merged


def _overlay_list(
    original: Any, translation: Any, src: str, diagnostics: Diagnostics, name: str, line: int
) -> Any:
    """A list of mappings laid item by item over the original's (same length), or a list of texts
    that replaces it; SG214 (and the original) otherwise."""
    if translation and all(isinstance(item, dict) for item in translation) and isinstance(original, list):
        if len(translation) != len(original):
            _refuse(
                diagnostics,
                src,
                line,
                name.rstrip("."),
                f"has {len(translation)} items and the original {len(original)}: "
                "translate every item, in the original's order",
            )
            return original
        merged_list = LocatedList(
            overlay(o, t, src, diagnostics, f"{name.rstrip('.')}[{i}].")
            for i, (o, t) in enumerate(zip(original, translation), start=1)
        )
    else:
        for index, item in enumerate(translation):
            if not isinstance(item, str):
                _refuse(
                    diagnostics,
                    src,
                    translation.line_of(index),
                    f"{name.rstrip('.')}[{index + 1}]",
                    "is not a text: a translation changes only texts",
                )
                return original
        merged_list = LocatedList(translation)
    merged_list.line, merged_list.item_lines = line, list(getattr(translation, "item_lines", []))
    return merged_list


def _refuse(diagnostics: Diagnostics, src: str, line: int, name: str, why: str) -> None:
    diagnostics.error(
        "SG214",
        f"{name or 'the file'} {why}",
        SourceLocation(src, line),
        "a translation holds only translated texts; numbers, dates, addresses and references "
        "are written once, in the original file: remove this line",
    )
