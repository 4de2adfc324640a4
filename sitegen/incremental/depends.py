"""What a page was rendered from, recorded while rendering, so a rebuild can tell whether it may be reused.

A page's output is a function of three things, and each is checked:
- its context (the models, menus and values the plan hands its template): hashed by value, with
  each document model named by its source file's hash, so checking 10,000 pages stays cheap;
- the templates loaded while rendering it, extended and imported ones included: noted by wrapping the
  environment's `get_template`, which Jinja calls for every `extends`, `include` and `import` even when
  the template is already compiled, and hashed by source;
- what it read from `site`, the whole site every template may reach: the template gets a `SiteView`
  that notes each read (`site.locations`, the length of `site.posts`, `site.posts[:3]`, a call such
  as `site.get('pages', 'privacy')`) with a hash of the answer. On the next build the notes are asked
  again of the new site; a page that only tested `site.tags` for emptiness is not re-rendered because
  a tag's posts changed.
A value a page's context shares with many pages is hashed by what the page shows of it: a post page
lists its topics, and a topic (`Tag`) holds all its posts, so hashing the topics whole would re-render
every post sharing a topic with an edited one. A `Tag` in a context is hashed by its name, slug and
address (`SHALLOW`); the template gets it through a `ValueView` that notes any other read (a theme
showing `tag.posts | length`) with the answer's hash, asked again of the new context next build.
Anything that cannot be hashed (an unknown kind of object in a context) makes the page uncacheable:
it is simply rendered every time. Being unsure costs time, never correctness.

While hashing, the source file of every model met is noted (`Digester.collect`): a page's record
names the documents it was made from, so that after an edit of a document's text alone the pages
made from other documents are kept without even building their contexts (`reuse.PageReuse.keep`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
from collections.abc import Callable
from datetime import date, datetime, time
from enum import Enum
from pathlib import PurePath
from typing import Any

import jinja2

NO_DOCUMENTS: frozenset[str] = frozenset()


class NotDigestible(Exception):
    """A value whose content cannot be hashed reliably."""


# Types hashed, inside a page's context, by the fields named here only; reading any other field
# through the page's `ValueView` is noted (see the module's docstring). Keyed by module.qualname.
SHALLOW: dict[str, tuple[str, ...]] = {"sitegen.site.assembly.Tag": ("name", "slug", "url")}


class Digester:
    """Hashes values by content, remembering the hash of each dataclass object for the whole build.

    `known` maps a document's source file to its loaded model and the content key of the file: that
    very model is hashed by the key. Models are memoised by (type, source file), checked to be the same
    object; other dataclass values are hashed each time they are met (they are small).
    A `shallow` digester hashes the types of `SHALLOW` by their shown fields only (page contexts).
    """

    def __init__(self, known: dict[str, tuple[Any, str]] | None = None, shallow: bool = False) -> None:
        self._known = known or {}
        self._memo: dict[tuple[type, str], tuple[Any, bytes, frozenset[str]]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}
        self._shallow = shallow
        self._collect: set[str] | None = None  # the documents met by the hash being made, when someone asks

    def collect(self, compute: Callable[[], Any]) -> tuple[Any, frozenset[str]]:
        """`compute()` (which hashes with this digester) and the documents its hashes met: the source
        path of every model hashed, nested ones too. A page records them, so that an edit of a
        document's text alone re-checks only the pages made from it (see `reuse.PageReuse.keep`)."""
        outer, self._collect = self._collect, set()
        mine = self._collect
        try:
            result = compute()
        finally:
            self._collect = outer
        if outer is not None:
            outer |= mine
        return result, frozenset(mine) if mine else NO_DOCUMENTS

    def shallow(self) -> Digester:
        """A digester for page contexts: the same content keys, `SHALLOW` types hashed by their shown
        fields."""
        return Digester(self._known, shallow=True)

    def of(self, value: Any) -> str:
        h = hashlib.blake2b(digest_size=16)
        self._feed(h, value)
        return h.hexdigest()

    def of_named(
        self, head: Any, named: Any, last: dict[str, tuple[Any, bytes, frozenset[str]]]
    ) -> tuple[str, list[frozenset[str]]]:
        """The hash of `head` and the (name, value) pairs of a page's context, in one pass.

        Every page's context holds the same `config`, `menu`, `footer_links` and `program` objects:
        a value that is the very object hashed last under its name is fed as that hash, so each is
        hashed once, not 10,000 times (`last` keeps the object alive, so its id is not reused;
        values are never changed during a build). Scalars are fed as they are.
        Also returns the documents each value met (`collect`), as the shared sets they are."""
        h = hashlib.blake2b(digest_size=16)
        self._feed(h, head)
        parts = []
        for name, value in named:
            self._feed(h, name)
            t = type(value)
            if value is None or t is str or t is int or t is bool:
                self._feed(h, value)
                continue
            seen = last.get(name)
            if seen is None or seen[0] is not value:
                inner = hashlib.blake2b(digest_size=16)
                _, docs = self.collect(lambda inner=inner, value=value: self._feed(inner, value))
                seen = last[name] = (value, inner.digest(), docs)
            h.update(b"H")
            h.update(seen[1])
            if seen[2]:
                parts.append(seen[2])
        return h.hexdigest(), parts

    def _feed(self, h: Any, v: Any) -> None:
        t = type(v)
        if v is None:
            h.update(b"N;")
        elif t is str:
            data = v.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(data))
            h.update(data)
        elif t is bool:
            h.update(b"T;" if v else b"F;")
        elif t is int:
            h.update(b"i%d;" % v)
        elif t is float:
            h.update(b"f" + repr(v).encode() + b";")
        elif hasattr(t, "__dataclass_fields__"):  # an instance (a class's type is `type`)
            h.update(self._dataclass(v))
        elif (t is list or t is tuple or t is dict) and self._plain(h, v):
            pass
        elif isinstance(v, (list, tuple)):
            h.update(b"L%s:%d:" % (t.__qualname__.encode(), len(v)))
            for item in v:
                self._feed(h, item)
        elif isinstance(v, dict):
            h.update(b"D%s:%d:" % (t.__qualname__.encode(), len(v)))
            for key, item in v.items():
                self._feed(h, key)
                self._feed(h, item)
        elif isinstance(v, str):  # Markup, Colour, ...
            h.update(b"S" + t.__qualname__.encode() + b":")
            self._feed(h, str(v))
        elif isinstance(v, Enum):
            h.update(b"E" + t.__qualname__.encode() + b":")
            self._feed(h, v.value)
        elif isinstance(v, (date, datetime, time)):
            h.update(b"d" + t.__qualname__.encode() + v.isoformat().encode() + b";")
        elif isinstance(v, (set, frozenset)):
            h.update(b"Z%d:" % len(v))
            for part in sorted(self.of(item) for item in v):
                h.update(part.encode())
        elif isinstance(v, PurePath):
            h.update(b"P")
            self._feed(h, v.as_posix())
        elif isinstance(v, (SiteView, SequenceView)):
            raise NotDigestible("a view of the site inside a page's context")
        else:
            raise NotDigestible(f"a {t.__qualname__}")

    @staticmethod
    def _plain(h: Any, v: Any) -> bool:
        """Feed a list, tuple or dict of plain values (str, int, float, bool, None and such containers:
        JSON-LD, breadcrumbs) in one C call: marshal (format 2: no references, so the same value gives
        the same bytes in every process) refuses every other type, subclasses too (Markup, Colour).
        Sets marshal in an order that changes between processes: output with a set type code ('<'
        or '>', bytes that may also come from text) is not used, so a value never hashes two ways."""
        try:
            data = marshal.dumps(v, 2)
        except ValueError:
            return False
        if b"<" in data or b">" in data:
            return False
        h.update(b"M%d:" % len(data))
        h.update(data)
        return True

    def _dataclass(self, v: Any) -> bytes:
        t = type(v)
        source = getattr(v, "src_path", None)
        memo_key = (t, source) if type(source) is str and source else None
        if memo_key is not None:
            seen = self._memo.get(memo_key)
            if seen is not None and seen[0] is v:
                if self._collect is not None:
                    self._collect |= seen[2]
                return seen[1]
        h = hashlib.blake2b(digest_size=16)
        h.update(b"C" + t.__module__.encode() + b"." + t.__qualname__.encode() + b":")
        known = self._known.get(source) if memo_key is not None else None
        if known is not None and known[0] is v:
            # a document's model: named by its file's hash, and it is the one document it is made from
            h.update(b"source:" + known[1].encode())
            docs = frozenset((source,))
            if self._collect is not None:
                self._collect.add(source)
        else:
            _, docs = self.collect(lambda: self._fields_digest(h, v))
        found = h.digest()
        if memo_key is not None:
            self._memo[memo_key] = (v, found, docs)
        return found

    def _fields_digest(self, h: Any, v: Any) -> None:
        t = type(v)
        source = getattr(v, "src_path", None)
        if type(source) is str and source:  # a model made from a document (a campaign with its status...)
            self._collect.add(source)  # type: ignore[union-attr] - `collect` set it
        names = self._fields.get(t)
        if names is None:
            names = self._fields[t] = _shown_fields(t, self._shallow) or tuple(
                f.name for f in dataclasses.fields(v)
            )
        for name in names:
            h.update(name.encode() + b"=")
            self._feed(h, getattr(v, name))


def _shown_fields(t: type, shallow: bool) -> tuple[str, ...]:
    return SHALLOW.get(f"{t.__module__}.{t.__qualname__}", ()) if shallow else ()


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
