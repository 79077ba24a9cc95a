"""An event may let one person be in several teams (`Event.teams_per_person`); the
services hold that limit for founding, requests and invitations, and the database holds
every team's size."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from teams import services
from teams.enums import JoinRequestStatus
from teams.models import JoinRequest, Membership, Team
from tests.factories import ChallengeFactory
from tests.teams.conftest import participant, team_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_of_two(event):
    event.teams_per_person = 2
    event.save(update_fields=["teams_per_person"])
    return event


def _three_teams(event):
    challenge = ChallengeFactory(event=event)
    return [
        team_of(event, challenge, participant(event), name=f"Team {number}") for number in range(3)
    ]


def test_joining_a_second_team_by_request_when_the_event_allows_two(event_of_two, joiner):
    first, second, _third = _three_teams(event_of_two)

    for team in (first, second):
        request = services.join_request_create(team=team, user=joiner, message="Ich helfe gern.")
        services.join_request_accept(join_request=request, actor=team.memberships.get().user)

    assert Membership.objects.filter(user=joiner).count() == 2


def test_third_team_is_refused_at_the_limit_of_two(event_of_two, joiner):
    first, second, third = _three_teams(event_of_two)
    for team in (first, second):
        token = services.invitation_create(team=team, actor=team.memberships.get().user).token
        services.invitation_accept(token=token, user=joiner)
    token = services.invitation_create(team=third, actor=third.memberships.get().user).token

    with pytest.raises(services.TeamError, match="already in 2 teams of this event"):
        services.invitation_accept(token=token, user=joiner)

    assert not Membership.objects.filter(user=joiner, team=third).exists()


def test_pending_requests_are_withdrawn_once_the_limit_is_reached(event_of_two, joiner):
    first, second, third = _three_teams(event_of_two)
    requests = {
        team.pk: services.join_request_create(team=team, user=joiner, message="Hallo!")
        for team in (first, second, third)
    }

    services.join_request_accept(
        join_request=requests[first.pk], actor=first.memberships.get().user
    )
    assert JoinRequest.objects.get(pk=requests[third.pk].pk).status == JoinRequestStatus.PENDING
    services.join_request_accept(
        join_request=requests[second.pk], actor=second.memberships.get().user
    )

    assert JoinRequest.objects.get(pk=requests[third.pk].pk).status == JoinRequestStatus.WITHDRAWN


def test_founding_a_third_team_is_refused_at_the_limit_of_two(event_of_two):
    challenge = ChallengeFactory(event=event_of_two)
    person = participant(event_of_two)
    team_of(event_of_two, challenge, person, name="Eins")
    team_of(event_of_two, challenge, person, name="Zwei")

    with pytest.raises(services.TeamError, match="already in 2 teams"):
        team_of(event_of_two, challenge, person, name="Drei")


def test_the_database_refuses_a_team_over_its_maximum_size(team):
    """The last line behind the conditional UPDATE in the services."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.filter(pk=team.pk).update(member_count=F("max_size") + 1)

    team.refresh_from_db()
    assert team.member_count == 1
