"""Every HTML page of the site: which template renders it, with what, and from which sources.

`plan` decides the pages (pure data), `render` runs the templates. Keeping the two apart lets the
sitemap list exactly the pages that exist, and lets a later incremental build skip pages whose
sources did not change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

from sitegen.content.i18n import Catalogue
from sitegen.content.kinds import index_url
from sitegen.core.urls import (
    FAQ_URL,
    REVIEW_URL,
    TAGS_URL,
    paginated_url,
    slugify,
)
from sitegen.models import Membership, Page, Post, Provider, Service
from sitegen.models.hours import upcoming
from sitegen.render import memberships as membership_pages
from sitegen.render import referral_pages as referral
from sitegen.render.plans import PagePlan
from sitegen.site.assembly import Site


def plan(site: Site, catalogue: Catalogue) -> list[PagePlan]:
    """Every page of one edition, titled in its language (`catalogue`)."""
    return list(_plan(site, catalogue))


def _plan(site: Site, catalogue: Catalogue) -> Iterator[PagePlan]:
    _ = catalogue.format
    home_crumb = [(_("Home"), "/")]
    yield _home_plan(site)
    for page in site.pages:
        yield _page_plan(site, page, _, home_crumb)
    yield from _thanks_plans(site)
    yield from _service_pages(site, _, home_crumb)
    yield from _team_pages(site, _, home_crumb)
    yield from _location_pages(site, _, home_crumb)
    yield from _post_pages(site, _, home_crumb)
    yield from membership_pages.plans(site, _, home_crumb)
    if site.faq:
        yield PagePlan(
            FAQ_URL,
            "faq.html",
            _("Frequently asked questions"),
            _("Answers to common questions about visiting %(name)s.", name=site.config.name),
            ("content/faq.yaml",),
            {"groups": _faq_groups(site)},
            home_crumb,
        )
    yield from referral.plans(site, catalogue)
    yield from _voice_pages(site, _, home_crumb)
    yield PagePlan(
        "/404.html",
        "404.html",
        _("Page not found"),
        site.config.description,
        (site.config.src_path,),
        {},
        in_sitemap=False,
    )


def _thanks_plans(site: Site) -> Iterator[PagePlan]:
    """Each form's thank-you page, outside the sitemap."""
    for view in site.forms.values():
        yield PagePlan(
            view.thanks_url,
            "thanks.html",
            view.form.thanks_title,
            view.form.thanks_title,
            (view.form.src_path,),
            {"form": view, "share": referral.share_texts(site)},
            in_sitemap=False,
        )


def _index_plan(
    kind: str,
    title: str,
    description: str,
    docs: Sequence[Any],
    home_crumb: list[tuple[str, str]],
    template: str = "",
) -> PagePlan:
    """A kind's index page (template `<kind>.html` unless given); it lists `docs`, so a change to any of
    them renders it again."""
    return PagePlan(
        index_url(kind),
        template or f"{kind}.html",
        title,
        description,
        tuple(d.src_path for d in docs),
        {},
        home_crumb,
    )


def _service_pages(
    site: Site, _: Callable[..., str], home_crumb: list[tuple[str, str]]
) -> Iterator[PagePlan]:
    """The treatments index, then a page per service."""
    yield _index_plan(
        "services",
        _("Treatments and prices"),
        _("Treatments at %(name)s, with transparent prices and packages.", name=site.config.name),
        site.services,
        home_crumb,
    )
    for service in site.services:
        yield _service_plan(site, service, _, home_crumb)


def _team_pages(site: Site, _: Callable[..., str], home_crumb: list[tuple[str, str]]) -> Iterator[PagePlan]:
    """The team index, then a page per provider."""
    yield _index_plan(
        "providers",
        _("Our team"),
        _("The clinicians of %(name)s: credentials, roles and specialties.", name=site.config.name),
        site.providers,
        home_crumb,
        "team.html",
    )
    for provider in site.providers:
        yield _provider_plan(site, provider, _, home_crumb)


