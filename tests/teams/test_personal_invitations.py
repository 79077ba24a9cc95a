"""Personal invitations: a team admin invites one person they found; only that person can
use it, once. Through the service, the people finder, the suggested people page and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification
from notifications.rendering import render_inapp_text
from participants.enums import ProfileVisibility
from teams import services
from teams.enums import TeamStatus
from teams.models import Invitation, Membership
from tests.factories import (
    OpenRoleFactory,
    ProfileFactory,
    RegistrationFactory,
    SkillFactory,
    UserFactory,
    add_member,
)
from tests.notifications.conftest import write_mo
from tests.teams.conftest import participant, team_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def invitation_path(invitation: Invitation) -> str:
    return reverse("teams:invitation", kwargs={"token": invitation.token})


# --- the service ------------------------------------------------------------------------------


def test_personal_invitation_notifies_the_invitee_with_the_link(
    team, founder, joiner, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(team=team, actor=founder, invitee=joiner)

    assert invitation.invitee == joiner and invitation.is_personal
    notification = Notification.objects.get(recipient=joiner)
    assert notification.kind == "team.invitation"
    assert notification.context["team_name"] == team.name
    assert notification.context["inviter_name"] == "Fenja Founder"
    assert notification.context["url"] == f"/teams/join/{invitation.token}/"
    assert "Fenja Founder invites you to join" in render_inapp_text(notification)
    (mail,) = mailoutbox
    assert mail.to == [joiner.email]
    assert team.name in mail.subject
    assert f"/teams/join/{invitation.token}/" in mail.body


def test_personal_invitation_mail_is_in_the_invitees_language(
    team, founder, event, tmp_path, settings, mailoutbox, django_capture_on_commit_callbacks
):
    write_mo(
        tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.mo",
        {"%(name)s invites you to join %(team)s": "%(name)s lädt dich zu %(team)s ein"},
    )
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    german = participant(event, language="de")
    english = participant(event, language="en")

    # The admin works in English; each invited person reads their own language.
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(team=team, actor=founder, invitee=german)
        services.invitation_create(team=team, actor=founder, invitee=english)

    by_recipient = {mail.to[0]: mail for mail in mailoutbox}
    assert by_recipient[german.email].subject.endswith("Fenja Founder lädt dich zu Bettenradar ein")
    assert by_recipient[german.email].extra_headers["Content-Language"] == "de"
    assert by_recipient[english.email].subject.endswith(
        "Fenja Founder invites you to join Bettenradar"
    )
    assert by_recipient[english.email].extra_headers["Content-Language"] == "en"


def test_personal_invitation_can_only_be_used_by_the_invitee(team, founder, joiner, event):
    invitation = services.invitation_create(team=team, actor=founder, invitee=joiner)
    other = participant(event)

    with pytest.raises(services.TeamError, match="sent to another person"):
        services.invitation_accept(token=invitation.token, user=other)

    assert not Membership.objects.filter(team=team, user=other).exists()
    services.invitation_accept(token=invitation.token, user=joiner)
    assert Membership.objects.filter(team=team, user=joiner).exists()


def test_personal_invitation_is_used_up_once_accepted(team, founder, joiner):
    invitation = services.invitation_create(team=team, actor=founder, invitee=joiner)
    services.invitation_accept(token=invitation.token, user=joiner)
    services.membership_leave(team=team, user=joiner)

    with pytest.raises(services.TeamError, match="already been used"):
        services.invitation_accept(token=invitation.token, user=joiner)

    invitation.refresh_from_db()
    assert invitation.uses == 1
    assert "already been used" in services.invitation_problem(invitation, user=joiner)


def test_personal_invitation_refused_for_plain_member(team, member_user, joiner):
    with pytest.raises(services.TeamError, match="Only the team's admins can invite"):
        services.invitation_create(team=team, actor=member_user, invitee=joiner)
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(recipient=joiner).exists()


def test_personal_invitation_refused_for_person_in_max_teams(event, challenge, team, founder):
    busy = participant(event, display_name="Bea Busy")
    team_of(event, challenge, busy, name="Andere")

    with pytest.raises(services.TeamError, match="Bea Busy is already in as many teams"):
        services.invitation_create(team=team, actor=founder, invitee=busy)


def test_personal_invitation_refused_for_a_member(team, founder, member_user):
    with pytest.raises(services.TeamError, match="Mia Member is already a member"):
        services.invitation_create(team=team, actor=founder, invitee=member_user)


def test_personal_invitation_refused_for_full_and_closed_teams(event, challenge, joiner):
    admin = participant(event)
    full = team_of(event, challenge, admin, name="Voll", max_size=1)
    with pytest.raises(services.TeamError, match="This team is full"):
        services.invitation_create(team=full, actor=admin, invitee=joiner)
    services.team_close(team=full, actor=admin)
    full.refresh_from_db()
    with pytest.raises(services.TeamError, match="This team is closed"):
        services.invitation_create(team=full, actor=admin, invitee=joiner)


def test_personal_invitation_refused_for_unregistered_or_hidden_people(team, founder, event):
    stranger = UserFactory()
    hidden = participant(event)
    ProfileFactory(user=hidden, visibility=ProfileVisibility.TEAM_ADMINS)
    mentor = UserFactory()
    RegistrationFactory(event=event, user=mentor, role="mentor", looking_for_team=False)

    for person in (stranger, hidden, mentor):
        with pytest.raises(services.TeamError, match="whose profile you can see") as caught:
            services.invitation_create(team=team, actor=founder, invitee=person)
        assert caught.value.field == "invitee"
    assert not Notification.objects.filter(kind="team.invitation").exists()


def test_personal_invitation_refused_twice_for_the_same_person(team, founder, joiner):
    services.invitation_create(team=team, actor=founder, invitee=joiner)
    with pytest.raises(services.TeamError, match="already has an invitation"):
        services.invitation_create(team=team, actor=founder, invitee=joiner)


def test_used_personal_invitation_is_not_listed_as_valid(team, founder, joiner):
    from teams.selectors import invitations_valid

    link = services.invitation_create(team=team, actor=founder)
    personal = services.invitation_create(team=team, actor=founder, invitee=joiner)
    assert set(invitations_valid(team=team)) == {link, personal}
    services.invitation_accept(token=personal.token, user=joiner)
    assert list(invitations_valid(team=team)) == [link]


# --- the invitation page -------------------------------------------------------------------------


def test_invitation_page_refuses_someone_else_clearly(client, team, founder, joiner, event):
    invitation = services.invitation_create(team=team, actor=founder, invitee=joiner)
    other = participant(event)
    client.force_login(other)

    page = client.get(invitation_path(invitation)).content.decode()
    assert "sent to another person" in page and "Join the team" not in page
    response = client.post(invitation_path(invitation))
    assert "sent to another person" in response.content.decode()
    assert not Membership.objects.filter(team=team, user=other).exists()

    client.force_login(joiner)
    page = client.get(invitation_path(invitation)).content.decode()
    assert "this invitation is for you only" in page and "Join the team" in page
    assert client.post(invitation_path(invitation)).status_code == 302
    assert Membership.objects.filter(team=team, user=joiner).exists()


# --- the people finder and the suggested people --------------------------------------------------


def finder_url(event) -> str:
    return reverse("participants:finder", args=[event.slug])


def test_people_finder_cards_offer_invite_to_team_admins(client, event, team, founder, joiner):
    client.force_login(founder)
    page = client.get(finder_url(event)).content.decode()
    assert reverse("teams:invite_person", args=[team.pk]) in page
    assert "Invite to my team" in page


def test_people_finder_has_no_invite_button_for_organisers_without_team(
    client, event, organiser, joiner
):
    client.force_login(organiser)
    page = client.get(finder_url(event)).content.decode()
    assert "Jo Joiner" in page
    assert 'data-testid="invite"' not in page


def test_invite_from_people_finder_without_js(client, event, team, founder, joiner):
    client.force_login(founder)
    back = finder_url(event) + "?skill="

    response = client.post(
        reverse("teams:invite_person", args=[team.pk]), {"invitee": joiner.pk, "next": back}
    )

    assert response.status_code == 302 and response.url == back
    assert Invitation.objects.get(team=team).invitee == joiner
    assert Notification.objects.get(recipient=joiner).kind == "team.invitation"
    page = client.get(back).content.decode()
    assert "Jo Joiner is invited to Bettenradar" in page


def test_invite_with_htmx_swaps_the_button(client, event, team, founder, joiner):
    client.force_login(founder)

    response = client.post(
        reverse("teams:invite_person", args=[team.pk]), {"invitee": joiner.pk}, **HTMX
    )

    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert 'data-testid="invite-result"' in text and "Jo Joiner is invited" in text


def test_invite_refusal_is_shown_with_htmx(client, event, challenge, team, founder):
    busy = participant(event, display_name="Bea Busy")
    team_of(event, challenge, busy, name="Andere")
    client.force_login(founder)

    response = client.post(
        reverse("teams:invite_person", args=[team.pk]), {"invitee": busy.pk}, **HTMX
    )

    assert "Bea Busy is already in as many teams" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_by_non_admin_is_404(client, team, member_user, joiner, event):
    outsider = participant(event)
    for person in (member_user, outsider):
        client.force_login(person)
        response = client.post(
            reverse("teams:invite_person", args=[team.pk]), {"invitee": joiner.pk}
        )
        assert response.status_code == 404
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(recipient=joiner).exists()


def test_invite_anonymous_goes_to_login(client, team, joiner):
    response = client.post(reverse("teams:invite_person", args=[team.pk]), {"invitee": joiner.pk})
    assert response.status_code == 302 and "login" in response.url


def test_invite_for_closed_team_by_its_former_admin_is_404(client, event, challenge, joiner):
    admin = participant(event)
    closing = team_of(event, challenge, admin, name="Geht zu")
    add_member(closing, participant(event))
    client.force_login(admin)
    services.team_close(team=closing, actor=admin)
    # The admin was an admin of a team that is now closed: nobody manages it any more.
    response = client.post(
        reverse("teams:invite_person", args=[closing.pk]), {"invitee": joiner.pk}
    )
    assert response.status_code == 404


def test_invite_closed_team_by_organiser_says_closed(client, organiser, team, founder, joiner):
    services.team_close(team=team, actor=founder)
    client.force_login(organiser)
    response = client.post(
        reverse("teams:invite_person", args=[team.pk]), {"invitee": joiner.pk}, **HTMX
    )
    assert "This team is closed." in response.content.decode()


def test_invite_unknown_person_says_so(client, team, founder):
    client.force_login(founder)
    for value in ("999999", "abc", ""):
        response = client.post(
            reverse("teams:invite_person", args=[team.pk]), {"invitee": value}, **HTMX
        )
        assert response.status_code == 200
        assert "whose profile you can see" in response.content.decode()


def test_invite_ignores_a_foreign_next_url(client, team, founder, joiner):
    client.force_login(founder)
    response = client.post(
        reverse("teams:invite_person", args=[team.pk]),
        {"invitee": joiner.pk, "next": "https://evil.example.org/"},
    )
    assert response.url == reverse("teams:suggested_people", args=[team.pk])


def test_suggested_people_page_offers_invite(client, event, team, founder, joiner):
    python = SkillFactory(name="Python", slug="python")
    OpenRoleFactory(team=team, skills=[python])
    ProfileFactory(user=joiner, skills=[python])
    client.force_login(founder)
    page = client.get(reverse("teams:suggested_people", args=[team.pk])).content.decode()
    assert "Jo Joiner" in page
    assert reverse("teams:invite_person", args=[team.pk]) in page


# --- the API ----------------------------------------------------------------------------------


def invitations_url(team) -> str:
    return f"/api/v1/teams/{team.pk}/invitations/"


def test_api_personal_invitation(api, team, founder, joiner):
    api.force_authenticate(founder)

    response = api.post(invitations_url(team), {"invitee": joiner.pk}, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["invitee"] == joiner.pk and data["invitee_name"] == "Jo Joiner"
    assert Notification.objects.get(recipient=joiner).kind == "team.invitation"
    link = api.post(invitations_url(team), {}, format="json").json()
    assert link["invitee"] is None


def test_api_personal_invitation_accept_only_by_invitee(api, team, founder, joiner, event):
    invitation = services.invitation_create(team=team, actor=founder, invitee=joiner)
    api.force_authenticate(participant(event))
    preview = api.get(f"/api/v1/invitations/{invitation.token}/").json()
    assert preview["is_valid"] is False and "sent to another person" in preview["problem"]
    response = api.post(f"/api/v1/invitations/{invitation.token}/accept/")
    assert response.status_code == 400
    assert "sent to another person" in str(response.json())
    api.force_authenticate(joiner)
    assert api.get(f"/api/v1/invitations/{invitation.token}/").json()["is_valid"] is True
    assert api.post(f"/api/v1/invitations/{invitation.token}/accept/").status_code == 200


def test_api_personal_invitation_refused_for_member(api, team, member_user, joiner):
    api.force_authenticate(member_user)
    response = api.post(invitations_url(team), {"invitee": joiner.pk}, format="json")
    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("value", [999999, 0, "abc"])
def test_api_personal_invitation_unknown_invitee_is_400(api, team, founder, value):
    api.force_authenticate(founder)
    response = api.post(invitations_url(team), {"invitee": value}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "invitee"


def test_api_personal_invitation_person_in_another_team_is_400(
    api, event, challenge, team, founder
):
    busy = participant(event)
    team_of(event, challenge, busy, name="Andere")
    api.force_authenticate(founder)
    response = api.post(invitations_url(team), {"invitee": busy.pk}, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["attr"] == "invitee" and "as many teams" in error["detail"]


def test_api_personal_invitation_closed_team_is_400(api, team, founder, joiner, organiser):
    assert services.team_close(team=team, actor=founder).status == TeamStatus.CLOSED
    api.force_authenticate(organiser)
    response = api.post(invitations_url(team), {"invitee": joiner.pk}, format="json")
    assert response.status_code == 400
    assert "This team is closed." in str(response.json())
