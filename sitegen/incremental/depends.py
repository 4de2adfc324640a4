"""What a page was rendered from, recorded while rendering: its context's hash, the templates it loaded,
and each read of `site` with its answer's hash; a rebuild reuses the page when all are unchanged.

How and why: docs/performance.md, "What a page is made from".
"""

from __future__ import annotations

import hashlib
from typing import Any

import jinja2

from sitegen.incremental.digests import NO_DOCUMENTS, Digester, NotDigestible, _shown_fields


class ValueView:
    """A `SHALLOW` value in a page's context as its template sees it: reading a field the context's
    hash left out (or the value whole: printed, compared) is noted, with the answer's hash."""

    __slots__ = ("_reads", "_shown", "_value", "_where")

    def __init__(
        self, value: Any, shown: tuple[str, ...], where: tuple[str, int | None], reads: dict[str, list]
    ) -> None:
        self._value, self._shown, self._where, self._reads = value, shown, where, reads

    def _note(self, name: str) -> None:
        key = repr((self._where, name))
        if key not in self._reads:
            self._reads[key] = [self._where[0], self._where[1], name]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name not in self._shown:
            self._note(name)
        return getattr(self._value, name)

    def __eq__(self, other: object) -> bool:
        self._note("*")
        return bool(self._value == (other._value if isinstance(other, ValueView) else other))

    def __hash__(self) -> int:
        self._note("*")
        return hash(self._value)

    def __str__(self) -> str:
        self._note("*")
        return str(self._value)

    __repr__ = __str__


def view_context(context: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    """`context` with each `SHALLOW` value (at the top, or in a top-level list) behind a `ValueView`,
    and the dict the views note their reads into: [context key, index or None, field]."""
    reads: dict[str, list] = {}

    def wrap(value: Any, where: tuple[str, int | None]) -> Any:
        shown = _shown_fields(type(value), True)
        return ValueView(value, shown, where, reads) if shown else value

    viewed: dict[str, Any] = {}
    for key, value in context.items():
        if type(value) in (list, tuple) and any(_shown_fields(type(item), True) for item in value):
            viewed[key] = type(value)(wrap(item, (key, index)) for index, item in enumerate(value))
        else:
            viewed[key] = wrap(value, (key, None))
    return viewed, reads


def read_answer(digester: Digester, context: dict[str, Any], read: list) -> str:
    """The hash of what a noted read of a context value gives in `context` (see `ValueView`)."""
    key, index, name = read[0], read[1], read[2]
    try:
        value = context[key] if index is None else context[key][index]
        return digester.of(value if name == "*" else getattr(value, name))
    except NotDigestible:
        return "not digestible"
    except Exception as exc:  # the same read failing the same way is the same answer
        return f"error:{type(exc).__name__}"


def _answer(digester: Digester, site: Any, note: list) -> str:
    """Ask a recorded question of `site` again: the answer's hash (or length, or truth)."""
    op, name, arg = note[0], note[1], note[2]
    try:
        value = getattr(site, name)
        if op == "attr":
            return digester.of(value)
        if op == "len":
            return str(len(value))
        if op == "bool":
            return str(bool(value))
        if op == "all":
            return digester.of(value)
        if op == "item":
            return digester.of(value[arg])
        if op == "slice":
            return digester.of(value[slice(*arg)])
        if op == "call":
            return digester.of(value(*arg))
        if op == "site":
            return digester.of(site)
    except NotDigestible:
        raise
    except Exception as exc:  # the same question failing the same way is the same answer
        return f"error:{type(exc).__name__}"
    raise NotDigestible(f"unknown note {op}")


class SiteView:
    """`site` as a template sees it while its page is recorded: every read is noted with its answer."""

    __slots__ = ("_answers", "_digester", "_notes", "_site")
    view_of_the_site = True  # never hashed into a page's context (digests.Digester refuses it)

    def __init__(
        self, site: Any, digester: Digester, answers: dict[str, tuple[str, frozenset[str]]] | None = None
    ) -> None:
        self._site, self._digester = site, digester
        self._answers = answers if answers is not None else {}  # shared by the pages of a build
        self._notes: dict[str, list] = {}

    def _note(self, op: str, name: str, arg: Any = None) -> None:
        note = [op, name, arg]
        key = repr(note)
        if key not in self._notes:
            answered(self._answers, key, self._digester, self._site, note)
            self._notes[key] = note + [self._answers[key][0]]

    def notes(self) -> list[list]:
        """What was read, in order: [question, name, argument, answer]."""
        return list(self._notes.values())

    def documents(self) -> list[frozenset[str]]:
        """The documents the answers were made from (see `Digester.collect`)."""
        return [docs for docs in (self._answers[key][1] for key in self._notes) if docs]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self._site, name)
        if callable(value) and getattr(value, "__self__", None) is self._site:
            return _Method(self, name, value)
        if isinstance(value, (tuple, list)):
            return SequenceView(self, name, value)
        self._note("attr", name)
        return value

    def __str__(self) -> str:
        self._note("site", "config")
        return str(self._site)

    __repr__ = __str__