def _location_pages(
    site: Site, _: Callable[..., str], home_crumb: list[tuple[str, str]]
) -> Iterator[PagePlan]:
    """The locations index, then a page per location with its services and providers."""
    locations_index = index_url("locations")
    yield _index_plan(
        "locations",
        _("Locations and hours"),
        _("Where to find %(name)s: addresses, hours and phone numbers.", name=site.config.name),
        site.locations,
        home_crumb,
    )
    for location in site.locations:
        yield PagePlan(
            location.url,
            "location.html",
            location.name,
            _(
                "%(name)s %(office)s: %(street)s, %(city)s. Hours, phone and directions.",
                name=site.config.name,
                office=location.name,
                street=location.address.street,
                city=location.address.city,
            ),
            (location.src_path,),
            {
                "location": location,
                "services": site.services_at(location),
                "providers": site.providers_at(location),
                "special_hours": upcoming(location.special_hours, site.today or date.today()),
                "insurance": site.insurance_at(location),
                "financing": site.financing_at(location),
            },
            home_crumb + [(_("Locations"), locations_index)],
        )


def document_plan(site: Site, model: Any, catalogue: Catalogue) -> PagePlan | None:
    """The plan of one document's own page (home, page, treatment, provider or post) exactly as `plan`
    makes it, or None for a document without a page of its own: the dev server re-plans an edited
    document's page alone when it shows the edit before planning the whole site again (see swap.py)."""
    _ = catalogue.format
    if model is site.home:
        return _home_plan(site)
    planner = {
        Page: _page_plan,
        Service: _service_plan,
        Provider: _provider_plan,
        Post: _post_plan,
        Membership: membership_pages.membership_plan,
    }.get(type(model))
    return planner(site, model, _, [(_("Home"), "/")]) if planner else None


def _home_plan(site: Site) -> PagePlan:
    config, home = site.config, site.home
    return PagePlan(
        "/",
        "home.html",
        home.title if home else config.name,
        home.description if home and home.description else config.description,
        (config.src_path,) + ((home.src_path,) if home else ()) + tuple(s.src_path for s in site.services),
        {"page": home},
        image=config.image.src if config.image else None,
    )


def _page_plan(site: Site, page: Page, _: Callable[..., str], home_crumb: list[tuple[str, str]]) -> PagePlan:
    return PagePlan(
        page.url,
        "page.html",
        page.title,
        page.description or site.config.description,
        (page.src_path,),
        {"page": page, "form": site.forms.get(page.form)},
        home_crumb,
        _src(page.image),
        page.updated,
    )


def _service_plan(
    site: Site, service: Service, _: Callable[..., str], home_crumb: list[tuple[str, str]]
) -> PagePlan:
    return PagePlan(
        service.url,
        "service.html",
        service.title,
        service.summary,
        (service.src_path,),
        {
            "service": service,
            "providers": [site.provider(s) for s in service.providers],
            "locations": [
                loc for loc in site.locations if not service.locations or loc.slug in service.locations
            ],
            "testimonials": site.testimonials_for(service.slug),
            "galleries": site.galleries_for(service.slug),
        },
        home_crumb + [(_("Treatments"), index_url("services"))],
        _src(service.image),
    )


def _provider_plan(
    site: Site, provider: Provider, _: Callable[..., str], home_crumb: list[tuple[str, str]]
) -> PagePlan:
    return PagePlan(
        provider.url,
        "provider.html",
        provider.title,
        _(
            "%(person)s, %(role)s at %(name)s.",
            person=provider.name,
            role=provider.role,
            name=site.config.name,
        ),
        (provider.src_path,),
        {
            "provider": provider,
            "services": site.services_by(provider),
            "posts": site.posts_by(provider),
            "locations": [site.location(s) for s in provider.locations],
        },
        home_crumb + [(_("Our team"), index_url("providers"))],
        _src(provider.photo),
    )


