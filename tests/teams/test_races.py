"""The team rules hold when requests race: real threads, each with its own PostgreSQL
connection, released together by a barrier.

- 30 people join at once for the last free place: exactly one gets in;
- one person joins two teams at once: they end up in exactly one.
"""

from __future__ import annotations

import pytest

from teams import services
from teams.models import JoinRequest, Membership, Team
from tests.factories import add_member
from tests.races import race
from tests.teams.conftest import participant, team_of

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_celery"),
]

RACERS = 30


def almost_full_team(event, challenge, founder):
    """A team with one free place left."""
    team = team_of(event, challenge, founder)
    for _ in range(team.max_size - 2):
        add_member(team, participant(event))
    team.refresh_from_db()
    assert team.open_places == 1
    return team


def assert_consistent(team: Team) -> None:
    team.refresh_from_db()
    assert team.member_count == Membership.objects.filter(team=team).count()
    assert team.member_count <= team.max_size


def test_thirty_invitation_joins_for_last_place_add_exactly_one(event, challenge, founder):
    team = almost_full_team(event, challenge, founder)
    invitation = services.invitation_create(team=team, actor=founder)
    racers = [participant(event) for _ in range(RACERS)]

    results = race(
        *[
            (lambda user=user: services.invitation_accept(token=invitation.token, user=user))
            for user in racers
        ]
    )

    joined = [r for r in results if isinstance(r, Membership)]
    refused = [r for r in results if isinstance(r, services.TeamError)]
    assert len(joined) == 1
    assert len(refused) == RACERS - 1, [r for r in results if not isinstance(r, Membership)]
    assert all(error.message == "This team is full." for error in refused)
    team.refresh_from_db()
    assert team.member_count == team.max_size
    assert_consistent(team)
    invitation.refresh_from_db()
    assert invitation.uses == 1


def test_thirty_accepted_requests_for_last_place_add_exactly_one(event, challenge, founder):
    team = almost_full_team(event, challenge, founder)
    requests = [
        services.join_request_create(team=team, user=participant(event)) for _ in range(RACERS)
    ]

    results = race(
        *[
            (lambda r=r: services.join_request_accept(join_request=r, actor=founder))
            for r in requests
        ]
    )

    assert sum(isinstance(r, Membership) for r in results) == 1
    assert sum(isinstance(r, services.TeamError) for r in results) == RACERS - 1
    assert_consistent(team)
    assert JoinRequest.objects.filter(team=team, status="accepted").count() == 1


def test_one_person_joining_two_teams_at_once_ends_in_one(event, challenge):
    first = team_of(event, challenge, participant(event), name="Erstes Team")
    second = team_of(event, challenge, participant(event), name="Zweites Team")
    invitations = [
        services.invitation_create(team=team, actor=team.memberships.get().user)
        for team in (first, second)
    ]
    for _round in range(5):
        person = participant(event)

        results = race(
            *[
                (lambda i=i, p=person: services.invitation_accept(token=i.token, user=p))
                for i in invitations
            ]
        )

        assert sum(isinstance(r, Membership) for r in results) == 1, results
        refused = [r for r in results if isinstance(r, services.TeamError)]
        assert len(refused) == 1 and "already in a team" in refused[0].message
        assert Membership.objects.filter(event=event, user=person).count() == 1
    assert_consistent(first)
    assert_consistent(second)


def test_two_admins_accepting_same_person_at_once_end_in_one(event, challenge):
    teams = [
        team_of(event, challenge, participant(event), name=name)
        for name in ("Team Nord", "Team Süd")
    ]
    person = participant(event, display_name="Renn Person")
    requests = [services.join_request_create(team=team, user=person) for team in teams]

    results = race(
        *[
            (
                lambda r=r, t=t: services.join_request_accept(
                    join_request=r, actor=t.memberships.get().user
                )
            )
            for r, t in zip(requests, teams, strict=True)
        ]
    )

    assert sum(isinstance(r, Membership) for r in results) == 1, results
    refused = [r for r in results if isinstance(r, services.TeamError)]
    assert len(refused) == 1
    assert refused[0].message in (
        "Renn Person has meanwhile joined another team and cannot join this one.",
        # The winner's commit withdrew the other request before the loser locked it.
        "This request was already answered or withdrawn (Withdrawn).",
    )
    assert Membership.objects.filter(event=event, user=person).count() == 1
