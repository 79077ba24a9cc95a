"""TeamViewSet (teams/api/teams.py): one team is read as the web reads it, and the list's
event filter is only a filter."""

from __future__ import annotations

import pytest

from teams import services
from tests.teams.conftest import participant

pytestmark = pytest.mark.django_db
TEAMS = "/api/v1/teams/"


def test_the_browsable_api_shows_a_teams_join_requests(api, team, founder, event):
    """The browsable API asks the view for its queryset to build a filter form: the team's
    actions must not run the list's checks (its required `event`)."""
    services.join_request_create(team=team, user=participant(event), message="Hallo")
    api.force_authenticate(founder)
    response = api.get(f"{TEAMS}{team.pk}/join-requests/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Hallo" in response.content.decode()


def test_the_lists_event_is_looked_up_without_its_schedule(
    api, team, event, django_assert_num_queries
):
    # The event, the page's keys, the count, and the listed teams' columns, languages and
    # open roles (TeamListSerializer); never the event's phases.
    with django_assert_num_queries(6) as queries:
        response = api.get(TEAMS, {"event": event.slug})
    assert [item["id"] for item in response.json()["results"]] == [team.pk]
    assert not [q for q in queries.captured_queries if "events_phase" in q["sql"]]
