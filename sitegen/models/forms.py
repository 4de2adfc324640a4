"""Forms as data: fields, their types and sensitivity, and the form service they post to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sitegen.core.schema import derived, spec

FieldType = Literal["text", "email", "tel", "date", "select", "radio", "checkbox", "textarea", "hidden"]


@dataclass(frozen=True, kw_only=True)
class FormField:
    name: str = spec("the field's name in submissions and exports (a-z, 0-9, _); keep it stable")
    type: FieldType = spec("kind of input", "text")
    label: str = spec("the question as the visitor reads it (not needed for hidden fields)", "")
    required: bool = spec("true when the form cannot be sent without it", False)
    help: str = spec("a hint shown under the label", "")
    choices: list[str] = spec("the options of a select or radio field", factory=list)
    sensitive: bool = spec(
        "true when the answer could reveal health information; allowed only with a provider that signed a "
        "BAA",
        False,
    )
    autocomplete: str = spec("the browser autofill hint, e.g. given-name, email, tel", "")
    fill_from: str = spec(
        "hidden fields: the address parameter that fills it (ref, utm_source, ...) or `page` for the landing "
        "page",
        "",
    )


@dataclass(frozen=True, kw_only=True)
class Form:
    title: str = spec("heading above the form")
    intro: str = spec("a sentence or two above the fields", "")
    fields: list[FormField] = spec("the fields, in order", factory=list)
    submit_label: str = spec("text of the send button", "Send")
    consent: str = spec("label of a required consent checkbox (contact consent); empty for none", "")
    one_of: list[str] = spec(
        "names of fields of which at least one must be filled (e.g. email or phone)", factory=list
    )
    thanks_title: str = spec("heading of the thank-you page", "Thank you")
    thanks_text: str = spec(
        "text of the thank-you page, in Markdown",
        "We have received your message and will be in touch within one business day.",
    )

    name: str = derived("")
    src_path: str = derived("")
    thanks_html: str = derived("")


@dataclass(frozen=True, kw_only=True)
class FormChanges:
    """site.yaml `forms.builtin.<name>`: what to change in a built-in form; unset fields stay as shipped."""

    title: str | None = spec("heading above the form", None)
    intro: str | None = spec("text above the fields", None)
    fields: list[FormField] | None = spec("replaces the form's fields", None)
    submit_label: str | None = spec("text of the send button", None)
    consent: str | None = spec("label of the consent checkbox", None)
    thanks_title: str | None = spec("heading of the thank-you page", None)
    thanks_text: str | None = spec("text of the thank-you page", None)


Provider = Literal["netlify", "formspree", "basin", "getform", "custom"]


@dataclass(frozen=True, kw_only=True)
class FormService:
    """`forms.per_form.<form>`: one form's own service, e.g. the health questions on a BAA-covered one."""

    provider: Provider = spec("the form service that receives this form's submissions")
    endpoint: str = spec(
        "the form's id at the provider (formspree, basin, getform) or its full https:// address (custom); "
        "default: its entry in forms.endpoints",
        "",
    )
    baa: bool = spec(
        "true only once the practice has signed a HIPAA business associate agreement with this provider",
        False,
    )


@dataclass(frozen=True, kw_only=True)
class FormsConfig:
    provider: Provider = spec("the hosted form service that receives submissions", "netlify")
    endpoints: dict[str, str] = spec(
        "per form, its id at the provider (formspree, basin, getform) or its full address (custom)",
        factory=dict,
    )
    baa: bool = spec(
        "true only once the practice has signed a HIPAA business associate agreement with the provider", False
    )
    recaptcha: bool = spec(
        "Netlify only: add Netlify's reCAPTCHA challenge to every form (loads from Google)", False
    )
    privacy_page: str = spec("slug of the page every form links to about how data is used", "privacy")
    builtin: dict[str, FormChanges] = spec(
        "changes to the built-in forms: appointment, contact, enroll, feedback, refer", factory=dict
    )
    per_form: dict[str, FormService] = spec(
        "a form's own service, by the form's name, in place of `provider` and `baa`, e.g. "
        "`health-history: {provider: custom, endpoint: https://..., baa: true}`",
        factory=dict,
    )

    def providers(self) -> set[str]:
        """Every service some form may post to."""
        return {self.provider} | {own.provider for own in self.per_form.values()}

    def provider_of(self, form: str) -> str:
        """The service that receives `form`."""
        own = self.per_form.get(form)
        return own.provider if own else self.provider

    def baa_of(self, form: str) -> bool:
        """Whether `form` goes to a service that signed a business associate agreement."""
        own = self.per_form.get(form)
        return own.baa if own else self.baa

    def endpoint_of(self, form: str) -> str:
        own = self.per_form.get(form)
        return ((own.endpoint if own else "") or self.endpoints.get(form, "")).strip()
