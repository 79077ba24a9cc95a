"""Fixes from the issue-4 review: who sees a team's contact, help requests of closed teams,
and the admin form that refuses a claimed request without a mentor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest
from mentoring.selectors import help_request_stats
from notifications.models import Notification
from notifications.rendering import render_email, render_inapp_text
from teams import services as team_services
from teams.enums import TeamStatus
from tests.factories import HelpRequestFactory, TeamFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


# --- 3. the contact is decided on the server ---------------------------------------------------


@pytest.mark.parametrize("action", ["release", "close", "claim"])
def test_mentor_who_did_not_claim_never_sees_the_contact_by_posting_view_team(
    client, mentor, other_mentor, help_request, action
):
    # The reproduction: another mentor took the request; this one posts view=team.
    HelpRequest.objects.filter(pk=help_request.pk).update(
        status=HelpRequestStatus.CLAIMED, mentor=other_mentor, claimed_at=timezone.now()
    )
    client.force_login(mentor)

    response = client.post(
        reverse(f"mentoring:{action}", args=[help_request.pk]), {"view": "team"}, headers=HTMX
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in body
    assert help_request.contact not in body


def test_mentor_posting_view_team_on_an_open_request_sees_no_contact(client, mentor, help_request):
    client.force_login(mentor)

    response = client.post(
        reverse("mentoring:close", args=[help_request.pk]), {"view": "team"}, headers=HTMX
    )

    assert help_request.contact not in response.content.decode()
    assert HelpRequest.objects.get().status == HelpRequestStatus.OPEN


def test_team_member_closing_from_the_team_page_keeps_the_team_view(
    client, team_member, help_request
):
    client.force_login(team_member)

    response = client.post(
        reverse("mentoring:close", args=[help_request.pk]), {"view": "team"}, headers=HTMX
    )

    body = response.content.decode()
    assert help_request.contact in body
    # The team view shows the question as the title, not a link to the team.
    assert help_request.team.get_absolute_url() not in body


def test_organiser_sees_the_contact_on_the_card(client, organiser, help_request):
    client.force_login(organiser)

    response = client.post(
        reverse("mentoring:close", args=[help_request.pk]), {"view": "team"}, headers=HTMX
    )

    assert help_request.contact in response.content.decode()


def test_board_shows_the_contact_only_of_requests_the_mentor_took(
    client, event, mentor, help_request, team
):
    mine = HelpRequestFactory(
        team=team,
        status=HelpRequestStatus.CLAIMED,
        mentor=mentor,
        contact="https://meet.example.org/mine",
    )
    client.force_login(mentor)

    body = client.get(reverse("mentoring:board", args=[event.slug])).content.decode()

    assert mine.contact in body
    assert help_request.contact not in body


def test_board_shows_organisers_every_contact(client, event, organiser, help_request):
    client.force_login(organiser)

    body = client.get(reverse("mentoring:board", args=[event.slug])).content.decode()

    assert help_request.contact in body


# --- 6. help requests of closed teams -----------------------------------------------------------


def test_closing_a_team_closes_its_open_and_claimed_requests(
    team, team_admin, mentor, help_request
):
    claimed = HelpRequestFactory(
        team=team, status=HelpRequestStatus.CLAIMED, mentor=mentor, claimed_at=timezone.now()
    )
    done = HelpRequestFactory(team=team, status=HelpRequestStatus.CLOSED)
    other_team = HelpRequestFactory(team=TeamFactory(event=team.event))

    team_services.team_close(team=team, actor=team_admin)

    statuses = dict(HelpRequest.objects.values_list("pk", "status"))
    assert statuses == {
        help_request.pk: HelpRequestStatus.CLOSED,
        claimed.pk: HelpRequestStatus.CLOSED,
        done.pk: HelpRequestStatus.CLOSED,
        other_team.pk: HelpRequestStatus.OPEN,
    }
    assert HelpRequest.objects.get(pk=help_request.pk).closed_at is not None
    assert AuditEntry.objects.filter(action="help_request.closed").count() == 2
    # The mentor who had taken one is told the team is gone.
    notification = Notification.objects.get(recipient=mentor)
    notification.recipient.language = "en"  # e-mails go out in the recipient's language
    assert notification.kind == "help.closed" and notification.context["reason"] == "team_closed"
    assert "was closed, so its help request is closed too" in render_inapp_text(notification)
    assert "need not get in touch" in render_email(notification).body


def test_last_member_leaving_closes_the_teams_requests(team, team_admin, help_request):
    team_services.membership_leave(team=team, user=team_admin)

    assert HelpRequest.objects.get().status == HelpRequestStatus.CLOSED


def test_team_closing_rolls_back_with_the_help_requests(team, team_admin, help_request):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        team_services.team_close(team=team, actor=team_admin)
        raise RuntimeError("the close fails after the signal")

    assert HelpRequest.objects.get().status == HelpRequestStatus.OPEN


def test_stats_leave_out_requests_of_closed_teams(event, team, mentor):
    now = timezone.now()
    HelpRequestFactory(team=team)
    closed_team = TeamFactory(event=event, status=TeamStatus.CLOSED)
    # Left over from before closing a team closed its requests.
    stale = HelpRequestFactory(team=closed_team)
    HelpRequest.objects.filter(pk=stale.pk).update(created_at=now - timedelta(days=3))
    HelpRequestFactory(team=closed_team, status=HelpRequestStatus.CLAIMED, mentor=mentor)

    stats = help_request_stats(event=event, now=now)

    assert (stats.open, stats.claimed, stats.closed) == (1, 0, 0)
    assert stats.oldest_open_age < timedelta(days=1)


def test_board_leaves_out_claimed_requests_of_closed_teams(client, event, mentor):
    closed_team = TeamFactory(event=event, status=TeamStatus.CLOSED, name="Aufgelöst")
    stale = HelpRequestFactory(
        team=closed_team, status=HelpRequestStatus.CLAIMED, mentor=mentor, contact="x-stale"
    )
    client.force_login(mentor)

    body = client.get(reverse("mentoring:board", args=[event.slug])).content.decode()

    assert stale.contact not in body and "Aufgelöst" not in body


# --- 8. the admin refuses a claimed request without a mentor ----------------------------------


def test_admin_refuses_claimed_without_mentor(client, organiser, help_request):
    client.force_login(organiser)
    url = reverse("admin:mentoring_helprequest_change", args=[help_request.pk])
    data = {
        "team": help_request.team_id,
        "skill": help_request.skill_id,
        "topic": "",
        "question": help_request.question,
        "contact": help_request.contact,
        "status": HelpRequestStatus.CLAIMED,
        "created_by": help_request.created_by_id,
        "mentor": "",
    }

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["mentor"] == ["A claimed request needs the mentor who took it."]
    assert HelpRequest.objects.get().status == HelpRequestStatus.OPEN


def test_admin_accepts_claimed_with_mentor(client, organiser, help_request, mentor):
    client.force_login(organiser)
    url = reverse("admin:mentoring_helprequest_change", args=[help_request.pk])
    data = {
        "team": help_request.team_id,
        "skill": help_request.skill_id,
        "topic": "",
        "question": help_request.question,
        "contact": help_request.contact,
        "status": HelpRequestStatus.CLAIMED,
        "created_by": help_request.created_by_id,
        "mentor": mentor.pk,
    }

    response = client.post(url, data)

    assert response.status_code == 302
    assert HelpRequest.objects.get().mentor == mentor
