"""`_()` in templates: what Jinja's newstyle `gettext` gives, for less."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup

from sitegen.content.i18n import Catalogue


def translator(catalogue: Callable[[Any], Catalogue], main_language: str) -> Callable[..., str]:
    """`_()` for an environment whose pages name their language in the context's `lang` (else
    `main_language`); `catalogue(context)` is that language's catalogue.

    It gives what Jinja's newstyle `gettext` gives (the translation, safe under autoescape, then
    `%`-formatted with the variables, escaped), without its two indirect calls; a message without
    variables is formatted once per language (a page asks for about fifteen)."""
    formatted: dict[tuple[str, str, bool], str] = {}

    @jinja2.pass_context
    def translate(context: Any, message: str, **variables: Any) -> str:
        autoescape = context.eval_ctx.autoescape
        if variables:
            text = catalogue(context).gettext(message)
            return (Markup(text) if autoescape else text) % variables  # type: ignore[no-any-return]
        name = (context.get("lang") or main_language, message, autoescape)
        found = formatted.get(name)
        if found is None:
            text = catalogue(context).gettext(message)
            found = formatted[name] = (Markup(text) if autoescape else text) % variables
        return found

    return translate
