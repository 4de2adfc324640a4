"""Privacy rules: health information only to a provider with a BAA, a privacy link on every form,
third parties named in the privacy policy, and referral codes that never reach another site.

Sources: HIPAA business associate rules (no BAA on ordinary plans of Netlify, Formspree, Basin,
Getform); OCR's 2022/2024 bulletin on online tracking; state privacy laws requiring a privacy notice
where personal data is collected (e.g. CalOPPA).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from sitegen.checks.registry import CheckContext, Finding, declare, rule
from sitegen.content.bodies import body_from_source
from sitegen.core.errors import SourceLocation
from sitegen.core.urls import REFER_URL, WELCOME_URL
from sitegen.render.hostrules import headers_for, parse_headers

declare(
    "SG601",
    "error",
    "Privacy",
    "a form field marked sensitive (health information) that would go to a form service without a signed BAA",
    "HIPAA: health information may only go to a business associate that signed an agreement",
)

_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
_META_REFERRER = re.compile(r'<meta\s+name="referrer"\s+content="([^"]*)"', re.IGNORECASE)
SAFE_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "origin",
    "origin-when-cross-origin",
}
LOADING = {
    "script": "src",
    "iframe": "src",
    "img": "src",
    "video": "src",
    "audio": "src",
    "source": "src",
    "embed": "src",
    "object": "data",
    "link": "href",
}
PRIVACY_SLUGS = ("privacy", "privacy-policy", "privacy-notice")


def privacy_page(ctx: CheckContext) -> object | None:
    site = ctx.site
    for slug in (site.config.forms.privacy_page, *PRIVACY_SLUGS):
        page = site.get("pages", slug)
        if page is not None:
            return page
    return None


@rule(
    "SG630",
    "error",
    "Privacy",
    "a form without a link to the privacy policy next to it",
    "people must be told how what they send is used before they send it (state privacy laws, e.g. CalOPPA)",
)
def form_privacy_link(ctx: CheckContext) -> Iterator[Finding]:
    page = privacy_page(ctx)
    target = getattr(page, "url", None)
    for url, facts in ctx.page_facts.items():
        if not facts["form"]:
            continue
        html = ctx.page(url) or ""
        for match in _FORM.finditer(html):
            if target and f'href="{target}"' in html[match.start() : match.end() + 600]:
                continue
            name = re.search(r'\bname="([^"]*)"', match[1])
            form = name[1] if name else "a"
            doc = ctx.doc_by_url.get(url)
            where = (
                doc.at("form")
                if doc is not None and doc.has_field("form")
                else (
                    ctx.template_location(ctx.plan_by_url[url].template, "render_form")
                    if url in ctx.plan_by_url
                    else ctx.source_of(url)
                )
            )
            why = (
                ""
                if target
                else " (there is no privacy page: forms.privacy_page is "
                f'"{ctx.site.config.forms.privacy_page}")'
            )
            yield Finding(
                where,
                f"the {form} form on {url} has no link to the privacy policy{why}",
                "add content/pages/privacy.md, and keep the form template's privacy note"
                if not target
                else "put a link to the privacy page inside or right after the form",
            )


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower().removeprefix("www.")


def _mentioned(host: str, text: str) -> bool:
    """Whether the privacy policy names the service: its host, or its name (youtube-nocookie.com: youtube)."""
    labels = host.split(".")
    name = labels[-2] if len(labels) > 1 else labels[0]
    return host in text or any(len(n) > 2 and n in text for n in {name, name.split("-")[0]})


@rule(
    "SG631",
    "warning",
    "Privacy",
    "analytics or a third-party embed (video, map, font, widget) that the privacy policy does not mention",
    "visitors must be told who learns about their visit; trackers on health pages drew OCR action",
)
def third_parties_named(ctx: CheckContext) -> Iterator[Finding]:
    config = ctx.site.config
    page = privacy_page(ctx)
    text = (getattr(page, "body", "") or "").lower()
    own = _host(config.base_url)
    analytics = getattr(config, "analytics", None)
    analytics_host = _host(analytics.script) if analytics else ""
    hint = (
        "name the service in the privacy policy: what it collects, why, and how to opt out"
        if page
        else "add a privacy policy (content/pages/privacy.md) that names it"
    )
    if analytics_host and not (_mentioned(analytics_host, text) or "analytics" in text):
        yield Finding(
            SourceLocation(config.src_path, config.at_line("analytics")),
            f"analytics ({analytics_host}) is on, but the privacy policy does not mention it",
            hint,
        )
    reported = {analytics_host, own, ""}
    for url, tags in ctx.loads.items():
        for tag in tags:
            attribute = LOADING.get(tag.name)
            value = tag.attrs.get(attribute or "", "")
            if not value or (
                tag.name == "link"
                and "stylesheet" not in tag.attrs.get("rel", "")
                and "preload" not in tag.attrs.get("rel", "")
            ):
                continue
            host = _host(value) if value.startswith(("http://", "https://", "//")) else ""
            if host in reported:
                continue
            reported.add(host)
            if not _mentioned(host, text):
                yield Finding(
                    _where(ctx, url, host),
                    f"{url} loads {tag.name} content from {host}, which the privacy policy does not mention",
                    hint,
                )


def _where(ctx: CheckContext, url: str, needle: str) -> SourceLocation:
    """The content line or template line that writes `needle` into the page at `url`."""
    doc = ctx.doc_by_url.get(url)
    body = body_from_source(doc, ctx.site_dir, ctx.fact(doc, "body_digest")) if doc is not None else ""
    if doc is not None and needle in body:
        index = next(i for i, line in enumerate(body.splitlines()) if needle in line)
        return SourceLocation(doc.raw.src_path, doc.model.body_line + index)
    plan = ctx.plan_by_url.get(url)
    if plan is not None:
        return ctx.find_in_templates(needle, [plan.template, "base.html"]) or ctx.template_location(
            plan.template
        )
    return ctx.source_of(url)


def referral_urls(ctx: CheckContext) -> list[str]:
    """The pages whose address can hold a referral code, or that show it."""
    urls = [WELCOME_URL, REFER_URL, "/thanks/enroll/"] + [c.url for c in ctx.site.campaigns]
    return [u for u in urls if ctx.page(u) is not None]


@rule(
    "SG632",
    "error",
    "Privacy",
    "a referral or landing page that would send the referral code to another site: no strict "
    "Referrer-Policy, a third-party script, frame or image on it, or a link that asks for the full address "
    "to be sent",
    "the code in /welcome/?ref=... must never reach another site: it ties a friend to a patient",
)
def referral_code_stays(ctx: CheckContext) -> Iterator[Finding]:
    headers = parse_headers(ctx.text("_headers") or "")
    own = _host(ctx.site.config.base_url)
    for url in referral_urls(ctx):
        html = ctx.page(url) or ""
        plan = ctx.plan_by_url.get(url)
        templates = [plan.template, "base.html"] if plan else ["base.html"]
        metas = _META_REFERRER.findall(html)  # the last one read is the one the browser follows
        meta = metas[-1] if metas else None
        header = next(
            (v for n, v in reversed(headers_for(headers, url)) if n.lower() == "referrer-policy"), None
        )
        policy = (meta if meta is not None else header or "").strip().lower().split(",")[-1].strip()
        if policy not in SAFE_POLICIES:
            where = (ctx.find_in_templates(f'content="{meta}"', templates) if meta is not None else None) or (
                SourceLocation("content/static/_headers") if header else ctx.template_location(templates[-1])
            )
            said = f'its Referrer-Policy is "{policy}"' if policy else "it sets no Referrer-Policy"
            external = sum(
                1 for t in ctx.tags(url) if t.name == "a" and _host(t.attrs.get("href", "")) not in ("", own)
            )
            yield Finding(
                where,
                f"{url} would send its full address, with the referral code, to other sites: {said}"
                + (f" and it has {external} link(s) to other sites" if external else ""),
                'set <meta name="referrer" content="strict-origin-when-cross-origin"> (the default theme '
                "does) or the same Referrer-Policy header",
            )
        for tag in ctx.tags(url):
            attribute = LOADING.get(tag.name)
            value = tag.attrs.get(attribute or "", "") if attribute else ""
            host = _host(value) if value.startswith(("http://", "https://", "//")) else ""
            if (host and host != own and tag.name != "link") or (
                tag.name == "link" and host and host != own and "stylesheet" in tag.attrs.get("rel", "")
            ):
                yield Finding(
                    _where(ctx, url, host),
                    f"{url} loads {tag.name} content from {host}: a third party on "
                    "this page can read the referral code in the address",
                    "load nothing from other sites on referral pages (analytics and embeds stay off them)",
                )
            asked = tag.attrs.get("referrerpolicy", "").lower()
            if asked in ("unsafe-url", "no-referrer-when-downgrade"):
                yield Finding(
                    _where(ctx, url, 'referrerpolicy="'),
                    f'{url} has a {tag.name} with referrerpolicy="{asked}", '
                    "which sends the full address with the code",
                    "remove the referrerpolicy attribute",
                )
