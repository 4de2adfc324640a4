"""Values hashed by content: a page's context, a model, a list of settings, the same in every process."""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
from collections.abc import Callable
from datetime import date, datetime, time
from enum import Enum
from pathlib import PurePath
from typing import Any

NO_DOCUMENTS: frozenset[str] = frozenset()


class NotDigestible(Exception):
    """A value whose content cannot be hashed reliably."""


# Types hashed, inside a page's context, by the fields named here only; reading any other field
# through the page's `ValueView` is noted (see the module's docstring). Keyed by module.qualname.
SHALLOW: dict[str, tuple[str, ...]] = {"sitegen.site.assembly.Tag": ("name", "slug", "url")}


class Digester:
    """Hashes values by content, remembering the hash of each dataclass object for the whole build.

    `known` maps a document's source file to its loaded model and content key: that very model is
    hashed by the key. A `shallow` digester hashes the types of `SHALLOW` by their shown fields only.
    Why this is exact: docs/performance.md ("incremental/digests.py").
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
        """The hash of `head` and the (name, value) pairs of a page's context, in one pass, and the
        documents each value met (`collect`), as the shared sets they are.

        A value that is the very object hashed last under its name (`last`, which keeps it alive) is fed as
        that hash; scalars are fed as they are.
        """
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
        elif getattr(t, "view_of_the_site", False):  # depends.SiteView, depends.SequenceView
            raise NotDigestible("a view of the site inside a page's context")
        else:
            raise NotDigestible(f"a {t.__qualname__}")

    @staticmethod
    def _plain(h: Any, v: Any) -> bool:
        """Feed a list, tuple or dict of plain values (str, int, float, bool, None and such containers) in
        one marshal call; False when `v` holds anything else (subclasses too) or a set, whose marshalled
        order changes between processes.
        """
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
