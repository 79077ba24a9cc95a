"""Steps every end-to-end test takes: sending a form and waiting for the next page, signing in."""

from __future__ import annotations


def submit(page, form) -> None:
    """Clicks the form's first submit button and waits for the page it leads to."""
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def log_in(page, live_server, email: str, password: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=login]")).first
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    submit(page, form)
    assert page.locator("form[action$='/accounts/logout/']").count() == 1, "signed in"
