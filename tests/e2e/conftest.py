"""A real Chromium, driven through Playwright's sync API, against pytest-django's live_server.

Debian's /usr/bin/chromium is used as it is (never `playwright install`); the flags
keep it from calling home, which this machine's closed network would refuse anyway.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests.conftest import CHROMIUM

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all end-to-end tests, closed after the last of them.

    Package scope, not session: while Playwright runs, this thread has an event loop,
    and the DJANGO_ALLOW_ASYNC_UNSAFE it needs must not reach tests or subprocesses
    (Django's deploy check refuses it) that run after this package.
    """
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django's ORM
    # refuses to run "inside" it unless told that this is deliberate.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Traffic:
    """Everything the page asked for and complained about, to assert on at the end."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def foreign_requests(self, base_url: str) -> list[str]:
        return [
            url
            for url in self.requests
            if not (url.startswith(base_url + "/") or url == base_url or url.startswith("data:"))
        ]


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def page(browser, live_server, traffic) -> Iterator:
    """A fresh German-speaking browser profile per test, recording every request.

    At the end, no request may have left the site (no CDN, no fonts, no analytics),
    and the page must not have thrown or broken the Content Security Policy.
    """
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    context.set_default_timeout(15_000)
    context.on("request", lambda request: traffic.requests.append(request.url))
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            traffic.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: traffic.page_errors.append(str(error)))
    yield page
    context.close()
    assert traffic.foreign_requests(live_server.url) == []
    assert [e for e in traffic.console_errors if "Content Security Policy" in e] == []
    assert traffic.page_errors == []
