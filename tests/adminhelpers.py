"""What the Chromium tests of /admin/ share: open an entry in the editor from `sitegen serve`, publish
it, read a served page, wait for a change to arrive."""

from __future__ import annotations

import urllib.request

from playwright.sync_api import Page, expect

from sitegen.serve import server as serve


def open_entry(page: Page, server: serve.DevServer, entry: str) -> None:
    page.goto(server.url + "/admin/")
    login = page.get_by_role("button", name="Login")  # the local backend: no account, one click
    expect(login.or_(page.get_by_text("Collections"))).to_be_visible()
    if login.is_visible():
        login.click()
    expect(page.get_by_text("Error loading the CMS configuration")).to_have_count(0)
    page.goto(server.url + "/admin/#/collections/" + entry)


def publish(page: Page) -> None:
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()


def served(server: serve.DevServer, path: str) -> str:
    with urllib.request.urlopen(server.url + path) as response:
        return response.read().decode("utf-8")


def wait_for(check: object, page: Page) -> None:
    for _ in range(60):
        if check():  # type: ignore[operator]
            return
        page.wait_for_timeout(250)
    raise AssertionError("the change never arrived")
