"""Forms: the built-in ones, the site's own, and how each form service expects them in the HTML.

Every form is rendered by one template from a `FormView`: the provider adapter decides only the
action address, the extra attributes, the hidden fields and the honeypot's name, each exactly as
that service documents it. A form that asks for something sensitive (health information) is refused
unless the provider is declared to have signed a BAA: the build fails rather than leak it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.content.i18n import Catalogue
from sitegen.content.overlay import read_translated_yaml
from sitegen.content.sources import read_yaml
from sitegen.core.errors import Diagnostics, SourceLocation, did_you_mean, relative_to
from sitegen.core.schema import Context, coerce_object
from sitegen.core.yamlmarks import LocatedList
from sitegen.models.config import SiteConfig
from sitegen.models.forms import Form, FormField

FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FORM_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED = {"form-name", "bot-field", "_gotcha", "_next", "_redirect", "g-recaptcha-response", "consent"}
TRACKING = [
    FormField(name="utm_source", type="hidden", fill_from="utm_source"),
    FormField(name="utm_medium", type="hidden", fill_from="utm_medium"),
    FormField(name="utm_campaign", type="hidden", fill_from="utm_campaign"),
    FormField(name="landing_page", type="hidden", fill_from="page"),
]
NO_HEALTH = "Please don't include medical details: we'll ask about your health in person."


def _field(name: str, type: str = "text", label: str = "", **rest: object) -> FormField:
    return FormField(name=name, type=type, label=label, **rest)  # type: ignore[arg-type]


BUILTIN: dict[str, Form] = {
    "enroll": Form(
        title="Get your referral link",
        intro="Tell us your first name and email, and we'll make your personal link to share with friends.",
        fields=[
            _field("first_name", label="First name", required=True, autocomplete="given-name"),
            _field(
                "email",
                "email",
                "Email",
                required=True,
                autocomplete="email",
                help="We'll only use it to send your rewards and program updates.",
            ),
            _field("referral_code", "hidden"),
            _field("terms_version", "hidden"),
            *TRACKING,
        ],
        submit_label="Get my link",
        consent="I have read and accept the referral program terms.",
        thanks_title="You're in",
        thanks_text="Thank you for recommending us.",
    ),
    "refer": Form(
        title="Invite a friend directly",
        intro="Prefer that we reach out? Give us your friend's name and one way to contact them.",
        fields=[
            _field("your_name", label="Your name", required=True, autocomplete="name"),
            _field("friend_name", label="Your friend's name", required=True),
            _field("friend_email", "email", "Your friend's email"),
            _field(
                "friend_phone",
                "tel",
                "Your friend's phone",
                help="Only with their permission to call or text.",
            ),
            _field("referral_code", "hidden", fill_from="ref"),
            *TRACKING,
        ],
        one_of=["friend_email", "friend_phone"],
        submit_label="Send the invitation",
        consent="My friend agreed that the practice may contact them about this invitation.",
        thanks_title="Thank you for the introduction",
        thanks_text="We'll reach out to your friend once, kindly, and never share their details.",
    ),
    "appointment": Form(
        title="Request a consultation",
        intro="Tell us how to reach you and when suits you; we'll call to confirm a time.",
        fields=[
            _field("name", label="Full name", required=True, autocomplete="name"),
            _field("email", "email", "Email", required=True, autocomplete="email"),
            _field("phone", "tel", "Phone", required=True, autocomplete="tel"),
            _field("location", "select", "Preferred office", required=True),
            _field(
                "preferred_time",
                "select",
                "Best time for a visit",
                choices=["Weekday morning", "Weekday afternoon", "Weekday evening", "Saturday"],
            ),
            _field(
                "referred_by",
                label="Who referred you? (name or code)",
                autocomplete="off",
                help="If a friend sent you a link, their code is at its end, after /r/ or ref=.",
            ),
            _field("referral_code", "hidden", fill_from="ref"),
            *TRACKING,
        ],
        submit_label="Request my consultation",
        consent="I agree to be contacted by phone or email about my request.",
        thanks_title="Your request is in",
        thanks_text="Thank you. We'll call you within one business day to confirm your consultation.",
    ),
    "contact": Form(
        title="Send us a message",
        intro=NO_HEALTH,
        fields=[
            _field("name", label="Name", required=True, autocomplete="name"),
            _field("email", "email", "Email", required=True, autocomplete="email"),
            _field("phone", "tel", "Phone", autocomplete="tel"),
            _field("message", "textarea", "Message", required=True, help=NO_HEALTH),
            _field("referral_code", "hidden", fill_from="ref"),
            *TRACKING,
        ],
        consent="I agree to be contacted about my message.",
    ),
    "feedback": Form(
        title="How is the referral program working for you?",
        intro="Three short questions. Your answers help us improve the program; they are not a review.",
        fields=[
            _field(
                "heard_from",
                "select",
                "How did you hear about the program?",
                choices=["At a visit", "Email", "A friend", "Social media", "Our website"],
            ),
            _field(
                "ease",
                "radio",
                "How easy was it to share your link?",
                required=True,
                choices=["Very easy", "Easy", "Neither", "Hard", "Very hard"],
            ),
            _field("improve", "textarea", "What would make the program better?", help=NO_HEALTH),
        ],
        submit_label="Send feedback",
        thanks_title="Thank you for your feedback",
        thanks_text="We read every answer.",
    ),
}


@dataclass(frozen=True)
class FormView:
    """Everything the form template needs, already decided by the provider adapter."""

    name: str
    form: Form
    action: str
    attributes: dict[str, str]
    hidden: list[tuple[str, str]]
    honeypot: str
    thanks_url: str
    fields: list[FormField] = field(default_factory=list)
    recaptcha: bool = False
    baa: bool = False  # its service signed a business associate agreement: it may ask for health details


def thanks_url(name: str) -> str:
    return f"/thanks/{name}/"


def load_forms(
    site_dir: Path,
    config: SiteConfig,
    site_locations: list[str],
    diagnostics: Diagnostics,
    catalogue: Catalogue | None = None,
) -> dict[str, Form]:
    """Built-in forms with the site's changes, plus content/forms/*.yaml; checked, by name.

    The built-in texts come from `catalogue` (another language's, or the main one's with the practice
    type's wording); in a language other than the main one a site's own form comes from its
    translation, content/forms/<name>.<lang>.yaml."""
    lang = catalogue.lang if catalogue and catalogue.lang != config.language else ""
    forms = _builtin_forms(site_dir, config, site_locations, diagnostics)
    lines: dict[str, dict[str, int]] = {}
    for name, form, field_lines in _site_forms(site_dir, lang, diagnostics):
        forms[name], lines[name] = form, field_lines
    for form in forms.values():
        _check_form(form, config, diagnostics, lines.get(form.name, {}))
    for name in sorted(set(config.forms.per_form) - set(forms)) if not lang else []:
        diagnostics.error(
            "SG231",
            f'forms.per_form: there is no form "{name}"{did_you_mean(name, forms)}',
            SourceLocation(config.src_path, config.at_line(f"forms.per_form.{name}")),
            f"name a built-in form ({', '.join(BUILTIN)}) or one of content/forms/",
        )
    if catalogue is not None:  # the main language too: the practice type's wording (en.dental.yaml)
        forms = {
            name: translate_form(form, catalogue) if name in BUILTIN else form for name, form in forms.items()
        }
    return forms


def _builtin_forms(
    site_dir: Path, config: SiteConfig, site_locations: list[str], diagnostics: Diagnostics
) -> dict[str, Form]:
    """The built-in forms with site.yaml's `forms.builtin` changes; an unknown name is SG206."""
    forms: dict[str, Form] = {}
    for name, form in BUILTIN.items():
        changes = config.forms.builtin.get(name)
        if changes is not None:
            updates = {k: v for k, v in dataclasses.asdict(changes).items() if v is not None}
            if changes.fields is not None:
                updates["fields"] = changes.fields
            form = dataclasses.replace(form, **updates)
        if name == "appointment":
            form = _with_choices(form, "location", site_locations)
        if name == "enroll":
            form = _with_charity(form, site_dir)
        forms[name] = dataclasses.replace(form, name=name, src_path=config.src_path)
    for name in sorted(set(config.forms.builtin) - set(BUILTIN)):
        diagnostics.error(
            "SG206",
            f'forms.builtin: there is no built-in form "{name}"{did_you_mean(name, BUILTIN)}',
            SourceLocation(config.src_path, config.at_line(f"forms.builtin.{name}")),
            f"built-in forms: {', '.join(BUILTIN)}; add your own in content/forms/{name}.yaml",
        )
    return forms


def _site_forms(
    site_dir: Path, lang: str, diagnostics: Diagnostics
) -> Iterator[tuple[str, Form, dict[str, int]]]:
    """The site's own forms, content/forms/<name>.yaml (in `lang` when given), each with the lines of
    its fields; an unsafe name is SG207, a built-in form's name SG208."""
    folder = site_dir / "content" / "forms"
    for file in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        src_path = relative_to(file, site_dir)
        name = file.stem
        if "." in name:  # a translation (gift-cards.es.yaml), read with its original
            continue
        if not FORM_NAME.match(name):
            diagnostics.error(
                "SG207",
                f'unsafe form name "{name}": it becomes part of an address',
                SourceLocation(src_path),
                "name the file with lower-case letters, digits and hyphens, e.g. gift-cards.yaml",
            )
            continue
        if name in BUILTIN:
            diagnostics.error(
                "SG208",
                f'"{name}" is the name of a built-in form',
                SourceLocation(src_path),
                f"rename the file, or change the built-in form under forms.builtin.{name} in site.yaml",
            )
            continue
        data, src_path = (
            read_translated_yaml(file, lang, site_dir, diagnostics)
            if lang
            else (read_yaml(file, site_dir, diagnostics), src_path)
        )
        if data is None:
            continue
        form = coerce_object(Form, data, getattr(data, "line", 1), Context(src_path, diagnostics))
        if form is not None:
            yield name, dataclasses.replace(form, name=name, src_path=src_path), _field_lines(data)


def translate_form(form: Form, catalogue: Catalogue) -> Form:
    """A built-in form's texts in the catalogue's language; texts the site wrote itself (not in the
    catalogue) stay as written: site.<lang>.yaml translates those."""
    _ = catalogue.gettext
    fields = [
        dataclasses.replace(f, label=_(f.label), help=_(f.help), choices=[_(c) for c in f.choices])
        for f in form.fields
    ]
    return dataclasses.replace(
        form,
        title=_(form.title),
        intro=_(form.intro),
        submit_label=_(form.submit_label),
        consent=_(form.consent),
        thanks_title=_(form.thanks_title),
        thanks_text=_(form.thanks_text),
        fields=fields,
    )


def _field_lines(data: object) -> dict[str, int]:
    """Field name -> line of its entry in a form file, so problems point at the field."""
    fields = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(fields, LocatedList):
        return {}
    return {
        str(item.get("name")): fields.line_of(i) for i, item in enumerate(fields) if isinstance(item, dict)
    }


def _(message: str) -> str:
    """Marks a message for the catalogue (tests/test_i18n_catalogue.py finds it); translate_form
    translates it with the form."""
    return message


CHARITY_LABEL = _("The charity to receive the donations you earn")


def _with_charity(form: Form, site_dir: Path) -> Form:
    """A charitable program's enrol form asks which of its charities receives the donations (the
    `charity` column of the export, which `sitegen report` totals). program.yaml's own mistakes are
    reported where the build loads the program, not here."""
    data = read_yaml(site_dir / "content" / "program.yaml", site_dir, Diagnostics())
    if (
        not isinstance(data, dict)
        or data.get("model") != "charitable"
        or any(f.name == "charity" for f in form.fields)
    ):
        return form
    names = [str(c["name"]) for c in data.get("charities") or [] if isinstance(c, dict) and c.get("name")]
    if not names:
        return form
    field = _field("charity", "select", CHARITY_LABEL, required=True, choices=names)
    at = next((i for i, f in enumerate(form.fields) if f.type == "hidden"), len(form.fields))
    return dataclasses.replace(form, fields=[*form.fields[:at], field, *form.fields[at:]])


def _with_choices(form: Form, field_name: str, choices: list[str]) -> Form:
    """Offer `choices` in the named field; a site without them gets no such field at all."""
    fields = [
        dataclasses.replace(f, choices=f.choices or choices) if f.name == field_name else f
        for f in form.fields
        if f.name != field_name or f.choices or choices
    ]
    return dataclasses.replace(form, fields=fields)


def _check_form(form: Form, config: SiteConfig, diagnostics: Diagnostics, lines: dict[str, int]) -> None:
    form_line = config.at_line(f"forms.builtin.{form.name}") if form.src_path == config.src_path else 0
    seen: set[str] = set()
    for item in form.fields:
        where = SourceLocation(form.src_path, lines.get(item.name, form_line))
        if not FIELD_NAME.match(item.name) or item.name in RESERVED:
            diagnostics.error(
                "SG209",
                f'form "{form.name}": the field name "{item.name}" cannot be used',
                where,
                "use lower-case letters, digits and _ (e.g. first_name); form-name, bot-field, consent "
                "and names starting with _ belong to the form service",
            )
        if item.name in seen:
            diagnostics.error(
                "SG208",
                f'form "{form.name}": two fields are named "{item.name}"',
                where,
                "give every field its own name; it is the column of the export",
            )
        seen.add(item.name)
        if item.type in ("select", "radio") and not item.choices:
            diagnostics.error(
                "SG202",
                f'form "{form.name}": the {item.type} field "{item.name}" has no choices',
                where,
                "add `choices:` with the options, one per item",
            )
        if item.type != "hidden" and not item.label:
            diagnostics.error(
                "SG202",
                f'form "{form.name}": the field "{item.name}" has no label',
                where,
                "every visible field needs a `label:`, for every visitor and for screen readers",
            )
        if item.sensitive and not config.forms.baa_of(form.name):
            own = form.name in config.forms.per_form
            diagnostics.error(
                "SG601",
                f'form "{form.name}": the field "{item.name}" is marked sensitive, but the form service '
                f"({config.forms.provider_of(form.name)}) has no signed business associate agreement",
                where,
                "health information may only go to a service that signed a BAA with the practice: remove the "
                "field, or set "
                + (f"forms.per_form.{form.name}.baa: true" if own else "forms.baa: true")
                + " in site.yaml once the agreement is signed"
                + ("" if own else f" (or give this form its own service under forms.per_form.{form.name})"),
            )
    where = SourceLocation(form.src_path, form_line)
    for name in form.one_of:
        if name not in seen:
            diagnostics.error(
                "SG301",
                f'form "{form.name}": one_of names "{name}", which is not a field',
                where,
                f"use field names: {', '.join(sorted(seen))}",
            )
