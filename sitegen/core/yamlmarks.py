"""YAML that remembers where every key and item came from, and what was written.

`load_yaml` gives `LocatedDict`/`LocatedList` values carrying the line of each key and item, and the
text as written of every unquoted value YAML 1.1 read as a number or true/false (`source_of`). A
syntax error, or nesting deeper than `MAX_DEPTH` (SG219), raises a located `YamlSyntaxError`.
Why, and the defences: docs/architecture.md ("core/yamlmarks.py"), docs/security.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import yaml

T = TypeVar("T")


class LocatedDict(dict):
    """A mapping from YAML with the 1-based line of itself (`line`) and of each key (`key_lines`), and
    the text as written of the values (`sources`) and keys (`key_sources`) that YAML read as a number
    or true/false (see `_written`). An unquoted key YAML 1.1 reads as true/false (`Yes:`, `no:`) is
    kept as its text. A copy (`LocatedDict(other)`) keeps the written texts, not the lines."""

    line: int = 0
    key_lines: dict[Any, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if args and isinstance(args[0], LocatedDict):
            self.sources = dict(args[0].sources)
            self.key_sources = dict(args[0].key_sources)
        else:
            self.sources, self.key_sources = {}, {}

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)

    def source_of(self, key: Any) -> str | None:
        """The unquoted text written for the value of `key`, if YAML read it as anything but text."""
        return self.sources.get(key)


class LocatedList(list):
    """A sequence from YAML with the 1-based line of itself and of each item, and the text as written
    of the items YAML read as a number or true/false (`item_sources`, None for the others)."""

    line: int = 0
    item_lines: list[int]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        if args and isinstance(args[0], LocatedList):
            self.item_sources = list(args[0].item_sources)
        else:
            self.item_sources = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line

    def source_of(self, index: int) -> str | None:
        return self.item_sources[index] if index < len(self.item_sources) else None


MAX_DEPTH = 50  # levels of lists and mappings inside one another; front matter needs two or three


class _TooDeep(yaml.MarkedYAMLError):
    """More than MAX_DEPTH levels; raised while composing (pure-Python parser) or constructing."""


def _deeper(loader: Any, mark: Any) -> None:
    """Count one level down; past MAX_DEPTH, stop at `mark` (the level's start)."""
    loader.depth = getattr(loader, "depth", 0) + 1
    if loader.depth > MAX_DEPTH:
        raise _TooDeep(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)


class _Loader(yaml.SafeLoader):
    """SafeLoader (no arbitrary objects) that builds Located containers and keeps dates as text.

    Dates stay text so that the schema, which knows which fields are dates, parses them and reports a
    bad one with its line; YAML 1.1's implicit timestamps would otherwise turn `2025-02-30` into a
    confusing constructor error.
    """

    line_offset = 0
    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """PyYAML's recursive composer, refusing lists and mappings nested past MAX_DEPTH."""
        if not self.check_event(yaml.CollectionStartEvent):
            return super().compose_node(parent, index)
        _deeper(self, self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# YAML 1.2 core schema: the only unquoted texts that are numbers
YAML12_INT = re.compile(r"^[-+]?[0-9]+$")
YAML12_OCT = re.compile(r"^0o[0-7]+$")
YAML12_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
YAML12_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_RETYPED = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"}


def _written(node: yaml.Node) -> str | None:
    """The text of an unquoted scalar that YAML 1.1 read as a number or true/false, or that YAML 1.2
    reads as a number (`1e3`, `0o17`); None otherwise."""
    if not isinstance(node, yaml.ScalarNode) or node.style:
        return None
    if node.tag in _RETYPED:
        return node.value
    if node.tag == "tag:yaml.org,2002:str" and (
        YAML12_FLOAT.match(node.value) or YAML12_OCT.match(node.value)
    ):
        return node.value
    return None


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LocatedDict:
    return _one_level_deeper(loader, node, _mapping)


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    return _one_level_deeper(loader, node, _sequence)


def _one_level_deeper(loader: _Loader, node: Any, construct: Callable[[_Loader, Any], T]) -> T:
    """`construct(loader, node)` for a mapping or list inside the current one; nesting too deep is
    refused (`_deeper`)."""
    _deeper(loader, node.start_mark)
    try:
        return construct(loader, node)
    finally:
        loader.depth -= 1


def _line(loader: _Loader, node: yaml.Node) -> int:
    """The line a node starts on in the file (1-based; front matter counted)."""
    return node.start_mark.line + 1 + loader.line_offset


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = _line(loader, node)
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, bool) and _written(key_node) is not None:
            key = key_node.value  # a name, as in YAML 1.2: `Yes:` and `On:` are two keys, not true twice
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark
            )
        if key in result.key_lines:
            raise yaml.constructor.ConstructorError(
                None, None, f'the key "{key}" appears twice', key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = _line(loader, key_node)
        if (written := _written(value_node)) is not None:
            result.sources[key] = written
        if (written := _written(key_node)) is not None:
            result.key_sources[key] = written
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = _line(loader, node)
    result.item_lines = [_line(loader, child) for child in node.value]
    result.item_sources = [_written(child) for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """The same constructors over libyaml's C parser: about seven times faster on front matter.
    Values are identical (the resolver and constructors are the same Python code)."""

    line_offset = 0
    depth = 0


_FastLoader.yaml_constructors = dict(_Loader.yaml_constructors)


class YamlSyntaxError(Exception):
    """Malformed YAML: a message a person can act on, the line it is on, and a hint when the cause is
    known (empty otherwise)."""

    def __init__(self, message: str, line: int, hint: str = "", code: str = "SG201"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint
        self.code = code  # SG201 (not valid YAML) or SG219 (nested too deep)


DEPTH_HINT = (
    "lists and mappings this deep are a mistake (or an attack): write the value flat, e.g. "
    "`tags: [skin care, peels]`"
)


def _depth_of(text: str) -> str:
    """How deep the text nests, for the message: counted over the parser's events (not recursive)."""
    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return f"more than {max(deepest, MAX_DEPTH)} levels deep"  # libyaml stops counting at 1,000
    return f"{deepest} levels deep"


def _too_deep(text: str, exc: yaml.MarkedYAMLError, line_offset: int) -> YamlSyntaxError:
    line = (exc.problem_mark.line + 1 if exc.problem_mark else 1) + line_offset
    return YamlSyntaxError(
        f"lists and mappings are nested {_depth_of(text)}; at most {MAX_DEPTH}", line, DEPTH_HINT, "SG219"
    )


TAB_HINT = "replace the tab with spaces (two per level, lined up with the lines above)"


def _tab_on(text: str, index: int) -> str:
    """What is wrong with line `index` (0-based) of `text` if a tab is: "" when it holds none."""
    lines = text.splitlines()
    line = lines[index] if 0 <= index < len(lines) else ""
    if line[: len(line) - len(line.lstrip(" \t"))].count("\t"):
        return "this line is indented with a tab; YAML needs spaces"
    if "\t" in line:
        return "this line has a tab where YAML needs a space"
    return ""


def load_yaml(text: str, line_offset: int = 0) -> Any:
    """Parse YAML text; lines in marks and errors are shifted by `line_offset` (for front matter).

    The C parser reads valid YAML; text it rejects is parsed again by the pure-Python one, whose
    messages (and the lines they name) are the ones users and tests know.
    """
    if hasattr(yaml, "CSafeLoader"):
        fast = _FastLoader(text)
        fast.line_offset = line_offset
        try:
            return fast.get_single_data()
        except _TooDeep as exc:
            raise _too_deep(text, exc, line_offset) from None
        except yaml.YAMLError:
            pass
        finally:
            fast.dispose()
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # checked before parsing: characters YAML does not allow
        line = text[: exc.position].count("\n") + 1 + line_offset
        raise YamlSyntaxError(
            f"invalid YAML: the text contains a control character (#x{exc.character:04x})"
            if isinstance(exc.character, int)
            else f"invalid YAML: {exc.reason}",
            line,
        ) from None
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    except _TooDeep as exc:
        raise _too_deep(text, exc, line_offset) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        said = f"{exc.problem} {exc.context}"
        if "\t" in said or "'\\t'" in said or "tab" in said:
            tab = _tab_on(text, line - 1 - line_offset)
            if tab:  # PyYAML says "found character '\t' that cannot start any token"
                raise YamlSyntaxError(f"invalid YAML: {tab}", line, TAB_HINT) from None
        problem = exc.problem or exc.context or "is not valid YAML"
        if exc.context and exc.context_mark and exc.context_mark.line + 1 + line_offset != line:
            # where the unclosed bracket or quote began is usually where the mistake is
            problem += (
                f" ({exc.context.removeprefix('while ')} that starts on line "
                f"{exc.context_mark.line + 1 + line_offset})"
            )
        raise YamlSyntaxError(f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        raise YamlSyntaxError(f"invalid YAML: {exc}", 1 + line_offset) from None
    finally:
        loader.dispose()
