"""A form service per form: where each form posts, the BAA rules per form, the footer's health-details
sentence that follows them, and the dev server capturing every service's posts (a real `sitegen serve`
and a real POST per provider)."""

from __future__ import annotations

import csv
import html
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitefactory import edit, make_site, snapshot, write
from test_serve_cli import Cli

from sitegen.cli import main

PROVIDERS = {
    "netlify": "",
    "formspree": "endpoint: xyzabc",
    "basin": "endpoint: b4s1n",
    "getform": "endpoint: g3tf0rm",
    "custom": "endpoint: https://forms.example-hipaa.com/submit/intake",
}
HEALTH_FORM = """\
title: Health history
intro: Before your first visit.
submit_label: Send my answers
fields:
  - name: name
    label: Full name
    required: true
  - name: medications
    type: textarea
    label: Medications you take
    sensitive: true
"""


def build(site: Path) -> str:
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    return result.output


def page(site: Path, url: str) -> str:
    return (site / "public" / url.strip("/") / "index.html").read_text()


def footer(html_text: str) -> str:
    (text,) = re.findall(r'<div class="wrap footer-legal">\s*<p>(.*?)</p>', html_text, re.DOTALL)
    return html.unescape(text)


def form_page(site: Path, slug: str, form: str) -> None:
    write(
        site,
        f"pages/{slug}.md",
        f"---\ntitle: {slug.title()}\nmenu: footer\nform: {form}\n---\nPlease fill in.\n",
    )


def per_form(site: Path, text: str) -> None:
    edit(site, "site.yaml", "brand:", f"forms:\n  per_form:\n{text}brand:")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    write(site, "forms/health-history.yaml", HEALTH_FORM)
    form_page(site, "health", "health-history")
    form_page(site, "contact-us", "contact")
    return site


def test_one_form_on_a_baa_covered_service_the_others_on_netlify(site: Path) -> None:
    per_form(
        site,
        "    health-history:\n      provider: custom\n"
        "      endpoint: https://hipaa.example.com/f/1\n      baa: true\n",
    )
    build(site)
    health, contact = page(site, "/health/"), page(site, "/contact-us/")
    assert (
        'action="https://hipaa.example.com/f/1"' in health and "data-netlify" not in health.split("<form")[1]
    )
    assert 'action="/thanks/contact/"' in contact and 'data-netlify="true"' in contact
    headers = (site / "public" / "_headers").read_text()
    assert "form-action 'self' https://hipaa.example.com" in headers
    # the footer follows the forms: welcome on the covered form's page, pointed to it elsewhere
    assert (
        footer(health) == "© Your Practice Name. This website gives general information, not medical advice."
    )
    assert footer(contact).endswith(
        "not medical advice; please send health details only through the “Health history” form."
    )


def test_a_site_wide_baa_with_one_form_left_out_points_to_the_covered_form(site: Path) -> None:
    edit(
        site,
        "site.yaml",
        "brand:",
        "forms:\n  baa: true\n  per_form:\n    contact: {provider: netlify}\nbrand:",
    )
    build(site)
    assert footer(page(site, "/health/")).endswith("not medical advice.")
    assert footer(page(site, "/contact-us/")).endswith("only through the “Health history” form.")
    (site / "content" / "pages" / "health.md").unlink()  # the covered form no longer on any page
    build(site)
    assert footer(page(site, "/contact-us/")).endswith("please do not send health details through it.")


def test_without_any_baa_the_footer_asks_for_no_health_details(site: Path) -> None:
    (site / "content" / "forms" / "health-history.yaml").write_text(
        HEALTH_FORM.replace("sensitive: true", "")
    )
    build(site)
    for url in ("/health/", "/contact-us/", "/about/"):
        assert footer(page(site, url)).endswith("please do not send health details through it.")


def test_a_sensitive_field_on_a_form_without_its_own_baa_is_refused_and_the_hint_names_per_form(
    site: Path,
) -> None:
    per_form(site, "    contact:\n      provider: formspree\n      endpoint: abc\n      baa: true\n")
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1
    assert (
        'error[SG601] form "health-history": the field "medications" is marked sensitive, but the form '
        in (result.output)
    )
    assert "forms.per_form.health-history" in result.output


