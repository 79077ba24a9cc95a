"""Teams in the Django admin, for organisers."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from teams import services
from teams.enums import TeamStatus
from teams.models import Team
from tests.factories import add_member
from tests.teams.conftest import participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, organiser):
    client.force_login(organiser)
    client.cookies["language"] = "en"
    return client


def test_organisers_group_has_team_permissions(organiser):
    organiser = type(organiser).objects.get(pk=organiser.pk)
    assert organiser.has_perm("teams.change_team")
    assert organiser.has_perm("teams.view_joinrequest")
    assert not organiser.has_perm("teams.add_team")
    assert not organiser.has_perm("teams.delete_team")


@pytest.mark.parametrize("model", ["team", "joinrequest", "invitation"])
def test_changelists_open(admin_client, team, model):
    response = admin_client.get(reverse(f"admin:teams_{model}_changelist"))
    assert response.status_code == 200


def test_team_change_page_with_inlines(admin_client, team, event):
    add_member(team, participant(event, display_name="Inline Person"))
    response = admin_client.get(reverse("admin:teams_team_change", args=[team.pk]))
    text = response.content.decode()
    assert response.status_code == 200 and "Inline Person" in text
    assert 'name="member_count"' not in text  # read-only


def test_team_admin_refuses_max_size_below_members(admin_client, team, event):
    add_member(team, participant(event))
    response = admin_client.post(
        reverse("admin:teams_team_change", args=[team.pk]),
        {
            "name": team.name,
            "pitch": team.pitch,
            "chat_link": "",
            "max_size": "1",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "open_roles-TOTAL_FORMS": "0",
            "open_roles-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "the maximum cannot be lower" in response.content.decode()
    team.refresh_from_db()
    assert team.max_size == 10


def test_close_action(admin_client, team):
    admin_client.post(
        reverse("admin:teams_team_changelist"),
        {"action": "close_teams", ACTION_CHECKBOX_NAME: [team.pk]},
        follow=True,
    )
    team.refresh_from_db()
    assert team.status == TeamStatus.CLOSED


def test_revoke_action(admin_client, team, founder):
    invitation = services.invitation_create(team=team, actor=founder)
    admin_client.post(
        reverse("admin:teams_invitation_changelist"),
        {"action": "revoke", ACTION_CHECKBOX_NAME: [invitation.pk]},
        follow=True,
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_no_adding_teams_in_admin(admin_client):
    assert admin_client.get(reverse("admin:teams_team_add")).status_code == 403
    assert Team.objects.count() == 0


def test_participant_has_no_admin(client, founder, team):
    client.force_login(founder)
    response = client.get(reverse("admin:teams_team_changelist"))
    assert response.status_code == 302


def test_team_admin_refuses_demoting_the_last_admin(admin_client, team, founder, event):
    member = participant(event)
    add_member(team, member)
    memberships = list(team.memberships.order_by("pk"))
    data = {
        "name": team.name,
        "pitch": team.pitch,
        "chat_link": "",
        "max_size": str(team.max_size),
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "2",
        "open_roles-TOTAL_FORMS": "0",
        "open_roles-INITIAL_FORMS": "0",
    }
    for index, membership in enumerate(memberships):
        data[f"memberships-{index}-id"] = membership.pk
        data[f"memberships-{index}-team"] = team.pk
        data[f"memberships-{index}-role"] = "member"

    response = admin_client.post(reverse("admin:teams_team_change", args=[team.pk]), data)

    assert response.status_code == 200
    assert "A team with members needs at least one admin." in response.content.decode()
    assert team.memberships.get(user=founder).role == "admin"

    data["memberships-1-role"] = "admin"  # the other member takes over: fine
    response = admin_client.post(reverse("admin:teams_team_change", args=[team.pk]), data)
    assert response.status_code == 302
    assert team.memberships.get(user=member).role == "admin"


# --- the admin writes through the services ------------------------------------------------


def _change_data(team, memberships=(), open_roles=(), **fields) -> dict:
    """The change form as the admin posts it: the team's fields, its members' roles and
    its open roles (each a dict of title, description, skills and optionally id/DELETE)."""
    data = {
        "name": team.name,
        "pitch": team.pitch,
        "chat_link": team.chat_link,
        "max_size": str(team.max_size),
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "open_roles-TOTAL_FORMS": str(len(open_roles)),
        "open_roles-INITIAL_FORMS": str(sum(1 for role in open_roles if role.get("id"))),
        **fields,
    }
    for index, (membership, role) in enumerate(memberships):
        data[f"memberships-{index}-id"] = membership.pk
        data[f"memberships-{index}-team"] = team.pk
        data[f"memberships-{index}-role"] = role
    for index, role in enumerate(open_roles):
        for key, value in role.items():
            data[f"open_roles-{index}-{key}"] = value
        data[f"open_roles-{index}-team"] = team.pk
    return data


def _entries(team, action: str):
    from audit.services import audit_entries_for

    return list(audit_entries_for(target=team).filter(action=action))


def test_team_admin_refuses_max_size_above_the_events_cap(admin_client, team, event):
    url = reverse("admin:teams_team_change", args=[team.pk])

    response = admin_client.post(url, _change_data(team, max_size=str(event.team_max_size + 1)))

    assert response.status_code == 200
    assert f"Teams in this event have at most {event.team_max_size} members." in (
        response.content.decode()
    )
    team.refresh_from_db()
    assert team.max_size == event.team_max_size
    assert _entries(team, "team.update") == []


def test_team_admin_change_is_audited(admin_client, team, organiser):
    url = reverse("admin:teams_team_change", args=[team.pk])

    response = admin_client.post(url, _change_data(team, name="Neuer Name", max_size="4"))

    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.name, team.max_size) == ("Neuer Name", 4)
    [entry] = _entries(team, "team.update")
    assert entry.actor == organiser
    assert sorted(entry.data["fields"]) == ["max_size", "name"]


def test_team_admin_refuses_a_name_taken_in_the_event(admin_client, team, event, challenge):
    from tests.teams.conftest import team_of

    team_of(event, challenge, participant(event), name="Schon Vergeben")
    url = reverse("admin:teams_team_change", args=[team.pk])

    response = admin_client.post(url, _change_data(team, name="schon vergeben"))

    assert response.status_code == 200
    assert "There is already a team called" in response.content.decode()
    team.refresh_from_db()
    assert team.name == "Bettenradar"


def test_team_admin_role_change_is_a_hand_over(admin_client, team, founder, event, organiser):
    member = participant(event)
    add_member(team, member)
    founder_membership, member_membership = team.memberships.order_by("pk")
    url = reverse("admin:teams_team_change", args=[team.pk])

    response = admin_client.post(
        url,
        _change_data(
            team, memberships=[(founder_membership, "member"), (member_membership, "admin")]
        ),
    )

    assert response.status_code == 302
    assert team.memberships.get(user=member).role == "admin"
    assert team.memberships.get(user=founder).role == "member"
    [hand_over] = _entries(team, "team.admin_hand_over")
    assert hand_over.actor == organiser and hand_over.data["to"] == member.pk
    [step_down] = _entries(team, "team.admin_step_down")
    assert step_down.data == {"user": founder.pk}


def test_team_admin_open_roles_through_the_services(admin_client, team, organiser):
    url = reverse("admin:teams_team_change", args=[team.pk])

    response = admin_client.post(
        url,
        _change_data(team, open_roles=[{"title": "  Backend  ", "description": "Django"}]),
    )

    assert response.status_code == 302
    role = team.open_roles.get()
    assert role.title == "Backend"  # trimmed by open_role_create
    response = admin_client.post(
        url,
        _change_data(
            team,
            open_roles=[{"id": role.pk, "title": "Backend", "description": "", "DELETE": "on"}],
        ),
    )
    assert response.status_code == 302
    assert not team.open_roles.exists()


# --- deleting teams (administrators only, through team_delete) ------------------------------


@pytest.fixture
def superuser_client(client, db):
    from tests.factories import UserFactory

    client.force_login(
        UserFactory(email="root@example.org", display_name="Root", is_staff=True, is_superuser=True)
    )
    client.cookies["language"] = "en"
    return client


def test_superuser_deletes_a_team_audited_and_members_told(
    superuser_client, team, founder, member_user, joiner
):
    from audit.models import AuditEntry
    from notifications.models import Notification

    services.join_request_create(team=team, user=joiner)
    team_id, name = team.pk, team.name

    response = superuser_client.post(
        reverse("admin:teams_team_delete", args=[team.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Team.objects.filter(pk=team_id).exists()
    [entry] = AuditEntry.objects.filter(action="team.delete")
    assert entry.target_id == team_id and entry.actor.email == "root@example.org"
    assert entry.data["name"] == name
    assert sorted(entry.data["members"]) == sorted([founder.pk, member_user.pk])
    closed = Notification.objects.filter(kind="team.closed")
    assert sorted(closed.values_list("recipient_id", flat=True)) == sorted(
        [founder.pk, member_user.pk]
    )
    assert all(n.context["team_name"] == name and "url" not in n.context for n in closed)
    # The pending request ended with a notice too, as when a team is closed.
    [declined] = Notification.objects.filter(kind="team.join_request_declined")
    assert declined.recipient == joiner


def test_superuser_bulk_delete_goes_through_the_service(superuser_client, team, founder):
    from audit.models import AuditEntry

    superuser_client.post(
        reverse("admin:teams_team_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [team.pk], "post": "yes"},
    )

    assert not Team.objects.filter(pk=team.pk).exists()
    assert AuditEntry.objects.filter(action="team.delete", target_id=team.pk).count() == 1


def test_team_delete_refused_to_organisers(team, organiser):
    with pytest.raises(services.TeamError, match="close it instead"):
        services.team_delete(team=team, actor=organiser)
    assert Team.objects.filter(pk=team.pk).exists()


def test_organisers_get_no_delete_page(admin_client, team):
    response = admin_client.post(
        reverse("admin:teams_team_delete", args=[team.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Team.objects.filter(pk=team.pk).exists()


def test_join_requests_are_read_only_in_the_admin(superuser_client, team, joiner):
    from teams.enums import JoinRequestStatus

    join_request = services.join_request_create(team=team, user=joiner)
    change = reverse("admin:teams_joinrequest_change", args=[join_request.pk])
    delete = reverse("admin:teams_joinrequest_delete", args=[join_request.pk])

    assert superuser_client.post(change, {"status": "accepted"}).status_code == 403
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.PENDING


def test_invitations_are_only_revoked_in_the_admin(superuser_client, team, founder):
    invitation = services.invitation_create(team=team, actor=founder)
    delete = reverse("admin:teams_invitation_delete", args=[invitation.pk])
    change = reverse("admin:teams_invitation_change", args=[invitation.pk])

    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert superuser_client.post(change, {}).status_code == 403
    assert type(invitation).objects.filter(pk=invitation.pk, revoked_at=None).exists()
