"""The dev server's shortcut for an edit of documents: the last build's sites and page plans with the
edited models in place of the old ones (and their own pages planned again), instead of assembling and
planning every document again. Only kinds the site holds as loaded (`Kind.previewable`) are swapped.

How and why: docs/performance.md, "The dev server's model swap".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sitegen.content.kinds import PREVIEWABLE
from sitegen.render import pages
from sitegen.render.editions import Edition, link_editions
from sitegen.site.assembly import Site, Tag

SWAPPABLE = PREVIEWABLE  # kinds whose edits the dev server shows before the whole site


@dataclass
class Structure:
    """What the last good build assembled and planned, kept by the dev server for the next edit."""

    sites: dict[str, Site]  # per language
    editions: list[Edition]
    models: dict[str, Any]  # per source file, the model the site was assembled from


def swapped(
    structure: Structure | None,
    loaded: list[Any],
    edited: frozenset[str],
    kept: Callable[[Any], bool] = lambda plan: False,
) -> tuple[dict[str, Site], list[Edition]] | None:
    """The last build's sites and editions with the edited documents' models replaced, or None when an
    edited document is of a kind the site does not hold as loaded. A plan whose page will be `kept` as
    the last build made it (not made from an edited document, see `reuse.PageReuse.keep`) is left as it
    was: its context is never built, and swapping 10,000 contexts was a fifth of the rebuild."""
    if structure is None:
        return None
    table: Table = {}
    for doc in loaded:
        if doc.raw.src_path in edited:
            old = structure.models.get(doc.raw.src_path)
            if old is None or doc.kind not in SWAPPABLE:
                return None
            table[_key(old)] = (old, doc.model)
    if len(table) != len(edited):
        return None
    sites = {lang: _site(site, table) for lang, site in structure.sites.items()}
    editions = [
        dataclasses.replace(
            edition,
            plans=[
                plan if kept(plan) else _plan(plan, table, sites[edition.lang], edition.catalogue)
                for plan in edition.plans
            ],
            others={},
        )
        for edition in structure.editions
    ]
    return sites, link_editions(editions)


def _site(site: Site, table: Table) -> Site:
    tags = []
    for tag in site.tags:
        posts = _swap(tag.posts, table)
        if posts is not tag.posts:
            table[_key(tag)] = (tag, Tag(tag.name, tag.slug, tag.url, posts))  # pages show topics too
        tags.append(_swap(tag, table))
    return dataclasses.replace(
        site,
        home=_swap(site.home, table),
        pages=_swap(site.pages, table),
        services=_swap(site.services, table),
        providers=_swap(site.providers, table),
        posts=_swap(site.posts, table),
        tags=tuple(tags),
        by_slug=_swap(site.by_slug, table),
    )


def _plan(plan: Any, table: Table, site: Site, catalogue: Any) -> Any:
    """The plan with the new models in its context; an edited document's own page planned again, since
    its title, description, picture and date are the plan's own (an edit that is not of texts alone)."""
    context = _swap(plan.context, table)
    if context is plan.context:
        return plan
    for key in OWN_PAGE:
        model = context.get(key)
        if model is not plan.context.get(key) and getattr(model, "url", None) == plan.url:
            replanned = pages.document_plan(site, model, catalogue)
            if replanned is not None and replanned.url == plan.url:
                replanned.prefix = plan.prefix
                return replanned
    return dataclasses.replace(plan, context=context)


OWN_PAGE = ("page", "post", "service", "provider")  # the key of a document's own model in its page's context


def _key(value: Any) -> tuple[type, str] | None:
    """What names a replaceable value: a document's model by its source file, a topic by its address."""
    name = getattr(value, "src_path", None) or getattr(value, "url", None)
    return (type(value), name) if type(name) is str and name else None


def _replacement(value: Any, table: Table) -> Any:
    """The new object for `value` when the table replaces that very object, else None."""
    entry = table.get(_key(value)) if hasattr(value, "__dataclass_fields__") else None
    return entry[1] if entry is not None and entry[0] is value else None


def _swap(value: Any, table: Table) -> Any:
    """`value` with every object of `table` replaced, inside lists, tuples and dicts; the same object
    when nothing in it was replaced."""
    found = _replacement(value, table)
    if found is not None:
        return found
    kind = type(value)
    if kind is list or kind is tuple:
        if _untouched(value, table):
            return value  # the usual case, found without a call per item: 10,000 pages, 8,000 posts
        items = [_swap(item, table) for item in value]
        return value if all(new is old for new, old in zip(items, value)) else kind(items)
    if kind is dict:
        if _untouched(value.values(), table):
            return value  # `by_slug`: 10,000 documents
        entries = None
        for key, item in value.items():
            new = _swap(item, table)
            if new is not item:
                entries = entries or dict(value)
                entries[key] = new
        return value if entries is None else entries
    return value


def _untouched(items: Any, table: Table) -> bool:
    """Whether none of `items` is a container or an object the table replaces (`_replacement`: the
    very object, which the table holds), found without a call per item."""
    replaced = {id(entry[0]) for entry in table.values()}
    return replaced.isdisjoint(map(id, items)) and _CONTAINER_SET.isdisjoint(map(type, items))


_CONTAINERS = (list, tuple, dict)
_CONTAINER_SET = frozenset(_CONTAINERS)
Table = dict[tuple[type, str] | None, tuple[Any, Any]]  # (type, name) -> (old object, new object)
