"""One small adapter per hosted form service: where a form posts and which fields the service reads.

`view` gives a form's `FormView` for the site's provider (Netlify, Formspree, Basin, Getform or a
custom https:// address), each following the service's own documentation (docs/forms.md);
`form_action_origins` lists where forms may post, for the Content-Security-Policy.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sitegen.content.i18n import Catalogue
from sitegen.core.errors import Diagnostics, SourceLocation
from sitegen.models.config import SiteConfig
from sitegen.models.forms import Form
from sitegen.site.forms import BUILTIN, FormView, thanks_url, translate_form

HOSTED = {
    "formspree": "https://formspree.io/f/",
    "basin": "https://usebasin.com/f/",
    "getform": "https://getform.io/f/",
}


def in_language(views: dict[str, FormView], catalogue: Catalogue, config: SiteConfig) -> dict[str, FormView]:
    """The placed forms with the built-in ones' texts in the catalogue's words: the main language's
    too, so a site in Spanish alone has Spanish forms (the site's own texts stay as written)."""
    return {
        name: view(translate_form(v.form, catalogue), config, Diagnostics()) if name in BUILTIN else v
        for name, v in views.items()
    }


def view(form: Form, config: SiteConfig, diagnostics: Diagnostics) -> FormView:
    """The form as the chosen service needs it; reports a missing or unsafe endpoint."""
    forms = config.forms
    provider = forms.provider
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
        )
    endpoint = forms.endpoints.get(form.name, "").strip()
    where = SourceLocation(config.src_path, config.at_line("forms.endpoints") or config.at_line("forms"))
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
        return FormView(form.name, form, action, {}, [], "_gotcha", thanks, fields)
    action = endpoint if endpoint.startswith("https://") else HOSTED[provider] + endpoint
    if not action.startswith(HOSTED[provider]):
        diagnostics.error(
            "SG103",
            f'forms.endpoints.{form.name}: "{endpoint}" is not a {provider} address',
            where,
            f"give the form's id, or an address starting with {HOSTED[provider]}",
        )
    hidden = [("_next", config.base_url + thanks)] if provider == "formspree" else []
    return FormView(form.name, form, action, {}, hidden, "_gotcha", thanks, fields)


def form_action_origins(config: SiteConfig) -> list[str]:
    """Where forms may post, for the Content-Security-Policy's form-action."""
    forms = config.forms
    if forms.provider == "netlify":
        return []
    if forms.provider == "custom":
        return sorted(
            {
                f"{urlsplit(u).scheme}://{urlsplit(u).netloc}"
                for u in forms.endpoints.values()
                if urlsplit(u).netloc
            }
        )
    return [HOSTED[forms.provider].rsplit("/f/", 1)[0]]