def test_a_per_form_entry_naming_no_form_is_an_error_at_its_line(site: Path) -> None:
    per_form(site, "    health-history:\n      provider: basin\n      endpoint: abc\n      baa: true\n")
    build(site)
    before = snapshot(site / "public")
    edit(site, "site.yaml", "    health-history:", "    health-histroy:")  # a slip of the keyboard
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1 and snapshot(site / "public") == before
    line = (site / "content" / "site.yaml").read_text().splitlines().index("    health-histroy:") + 1
    assert (
        f'content/site.yaml:{line}: error[SG231] forms.per_form: there is no form "health-histroy" '
        '(did you mean "health-history"?)' in result.output
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A site with one form per provider, under a real `sitegen serve`."""
    site = make_site(tmp_path)
    entries = ""
    for provider, endpoint in PROVIDERS.items():
        write(site, f"forms/via-{provider}.yaml", HEALTH_FORM.replace("Health history", f"Via {provider}"))
        form_page(site, f"via-{provider}", f"via-{provider}")
        entries += f"    via-{provider}:\n      provider: {provider}\n      baa: true\n"
        entries += f"      {endpoint}\n" if endpoint else ""
    per_form(site, entries)
    running = Cli([str(site), "--port", "0"])
    try:
        yield site, running.url()
    finally:
        running.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.mark.parametrize("provider", list(PROVIDERS))
def test_the_dev_server_captures_every_providers_form_and_sends_nothing_away(
    served: tuple[Path, str], provider: str
) -> None:
    site, url = served
    with urllib.request.urlopen(f"{url}/via-{provider}/", timeout=30) as response:
        text = response.read().decode()
    (tag,) = re.findall(r"<form\b[^>]*>", text)
    action = html.unescape(re.search(r'\saction="([^"]*)"', tag)[1])
    assert action == f"/thanks/via-{provider}/"  # on this server, whatever the service
    form = text[text.index(tag) : text.index("</form>", text.index(tag))]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)"[^>]*?value="([^"]*)"', form))
    fields = {**hidden, "name": "Ann Lee", "medications": "=none", "bot-field": "", "_gotcha": ""}
    request = urllib.request.Request(
        url + action,
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"{url}/via-{provider}/"},
    )
    with pytest.raises(urllib.error.HTTPError) as answer:  # the 303 to the thank-you page, not followed
        urllib.request.build_opener(NoRedirect).open(request, timeout=30)
    with answer.value:  # the answer holds its connection until closed
        assert answer.value.code == 303 and answer.value.headers["Location"] == f"/thanks/via-{provider}/"
    with (site / ".sitegen" / "submissions" / f"via-{provider}.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["name"], r["medications"]) for r in rows] == [("Ann Lee", "'=none")]
    assert not {"form-name", "_next", "_gotcha", "bot-field"} & set(rows[0])
    # the built page itself still posts to the service
    built = CliRunner().invoke(main, ["build", str(site), "--out", str(site.parent / "out")])
    assert built.exit_code == 0, built.output
    published = (site.parent / "out" / f"via-{provider}" / "index.html").read_text()
    expected = {
        "netlify": 'action="/thanks/via-netlify/"',
        "formspree": 'action="https://formspree.io/f/xyzabc"',
        "basin": 'action="https://usebasin.com/f/b4s1n"',
        "getform": 'action="https://getform.io/f/g3tf0rm"',
        "custom": 'action="https://forms.example-hipaa.com/submit/intake"',
    }
    assert expected[provider] in published


def test_in_development_a_spanish_page_posts_to_its_spanish_thank_you_page(site: Path) -> None:
    edit(
        site,
        "site.yaml",
        "brand:",
        "languages: [en, es]\nforms:\n  provider: formspree\n  endpoints:\n    contact: abc\nbrand:",
    )
    (site / "content" / "pages" / "health.md").unlink()
    (site / "content" / "forms" / "health-history.yaml").unlink()
    write(site, "pages/contact-us.es.md", "---\ntitle: Contacto\n---\nEscríbanos.\n")
    running = Cli([str(site), "--port", "0"])
    try:
        url = running.url()
        with urllib.request.urlopen(f"{url}/es/contact-us/", timeout=30) as response:
            text = response.read().decode()
    finally:
        running.stop()
    (tag,) = re.findall(r"<form\b[^>]*>", text)
    assert (
        ' action="/es/thanks/contact/"' in tag and 'data-sitegen-action="https://formspree.io/f/abc"' in tag
    )