def _post_plan(site: Site, post: Post, _: Callable[..., str], home_crumb: list[tuple[str, str]]) -> PagePlan:
    author = site.provider(post.author) if post.author else None
    return PagePlan(
        post.url,
        "post.html",
        post.title,
        post.summary,
        (post.src_path,),
        {"post": post, "author": author, "tags": _tags_of(site, post)},
        home_crumb + [(_("News"), index_url("posts"))],
        _src(post.image),
        post.updated or post.date,
        "article",
    )


def _post_pages(site: Site, _: Callable[..., str], home_crumb: list[tuple[str, str]]) -> Iterator[PagePlan]:
    posts_index = index_url("posts")
    per_page = max(site.config.posts_per_page, 1)
    chunks = [site.posts[i : i + per_page] for i in range(0, len(site.posts), per_page)]  # none: no page
    every_post = tuple(p.src_path for p in site.posts)  # one tuple shared by every news page: not N squared
    for number, chunk in enumerate(chunks, start=1):
        pagination = {
            "number": number,
            "total": len(chunks),
            "prev_url": paginated_url(posts_index, number - 1) if number > 1 else None,
            "next_url": paginated_url(posts_index, number + 1) if number < len(chunks) else None,
        }
        title = _("News") if number == 1 else _("News, page %(number)d", number=number)
        yield PagePlan(
            paginated_url(posts_index, number),
            "posts.html",
            title,
            _("News and advice from the team at %(name)s.", name=site.config.name),
            every_post,
            {"posts": chunk, "pagination": pagination},
            home_crumb,
        )
    for post in site.posts:
        yield _post_plan(site, post, _, home_crumb)
    if site.tags:
        yield PagePlan(
            TAGS_URL,
            "tags.html",
            _("Topics"),
            _("News from %(name)s by topic.", name=site.config.name),
            every_post,
            {},
            home_crumb + [(_("News"), posts_index)],
        )
    for tag in site.tags:
        yield PagePlan(
            tag.url,
            "tag.html",
            _("Posts about %(topic)s", topic=tag.name),
            _("News from %(name)s about %(topic)s.", name=site.config.name, topic=tag.name),
            tuple(p.src_path for p in tag.posts),
            {"tag": tag},
            home_crumb + [(_("News"), posts_index), (_("Topics"), TAGS_URL)],
        )


def _voice_pages(site: Site, _: Callable[..., str], home_crumb: list[tuple[str, str]]) -> Iterator[PagePlan]:
    """What patients say: their testimonials, before-and-after photos, and where to review the practice."""
    config = site.config
    if site.testimonials:
        yield PagePlan(
            index_url("testimonials"),
            "testimonials.html",
            _("What patients say"),
            _(
                "Patients of %(name)s on their treatments, in their own words and with their permission.",
                name=config.name,
            ),
            (config.src_path,) + tuple(t.src_path for t in site.testimonials),
            {"testimonials": site.testimonials},
            home_crumb,
        )
    if site.galleries:
        yield PagePlan(
            index_url("gallery"),
            "gallery.html",
            _("Before and after"),
            _(
                "Before-and-after photos of treatments at %(name)s, shared with each patient's written "
                "permission.",
                name=config.name,
            ),
            (config.src_path,) + tuple(g.src_path for g in site.galleries),
            {"galleries": site.galleries},
            home_crumb,
        )
    if config.reviews:
        yield PagePlan(
            REVIEW_URL,
            "review.html",
            _("Review %(name)s", name=config.name),
            _(
                "Thank you for visiting %(name)s. Share your experience on the review site you prefer.",
                name=config.name,
            ),
            (config.src_path,),
            {"reviews": config.reviews},
            home_crumb,
        )


def _tags_of(site: Site, post: Any) -> list:
    """The post's tags in the site's order (by slug, as `site.assemble` groups them); linear, not
    quadratic."""
    slugs = {slugify(name) for name in post.tags}
    return [tag for tag in site.tags if tag.slug in slugs]


def _src(image: Any) -> str | None:
    return image.src if image else None


def _faq_groups(site: Site) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for item in site.faq:
        groups.setdefault(item.category, []).append(item)
    return list(groups.items())
