"""What a build keeps of a document's Markdown once it is rendered: nothing, for most kinds.

A document's Markdown is read, rendered to HTML and scanned for what the rules need of it (the
document facts of `checks.document_fact`, kept in the build cache with it); after that `released`
drops it, so 10,000 posts do not hold their Markdown to the end of the build. The kinds whose rules
read the whole text (the privacy page among the pages, testimonials' stories, memberships' terms)
keep it: a site has few of them. A rule that must point at a line of a released text reads it again
from its file (`body_from_source`), checked against the digest taken when it was loaded.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from sitegen.content.loader import Loaded
from sitegen.content.sources import read_document
from sitegen.core.errors import Diagnostics

# the kinds whose rules read the whole text (named in `markdown.KEEPS`, part of every cache key)
BODY_KEPT = frozenset({"pages", "testimonials", "memberships"})


def body_digest(text: str) -> str:
    """A short digest of a Markdown text ("" for no text): enough to tell two texts apart."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest() if text else ""


def released(doc: Loaded) -> Loaded:
    """`doc` without its Markdown (in its model and its raw document) unless its kind keeps it."""
    if doc.kind in BODY_KEPT or not doc.raw.body:
        return doc
    model = doc.model
    if getattr(model, "body", ""):
        model = dataclasses.replace(model, body="")
    return dataclasses.replace(doc, model=model, raw=dataclasses.replace(doc.raw, body=""))


def body_from_source(doc: Loaded, site_dir: Path, digest: str) -> str:
    """The Markdown of `doc`: its own when kept, else read again from its file when that file still
    holds the text that was loaded (its digest is `digest`); "" otherwise."""
    if doc.raw.body or not digest:
        return doc.raw.body
    raw = read_document(doc.kind, site_dir / doc.raw.src_path, site_dir, Diagnostics())
    body = raw.body if raw is not None else ""
    return body if body_digest(body) == digest else ""
