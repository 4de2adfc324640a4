"""The suite's own rules hold: a test that starts Chromium without the `browser` marker fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

UNMARKED = """
import pytest
from playwright.sync_api import sync_playwright

def test_asks_for_a_page(page):
    pass

def test_launches_chromium_itself():
    with sync_playwright() as playwright:
        playwright.chromium.launch(executable_path="/usr/bin/chromium")

@pytest.mark.browser
def test_marked_and_browser_free():
    pass

@pytest.mark.parametrize("page", ["/about/"])
def test_a_parameter_named_page_is_no_browser(page):
    assert page == "/about/"
"""


def test_a_test_that_starts_chromium_without_the_marker_fails(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    tests = str(Path(__file__).resolve().parent)  # where the browser_guard plugin lives
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [tests, os.environ.get("PYTHONPATH")])))
    pytester.makepyfile(test_unmarked=UNMARKED)
    result = pytester.runpytest_subprocess(
        "-p", "browser_guard", "-p", "no:cacheprovider", "-m", "not browser"
    )
    result.assert_outcomes(passed=1, failed=1, errors=1, deselected=1)
    result.stdout.fnmatch_lines(
        [
            "*test_asks_for_a_page*uses Chromium without @pytest.mark.browser*fixtures*page*",
            "*test_launches_chromium_itself*uses Chromium without @pytest.mark.browser*",
        ]
    )