def answered(
    memo: dict[str, tuple[str, frozenset[str]]], key: str, digester: Digester, site: Any, note: list
) -> str:
    """`_answer`, asked once per build for each question (`key`: the note's repr), with its documents."""
    if key not in memo:
        try:
            memo[key] = digester.collect(lambda: _answer(digester, site, note))
        except NotDigestible:
            memo[key] = ("not digestible", NO_DOCUMENTS)
    return memo[key][0]


class _Method:
    __slots__ = ("_method", "_name", "_view")

    def __init__(self, view: SiteView, name: str, method: Any) -> None:
        self._view, self._name, self._method = view, name, method

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs and all(type(a) in (str, int, float, bool, type(None)) for a in args):
            self._view._note("call", self._name, list(args))
        else:  # arguments that cannot be written down: the page depends on the whole site
            self._view._note("site", "config")
        return self._method(*(_unwrap(a) for a in args), **{k: _unwrap(v) for k, v in kwargs.items()})


def _unwrap(value: Any) -> Any:
    if isinstance(value, SequenceView):
        value._all()
        return value._seq
    if isinstance(value, SiteView):
        value._note("site", "config")
        return value._site
    return value


class SequenceView:
    """A collection of the site (`site.posts`): its length, truth, items and slices are noted apart."""

    __slots__ = ("_name", "_seq", "_view")
    view_of_the_site = True

    def __init__(self, view: SiteView, name: str, seq: Any) -> None:
        self._view, self._name, self._seq = view, name, seq

    def _all(self) -> None:
        self._view._note("all", self._name)

    def __len__(self) -> int:
        self._view._note("len", self._name)
        return len(self._seq)

    def __bool__(self) -> bool:
        self._view._note("bool", self._name)
        return bool(self._seq)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice) and all(
            type(x) in (int, type(None)) for x in (key.start, key.stop, key.step)
        ):
            self._view._note("slice", self._name, [key.start, key.stop, key.step])
        elif type(key) is int:
            self._view._note("item", self._name, key)
        else:
            self._all()
        return self._seq[key]

    def __iter__(self) -> Any:
        self._all()
        return iter(self._seq)

    def __reversed__(self) -> Any:
        self._all()
        return reversed(self._seq)

    def __contains__(self, item: Any) -> bool:
        self._all()
        return _unwrap(item) in self._seq

    def __eq__(self, other: object) -> bool:
        self._all()
        return self._seq == _unwrap(other)

    __hash__ = None  # type: ignore[assignment]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        self._all()
        return getattr(self._seq, name)

    def __str__(self) -> str:
        self._all()
        return str(self._seq)


def record_templates(env: jinja2.Environment) -> list[str]:
    """Make `env` note the name of every template it hands out; returns the (shared) list of names.

    Idempotent: an environment is wrapped once and keeps noting into the same list.
    """
    names: list[str] | None = getattr(env, "_sitegen_loaded", None)
    if names is not None:
        return names
    names = []
    get_template, select_template = env.get_template, env.select_template

    def noting_get(name: Any, parent: Any = None, globals: Any = None) -> Any:
        template = get_template(name, parent, globals)
        names.append(template.name or str(name))
        return template

    def noting_select(candidates: Any, parent: Any = None, globals: Any = None) -> Any:
        template = select_template(candidates, parent, globals)
        names.append(template.name or "")
        return template

    env.get_template = noting_get  # type: ignore[method-assign]
    env.select_template = noting_select  # type: ignore[method-assign]
    env._sitegen_loaded = names  # type: ignore[attr-defined]
    return names


def template_digest(env: jinja2.Environment, name: str, memo: dict[str, str]) -> str:
    """The hash of the source that `name` resolves to now (site templates shadow the theme's)."""
    if name not in memo:
        try:
            source = env.loader.get_source(env, name)[0] if env.loader else ""  # type: ignore[union-attr]
            memo[name] = hashlib.blake2b(f"{name}\0{source}".encode(), digest_size=16).hexdigest()
        except jinja2.TemplateNotFound:
            memo[name] = "missing"
    return memo[name]
