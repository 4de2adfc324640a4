"""A pytest plugin (loaded by conftest.py): a test that starts Chromium must carry ``@pytest.mark.browser``.

``pytest -m "not browser"`` is the documented way to run the suite without a browser; it only works if every
test that needs one says so. A test that asks for a Playwright browser fixture without the marker fails before
the browser starts, and a test that launches Chromium through Playwright's API without the marker fails when
it tries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api._generated import BrowserType

BROWSER_FIXTURES = frozenset(
    {"page", "context", "browser", "browser_type", "new_context", "launch_browser", "playwright"}
)
MISSING = "uses Chromium without @pytest.mark.browser (so `-m 'not browser'` would start it)"


def browser_fixtures_of(item: pytest.Item) -> list[str]:
    """The Playwright fixtures a test needs, directly or through its other fixtures; a name the test is
    parametrized with (``@pytest.mark.parametrize("page", ...)``) is a value, not the fixture."""
    callspec = getattr(item, "callspec", None)
    values = set(callspec.params) if callspec is not None else set()
    return sorted(BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())) - values)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    used = browser_fixtures_of(item)
    if used and item.get_closest_marker("browser") is None:
        pytest.fail(f"{item.nodeid} {MISSING}: fixtures {', '.join(used)}", pytrace=False)


@pytest.fixture(autouse=True)
def _no_chromium_without_the_marker(request: pytest.FixtureRequest) -> Iterator[None]:
    """Unmarked tests: Playwright's launch calls fail instead of starting a browser."""
    if request.node.get_closest_marker("browser") is not None:
        yield
        return

    def refuse(*args: Any, **kwargs: Any) -> Any:
        pytest.fail(f"{request.node.nodeid} {MISSING}", pytrace=False)

    with pytest.MonkeyPatch.context() as patch:
        for name in ("launch", "launch_persistent_context", "connect", "connect_over_cdp"):
            patch.setattr(BrowserType, name, refuse)
        yield
