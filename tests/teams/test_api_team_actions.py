"""The teams API's actions share their steps (teams.api._base): the rule that decides, with
the action's own 403 message, and a 404 for what the team does not have (another team's
invitation, open role or join request, a person who is not a member)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from teams import services
from teams.models import Invitation, OpenRole
from tests.factories import OpenRoleFactory
from tests.teams.conftest import participant, team_of
from tests.teams.test_api import TEAMS, errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_team(event, challenge):
    return team_of(event, challenge, participant(event), name="Andere")


def test_each_action_refuses_a_member_with_its_own_message(api, team, member_user):
    api.force_authenticate(member_user)
    role = OpenRoleFactory(team=team)
    refusals = {
        "invitations": api.get(f"{TEAMS}{team.pk}/invitations/"),
        "revoke": api.delete(f"{TEAMS}{team.pk}/invitations/1/"),
        "remove": api.delete(f"{TEAMS}{team.pk}/members/1/"),
        "admins": api.post(f"{TEAMS}{team.pk}/admins/", {"user": 1}, format="json"),
        "open_roles": api.post(f"{TEAMS}{team.pk}/open-roles/", {}, format="json"),
        "open_role": api.delete(f"{TEAMS}{team.pk}/open-roles/{role.pk}/"),
        "answer": api.post(f"{TEAMS}{team.pk}/join-requests/1/accept/"),
        "close": api.post(f"{TEAMS}{team.pk}/close/"),
    }
    assert {name: response.status_code for name, response in refusals.items()} == dict.fromkeys(
        refusals, 403
    )
    assert {name: errors(response) for name, response in refusals.items()} == {
        "invitations": {None: ["Only the team's admins see invitations."]},
        "revoke": {None: ["Only the team's admins can revoke links."]},
        "remove": {None: ["Only the team's admins can remove members."]},
        "admins": {None: ["Only the team's admins can do this."]},
        "open_roles": {None: ["Only the team's admins can edit it."]},
        "open_role": {None: ["Only the team's admins can edit it."]},
        "answer": {None: ["Only the team's admins can answer requests."]},
        "close": {None: ["Only the team's admins can close it."]},
    }
    assert OpenRole.objects.filter(pk=role.pk).exists()


def test_what_another_team_has_is_404_to_this_teams_admin(api, team, founder, other_team, joiner):
    invitation = services.invitation_create(
        team=other_team, actor=other_team.memberships.get().user, valid_for=timedelta(days=3)
    )
    role = OpenRoleFactory(team=other_team)
    join_request = services.join_request_create(team=other_team, user=joiner, message="")
    api.force_authenticate(founder)
    answers = {
        "revoke": api.delete(f"{TEAMS}{team.pk}/invitations/{invitation.pk}/"),
        "open_role": api.delete(f"{TEAMS}{team.pk}/open-roles/{role.pk}/"),
        "remove": api.delete(f"{TEAMS}{team.pk}/members/{joiner.pk}/"),
        "accept": api.post(f"{TEAMS}{team.pk}/join-requests/{join_request.pk}/accept/"),
    }
    assert {name: response.status_code for name, response in answers.items()} == dict.fromkeys(
        answers, 404
    )
    assert Invitation.objects.filter(pk=invitation.pk, revoked_at=None).exists()
    assert OpenRole.objects.filter(pk=role.pk).exists()


def test_accepting_a_link_answers_the_team_as_its_detail_shows_it(api, team, founder, joiner):
    invitation = services.invitation_create(team=team, actor=founder, valid_for=timedelta(days=3))
    api.force_authenticate(joiner)
    accepted = api.post(f"/api/v1/invitations/{invitation.token}/accept/")
    detail = api.get(f"{TEAMS}{team.pk}/")
    assert (accepted.status_code, accepted.json()) == (200, detail.json())
    assert joiner.pk in [member["user"] for member in accepted.json()["members"]]
