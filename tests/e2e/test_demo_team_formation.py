"""Issue 4's "done when" on the demo data itself: after `seed_demo`, a new person
registers for the demo event, finds a demo team by a skill it wants, asks to join and is
accepted by that team's demo admin, and sees themselves on the team page. So the demo
that `make run` shows really supports the whole flow (open registration, teams with
places, open roles with skills, admins who can log in with the demo password)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import F

from events.demo import DEMO_EVENT_SLUG
from events.models import Event
from teams.enums import MemberRole, TeamStatus
from teams.models import JoinRequest, Membership, OpenRole
from tests.e2e.helpers import accept_in_own_browser, ask_to_join, register_for
from tests.e2e.test_team_formation import NEWCOMER_EMAIL, _sign_up

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo-passwort"


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    event = Event.objects.get(slug=DEMO_EVENT_SLUG)
    role = (
        OpenRole.objects.filter(
            team__event=event,
            team__status=TeamStatus.OPEN,
            team__member_count__lt=F("team__max_size"),
            skills__is_curated=True,
        )
        .select_related("team")
        .order_by("team__name", "pk")
        .first()
    )
    assert role is not None, "the demo has an open team with a role wanting a curated skill"
    admin = Membership.objects.get(team=role.team, role=MemberRole.ADMIN).user
    return {
        "event": event,
        "team": role.team,
        "skill": role.skills.filter(is_curated=True)[0],
        "admin": admin,
    }


def test_newcomer_joins_a_demo_team_found_by_skill(page, browser, live_server, mailoutbox, demo):
    event, team, skill, admin = demo["event"], demo["team"], demo["skill"], demo["admin"]

    _sign_up(page, live_server, mailoutbox)
    register_for(page, live_server, event)
    newcomer = admin.__class__.objects.get(email=NEWCOMER_EMAIL)
    assert newcomer.registrations.filter(event=event, role="participant").exists()

    page.goto(f"{live_server.url}/teams/?event={event.slug}")
    page.locator("[data-testid=team-filter] select[name=skill]").select_option(skill.slug)
    page.wait_for_url(re.compile(rf"[?&]skill={skill.slug}"))
    card = page.locator("#team-results [data-testid=team-card]").filter(has_text=team.name)
    card.first.wait_for()
    with page.expect_navigation():
        card.first.locator(f"a[href='{team.get_absolute_url()}']").click()
    ask_to_join(page, "Ich helfe gern mit, ich bin neu hier.")
    join_request = JoinRequest.objects.get(team=team, user=newcomer)

    admin_errors = accept_in_own_browser(
        browser,
        live_server,
        email=admin.email,
        password=DEMO_PASSWORD,
        team=team,
        join_request=join_request,
        requester_name="Ada Neu",
    )
    assert admin_errors == []
    assert Membership.objects.filter(team=team, user=newcomer).exists()

    page.goto(live_server.url + team.get_absolute_url())
    assert "Ada Neu" in page.locator("section[aria-labelledby=members-heading]").inner_text()
