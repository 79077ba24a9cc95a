"""The teams selectors the API reads through (teams/api/): a team's requests, links,
members and roles by their id, the teams one may see, and the finder's keys."""

from __future__ import annotations

import pytest

from teams import selectors, services
from teams.enums import JoinRequestStatus
from tests.factories import (
    EventFactory,
    OpenRoleFactory,
    OrganiserFactory,
    SkillFactory,
    TeamFactory,
    add_member,
)
from tests.teams.conftest import participant

pytestmark = pytest.mark.django_db


def test_join_requests_of_team_by_status_or_by_person_oldest_first(team, founder, joiner, event):
    other = participant(event, display_name="Olga Other")
    first = services.join_request_create(team=team, user=joiner, message="")
    second = services.join_request_create(team=team, user=other, message="")
    services.join_request_decline(join_request=second, actor=founder)
    services.join_request_create(team=TeamFactory(event=event), user=other, message="")

    pending = selectors.join_requests_of_team(team=team, status=JoinRequestStatus.PENDING)
    assert [r.pk for r in pending] == [first.pk]
    declined = selectors.join_requests_of_team(team=team, status=JoinRequestStatus.DECLINED)
    assert [r.pk for r in declined] == [second.pk]
    assert [r.pk for r in selectors.join_requests_of_team(team=team)] == [first.pk, second.pk]
    assert [r.pk for r in selectors.join_requests_of_team(team=team, user=other)] == [second.pk]


def test_join_request_of_team_comes_with_its_person_and_team(
    team, joiner, event, django_assert_num_queries
):
    join_request = services.join_request_create(team=team, user=joiner, message="")
    with django_assert_num_queries(1):
        found = selectors.join_request_of_team(team=team, pk=join_request.pk)
        assert (found.pk, found.user.display_name, found.team) == (
            join_request.pk,
            "Jo Joiner",
            team,
        )
    assert selectors.join_request_of_team(team=TeamFactory(event=event), pk=join_request.pk) is None


def test_invitation_of_team_only_of_that_team(team, founder, event):
    invitation = services.invitation_create(team=team, actor=founder)
    found = selectors.invitation_of_team(team=team, pk=invitation.pk)
    assert (found.pk, found.team) == (invitation.pk, team)
    assert selectors.invitation_of_team(team=TeamFactory(event=event), pk=invitation.pk) is None


def test_membership_of_team_with_the_person(team, founder, joiner, django_assert_num_queries):
    with django_assert_num_queries(1):
        membership = selectors.membership_of_team(team=team, user_id=founder.pk)
        assert membership.user.display_name == "Fenja Founder"
    assert selectors.membership_of_team(team=team, user_id=joiner.pk) is None
    # A number no column holds is nobody, not an error.
    assert selectors.membership_of_team(team=team, user_id=2**70) is None


def test_open_role_of_team_with_its_skills(team, event, django_assert_num_queries):
    skill = SkillFactory(name="Python", is_curated=True)
    role = OpenRoleFactory(team=team, title="Backend", skills=[skill])
    with django_assert_num_queries(2):
        found = selectors.open_role_of_team(team=team, pk=role.pk)
        assert ([s.slug for s in found.skills.all()], found.team) == (["python"], team)
    assert selectors.open_role_of_team(team=TeamFactory(event=event), pk=role.pk) is None


def test_skills_for_open_role_are_curated_ones_and_the_roles_own(team):
    curated = SkillFactory(name="Python", is_curated=True)
    own_free = SkillFactory(name="Feldforschung")
    others_free = SkillFactory(name="Origami")
    OpenRoleFactory(team=team, skills=[others_free])
    role = OpenRoleFactory(team=team, skills=[own_free])
    slugs = {"python", "feldforschung", "origami"}

    found = selectors.skills_for_open_role(slugs=slugs, role=role)
    assert sorted(s.pk for s in found) == sorted([curated.pk, own_free.pk])
    assert [s.pk for s in selectors.skills_for_open_role(slugs=slugs)] == [curated.pk]


def test_teams_visible_to_leave_out_teams_of_unpublished_events(team, stranger):
    hidden = TeamFactory(event=EventFactory(is_public=False))
    assert [t.pk for t in selectors.teams_visible_to(user=stranger)] == [team.pk]
    organiser = OrganiserFactory()
    assert sorted(t.pk for t in selectors.teams_visible_to(user=organiser)) == sorted(
        [team.pk, hidden.pk]
    )


def test_teams_of_user_come_with_their_members(team, founder, joiner, django_assert_num_queries):
    add_member(team, joiner)
    OpenRoleFactory(team=team)
    with django_assert_num_queries(5):  # teams, open roles, their skills, languages, members
        teams = list(selectors.teams_of_user(user=founder))
        assert [m.user.display_name for m in teams[0].memberships.all()] == [
            "Fenja Founder",
            "Jo Joiner",
        ]


def test_team_keys_for_finder_load_nothing_but_the_keys(team, event):
    keys = list(selectors.team_keys_for_finder(event=event, params={}))
    assert [t.pk for t in keys] == [team.pk]
    assert keys[0].get_deferred_fields() >= {"name", "pitch", "event_id", "challenge_id"}
