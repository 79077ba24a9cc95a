"""The issue's "done when", in a real browser: a new person signs up, registers for the
event, finds a team by skill, asks to join, is accepted by the team admin (in a second
browser) and then sees themselves on the team page.

Selectors are names, ids and data-testids rather than texts: the site speaks German by
default and its wording may change. The `page` fixture also asserts that nothing broke
the Content Security Policy and that no request left the site.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from events.enums import PhaseKind
from teams.enums import JoinRequestStatus
from teams.models import JoinRequest, Membership
from tests.e2e.helpers import accept_in_own_browser, ask_to_join, register_for, submit
from tests.factories import (
    DEFAULT_PASSWORD,
    ChallengeFactory,
    EventFactory,
    OpenRoleFactory,
    PhaseFactory,
    RegistrationFactory,
    SkillFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    add_member,
)

pytestmark = pytest.mark.e2e

NEWCOMER_EMAIL = "ada@example.org"
NEWCOMER_PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def hackathon(db):
    """An event in its registration phase with two teams wanting different skills."""
    now = timezone.now()
    event = EventFactory(slug="e2e-teams", name="E2E-Teamhackathon", is_public=True)
    PhaseFactory(
        event=event,
        kind=PhaseKind.REGISTRATION,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=6),
    )
    PhaseFactory(
        event=event,
        kind=PhaseKind.HACKING,
        starts_at=now + timedelta(days=7),
        ends_at=now + timedelta(days=9),
    )
    python = SkillFactory(name="Python", slug="python", category="Entwicklung", is_curated=True)
    ux = SkillFactory(name="UX", slug="ux", category="Design", is_curated=True)
    challenge = ChallengeFactory(event=event, topic=TopicFactory(event=event))

    admin = UserFactory(email="tina@example.org", display_name="Tina Teamadmin")
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    RegistrationFactory(event=event, user=admin)
    wanted = TeamFactory(event=event, challenge=challenge, name="Datenhelden")
    add_member(wanted, admin, role="admin")
    OpenRoleFactory(team=wanted, title="Backend", skills=[python])

    other_admin = UserFactory(display_name="Otto Design")
    RegistrationFactory(event=event, user=other_admin)
    other = TeamFactory(event=event, challenge=challenge, name="Designstudio")
    add_member(other, other_admin, role="admin")
    OpenRoleFactory(team=other, title="Gestaltung", skills=[ux])
    return {"event": event, "team": wanted, "admin": admin}


def _sign_up(page, live_server, mailoutbox) -> None:
    page.goto(live_server.url + "/accounts/signup/")
    form = page.locator("main form").filter(has=page.locator("input[name=email]")).first
    form.locator("input[name=email]").fill(NEWCOMER_EMAIL)
    form.locator("input[name=password1]").fill(NEWCOMER_PASSWORD)
    if form.locator("input[name=password2]").count():
        form.locator("input[name=password2]").fill(NEWCOMER_PASSWORD)
    if form.locator("input[name=display_name]").count():
        form.locator("input[name=display_name]").fill("Ada Neu")
    submit(page, form)

    links = re.findall(r"https?://\S+/accounts/confirm-email/\S+", mailoutbox[-1].body)
    page.goto(links[0])
    if page.locator("main form").count():  # allauth confirms with a POST
        submit(page, page.locator("main form").first)
    assert page.locator("form[action$='/accounts/logout/']").count() == 1, "signed in"


def test_newcomer_finds_a_team_by_skill_and_is_accepted(
    page, browser, live_server, mailoutbox, hackathon
):
    event, team, admin = hackathon["event"], hackathon["team"], hackathon["admin"]

    # 1. A new person signs up and confirms their address.
    _sign_up(page, live_server, mailoutbox)

    # 2. They register for the event, accepting the code of conduct.
    register_for(page, live_server, event)
    newcomer = admin.__class__.objects.get(email=NEWCOMER_EMAIL)
    assert newcomer.registrations.filter(event=event, role="participant").exists()

    # 3. The team finder, from the main navigation; filtering by a skill swaps the results.
    with page.expect_navigation():
        page.locator("nav.main-nav a[href='/teams/']").click()
    assert page.locator("[data-testid=team-card]").count() == 2
    page.locator("[data-testid=team-filter] select[name=skill]").select_option("python")
    page.wait_for_url(re.compile(r"[?&]skill=python"))  # hx-push-url keeps the address
    cards = page.locator("#team-results [data-testid=team-card]")
    cards.first.wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('#team-results [data-testid=team-card]').length === 1"
    )
    assert "Datenhelden" in cards.first.inner_text()

    # 4. The team's page: ask to join with a message (htmx swaps the join box).
    with page.expect_navigation():
        cards.first.locator(f"a[href='{team.get_absolute_url()}']").click()
    ask_to_join(page, "Ich schreibe gern Python und habe Zeit.")
    join_request = JoinRequest.objects.get(team=team, user=newcomer)
    assert join_request.status == JoinRequestStatus.PENDING
    assert join_request.message.startswith("Ich schreibe gern Python")

    # 5. The team admin, in a browser of their own, accepts on the manage page.
    admin_errors = accept_in_own_browser(
        browser,
        live_server,
        email=admin.email,
        password=DEFAULT_PASSWORD,
        team=team,
        join_request=join_request,
        requester_name="Ada Neu",
    )
    assert admin_errors == []
    assert Membership.objects.filter(team=team, user=newcomer).exists()

    # 6. The newcomer sees themselves on the team page.
    page.goto(live_server.url + team.get_absolute_url())
    members = page.locator("section[aria-labelledby=members-heading]")
    assert "Ada Neu" in members.inner_text()
    assert page.locator("#join-box form[action$='/leave/']").count() == 1


def test_finder_has_no_serious_accessibility_violations(page, live_server, hackathon):
    page.goto(f"{live_server.url}/teams/?event={hackathon['event'].slug}")

    results = Axe().run(page)

    blocking = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert blocking == []


def test_finder_filters_without_javascript(browser, live_server, hackathon):
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/teams/")
        form = page.locator("[data-testid=team-filter]")
        form.locator("select[name=skill]").select_option("ux")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()

        assert "skill=ux" in page.url
        cards = page.locator("[data-testid=team-card]")
        assert cards.count() == 1
        assert "Designstudio" in cards.first.inner_text()
    finally:
        context.close()
