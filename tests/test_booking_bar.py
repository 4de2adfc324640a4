"""The phone's booking bar (partials/booking.html's `booking_bar`, on nearly every page) sends a visitor
where the page's own booking button sends them, with the same attributes for the invited friend's code:
the bar writes its address and attributes itself rather than through the button's macros."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitefactory import add_program, edit, make_site, write

from sitegen.build.pipeline import build

SCHEDULER = "https://scheduler.example/larkspur"


def bar_and_button(html: str) -> tuple[str, str]:
    """The bar's link and the page's first booking button, each as its address and attributes."""
    bar = re.search(
        r'<div class="booking-bar" data-booking-bar>\s*<a class="button" (href="[^"]*")'
        r" data-booking-link([^>]*)>",
        html,
    )
    button = re.search(r'<a class="button" (href="[^"]*") data-booking([^>]*)>', html)
    assert bar is not None and button is not None
    return bar[1] + bar[2], button[1] + button[2]


@pytest.mark.parametrize(
    ("settings", "attributes"),
    [
        (
            f"booking:\n  url: {SCHEDULER}\n  referral_parameter: ref\n  campaign_parameter: utm_campaign\n",
            f'href="{SCHEDULER}" data-booking-ref="ref" data-booking-campaign="utm_campaign"',
        ),
        (
            f"booking:\n  url: {SCHEDULER}\n  referral_parameter: ref\n",
            f'href="{SCHEDULER}" data-booking-ref="ref"',
        ),
        (f"booking:\n  url: {SCHEDULER}\n", f'href="{SCHEDULER}" data-booking-fallback="/book/"'),
        ("", 'href="/book/"'),
    ],
    ids=["code and campaign", "code", "no code: the request form", "the book page"],
)
def test_the_bar_sends_a_friend_where_the_button_does(tmp_path: Path, settings: str, attributes: str) -> None:
    site = make_site(tmp_path)
    add_program(site)
    write(site, "pages/book.md", "---\ntitle: Book a visit\nform: appointment\n---\nBook here.\n")
    edit(site, "site.yaml", "name:", settings + "name:")
    out = tmp_path / "out"
    build(site, out, use_cache=False)
    bar, button = bar_and_button((out / "index.html").read_text(encoding="utf-8"))
    assert bar == button == attributes


def test_without_a_program_the_bar_carries_no_code_attributes(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    edit(site, "site.yaml", "name:", f"booking:\n  url: {SCHEDULER}\n  referral_parameter: ref\nname:")
    out = tmp_path / "out"
    build(site, out, use_cache=False)
    bar, button = bar_and_button((out / "index.html").read_text(encoding="utf-8"))
    assert bar == button == f'href="{SCHEDULER}"'
