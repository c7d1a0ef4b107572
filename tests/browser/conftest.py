"""Playwright (sync API) on the system Chromium, against the live preview from tests/conftest.py.

Never `playwright install`: it downloads a browser. The `chromium` fixture is in tests/conftest.py
(one browser for the whole session, shared with tests/security).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest


@dataclass
class PageTrouble:
    """What went wrong while a page loaded: requests leaving the preview (blocked), HTTP errors, script errors."""

    outside_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.outside_requests or self.failed_responses or self.script_errors)


@pytest.fixture
def page_trouble() -> PageTrouble:
    return PageTrouble()


@pytest.fixture
def page(chromium, preview_server, page_trouble):
    """A fresh page on the fixture course's preview; anything outside the preview is blocked and recorded."""
    yield from _page_on(chromium, preview_server, page_trouble)


@pytest.fixture
def course_page(chromium, course_preview, page_trouble):
    """A fresh page on the preview of the real course_content/ (as `make run` serves it)."""
    yield from _page_on(chromium, course_preview, page_trouble)


@pytest.fixture
def good_page(chromium, good_preview, page_trouble):
    """A fresh page on the preview of the small fixture course (it has a quiz)."""
    yield from _page_on(chromium, good_preview, page_trouble)


def _page_on(chromium, server, page_trouble):
    context = chromium.new_context(base_url=server.base_url)
    page = context.new_page()

    def only_the_preview(route):
        if route.request.url.startswith(server.base_url + "/"):
            route.continue_()
        else:
            page_trouble.outside_requests.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_preview)
    page.on("response", lambda r: r.status >= 400 and page_trouble.failed_responses.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda error: page_trouble.script_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def live_page(chromium, live_preview, page_trouble):
    """A fresh page on the watching preview of a copy of the small fixture course (`live_preview.content`)."""
    yield from _page_on(chromium, live_preview.server, page_trouble)
