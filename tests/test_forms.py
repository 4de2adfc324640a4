"""Forms: each form service's documented contract, read from the built HTML; safe in the browser."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Page, expect
from sitefactory import edit, make_site, snapshot, write

from sitegen.cli import main
from sitegen.serve import server as serve


class FormParser(HTMLParser):
    """The forms of a page as a form service's crawler sees them: attributes and inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": values, "inputs": []})
        elif tag in ("input", "select", "textarea", "button") and self.forms:
            self.forms[-1]["inputs"].append({"tag": tag, **values})


def forms_in(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def hidden(form: dict) -> dict[str, str]:
    return {i["name"]: i.get("value", "") for i in form["inputs"] if i.get("type") == "hidden"}


def build(site: Path) -> str:
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    write(site, "pages/book.md", "---\ntitle: Book\nform: appointment\n---\nAsk for a visit.\n")
    return site


def use_provider(site: Path, text: str) -> None:
    edit(site, "site.yaml", "brand:", f"forms:\n{text}\nbrand:")


def test_netlify_form_follows_netlifys_detection_rules(site: Path) -> None:
    build(site)
    (form,) = forms_in((site / "public" / "book" / "index.html").read_text())
    attrs = form["attrs"]
    assert attrs["name"] == "appointment" and attrs["method"] == "POST"
    assert attrs["data-netlify"] == "true" and attrs["data-netlify-honeypot"] == "bot-field"
    assert attrs["action"] == "/thanks/appointment/"
    assert (site / "public" / "thanks" / "appointment" / "index.html").is_file()
    assert hidden(form)["form-name"] == "appointment"
    names = [i.get("name") for i in form["inputs"]]
    assert "bot-field" in names and all(
        names[i] for i in range(len(names)) if form["inputs"][i]["tag"] != "button"
    )
    assert {"referral_code", "utm_source", "utm_medium", "utm_campaign", "landing_page"} <= set(hidden(form))
    assert not any(i.get("type") == "file" for i in form["inputs"])


@pytest.mark.parametrize(
    ("provider", "host"),
    [
        ("formspree", "https://formspree.io/f/"),
        ("basin", "https://usebasin.com/f/"),
        ("getform", "https://getform.io/f/"),
    ],
)
def test_hosted_services_get_their_documented_action_and_honeypot(
    site: Path, provider: str, host: str
) -> None:
    use_provider(site, f"  provider: {provider}\n  endpoints:\n    appointment: abc123XY")
    build(site)
    (form,) = forms_in((site / "public" / "book" / "index.html").read_text())
    assert form["attrs"]["action"] == host + "abc123XY" and form["attrs"]["method"] == "POST"
    assert "data-netlify" not in form["attrs"] and "form-name" not in hidden(form)
    assert "_gotcha" in [i.get("name") for i in form["inputs"]]
    if provider == "formspree":
        assert hidden(form)["_next"] == "https://www.example.com/thanks/appointment/"


def test_custom_service_posts_to_its_https_address(site: Path) -> None:
    use_provider(site, "  provider: custom\n  endpoints:\n    appointment: https://forms.example.org/in/42")
    build(site)
    (form,) = forms_in((site / "public" / "book" / "index.html").read_text())
    assert form["attrs"]["action"] == "https://forms.example.org/in/42"


def test_custom_service_without_https_is_refused(site: Path) -> None:
    build(site)
    before = snapshot(site / "public")
    use_provider(site, "  provider: custom\n  endpoints:\n    appointment: http://forms.example.org/in/42")
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1
    assert (
        'error[SG103] forms.endpoints.appointment: "http://forms.example.org/in/42" is not an https:// '
        "address" in result.output
    )
    assert snapshot(site / "public") == before


def test_a_hosted_service_needs_the_forms_id(site: Path) -> None:
    use_provider(site, "  provider: formspree")
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1
    assert (
        'content/site.yaml:9: error[SG103] forms.endpoints: no address for the "appointment" form at '
        "formspree" in result.output
    )


def test_a_sensitive_field_without_a_baa_fails_the_build(site: Path) -> None:
    build(site)
    before = snapshot(site / "public")
    write(
        site,
        "forms/skin-history.yaml",
        "title: Skin history\nfields:\n  - name: name\n    label: Name\n"
        "  - name: conditions\n    type: textarea\n    label: Skin conditions\n    sensitive: true\n",
    )
    edit(site, "pages/book.md", "form: appointment", "form: skin-history")
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 1
    assert (
        'content/forms/skin-history.yaml:5: error[SG601] form "skin-history": the field "conditions" is '
        "marked "
        "sensitive, but the form service (netlify) has no signed business associate agreement"
    ) in result.output
    assert "forms.baa: true" in result.output
    assert snapshot(site / "public") == before
    use_provider(site, "  baa: true")
    build(site)


def test_custom_form_fields_are_checked(site: Path) -> None:
    write(
        site,
        "forms/survey.yaml",
        "title: Survey\nfields:\n  - name: colour\n    type: select\n    label: Colour\n"
        "  - name: bot-field\n    label: Trap\n  - name: note\n",
    )
    edit(site, "pages/book.md", "form: appointment", "form: survey")
    output = CliRunner().invoke(main, ["build", str(site)]).output
    assert (
        'content/forms/survey.yaml:3: error[SG202] form "survey": the select field "colour" has no choices'
        in output
    )
    assert (
        'content/forms/survey.yaml:6: error[SG209] form "survey": the field name "bot-field" cannot be used'
        in output
    )
    assert 'content/forms/survey.yaml:8: error[SG202] form "survey": the field "note" has no label' in output


def test_a_page_naming_an_unknown_form_is_an_error(site: Path) -> None:
    edit(site, "pages/book.md", "form: appointment", "form: apointment")
    output = CliRunner().invoke(main, ["build", str(site)]).output
    assert (
        'content/pages/book.md:3: error[SG301] form: no form "apointment" (did you mean "appointment"?)'
        in output
    )


def test_built_in_forms_can_be_changed_in_site_yaml(site: Path) -> None:
    use_provider(
        site,
        "  builtin:\n    appointment:\n      title: Plan your first visit\n"
        "      submit_label: Send my request",
    )
    build(site)
    html = (site / "public" / "book" / "index.html").read_text()
    assert ">Plan your first visit</h2>" in html and ">Send my request</button>" in html


def test_every_field_is_labelled_and_described(site: Path) -> None:
    build(site)
    html = (site / "public" / "book" / "index.html").read_text()
    (form,) = forms_in(html)
    for field in form["inputs"]:
        if (
            field["tag"] in ("input", "select", "textarea")
            and field.get("type") != "hidden"
            and field.get("name") != "bot-field"
            and field.get("type") != "radio"
        ):
            assert f'for="{field["id"]}"' in html, field
            assert f"{field['id']}-error" in field["aria-describedby"], field
    assert 'href="/privacy/"' in html


# -- in the browser -------------------------------------------------------------------------------


@pytest.fixture
def server(site: Path) -> Iterator[serve.DevServer]:
    running = serve.start(site, "127.0.0.1", 0)
    yield running
    serve.stop(running)


@pytest.mark.browser
def test_required_fields_block_sending_with_announced_messages(server: serve.DevServer, page: Page) -> None:
    page.goto(server.url + "/book/")
    page.get_by_role("button", name="Request my consultation").click()
    expect(page).to_have_url(server.url + "/book/")
    expect(page.get_by_role("alert")).to_have_text("Please correct 5 fields below.")
    name = page.get_by_label("Full name")
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description("Please fill in “Full name”.")
    page.get_by_role("textbox", name="Email").fill("not-an-email")
    page.get_by_role("button", name="Request my consultation").click()
    expect(page.locator("#appointment-email-error")).to_have_text(
        "Please enter an email address like name@example.com."
    )


@pytest.mark.browser
def test_a_valid_request_reaches_the_form_service_and_the_thank_you_page(
    server: serve.DevServer, site: Path, page: Page
) -> None:
    page.goto(server.url + "/book/?ref=ABC123&utm_source=sms&utm_campaign=spring")
    page.get_by_label("Full name").fill("Rosa Park")
    page.get_by_role("textbox", name="Email").fill("rosa@example.com")
    page.get_by_role("textbox", name="Phone").fill("512 555 0199")
    page.get_by_label("Preferred office").select_option("Main office")
    page.get_by_label("I agree to be contacted").check()
    page.get_by_role("button", name="Request my consultation").click()
    page.wait_for_url(server.url + "/thanks/appointment/")
    expect(page.locator("h1")).to_have_text("Your request is in")
    with (site / ".sitegen" / "submissions" / "appointment.csv").open(newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["name"], row["email"], row["location"], row["consent"]) == (
        "Rosa Park",
        "rosa@example.com",
        "Main office",
        "yes",
    )
    assert (row["referral_code"], row["utm_source"], row["utm_campaign"], row["landing_page"]) == (
        "ABC123",
        "sms",
        "spring",
        "/book/",
    )


@pytest.mark.browser
def test_a_hostile_address_only_ever_becomes_a_field_value(server: serve.DevServer, page: Page) -> None:
    hostile = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(
        server.url
        + "/book/?ref="
        + hostile.replace("<", "%3C").replace(">", "%3E").replace('"', "%22").replace(" ", "%20")
    )
    expect(page.locator("#appointment-referral_code")).to_have_value(hostile[:100])
    assert page.locator("img[src=x]").count() == 0 and dialogs == []
    assert page.evaluate("document.querySelectorAll('script:not([src]):not([type])').length") == 0


def test_every_demo_form_is_detectable_by_netlify(demo_site: Path) -> None:
    """As Netlify's deploy step would: forms in the static HTML, one definition per name, form-name = name."""
    definitions: dict[str, tuple[str, ...]] = {}
    for file in sorted(demo_site.rglob("*.html")):
        for form in forms_in(file.read_text()):
            attrs = form["attrs"]
            name = attrs["name"]
            assert attrs["data-netlify"] == "true" and attrs["method"] == "POST", file
            assert hidden(form)["form-name"] == name, file
            assert (demo_site / attrs["action"].strip("/") / "index.html").is_file(), attrs["action"]
            fields = tuple(sorted(i["name"] for i in form["inputs"] if i.get("name")))
            assert definitions.setdefault(name, fields) == fields, f"{name} differs between pages ({file})"
    assert {"appointment", "contact", "enroll", "refer", "feedback"} <= set(definitions)
