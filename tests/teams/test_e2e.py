"""Asking to join and accepting, in a real Chromium, with htmx and without a page reload.

Reuses the page fixture of tests/e2e (every request recorded, no request may leave the
site, nothing may break the Content Security Policy) with a Chromium of this module's own:
the package-scoped one of tests/e2e would keep Playwright's event loop (and
DJANGO_ALLOW_ASYNC_UNSAFE) alive for the rest of tests/teams.
"""

from __future__ import annotations

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from teams.models import Invitation, JoinRequest, Membership
from tests.conftest import CHROMIUM
from tests.e2e.conftest import CHROMIUM_ARGS, page, traffic  # noqa: F401 (fixtures used by name)
from tests.factories import ChallengeFactory, EventFactory
from tests.teams.conftest import participant, team_of

pytestmark = pytest.mark.e2e

BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # see tests/e2e/conftest.py
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


def sign_in(page, live_server, user) -> None:  # noqa: F811 (a page, not the fixture)
    """Gives the browser the session of a signed-in person, in English."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
            {"name": "language", "value": "en", "url": live_server.url},
        ]
    )


def blocking_violations(page) -> list[str]:  # noqa: F811 (a page, not the fixture)
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def test_ask_to_join_and_get_accepted_without_reload(page, live_server):  # noqa: F811
    event = EventFactory(slug="e2e-teams", is_public=True)
    founder = participant(event, display_name="Fenja Founder")
    joiner = participant(event, display_name="Jo Joiner")
    team = team_of(event, ChallengeFactory(event=event), founder)
    team_url = live_server.url + team.get_absolute_url()

    sign_in(page, live_server, joiner)
    page.goto(team_url)
    assert blocking_violations(page) == []
    page.get_by_label("Message to the team").fill("I can build the map.")
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="Ask to join").click()
    page.get_by_text("You asked to join this team").wait_for()
    assert page.evaluate("window.__noReload") is True  # swapped in place, no navigation
    assert JoinRequest.objects.get(user=joiner).message == "I can build the map."

    sign_in(page, live_server, founder)
    page.goto(live_server.url + f"/teams/{team.pk}/manage/")
    assert blocking_violations(page) == []
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="Accept Jo Joiner").click()
    page.get_by_text("Jo Joiner is now a member of the team.").wait_for()
    assert page.evaluate("window.__noReload") is True
    # The member list was swapped out of band, too.
    assert "Jo Joiner" in page.locator("#team-members").inner_text()
    assert Membership.objects.filter(team=team, user=joiner).exists()

    sign_in(page, live_server, joiner)
    page.goto(team_url)
    assert "You are a member of this team." in page.locator("main").inner_text()
    assert "Jo Joiner" in page.locator("main .member-list").inner_text()


def test_join_works_without_javascript(browser, live_server):
    event = EventFactory(slug="e2e-nojs", is_public=True)
    founder = participant(event, display_name="Fenja Founder")
    joiner = participant(event, display_name="Jo Joiner")
    team = team_of(event, ChallengeFactory(event=event), founder)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server, joiner)
        page.goto(live_server.url + team.get_absolute_url())
        page.get_by_role("button", name="Ask to join").click()
        page.wait_for_load_state()
        assert "Your request was sent" in page.content()
    finally:
        context.close()
    assert JoinRequest.objects.filter(user=joiner, team=team).exists()


def test_invite_from_people_finder_and_join_without_reload(page, live_server):  # noqa: F811
    event = EventFactory(slug="e2e-invite", is_public=True)
    founder = participant(event, display_name="Fenja Founder")
    invitee = participant(event, display_name="Ida Invited")
    team = team_of(event, ChallengeFactory(event=event), founder)

    sign_in(page, live_server, founder)
    page.goto(live_server.url + f"/participants/finder/{event.slug}/")
    assert blocking_violations(page) == []
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="Invite to my team (Ida Invited)").click()
    page.get_by_text("Ida Invited is invited to Bettenradar").wait_for()
    assert page.evaluate("window.__noReload") is True  # swapped in place, no navigation

    invitation = Invitation.objects.get(team=team, invitee=invitee)
    sign_in(page, live_server, invitee)
    page.goto(live_server.url + f"/teams/join/{invitation.token}/")
    assert blocking_violations(page) == []
    page.get_by_role("button", name="Join the team").click()
    page.get_by_text("Welcome to Bettenradar!").wait_for()
    assert Membership.objects.filter(team=team, user=invitee).exists()
