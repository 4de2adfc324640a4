"""Find the content files and split each into YAML front matter and Markdown body.

This stage only reads; it knows nothing of what fields mean. Every file becomes a `RawDocument` whose
values still carry their line numbers, so later stages can point at them.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitegen.content.kinds import KINDS
from sitegen.core.errors import Diagnostics, SourceLocation, relative_to
from sitegen.core.paths import MAX_CONTENT_BYTES
from sitegen.core.yamlmarks import LocatedDict, YamlSyntaxError, load_yaml

MAX_FILE_BYTES = MAX_CONTENT_BYTES  # a content file larger than this is refused (SG217), before it is read
COLLECTIONS = {kind.name: kind.suffix for kind in KINDS.values()}  # folder -> suffix of its files
FENCE = "---"


@dataclass(frozen=True)
class RawDocument:
    kind: str
    src_path: str  # relative to the site folder, for messages
    stem: str  # file name without suffix: the default slug
    meta: Any  # usually a LocatedDict; validated by the loader
    body: str = ""
    body_line: int = 1  # line of the body's first line in the file

    def __getattr__(self, name: str) -> Any:
        """A field the build cache left to be rebuilt when first read (`meta`, whose lines only a
        diagnostic needs; see `incremental.codec.LATER`); any other missing name is an AttributeError."""
        later = self.__dict__.get("_later")
        if later is None or name not in later:
            raise AttributeError(name)
        value = later.pop(name)()
        object.__setattr__(self, name, value)
        return value


def read_text(file: Path, site_dir: Path, diagnostics: Diagnostics) -> str | None:
    """Read a UTF-8 file; report (rather than raise) files that are not text, not regular files, over
    MAX_FILE_BYTES (SG217, known from the size before reading) or, under content/, a symbolic link
    (of the file or a folder above it) that leads outside the site folder (SG223)."""
    where = SourceLocation(relative_to(file, site_dir))
    try:
        outside = _leads_outside(file, site_dir)
        if outside:
            diagnostics.error(
                "SG223",
                f"the file is a link to {outside}, outside the site folder: it is not read",
                where,
                "copy the file into the site instead of linking to it",
            )
            return None
        st = os.stat(file)  # before opening: a named pipe would block, a huge file is never read
        if not stat.S_ISREG(st.st_mode):
            diagnostics.error("SG201", "cannot read the file: it is not a regular file", where)
            return None
        data = b""
        if st.st_size <= MAX_FILE_BYTES:
            with open(file, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)  # a file that grew since is still cut off
        if st.st_size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
            diagnostics.error(
                "SG217",
                f"the file is {max(st.st_size, len(data)) / 1e6:.1f} MB; a content file may be at most "
                f"{MAX_FILE_BYTES / 1e6:g} MB",
                where,
                "split it into several pages or posts; put large data files in content/static/",
            )
            return None
        text = data.decode("utf-8-sig")
        return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text  # as text mode
    except UnicodeDecodeError as exc:
        diagnostics.error(
            "SG201",
            f"the file is not UTF-8 text (byte {exc.start})",
            SourceLocation(relative_to(file, site_dir)),
            "save the file as UTF-8 in your editor",
        )
    except OSError as exc:
        diagnostics.error(
            "SG201", f"cannot read the file: {exc.strerror}", SourceLocation(relative_to(file, site_dir))
        )
    return None


def _leads_outside(file: Path, site_dir: Path) -> str:
    """Where a file of content/ really is when a link takes it outside the site folder; "" otherwise
    (files outside content/, such as the shipped themes' catalogues, are not this rule's)."""
    base = os.path.abspath(site_dir)
    path = os.path.abspath(file)
    if not path.startswith(os.path.join(base, "content") + os.sep):
        return ""
    if ".." not in Path(file).parts:
        # only a link between the site folder and the file can lead outside: look at those few
        # (content/, posts/, the file) instead of resolving both whole paths from the root
        below, current = path[len(base) + 1 :].split(os.sep), base
        for part in below:
            current = os.path.join(current, part)
            if os.path.islink(current):
                break
        else:
            return ""
    real, root = os.path.realpath(file), os.path.realpath(site_dir)
    return "" if real.startswith(root + os.sep) else real


def read_yaml(file: Path, site_dir: Path, diagnostics: Diagnostics) -> Any:
    """A whole-YAML file (site.yaml, faq.yaml, locations); None after reporting a problem."""
    text = read_text(file, site_dir, diagnostics)
    if text is None:
        return None
    return parse_yaml(text, relative_to(file, site_dir), diagnostics)


def parse_yaml(text: str, src_path: str, diagnostics: Diagnostics, line_offset: int = 0) -> Any:
    """Parse YAML, turning a syntax error into a located diagnostic (and None)."""
    try:
        return load_yaml(text, line_offset)
    except YamlSyntaxError as exc:
        diagnostics.error(
            exc.code,
            exc.message,
            SourceLocation(src_path, exc.line),
            exc.hint
            or "check the indentation and quotes on this line and the one above; "
            "text containing ': ' or starting with a special character needs quotes",
        )
        return None


def split_front_matter(text: str, src_path: str, diagnostics: Diagnostics) -> tuple[Any, str, int] | None:
    """Return (front matter, body, body's first line) or None after reporting."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        diagnostics.error(
            "SG210",
            "the file does not start with front matter",
            SourceLocation(src_path, 1),
            "begin the file with a line `---`, the fields (e.g. `title: ...`), then another `---`",
        )
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            break
    else:
        diagnostics.error(
            "SG210",
            "the front matter is never closed",
            SourceLocation(src_path, 1),
            "add a line `---` after the last field, before the text",
        )
        return None
    before = len(diagnostics.errors)
    meta = parse_yaml("".join(lines[1:index]), src_path, diagnostics, line_offset=1)
    if len(diagnostics.errors) > before:
        return None
    if meta is None:
        meta = LocatedDict()
        meta.line, meta.key_lines = 1, {}
    return meta, "".join(lines[index + 1 :]), index + 2


