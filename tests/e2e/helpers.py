"""Steps every end-to-end test takes: sending a form and waiting for the next page, signing in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

PHONE = {"width": 390, "height": 844}  # the viewport of the phone tests (issue 9)


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


def register_for(page, live_server, event) -> None:
    """Registers the signed-in person for the event as a participant (code of conduct)."""
    page.goto(f"{live_server.url}/participants/{event.slug}/register/")
    form = page.locator("main form").filter(has=page.locator("#id_accept_code_of_conduct"))
    form.locator("input[name=role][value=participant]").check()
    form.locator("#id_accept_code_of_conduct").check()
    submit(page, form)


def ask_to_join(page, message: str) -> None:
    """On a team page: sends a join request; htmx swaps the join box for its status."""
    join_box = page.locator("#join-box")
    join_box.locator("textarea[name=message]").fill(message)
    join_box.locator("button[type=submit]").click()
    page.locator("#join-box [role=status]").wait_for()


@contextmanager
def own_browser(browser, live_server, email: str, password: str) -> Iterator[tuple]:
    """A second person, signed in in a German browser profile of their own (the `page`
    fixture is the first): yields their page and the list of what it throws."""
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    context.set_default_timeout(15_000)
    errors: list[str] = []
    try:
        own_page = context.new_page()
        own_page.on("pageerror", lambda error: errors.append(str(error)))
        log_in(own_page, live_server, email, password)
        yield own_page, errors
    finally:
        context.close()


def accept_in_own_browser(
    browser, live_server, *, email, password, team, join_request, requester_name=""
) -> list:
    """The team admin, in a browser of their own, accepts the request on the manage page
    (where the request row names `requester_name`, if given).

    Returns what the admin's page threw (to assert it is nothing).
    """
    with own_browser(browser, live_server, email, password) as (admin_page, errors):
        admin_page.goto(f"{live_server.url}/teams/{team.pk}/manage/")
        accept = f"form[action$='/requests/{join_request.pk}/accept/']"
        row = admin_page.locator(f"#request-{join_request.pk}")
        assert requester_name in row.inner_text()
        row.locator(f"{accept} button").click()
        admin_page.wait_for_function(f'() => !document.querySelector("{accept}")')
    return errors
