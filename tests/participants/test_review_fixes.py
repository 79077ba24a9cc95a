"""Fixes from the issue-4 review: unregistering ends the person's join requests, and the
registration admin refuses what would leave a team with a member it no longer knows."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from audit.models import AuditEntry
from participants import services
from participants.enums import EventRole
from participants.models import Registration
from teams.enums import JoinRequestStatus
from teams.models import JoinRequest
from tests.factories import RegistrationFactory, TeamFactory, add_member

pytestmark = pytest.mark.django_db


# --- 7. unregistering withdraws pending join requests -----------------------------------------


def test_registration_cancel_withdraws_pending_join_requests(event, person, team):
    registration = RegistrationFactory(event=event, user=person)
    pending = JoinRequest.objects.create(team=team, user=person, message="Hallo")

    services.registration_cancel(registration=registration, actor=person)

    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.WITHDRAWN
    assert pending.decided_at is not None
    assert not Registration.objects.filter(pk=registration.pk).exists()


def test_unregister_page_withdraws_pending_join_requests(client, event, person, team):
    RegistrationFactory(event=event, user=person)
    pending = JoinRequest.objects.create(team=team, user=person)
    client.force_login(person)

    response = client.post(reverse("participants:unregister", args=[event.slug]), follow=True)

    assert "no longer registered" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.WITHDRAWN


def test_registration_cancel_refused_keeps_requests(event, person, team, team_admin):
    registration = RegistrationFactory(event=event, user=person)
    add_member(TeamFactory(event=event), person)
    pending = JoinRequest.objects.create(team=team, user=person)

    with pytest.raises(services.ParticipantError):
        services.registration_cancel(registration=registration, actor=person)

    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.PENDING


# --- 8. the registration admin ------------------------------------------------------------------


@pytest.fixture
def admin_client(client, organiser):
    client.force_login(organiser)
    return client


def test_admin_refuses_role_change_of_a_team_member(admin_client, event, team, team_member):
    registration = Registration.objects.get(event=event, user=team_member)
    url = reverse("admin:participants_registration_change", args=[registration.pk])

    response = admin_client.post(url, {"role": EventRole.MENTOR, "looking_for_team": ""})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["role"]
    assert "is in the team “Team Rakete” of this event" in errors[0]
    registration.refresh_from_db()
    assert registration.role == EventRole.PARTICIPANT


def test_admin_allows_role_change_of_someone_in_no_team(admin_client, event):
    registration = RegistrationFactory(event=event)
    url = reverse("admin:participants_registration_change", args=[registration.pk])

    response = admin_client.post(url, {"role": EventRole.MENTOR, "looking_for_team": ""})

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.role == EventRole.MENTOR


def test_admin_refuses_deleting_the_registration_of_a_team_member(
    admin_client, event, team, team_member
):
    registration = Registration.objects.get(event=event, user=team_member)
    url = reverse("admin:participants_registration_delete", args=[registration.pk])

    page = admin_client.get(url)
    response = admin_client.post(url, {"post": "yes"})

    assert "is in the team “Team Rakete” of this event" in page.content.decode()
    assert response.status_code == 200
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_admin_bulk_delete_refuses_registrations_of_team_members(
    admin_client, event, team, team_member
):
    free = RegistrationFactory(event=event)
    member = Registration.objects.get(event=event, user=team_member)
    url = reverse("admin:participants_registration_changelist")

    response = admin_client.post(
        url,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [free.pk, member.pk], "post": "yes"},
    )

    assert "is in the team “Team Rakete”" in response.content.decode()
    assert set(Registration.objects.values_list("pk", flat=True)) >= {free.pk, member.pk}


def test_admin_deletes_registration_of_someone_in_no_team(admin_client, event, team, organiser):
    registration = RegistrationFactory(event=event)
    pending = JoinRequest.objects.create(team=team, user=registration.user)
    url = reverse("admin:participants_registration_delete", args=[registration.pk])

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Registration.objects.filter(pk=registration.pk).exists()
    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.WITHDRAWN
    entry = AuditEntry.objects.get(action="participants.unregister")
    assert entry.actor == organiser


def test_admin_bulk_delete_withdraws_pending_requests(admin_client, event, team):
    first, second = RegistrationFactory(event=event), RegistrationFactory(event=event)
    pending = JoinRequest.objects.create(team=team, user=first.user)

    response = admin_client.post(
        reverse("admin:participants_registration_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [first.pk, second.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Registration.objects.filter(pk__in=[first.pk, second.pk]).exists()
    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.WITHDRAWN