def discover(site_dir: Path, diagnostics: Diagnostics) -> list[RawDocument]:
    """Every document of every collection, in a stable order (sorted by path)."""
    documents = [
        read_document(kind, file, site_dir, diagnostics) for kind, file in list_sources(site_dir, diagnostics)
    ]
    return [doc for doc in documents if doc is not None]


def list_sources(site_dir: Path, diagnostics: Diagnostics) -> list[tuple[str, Path]]:
    """(kind, file) of every document, sorted by path; files with the wrong suffix are warned about.
    Separate from reading so the build cache can skip reading and parsing unchanged files."""
    content = site_dir / "content"
    found = []
    for kind, suffix in COLLECTIONS.items():
        folder = content / kind
        if not folder.is_dir():
            continue
        with os.scandir(
            folder
        ) as entries:  # not Path.iterdir: the file type comes with the listing, no stat per file
            names = sorted(
                entry.name for entry in entries if not entry.name.startswith(".") and not entry.is_dir()
            )
        listed = _documents_in(kind, suffix, folder, tuple(names))
        for name in listed[1]:
            diagnostics.warn(
                "SG211",
                f"ignored: {kind}/ holds {suffix} files",
                SourceLocation(relative_to(folder / name, site_dir)),
                f"rename it to end in {suffix}, or move it out of content/{kind}/",
            )
        found += listed[0]
    return found


# kept by the folder and the names in it, for the folders of a few sites (a process building many, the
# tests): the dev server lists 10,000 files after every save, and the same Path objects (which keep their
# text) make naming them cheaper too
@lru_cache(maxsize=64)
def _documents_in(
    kind: str, suffix: str, folder: Path, names: tuple[str, ...]
) -> tuple[tuple[tuple[str, Path], ...], tuple[str, ...]]:
    """(kind, file) of each document among `names`, and the names with the wrong suffix."""
    found, wrong = [], []
    for name in names:
        stem, dot, ending = name.rpartition(".")
        if not dot:
            stem, ending = name, ""
        if "." in stem:  # botox.es.md: a translation (see translations.py), never a document of its own
            continue
        if "." + ending != suffix:
            wrong.append(name)
            continue
        found.append((kind, folder / name))
    return tuple(found), tuple(wrong)


def read_document(kind: str, file: Path, site_dir: Path, diagnostics: Diagnostics) -> RawDocument | None:
    """One document split into front matter and body (Markdown) or parsed whole (YAML); None after
    reporting."""
    src_path = relative_to(file, site_dir)
    if COLLECTIONS[kind] == ".md":
        text = read_text(file, site_dir, diagnostics)
        split = None if text is None else split_front_matter(text, src_path, diagnostics)
        if split is None:
            return None
        meta, body, body_line = split
        return RawDocument(kind, src_path, file.stem, meta, body, body_line)
    before = len(diagnostics.errors)
    meta = read_yaml(file, site_dir, diagnostics)
    return RawDocument(kind, src_path, file.stem, meta) if len(diagnostics.errors) == before else None
