"""The site in a real browser: language, sign-up, the event page, accessibility, privacy.

Every test's `page` fixture also asserts afterwards that no request left the site and
that nothing broke the Content Security Policy (see conftest.py).
"""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from accounts.models import User
from events.enums import PhaseKind
from tests.factories import EventFactory, PhaseFactory

pytestmark = pytest.mark.e2e

BLOCKING_IMPACTS = {"serious", "critical"}


def _html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def _submit(page, form_field: str) -> None:
    """Clicks the submit button of the form in <main> that holds `form_field`."""
    form = page.locator("main form").filter(has=page.locator(f"[name={form_field}]")).first
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()


@pytest.fixture
def event_with_schedule(db):
    """A public event whose hackathon starts in two hours, so there is something to count down."""
    start = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    event = EventFactory(name="E2E-Hackathon", slug="e2e-hackathon", is_public=True)
    PhaseFactory(
        event=event,
        kind=PhaseKind.REGISTRATION,
        starts_at=start - timedelta(days=7),
        ends_at=start + timedelta(hours=1),
    )
    PhaseFactory(
        event=event, kind=PhaseKind.HACKING, starts_at=start, ends_at=start + timedelta(hours=48)
    )
    return event


def test_home_page_is_german_and_switches_to_english(page, live_server, event_with_schedule):
    page.goto(live_server.url + "/")

    assert _html_lang(page) == "de"
    assert page.get_by_text(event_with_schedule.name).first.is_visible()

    # site.js submits the language form as soon as another language is chosen.
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")

    assert _html_lang(page) == "en"
    assert page.url.rstrip("/") == live_server.url
    page.reload()
    assert _html_lang(page) == "en", "the choice is remembered"


def test_language_switcher_works_without_javascript(browser, live_server):
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        assert _html_lang(page) == "de"

        form = page.locator("form:has(select[name=language])")
        form.locator("select[name=language]").select_option("en")
        with page.expect_navigation():
            form.locator("button[type=submit], input[type=submit]").first.click()

        assert _html_lang(page) == "en"
    finally:
        context.close()


def test_sign_up_confirm_by_mail_and_be_signed_in(page, live_server, mailoutbox):
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("input[name=email]", "ada@example.org")
    page.fill("input[name=password1]", "a-long-and-unusual-passphrase")
    if page.locator("input[name=password2]").count():
        page.fill("input[name=password2]", "a-long-and-unusual-passphrase")
    if page.locator("input[name=display_name]").count():
        page.fill("input[name=display_name]", "Ada")
    _submit(page, "email")

    assert User.objects.filter(email="ada@example.org").exists()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.org"]
    links = re.findall(r"https?://\S+/accounts/confirm-email/\S+", mailoutbox[0].body)
    assert links, mailoutbox[0].body
    assert links[0].startswith(live_server.url), "the link points at this site"
    # Not signed in before confirming.
    assert page.locator("form[action$='/accounts/logout/']").count() == 0

    page.goto(links[0])
    if page.locator("main form").count():  # allauth asks to confirm with a POST
        with page.expect_navigation():
            page.locator(
                "main form button[type=submit], main form input[type=submit]"
            ).first.click()

    assert page.locator("form[action$='/accounts/logout/']").count() == 1
    assert User.objects.get(email="ada@example.org").emailaddress_set.get().verified


def test_event_page_shows_schedule_and_countdown_ticks(page, live_server, event_with_schedule):
    page.goto(live_server.url + event_with_schedule.get_absolute_url())

    assert page.locator("h1").first.inner_text() == event_with_schedule.name
    berlin = ZoneInfo("Europe/Berlin")
    for phase in event_with_schedule.phases.all():
        for moment in (phase.starts_at, phase.ends_at):
            iso = moment.astimezone(berlin).isoformat()
            assert page.locator(f"time[datetime='{iso}']").count() >= 1, iso

    countdown = page.locator("[data-countdown-target]").first
    first = countdown.inner_text()
    assert re.search(r"\d\d:\d\d:\d\d", first), first  # site.js replaced the server's text
    page.wait_for_function(
        "([element, before]) => element.textContent !== before",
        arg=[countdown.element_handle(), first],
        timeout=5_000,
    )
    assert countdown.inner_text() != first


@pytest.mark.parametrize(
    "path",
    ["/", "/events/e2e-hackathon/", "/accounts/login/", "/accounts/signup/"],
    ids=["home", "event", "login", "signup"],
)
def test_pages_have_no_serious_accessibility_violations(
    page, live_server, event_with_schedule, path
):
    page.goto(live_server.url + path)

    results = Axe().run(page)

    blocking = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert blocking == []


def test_no_request_leaves_the_site(page, live_server, traffic, event_with_schedule):
    for path in (
        "/",
        event_with_schedule.get_absolute_url(),
        "/accounts/login/",
        "/accounts/signup/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")

    assert traffic.requests, "nothing was recorded"
    assert traffic.foreign_requests(live_server.url) == []


def test_api_docs_render_under_the_content_security_policy(page, live_server, traffic):
    page.goto(live_server.url + "/api/docs/")

    page.wait_for_selector(".swagger-ui .info .title")
    assert page.locator(".opblock").count() >= 1  # the operations came from /api/schema/
    assert live_server.url + "/api/schema/" in traffic.requests
