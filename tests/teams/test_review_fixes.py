"""Fixes from the issue-4 review: NUL in the join route, requests of closed teams, people who
unregistered, races between a page's check and its service, the admin who is promoted."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import translation
from rest_framework.test import APIClient

from notifications.models import Notification
from notifications.rendering import render_email, render_inapp_text
from participants import services as participant_services
from participants.models import Registration
from teams import rules, services
from teams.enums import JoinRequestStatus, MemberRole
from teams.models import Invitation, JoinRequest, Membership, OpenRole, Team
from tests.factories import add_member
from tests.teams.conftest import participant

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


# --- 4. NUL characters and the join route ----------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_join_route_with_nul_is_400(client, joiner, method):
    client.force_login(joiner)
    response = getattr(client, method)("/teams/join/%00/")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_api_path_with_nul_is_400_json(client):
    response = client.get("/api/v1/invitations/ab%00cd/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "null_characters_not_allowed"


@pytest.mark.parametrize("token", ["ab$cd", "a" * 65, "abc.def", "%C3%A4"])
def test_join_route_only_takes_url_safe_tokens(client, token):
    assert client.get(f"/teams/join/{token}/").status_code == 404
    with pytest.raises(Resolver404):
        resolve(f"/teams/join/{token}/")


def test_join_route_takes_real_tokens(client, team, founder):
    invitation = services.invitation_create(team=team, actor=founder)
    assert resolve(f"/teams/join/{invitation.token}/").url_name == "invitation"
    assert client.get(f"/teams/join/{invitation.token}/").status_code == 200
    with pytest.raises(NoReverseMatch):
        reverse("teams:invitation", kwargs={"token": "a b"})


# --- 5. closing a team ends its pending requests, and says so ---------------------------------


def test_closing_a_team_tells_each_requester(team, founder, joiner, event):
    other = participant(event, language="en")
    services.join_request_create(team=team, user=joiner)
    services.join_request_create(team=team, user=other)

    services.team_close(team=team, actor=founder)

    assert set(JoinRequest.objects.values_list("status", flat=True)) == {JoinRequestStatus.DECLINED}
    for person in (joiner, other):
        notification = Notification.objects.get(recipient=person)
        assert notification.kind == "team.join_request_declined"
        assert notification.context["reason"] == "team_closed"
        assert "was closed; your request to join it has ended" in render_inapp_text(notification)
    mail = render_email(Notification.objects.get(recipient=other))
    assert "was closed, so your request to join it has ended" in mail.body
    assert "declined your request" not in mail.body


def test_team_closing_when_last_member_leaves_tells_requesters(team, founder, joiner):
    services.join_request_create(team=team, user=joiner)

    services.membership_leave(team=team, user=founder)

    notification = Notification.objects.get(recipient=joiner)
    assert notification.kind == "team.join_request_declined"
    assert notification.context["reason"] == "team_closed"


def test_declined_request_keeps_its_wording(team, founder, joiner):
    request = services.join_request_create(team=team, user=joiner)
    services.join_request_decline(join_request=request, actor=founder)
    notification = Notification.objects.get(recipient=joiner)
    assert "reason" not in notification.context
    assert "was declined" in render_inapp_text(notification)


# --- 7. people who unregistered ---------------------------------------------------------------


def test_unregistering_withdraws_pending_requests_of_the_event(
    team, founder, joiner, event, challenge
):
    from tests.factories import ChallengeFactory, EventFactory
    from tests.teams.conftest import team_of

    second = team_of(event, challenge, participant(event), name="Zweites Team")
    services.join_request_create(team=team, user=joiner)
    services.join_request_create(team=second, user=joiner)
    elsewhere = EventFactory(is_public=True)
    Registration.objects.create(
        event=elsewhere, user=joiner, code_of_conduct_accepted_at=joiner.date_joined
    )
    other_team = team_of(elsewhere, ChallengeFactory(event=elsewhere), participant(elsewhere))
    kept = services.join_request_create(team=other_team, user=joiner)

    participant_services.registration_cancel(
        registration=Registration.objects.get(event=event, user=joiner), actor=joiner
    )

    statuses = dict(JoinRequest.objects.filter(user=joiner).values_list("team_id", "status"))
    assert statuses == {
        team.pk: JoinRequestStatus.WITHDRAWN,
        second.pk: JoinRequestStatus.WITHDRAWN,
        kept.team_id: JoinRequestStatus.PENDING,
    }
    # The admins' page no longer lists the request.
    assert not JoinRequest.objects.filter(team=team, status=JoinRequestStatus.PENDING).exists()


def test_accepting_request_of_someone_no_longer_registered_names_them(team, founder, joiner):
    request = services.join_request_create(team=team, user=joiner)
    # Left behind before unregistering withdrew requests (or the role changed meanwhile).
    Registration.objects.filter(user=joiner).update(role="mentor")

    with pytest.raises(services.TeamError) as caught:
        services.join_request_accept(join_request=request, actor=founder)

    assert caught.value.message == (
        "Jo Joiner is no longer registered as a participant of this event."
    )
    assert not Membership.objects.filter(team=team, user=joiner).exists()


def test_joining_myself_unregistered_keeps_the_message_for_me(team, founder, stranger):
    invitation = services.invitation_create(team=team, actor=founder)
    with pytest.raises(services.TeamError, match="Only people registered as participants"):
        services.invitation_accept(token=invitation.token, user=stranger)


# --- 8. races between a page's check and its service -----------------------------------------


def _step_down_first(monkeypatch, name: str, team, admin, successor):
    """Runs the real service, but only after the admin handed over and stepped down: the
    moment between the page's permission check and the service is where the race is."""
    real = getattr(services, name)

    def racing(**kwargs):
        services.admin_hand_over(team=team, actor=admin, to_user=successor, step_down=True)
        return real(**kwargs)

    monkeypatch.setattr(services, name, racing)


