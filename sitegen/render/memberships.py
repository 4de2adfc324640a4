"""The pages of memberships and packages: the listing at /memberships/ and one page each, with its
sign-up form, which says which membership the patient asks for (a hidden `membership` field)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

from sitegen.content.kinds import index_url
from sitegen.models import Membership
from sitegen.render.plans import PagePlan
from sitegen.site.assembly import Site


def plans(site: Site, _: Callable[..., str], home_crumb: list[tuple[str, str]]) -> Iterator[PagePlan]:
    """The listing (only when there is a membership) and each membership's page."""
    if not site.memberships:
        return
    yield PagePlan(
        index_url("memberships"),
        "memberships.html",
        _("Memberships and packages"),
        _(
            "Memberships and packages at %(name)s: what each includes, its price and terms.",
            name=site.config.name,
        ),
        tuple(m.src_path for m in site.memberships),
        {"memberships": site.memberships},
        home_crumb,
    )
    for membership in site.memberships:
        yield membership_plan(site, membership, _, home_crumb)


def membership_plan(
    site: Site, membership: Membership, _: Callable[..., str], home_crumb: list[tuple[str, str]]
) -> PagePlan:
    """The membership's page; its form sends `membership` (the title) with the patient's answers."""
    form = site.forms.get(membership.form)
    if form is not None:
        hidden = [(k, membership.title if k == "membership" else v) for k, v in form.hidden]
        form = dataclasses.replace(form, hidden=hidden)
    return PagePlan(
        membership.url,
        "membership.html",
        membership.title,
        membership.summary,
        (membership.src_path,),
        {"membership": membership, "form": form},
        home_crumb + [(_("Memberships and packages"), index_url("memberships"))],
        membership.image.src if membership.image else None,
    )
