"""Pages every practice site needs: privacy policy, financial policy, accessibility statement, and the
referral program's terms when there is a program."""

from __future__ import annotations

from collections.abc import Iterator

from sitegen.checks.registry import CheckContext, Finding, rule
from sitegen.core.errors import Severity, SourceLocation
from sitegen.core.urls import TERMS_URL

REQUIRED = [
    (
        "privacy policy",
        ("privacy", "privacy-policy", "privacy-notice"),
        "how the site and the practice use what visitors send (state privacy laws; every form links to it)",
    ),
    (
        "financial policy",
        ("financial-policy", "payment-policy", "payments", "billing"),
        "prices, deposits, cancellations and the good faith estimate self-pay patients are entitled to",
    ),
    (
        "accessibility statement",
        ("accessibility", "accessibility-statement"),
        "how the site meets WCAG and whom to contact when something does not work (ADA, Section 1557)",
    ),
]


@rule(
    "SG640",
    "warning",
    "Required pages",
    "a required page is missing: privacy policy, financial policy, accessibility statement, or (an error) "
    "the referral program's terms",
    "patients are entitled to know how their data is used, what care costs, and how to get help with the "
    "site",
)
def required_pages(ctx: CheckContext) -> Iterator[Finding]:
    site = ctx.site
    for what, slugs, why in REQUIRED:
        candidates = (site.config.forms.privacy_page, *slugs) if what == "privacy policy" else slugs
        if not any(site.get("pages", slug) for slug in candidates):
            yield Finding(
                SourceLocation(f"content/pages/{candidates[0]}.md"),
                f"there is no {what} page",
                f"add content/pages/{candidates[0]}.md: {why}",
            )
    if site.program is not None and ctx.page(TERMS_URL) is None:
        yield Finding(
            SourceLocation(site.program.src_path),
            "the referral program has no terms page",
            f"the terms are built at {TERMS_URL} from program.yaml by the theme's terms.html: restore it",
            Severity.ERROR,
        )
