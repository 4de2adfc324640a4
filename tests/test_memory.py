"""What a build holds once its documents are loaded: posts and services without their Markdown (the
texts of 10,000 posts were a sixth of a large build's memory), and the rules that read those texts still
find what they found in them, at the same lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitefactory import edit, make_site, write

from sitegen.build.pipeline import BuildOptions, Session, build, check, render_site

TODAY = date(2026, 6, 1)
REVIEW_OFFER = "Leave us a review on Google and get 10% off your next visit."
REVIEW_OFFER_ES = "Déjenos una reseña en Google y reciba un 10% de descuento en su próxima visita."
POST = "---\ntitle: News\ndate: 2026-01-20\nsummary: What is new.\nauthor: alex-rivera\n---\n"


def findings(site: Path, code: str) -> list[str]:
    return [
        f"{d.location.src_path}:{d.location.line}: {d.message}"
        for d in check(site, today=TODAY).diagnostics
        if d.code == code
    ]


def test_a_build_lets_go_of_the_markdown_of_posts_and_services_but_not_of_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write(site, "posts/news.md", POST + "Our new laser arrived.\n")
    result = build(site, site / "public", today=TODAY)
    assert result.site is not None
    posts, services = result.site.posts, result.site.services
    assert posts and services
    assert all(d.body == "" and d.html for d in [*posts, *services])  # rendered, then let go
    assert "<p>Our new laser arrived.</p>" in (site / "public/posts/news/index.html").read_text()
    privacy = result.site.get("pages", "privacy")
    assert privacy is not None and "This website uses no" in privacy.body  # SG631 reads it whole

    edit(site, "pages/about.md", "menu: header", "menu: footer")  # the posts now come from the cache
    again = build(site, site / "public", today=TODAY)
    assert again.site is not None and again.site.posts
    assert all(d.body == "" for d in again.site.posts)


def test_an_offer_for_reviews_in_a_post_is_found_once_in_the_original_and_again_in_its_own_translation(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path)
    edit(site, "site.yaml", "brand:", "languages: [en, es]\nbrand:")
    write(site, "posts/news.md", POST + f"We have news.\n\n{REVIEW_OFFER}\n")
    original = f'content/posts/news.md:9: offers something for a review: "{REVIEW_OFFER}"'
    assert findings(site, "SG627") == [original]
    write(site, "posts/news.es.md", "---\ntitle: Noticias\n---\n")  # its text is the original's
    assert findings(site, "SG627") == [original]
    write(site, "posts/news.es.md", f"---\ntitle: Noticias\n---\nNoticias.\n\n{REVIEW_OFFER_ES}\n")
    assert findings(site, "SG627") == [
        f'content/posts/news.es.md:6: offers something for a review: "{REVIEW_OFFER_ES}"',
        original,
    ]


def test_a_post_that_embeds_another_sites_frame_is_reported_at_its_line(tmp_path: Path) -> None:
    """SG631 names the line of the post's text that loads it: read again from the post's file."""
    site = make_site(tmp_path)
    edit(site, "site.yaml", "brand:", "allow_html: true\nbrand:")
    frame = '<iframe src="https://widgets.bookly-cal.net/embed"></iframe>'
    write(site, "posts/news.md", POST + f"Book online.\n\n{frame}\n")
    assert findings(site, "SG631") == [
        "content/posts/news.md:9: /posts/news/ loads iframe content from widgets.bookly-cal.net, "
        "which the privacy policy does not mention"
    ]
    edit(
        site,
        "pages/privacy.md",
        "This website uses no",
        "Our booking calendar is Bookly.\nThis website uses no",
    )
    assert findings(site, "SG631") == []


def test_a_build_in_one_process_does_not_keep_the_markdown_it_rendered(tmp_path: Path) -> None:
    """The renderer remembers short texts (answers, directions) for the dev server's next build, never a
    document's body: the build cache keeps documents, and remembering 10,000 bodies held all their texts."""
    site = make_site(tmp_path)
    write(site, "posts/news.md", POST + "Our new laser arrived.\n")
    session = Session()
    result = render_site(site, BuildOptions(jobs=1, today=TODAY), session=session)
    assert "<p>Our new laser arrived.</p>" in result.site.get("posts", "news").html
    remembered = [text for text, _ in [*session.renderer._current, *session.renderer._previous]]
    assert remembered, "short texts are still remembered"
    assert not any("Our new laser arrived." in text for text in remembered)
