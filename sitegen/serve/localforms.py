"""In development every form posts to the dev server, whatever its service: nothing is sent anywhere.

As `sitegen serve` serves a page, each `<form>` whose `action` leaves the site (Formspree, Basin,
Getform, a custom address) is pointed at its thank-you page on this server, with a hidden `form-name`,
so the post is stored in .sitegen/submissions/; the real address stays in `data-sitegen-action`.
`sitegen build` is unchanged (docs/forms.md)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from sitegen.serve.submissions import FORM_NAME

_FORM_TAG = re.compile(rb"<form\b[^>]*>", re.IGNORECASE)
_ACTION = re.compile(rb'\saction="([^"]*)"', re.IGNORECASE)
_FORM_NAME_FIELD = re.compile(rb'name="form-name"')


def _attribute(tag: bytes, name: bytes) -> str | None:
    found = re.search(rb"\s" + name + rb'="([^"]*)"', tag, re.IGNORECASE)
    return html.unescape(found[1].decode("utf-8", "replace")) if found else None


def leaves_the_site(action: str) -> bool:
    """Whether a form's `action` posts to another host (an absolute or protocol-relative address)."""
    action = action.strip().lower()
    return action.startswith(("http://", "https://", "//")) or ":" in action.split("/", 1)[0]


def capture_forms(page: bytes, thanks: Callable[[str], str]) -> bytes:
    """The page with every form that would post elsewhere posting to `thanks(name)` on this server."""

    def local(match: re.Match[bytes]) -> bytes:
        tag = match[0]
        action = _attribute(tag, b"action")
        if action is None or not leaves_the_site(action):
            return tag
        name = _attribute(tag, b"data-sitegen-form") or _attribute(tag, b"name") or "form"
        name = name if FORM_NAME.match(name) else "form"
        target = html.escape(thanks(name), quote=True).encode()
        original = html.escape(action, quote=True).encode()
        tag = _ACTION.sub(
            lambda _: b' action="' + target + b'" data-sitegen-action="' + original + b'"', tag, 1
        )
        field = b'<input type="hidden" name="form-name" value="' + name.encode() + b'">'
        return tag + field

    if b"<form" not in page.lower():
        return page
    return _FORM_TAG.sub(local, page)
