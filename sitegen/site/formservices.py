"""One small adapter per hosted form service: where a form posts and which fields the service reads.

`view` gives a form's `FormView` for the site's provider (Netlify, Formspree, Basin, Getform or a
custom https:// address), each following the service's own documentation (docs/forms.md);
`form_action_origins` lists where forms may post, for the Content-Security-Policy.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sitegen.core.errors import Diagnostics, SourceLocation
from sitegen.models.config import SiteConfig
from sitegen.models.forms import Form
from sitegen.site.forms import FormView, thanks_url

HOSTED = {
    "formspree": "https://formspree.io/f/",
    "basin": "https://usebasin.com/f/",
    "getform": "https://getform.io/f/",
}


def view(form: Form, config: SiteConfig, diagnostics: Diagnostics) -> FormView:
    """The form as the chosen service needs it; reports a missing or unsafe endpoint."""
    forms = config.forms
    provider = forms.provider_of(form.name)
    baa = forms.baa_of(form.name)
    thanks = thanks_url(form.name)
    fields = list(form.fields)
    if provider == "netlify":
        return FormView(
            form.name,
            form,
            thanks,
            {"data-netlify": "true", "data-netlify-honeypot": "bot-field"}
            | ({"data-netlify-recaptcha": "true"} if forms.recaptcha else {}),
            [("form-name", form.name)],
            "bot-field",
            thanks,
            fields,
            forms.recaptcha,
            baa,
        )
    endpoint = forms.endpoint_of(form.name)
    where = SourceLocation(
        config.src_path,
        config.at_line(f"forms.per_form.{form.name}")
        or config.at_line("forms.endpoints")
        or config.at_line("forms"),
    )
    if not endpoint:
        diagnostics.error(
            "SG103",
            f'forms.endpoints: no address for the "{form.name}" form at {provider}',
            where,
            f"add `{form.name}: <the form's id at {provider}>` under forms.endpoints in site.yaml"
            if provider != "custom"
            else f"add `{form.name}: https://...` under forms.endpoints",
        )
        endpoint = "missing"
    if provider == "custom":
        action = endpoint
        if urlsplit(action).scheme != "https":
            diagnostics.error(
                "SG103",
                f'forms.endpoints.{form.name}: "{action}" is not an https:// address',
                where,
                "form data must travel encrypted: use the service's https:// address",
            )
        return FormView(form.name, form, action, {}, [], "_gotcha", thanks, fields, False, baa)
    action = endpoint if endpoint.startswith("https://") else HOSTED[provider] + endpoint
    if not action.startswith(HOSTED[provider]):
        diagnostics.error(
            "SG103",
            f'forms.endpoints.{form.name}: "{endpoint}" is not a {provider} address',
            where,
            f"give the form's id, or an address starting with {HOSTED[provider]}",
        )
    hidden = [("_next", config.base_url + thanks)] if provider == "formspree" else []
    return FormView(form.name, form, action, {}, hidden, "_gotcha", thanks, fields, False, baa)


def form_action_origins(config: SiteConfig) -> list[str]:
    """Where forms may post, for the Content-Security-Policy's form-action: every service a form uses."""
    forms = config.forms
    origins: set[str] = set()
    providers = forms.providers()
    for provider in providers - {"netlify", "custom"}:
        origins.add(HOSTED[provider].rsplit("/f/", 1)[0])
    if "custom" in providers:
        addresses = list(forms.endpoints.values()) + [own.endpoint for own in forms.per_form.values()]
        origins |= {
            f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in addresses if urlsplit(u.strip()).netloc
        }
    return sorted(origins)
