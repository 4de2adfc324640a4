"""A person edits the site in /admin/ from `sitegen serve` (Chromium): the file on disk and the served
page change (a field, and a post's text in the rich-text editor); the editor refuses an empty required
field, showing its hint, and a testimonial without the patient's consent. Loading /admin/ also runs the
editor's own validation of the generated configuration (Decap CMS shows "Error loading the CMS
configuration" when a release no longer accepts it), under /admin/'s policy with no violation: from the
dev server, and from a built site served with its `_headers` applied as the host applies them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from adminhelpers import open_entry, publish, served, wait_for
from PIL import Image
from playwright.sync_api import ConsoleMessage, Page, expect
from sitefactory import add_program, make_site, write
from test_demo_quality import hosting

from sitegen.build.pipeline import build
from sitegen.serve import server as serve

pytestmark = pytest.mark.browser


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    add_program(site)
    return site


@pytest.fixture
def server(site: Path) -> Iterator[serve.DevServer]:
    running = serve.start(site, "127.0.0.1", 0)
    yield running
    serve.stop(running)


@pytest.fixture
def violations(page: Page) -> list[str]:
    """What the browser refused under a Content-Security-Policy, as it reports it on the console."""
    found: list[str] = []

    def seen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", seen)
    return found


def test_a_price_and_a_posts_text_changed_in_the_editor_reach_the_file_and_the_page(
    page: Page, server: serve.DevServer, site: Path, violations: list[str]
) -> None:
    open_entry(page, server, "services/entries/consultation")
    page.locator("[id^=amount-field]").fill("65")
    publish(page)
    service = site / "content/services/consultation.md"
    wait_for(lambda: "amount: 65" in service.read_text(encoding="utf-8"), page)
    wait_for(lambda: "$65" in served(server, "/services/consultation/"), page)
    assert not server.site.snapshot.error  # what the editor wrote builds

    page.goto("about:blank")  # a fresh editor, not one that still holds the service
    open_entry(page, server, "posts/entries/welcome")
    summary = page.locator("[id^=summary-field]")
    summary.fill("We moved to a bigger office on Main Street.")
    publish(page)
    post = site / "content/posts/welcome.md"
    wait_for(lambda: "bigger office on Main Street" in post.read_text(encoding="utf-8"), page)
    wait_for(lambda: "bigger office on Main Street" in served(server, "/posts/welcome/"), page)
    assert violations == []  # the editor works within /admin/'s own policy


def test_a_posts_body_edited_in_the_rich_text_editor_is_markdown_sitegen_reads(
    page: Page, server: serve.DevServer, site: Path, tmp_path: Path
) -> None:
    open_entry(page, server, "posts/entries/welcome")
    body = page.locator("[data-slate-editor=true]")
    expect(body).to_contain_text("Your first post.")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("We now open on ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Saturdays")
    page.keyboard.press("Control+b")
    page.keyboard.type(", 9 to 1.")
    publish(page)
    post = site / "content/posts/welcome.md"
    wait_for(lambda: "Saturdays" in post.read_text(encoding="utf-8"), page)
    text = post.read_text(encoding="utf-8")
    assert "We now open on **Saturdays**, 9 to 1." in text, text  # CommonMark, as a person would write it
    assert text.startswith("---\ntitle: Our new website\n")  # the front matter is kept
    wait_for(lambda: "<strong>Saturdays</strong>, 9 to 1." in served(server, "/posts/welcome/"), page)
    found = build(site, tmp_path / "out")  # read by the build without a word about the post
    assert [d for d in found.diagnostics if "welcome" in d.location.src_path] == []


def test_a_required_field_left_empty_is_refused_with_its_hint(
    page: Page, server: serve.DevServer, site: Path
) -> None:
    open_entry(page, server, "services/entries/consultation")
    page.locator("[id^=title-field]").fill("")
    publish(page)
    expect(page.get_by_text("Oops, you've missed a required field")).to_be_visible()
    expect(page.get_by_text("Title is required.")).to_be_visible()
    expect(page.get_by_text("treatment name", exact=True)).to_be_visible()  # the field's doc, as its hint
    assert "title: Aesthetic consultation" in (site / "content/services/consultation.md").read_text()


def test_a_testimonial_without_consent_cannot_be_published(
    page: Page, server: serve.DevServer, site: Path
) -> None:
    open_entry(page, server, "testimonials/new")
    page.locator("[id^=name-field]").first.fill("Sarah K.")
    page.locator("[id^=quote-field]").fill("Kind and careful.")
    publish(page)
    expect(page.get_by_text("Oops, you've missed a required field")).to_be_visible()
    expect(page.get_by_text("Reference is required.")).to_be_visible()  # within the consent record
    page.wait_for_timeout(500)
    assert not list((site / "content").glob("testimonials/*.md"))


EDITOR = "editor:\n  backend: github\n  repo: smile-dental/website\n  base_url: https://auth.example.com\n"


@pytest.mark.parametrize("languages", ["", "languages: [en, es]\n"])  # the second: folders described
def test_the_published_editor_loads_under_its_own_policy_and_offers_the_git_hosts_sign_in(
    page: Page, site: Path, violations: list[str], languages: str
) -> None:
    config = site / "content/site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + EDITOR + languages, encoding="utf-8")
    build(site, site / "public")
    with hosting(site / "public") as url:
        response = page.goto(url + "/admin/")
        assert response is not None and "'unsafe-eval'" in response.headers["content-security-policy"]
        expect(page.get_by_role("button", name="Login with GitHub")).to_be_visible()
        expect(page.get_by_text("Error loading the CMS configuration")).to_have_count(0)
        assert violations == []
        home = page.goto(url + "/")
        assert home is not None and "unsafe" not in home.headers["content-security-policy"]
        assert violations == []


def test_a_translation_is_edited_beside_its_original(page: Page, site: Path, violations: list[str]) -> None:
    config = site / "content/site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "languages: [en, es]\n", encoding="utf-8")
    write(site, "posts/welcome.es.md", "---\ntitle: Nuestro nuevo sitio web\n---\nSu primera entrada.\n")
    original = (site / "content/posts/welcome.md").read_text(encoding="utf-8")
    running = serve.start(site, "127.0.0.1", 0)
    try:
        open_entry(page, running, "posts/entries/welcome")
        expect(page.get_by_text("Writing in ES")).to_be_visible()
        titles = page.locator("input[id^=title-field]")
        expect(titles.nth(0)).to_have_value("Our new website")  # the original, left
        expect(titles.nth(1)).to_have_value("Nuestro nuevo sitio web")  # its translation, beside it
        titles.nth(1).fill("Estrenamos sitio web")
        publish(page)
        spanish = site / "content/posts/welcome.es.md"
        wait_for(lambda: "Estrenamos" in spanish.read_text(encoding="utf-8"), page)
        text = spanish.read_text(encoding="utf-8")
        assert "Su primera entrada." in text
        for key in ("date:", "author:", "tags:", "slug:", "draft:"):  # the original's only: never copied
            assert key not in text, text
        assert not (site / "content/posts/welcome.en.md").exists()
        assert "title: Our new website" in (site / "content/posts/welcome.md").read_text(encoding="utf-8")
        wait_for(lambda: "Estrenamos sitio web" in served(running, "/es/posts/welcome/"), page)
        assert not running.site.snapshot.error and violations == []
        assert (site / "content/posts/welcome.md").read_text(encoding="utf-8").count("---") == original.count(
            "---"
        )
    finally:
        serve.stop(running)


def test_a_mistake_the_editor_can_check_is_refused_in_the_field(page: Page, server: serve.DevServer) -> None:
    open_entry(page, server, "testimonials/new")
    page.locator("[id^=rating-field]").fill("7")  # sitegen check: SG625, a rating outside 1 to 5
    page.locator("[id^=slug-field]").fill("Sarah K")  # SG207: an address only takes a-z, 0-9, hyphens
    publish(page)
    expect(page.get_by_text("Rating must be between 1 and 5.")).to_be_visible()
    expect(
        page.get_by_text("Slug didn't match the pattern: lower-case letters, digits and hyphens")
    ).to_be_visible()


def test_a_mistake_only_the_build_finds_is_on_the_previews_error_page(
    page: Page, server: serve.DevServer, site: Path
) -> None:
    open_entry(page, server, "posts/entries/welcome")
    page.get_by_label("markdown field").get_by_role("switch").click()  # the body as Markdown text
    text = page.locator("[data-slate-editor=true]")
    text.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("See our [summer prices](/summer-prices/).")
    publish(page)
    post = site / "content/posts/welcome.md"
    wait_for(lambda: "[summer prices](/summer-prices/)" in post.read_text(encoding="utf-8"), page)
    wait_for(lambda: server.site.snapshot.error != "", page)
    preview = page.context.new_page()
    preview.goto(server.url + "/posts/welcome/")
    expect(preview.get_by_role("heading", name="The site could not be built")).to_be_visible()
    problem = preview.get_by_role("listitem").filter(has_text="SG302")
    expect(problem).to_contain_text("content/posts/welcome.md")
    expect(problem).to_contain_text("/summer-prices/")


def test_a_new_provider_with_a_photo_is_added_from_the_browser(
    page: Page, server: serve.DevServer, site: Path, tmp_path: Path, violations: list[str]
) -> None:
    portrait = tmp_path / "jamie-lee.jpg"
    Image.new("RGB", (600, 800), (120, 160, 180)).save(portrait, quality=80)
    open_entry(page, server, "providers/new")
    page.locator("[id^=name-field]").first.fill("Dr. Jamie Lee")
    page.locator("[id^=role-field]").fill("Dermatologist")
    page.locator("[class*=ExpandButtonContainer]").filter(has_text="Photo").locator("button").first.click()
    page.get_by_role("button", name="Choose an image").click()
    page.locator("input[type=file]").set_input_files(str(portrait))  # the media library's upload
    page.get_by_role("button", name="Choose selected").click()
    page.locator("[id^=alt-field]").first.fill("Dr. Jamie Lee smiling in the treatment room")
    publish(page)
    uploaded = site / "content/static/uploads/jamie-lee.jpg"
    wait_for(uploaded.is_file, page)
    assert uploaded.read_bytes() == portrait.read_bytes()
    wait_for(lambda: list((site / "content/providers").glob("dr-jamie-lee.md")), page)
    text = (site / "content/providers/dr-jamie-lee.md").read_text(encoding="utf-8")
    assert "src: /uploads/jamie-lee.jpg" in text, text
    wait_for(lambda: "Dr. Jamie Lee" in served(server, "/team/"), page)
    assert "Dr. Jamie Lee smiling in the treatment room" in served(server, "/team/dr-jamie-lee/")
    assert not server.site.snapshot.error and violations == []  # the upload is read through a blob: URL


def test_a_campaign_started_from_the_browser_is_published(
    page: Page, server: serve.DevServer, site: Path, violations: list[str]
) -> None:
    open_entry(page, server, "campaigns/new")
    page.locator("[id^=title-field]").first.fill("Spring glow")
    page.locator("[id^=summary-field]").first.fill("A facial for you and a friend this spring.")
    page.locator("[id^=start-field]").fill("2026-03-01")
    page.locator("[id^=end-field]").fill("2099-05-31")
    page.locator("[id^=offer-field]").first.fill("$20 off a HydraFacial")
    publish(page)
    campaign = site / "content/campaigns/spring-glow.md"
    wait_for(campaign.is_file, page)
    text = campaign.read_text(encoding="utf-8")
    assert "\nstart: 2026-03-01\n" in text and "\nend: 2099-05-31\n" in text, text  # as sitegen reads dates
    wait_for(lambda: "Spring glow" in served(server, "/refer/"), page)
    assert not server.site.snapshot.error and violations == []


def test_the_programs_translation_is_edited_in_the_editor(page: Page, site: Path) -> None:
    config = site / "content/site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "languages: [en, es]\n", encoding="utf-8")
    running = serve.start(site, "127.0.0.1", 0)
    try:
        open_entry(page, running, "settings/entries/program_es")
        page.locator("[id^=headline-field]").first.fill("Recomiende a una amiga")
        publish(page)
        spanish = site / "content/program.es.yaml"
        wait_for(spanish.is_file, page)
        assert spanish.read_text(encoding="utf-8") == "headline: Recomiende a una amiga\n"  # its text only
        wait_for(lambda: "Recomiende a una amiga" in served(running, "/es/refer/"), page)
        assert "Recomiende a una amiga" not in served(running, "/refer/")
        assert not running.site.snapshot.error
    finally:
        serve.stop(running)
