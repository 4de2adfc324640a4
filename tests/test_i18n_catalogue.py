"""The default theme's catalogues against the templates of every shipped theme.

Every message a template writes through `_()` / `ngettext()` must be in `themes/default/i18n/en.yaml`
(mapped to itself: the complete English list a practice copies to reword a string) and in `es.yaml`
(translated, with the same placeholders and the same markup), and neither file may keep a message no
template (nor sitegen's Python, PYTHON_MESSAGES) uses any more. The theme scripts' messages, written into
`data-msg-*` attributes by the templates, must match what the scripts read, English fallback included.
Each check is a function returning its problems, and is also run on a broken catalogue to show it fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from sitegen.content.i18n import Catalogue, load_catalogues
from sitegen.core.errors import Diagnostics
from sitegen.render.templates import SHIPPED_THEMES

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = SHIPPED_THEMES / "default" / "i18n"
SCRIPTS = SHIPPED_THEMES / "default" / "static" / "js"


def python_messages() -> dict[str, str | None]:
    """Messages sitegen translates in Python: `_("...")` (page titles, breadcrumbs, menus: `_` is the
    catalogue's gettext or format), `catalogue.format`/`gettext`/`ngettext` calls, and the texts of the
    built-in forms and program sentences, which are translated whole (forms.translate_form)."""
    from babel.messages.extract import extract_from_file

    from sitegen.models.practicetypes import OCCUPATIONS
    from sitegen.site.forms import BUILTIN
    from sitegen.site.program import SUCCESS

    keywords = {"_": None, "gettext": None, "format": None, "ngettext": (1, 2)}
    found: dict[str, str | None] = {}
    for file in sorted((REPO_ROOT / "sitegen").rglob("*.py")):
        for _line, message, _comments, _context in extract_from_file("python", str(file), keywords=keywords):
            if isinstance(message, tuple):
                found[message[0]] = message[1]
            elif message:
                found.setdefault(message, None)
    for form in BUILTIN.values():
        texts = [form.title, form.intro, form.submit_label, form.consent, form.thanks_title, form.thanks_text]
        texts += [text for field in form.fields for text in (field.label, field.help, *field.choices)]
        found.update({text: None for text in texts if text})
    found.update(dict.fromkeys(SUCCESS.values()))
    found.update(dict.fromkeys(name for name in OCCUPATIONS.values() if name))  # JSON-LD's hasOccupation
    return found


PYTHON_MESSAGES = python_messages()

# Spanish translations allowed to read exactly like the English (brand words, codes); none today.
SAME_IN_SPANISH: frozenset[str] = frozenset()

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TAG = re.compile(r"<[^>]+>")
LOCALE_FILTERS = re.compile(r"\b_\(|\bngettext\(|\|\s*(date|money|clock|weeks)\b")


# ------------------------------------------------------------------------------------------------
# What the templates use
# ------------------------------------------------------------------------------------------------


def template_files() -> list[Path]:
    files = sorted(SHIPPED_THEMES.glob("*/templates/**/*.html"))
    assert len(files) > 20, f"no templates found under {SHIPPED_THEMES}"
    return files


def extract(source: str) -> dict[str, str | None]:
    """The messages of one template: singular -> plural (None for a `_()` message)."""
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    found: dict[str, str | None] = {}
    for _line, function, message in env.extract_translations(source):
        strings = [message] if isinstance(message, str) else [m for m in message if isinstance(m, str)]
        if function == "ngettext":
            found[strings[0]] = strings[1]
        elif strings:
            found.setdefault(strings[0], None)
    return found


def template_messages() -> dict[str, str | None]:
    messages: dict[str, str | None] = {}
    for file in template_files():
        messages.update(extract(file.read_text(encoding="utf-8")))
    return messages


def read_catalogue(lang: str) -> dict:
    """The catalogue as the build reads it (sitegen.content.i18n), failing on any diagnostic it reports."""
    diagnostics = Diagnostics()
    catalogue = load_catalogues(REPO_ROOT, [CATALOGUES], [lang], "US", diagnostics)[lang]
    assert not diagnostics.items, [str(d) for d in diagnostics.items]
    return catalogue.messages


# ------------------------------------------------------------------------------------------------
# The checks: each returns a list of problems
# ------------------------------------------------------------------------------------------------


def missing(messages: dict[str, str | None], catalogue: dict) -> list[str]:
    problems = []
    for singular, plural in messages.items():
        entry = catalogue.get(singular)
        if entry is None:
            problems.append(f"missing: {singular!r}")
        elif plural is not None and not (isinstance(entry, dict) and "one" in entry and "other" in entry):
            problems.append(f"{singular!r} is a plural message: give one: and other:")
        elif plural is None and not isinstance(entry, str):
            problems.append(f"{singular!r} is not a plural message: give the translation as text")
    return problems


def unused(messages: dict[str, str | None], catalogue: dict) -> list[str]:
    return [f"no template uses {key!r}" for key in catalogue if key not in messages]


def not_identity(messages: dict[str, str | None], catalogue: dict) -> list[str]:
    """en.yaml maps every message to itself (plural: one: the singular, other: the plural)."""
    problems = []
    for singular, plural in messages.items():
        entry = catalogue.get(singular)
        expected = singular if plural is None else {"one": singular, "other": plural}
        if entry is not None and entry != expected:
            problems.append(f"{singular!r}: {entry!r} should be {expected!r}")
    return problems


def untranslated(messages: dict[str, str | None], catalogue: dict, allowed: frozenset[str]) -> list[str]:
    problems = []
    for singular, plural in messages.items():
        entry = catalogue.get(singular)
        forms = entry.values() if isinstance(entry, dict) else [entry]
        english = {singular, plural}
        if singular not in allowed and any(form in english for form in forms if form is not None):
            problems.append(f"left in English: {singular!r}")
    return problems


def _fill(text: str) -> str:
    """`text` %-formatted as newstyle gettext does: fails on a stray % or a wrong conversion."""
    values = dict.fromkeys(PLACEHOLDER.findall(text), 1)
    return text % values if values else text % {}


def mismatched(messages: dict[str, str | None], catalogue: dict) -> list[str]:
    """Each translation has the English placeholders (a plural's singular may leave out %(num)d)
    and the same markup, and formats without error."""
    problems = []
    for singular, plural in messages.items():
        entry = catalogue.get(singular)
        if entry is None:
            continue
        english_places = set(re.findall(r"%\(\w+\)[sd]", singular)) | set(
            re.findall(r"%\(\w+\)[sd]", plural or "")
        )
        english_tags = sorted(TAG.findall(singular))
        for category, text in entry.items() if isinstance(entry, dict) else [("", entry)]:
            where = f"{singular!r}{' ' + category if category else ''}"
            places = set(re.findall(r"%\(\w+\)[sd]", text))
            optional = {"%(num)d"} if plural is not None and category != "other" else set()
            if not (english_places - optional <= places <= english_places):
                problems.append(f"{where}: placeholders {sorted(places)} instead of {sorted(english_places)}")
            if sorted(TAG.findall(text)) != english_tags:
                problems.append(f"{where}: markup {sorted(TAG.findall(text))} instead of {english_tags}")
            try:
                _fill(text)
            except (ValueError, TypeError, KeyError) as exc:
                problems.append(f"{where}: does not format ({exc}); write a literal percent sign as %%")
    return problems


# ------------------------------------------------------------------------------------------------
# The shipped catalogues
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def used() -> dict[str, str | None]:
    return template_messages()


@pytest.fixture(scope="module")
def everything(used: dict[str, str | None]) -> dict[str, str | None]:
    return {**used, **PYTHON_MESSAGES}


def test_the_templates_have_messages_to_check(used: dict[str, str | None]) -> None:
    assert len(used) > 150
    assert "Skip to main content" in used and used["%(num)d friend"] == "%(num)d friends"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_message_of_every_shipped_template_is_in_the_catalogue(
    lang: str, everything: dict[str, str | None]
) -> None:
    assert missing(everything, read_catalogue(lang)) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_catalogue_has_no_message_that_nothing_uses(lang: str, everything: dict[str, str | None]) -> None:
    assert unused(everything, read_catalogue(lang)) == []


def test_the_english_catalogue_maps_every_message_to_itself(everything: dict[str, str | None]) -> None:
    assert not_identity(everything, read_catalogue("en")) == []


def test_no_spanish_message_is_left_in_english(everything: dict[str, str | None]) -> None:
    assert untranslated(everything, read_catalogue("es"), SAME_IN_SPANISH) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_translations_keep_the_placeholders_and_markup_of_the_english(
    lang: str, everything: dict[str, str | None]
) -> None:
    assert mismatched(everything, read_catalogue(lang)) == []


def test_the_python_messages_are_found_in_sitegens_code() -> None:
    assert PYTHON_MESSAGES["every week"] == "every %(num)d weeks"
    for message in (
        "Treatments and prices",
        "Home",
        "Request my consultation",
        "no cash value",
        "Posts about %(topic)s",
    ):
        assert message in PYTHON_MESSAGES, message


def test_spanish_messages_render_through_the_runtime() -> None:
    spanish = Catalogue("es", "es_US", read_catalogue("es"))
    assert spanish.gettext("Skip to main content") == "Saltar al contenido principal"
    assert spanish.ngettext("%(num)d friend", "%(num)d friends", 3) % {"num": 3} == "3 amigos"
    assert spanish.ngettext("every week", "every %(num)d weeks", 1) % {"num": 1} == "cada semana"
    assert spanish.format("every %(min)d–%(max)d weeks", min=4, max=6) == "cada 4–6 semanas"


# ------------------------------------------------------------------------------------------------
# The checks fail on a broken catalogue
# ------------------------------------------------------------------------------------------------

BROKEN_MESSAGES = {
    "Visit us": None,
    'Call <a href="%(tel)s">%(phone)s</a>': None,
    "%(num)d friend": "%(num)d friends",
    "Save 10%% today": None,
}


def test_the_checks_find_what_is_wrong_in_a_broken_catalogue() -> None:
    broken = {
        "Visit us": "Visit us",  # left in English
        # placeholders and markup changed
        'Call <a href="%(tel)s">%(phone)s</a>': "Llame al <b>%(telefono)s</b>",
        "%(num)d friend": "%(num)d amigos",  # plural given as text
        "Save 10%% today": "Ahorre 10% hoy",  # stray percent sign
        "Old message": "Mensaje viejo",  # used by no template
    }
    assert missing({**BROKEN_MESSAGES, "New message": None}, broken) == [
        "'%(num)d friend' is a plural message: give one: and other:",
        "missing: 'New message'",
    ]
    assert unused(BROKEN_MESSAGES, broken) == ["no template uses 'Old message'"]
    assert untranslated(BROKEN_MESSAGES, broken, frozenset()) == ["left in English: 'Visit us'"]
    assert untranslated(BROKEN_MESSAGES, broken, frozenset({"Visit us"})) == []
    problems = mismatched(BROKEN_MESSAGES, broken)
    assert any("placeholders" in p and "Call" in p for p in problems)
    assert any("markup" in p for p in problems)
    assert any("Save 10%%" in p and "does not format" in p for p in problems)
    assert not_identity(
        {"Visit us": None, "%(num)d friend": "%(num)d friends"},
        {
            "Visit us": "Come and see us",
            "%(num)d friend": {"one": "%(num)d friend", "other": "%(num)d friends"},
        },
    ) == ["'Visit us': 'Come and see us' should be 'Visit us'"]


def test_extraction_sees_gettext_with_variables_and_plurals() -> None:
    found = extract(
        '{{ _("Hello %(name)s", name=x) }}{{ ngettext("%(num)d day", "%(num)d days", n) }}{{ _("Plain") }}'
    )
    assert found == {"Hello %(name)s": None, "%(num)d day": "%(num)d days", "Plain": None}


# ------------------------------------------------------------------------------------------------
# Templates: partials see the page's language; the scripts' messages match the scripts
# ------------------------------------------------------------------------------------------------


def test_partials_that_translate_are_imported_with_context() -> None:
    """A macro imported without context cannot see the page's `lang`: its `_()`, dates and prices
    would come out in the site's first language on every page."""
    problems = []
    for file in template_files():
        templates = next(folder for folder in file.parents if folder.name == "templates")
        for match in re.finditer(
            r'{%-?\s*(?:from|import)\s+"([^"]+)"[^%]*?%}', file.read_text(encoding="utf-8")
        ):
            partial = templates / match.group(1)
            if not partial.is_file():  # a child theme importing its parent's partial
                partial = SHIPPED_THEMES / "default" / "templates" / match.group(1)
            code = re.sub(r"{#.*?#}", "", partial.read_text(encoding="utf-8"), flags=re.S)
            if LOCALE_FILTERS.search(code) and "with context" not in match.group(0):
                problems.append(f"{file.relative_to(SHIPPED_THEMES)}: {match.group(0)}")
    assert problems == []


SCRIPT_MESSAGE = re.compile(r'\("([a-z-]+)", "((?:[^"\\]|\\.)*)", (?:_|ngettext)\(')
SCRIPT_READS = re.compile(r'text\((?:form|panel), "([a-z-]+)", "((?:[^"\\]|\\.)*)"')


@pytest.mark.parametrize(
    "template, script", [("partials/form.html", "forms.js"), ("partials/share.html", "refer.js")]
)
def test_the_scripts_read_the_messages_the_templates_write(template: str, script: str) -> None:
    written = dict(
        SCRIPT_MESSAGE.findall(
            (SHIPPED_THEMES / "default" / "templates" / template).read_text(encoding="utf-8")
        )
    )
    read = dict(SCRIPT_READS.findall((SCRIPTS / script).read_text(encoding="utf-8")))
    assert written, f"no script messages found in {template}"
    assert written == read  # same names, and the template's English is the script's fallback


def test_script_messages_are_written_only_when_translated() -> None:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(SHIPPED_THEMES / "default" / "templates")),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
    )
    spanish = Catalogue("es", "es_US", read_catalogue("es"))
    source = (
        '{% from "partials/i18n.html" import data_messages %}'
        '<x{{ data_messages([("tick", "Tick.", _("Tick.")), ("q", "Say \\"hi\\"", _("Say \\"hi\\""))]) }}>'
    )
    env.install_gettext_callables(lambda m: m, lambda s, p, n: s if n == 1 else p, newstyle=True)  # type: ignore[attr-defined]
    assert env.from_string(source).render() == "<x>"
    env.install_gettext_callables(
        lambda m: {"Tick.": "Marque.", 'Say "hi"': 'Diga "hola"'}.get(m, m),  # type: ignore[attr-defined]
        spanish.ngettext,
        newstyle=True,
    )
    assert env.from_string(source).render() == '<x data-msg-tick="Marque." data-msg-q="Diga &#34;hola&#34;">'