def test_open_role_delete_race_shows_message_not_500(
    client, monkeypatch, team, founder, member_user
):
    role = OpenRole.objects.create(team=team, title="Backend")
    _step_down_first(monkeypatch, "open_role_delete", team, founder, member_user)
    client.force_login(founder)

    response = client.post(reverse("teams:role_delete", args=[team.pk, role.pk]), follow=True)

    assert response.status_code == 200
    assert "Only the team&#x27;s admins can edit it." in response.content.decode()
    assert OpenRole.objects.filter(pk=role.pk).exists()


def test_invitation_revoke_race_shows_message_not_500(
    client, monkeypatch, team, founder, member_user
):
    invitation = services.invitation_create(team=team, actor=founder)
    _step_down_first(monkeypatch, "invitation_revoke", team, founder, member_user)
    client.force_login(founder)
    url = reverse("teams:invitation_revoke", args=[team.pk, invitation.pk])

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "Only the team&#x27;s admins can revoke." in response.content.decode()
    assert response.redirect_chain[-1][0] == team.get_absolute_url()
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_invitation_revoke_race_with_htmx_leaves_the_manage_page(
    client, monkeypatch, team, founder, member_user
):
    invitation = services.invitation_create(team=team, actor=founder)
    _step_down_first(monkeypatch, "invitation_revoke", team, founder, member_user)
    client.force_login(founder)

    response = client.post(
        reverse("teams:invitation_revoke", args=[team.pk, invitation.pk]), **HTMX
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == team.get_absolute_url()


def test_api_invitation_revoke_race_is_400(monkeypatch, team, founder, member_user):
    invitation = services.invitation_create(team=team, actor=founder)
    _step_down_first(monkeypatch, "invitation_revoke", team, founder, member_user)
    api = APIClient()
    api.cookies["language"] = "en"
    api.force_authenticate(founder)

    response = api.delete(f"/api/v1/teams/{team.pk}/invitations/{invitation.pk}/")

    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == "Only the team's admins can revoke."


def test_invitation_revoke_checks_the_current_role(team, founder, member_user):
    invitation = services.invitation_create(team=team, actor=founder)
    invitation.team = team
    assert rules.is_team_admin(founder, team)  # now cached on this team object
    elsewhere = Team.objects.get(pk=team.pk)  # another request, another object
    services.admin_hand_over(team=elsewhere, actor=founder, to_user=member_user, step_down=True)
    with pytest.raises(services.TeamError):
        services.invitation_revoke(invitation=invitation, actor=founder)


# --- 8. the member who becomes admin is told ---------------------------------------------------


def test_member_promoted_when_last_admin_leaves_is_notified(team, founder, member_user):
    services.membership_leave(team=team, user=founder)

    assert Membership.objects.get(team=team, user=member_user).role == MemberRole.ADMIN
    notification = Notification.objects.get(recipient=member_user, kind="team.admin_promoted")
    assert notification.context["url"] == reverse("teams:manage", args=[team.pk])
    assert "You are now an admin" in render_inapp_text(notification)
    notification.recipient.language = "en"  # e-mails go out in the recipient's language
    mail = render_email(notification)
    assert team.name in mail.subject and "you are now its admin" in mail.body


def test_no_promotion_notice_when_an_admin_remains(team, founder, member_user, event):
    second_admin = participant(event)
    add_member(team, second_admin, role=MemberRole.ADMIN)
    services.membership_leave(team=team, user=founder)
    assert not Notification.objects.filter(kind="team.admin_promoted").exists()
