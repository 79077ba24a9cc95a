from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest
from teams.enums import TeamStatus
from tests.factories import HelpRequestFactory, TeamFactory, UserFactory

HTMX = {"HX-Request": "true"}

pytestmark = pytest.mark.django_db


# --- the team's page -------------------------------------------------------------------------


def test_team_page_lists_requests_and_the_form_for_members(client, team, team_member, help_request):
    client.force_login(team_member)

    response = client.get(reverse("mentoring:team_requests", args=[team.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert help_request.question[:30] in body
    assert help_request.contact in body
    assert 'data-testid="help-request-form"' in body


def test_team_member_asks_for_help(client, team, team_member, python):
    client.force_login(team_member)

    response = client.post(
        reverse("mentoring:team_requests", args=[team.pk]),
        {
            "skill": python.pk,
            "topic": "Datenbank",
            "question": "Wie modellieren wir wiederkehrende Termine?",
            "contact": "Discord #datenhelden",
        },
    )

    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.created_by == team_member
    assert help_request.skill == python


def test_ask_with_bad_input_shows_form_errors(client, team, team_member):
    client.force_login(team_member)

    response = client.post(
        reverse("mentoring:team_requests", args=[team.pk]),
        {"question": "kurz", "contact": "", "skill": "999999"},
    )

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize("who", ["participant", "mentor", "stranger"])
def test_team_page_is_404_for_outsiders(client, team, participant, mentor, who):
    client.force_login({"participant": participant, "mentor": mentor}.get(who) or UserFactory())

    url = reverse("mentoring:team_requests", args=[team.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"question": "Eine Frage an euch?", "contact": "x"}).status_code == 404
    assert not HelpRequest.objects.exists()


def test_organiser_sees_the_team_page_without_the_form(client, team, organiser, help_request):
    client.force_login(organiser)

    response = client.get(reverse("mentoring:team_requests", args=[team.pk]))

    assert response.status_code == 200
    assert 'data-testid="help-request-form"' not in response.content.decode()


def test_team_page_requires_login(client, team):
    response = client.get(reverse("mentoring:team_requests", args=[team.pk]))

    assert response.status_code == 302


# --- the mentors' board ----------------------------------------------------------------------


def test_board_shows_open_requests_without_contact_until_claimed(
    client, event, mentor, help_request
):
    client.force_login(mentor)

    response = client.get(reverse("mentoring:board", args=[event.slug]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Datenhelden" in body
    assert help_request.contact not in body
    assert reverse("mentoring:claim", args=[help_request.pk]) in body
    assert 'hx-post="' in body


@pytest.mark.parametrize("who", ["participant", "team_member", "stranger"])
def test_board_is_404_for_non_mentors(client, event, participant, team_member, who):
    client.force_login(
        {"participant": participant, "team_member": team_member}.get(who) or UserFactory()
    )

    assert client.get(reverse("mentoring:board", args=[event.slug])).status_code == 404


def test_board_has_constant_query_count(client, event, mentor, team):
    client.force_login(mentor)
    url = reverse("mentoring:board", args=[event.slug])

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    HelpRequestFactory.create_batch(2, team=team)
    HelpRequestFactory(team=team, status=HelpRequestStatus.CLAIMED, mentor=mentor)
    few = count_queries()
    for _ in range(10):
        other = TeamFactory(event=event)
        HelpRequestFactory.create_batch(3, team=other)
        HelpRequestFactory(team=other, status=HelpRequestStatus.CLAIMED, mentor=mentor)

    assert count_queries() == few


def test_claim_without_javascript_redirects_to_the_board(client, event, mentor, help_request):
    client.force_login(mentor)

    response = client.post(reverse("mentoring:claim", args=[help_request.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:board", args=[event.slug])
    assert HelpRequest.objects.get().mentor == mentor


def test_claim_with_htmx_returns_the_card_with_the_contact(client, mentor, help_request):
    client.force_login(mentor)

    response = client.post(
        reverse("mentoring:claim", args=[help_request.pk]),
        {"view": "board"},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert help_request.contact in body
    assert reverse("mentoring:release", args=[help_request.pk]) in body


def test_claim_lost_with_htmx_says_so(client, mentor, other_mentor, help_request):
    client.force_login(other_mentor)
    client.post(reverse("mentoring:claim", args=[help_request.pk]))
    client.force_login(mentor)

    response = client.post(
        reverse("mentoring:claim", args=[help_request.pk]), headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in body
    assert help_request.contact not in body
    assert HelpRequest.objects.get().mentor == other_mentor


def test_claim_by_a_participant_is_404(client, participant, help_request):
    client.force_login(participant)

    response = client.post(reverse("mentoring:claim", args=[help_request.pk]))

    assert response.status_code == 404
    assert HelpRequest.objects.get().status == HelpRequestStatus.OPEN


def test_claim_needs_post(client, mentor, help_request):
    client.force_login(mentor)

    assert client.get(reverse("mentoring:claim", args=[help_request.pk])).status_code == 405


def test_release_and_close_by_the_mentor(client, mentor, help_request):
    client.force_login(mentor)
    client.post(reverse("mentoring:claim", args=[help_request.pk]))

    client.post(reverse("mentoring:release", args=[help_request.pk]))
    assert HelpRequest.objects.get().status == HelpRequestStatus.OPEN

    client.post(reverse("mentoring:claim", args=[help_request.pk]))
    client.post(reverse("mentoring:close", args=[help_request.pk]))
    assert HelpRequest.objects.get().status == HelpRequestStatus.CLOSED


def test_team_member_closes_from_the_team_page(client, team, team_member, help_request):
    client.force_login(team_member)

    response = client.post(reverse("mentoring:close", args=[help_request.pk]), {"view": "team"})

    assert response["Location"] == reverse("mentoring:team_requests", args=[team.pk])
    assert HelpRequest.objects.get().status == HelpRequestStatus.CLOSED


def test_close_by_another_mentor_is_refused(client, mentor, other_mentor, help_request):
    client.force_login(mentor)
    client.post(reverse("mentoring:claim", args=[help_request.pk]))
    client.force_login(other_mentor)

    response = client.post(reverse("mentoring:close", args=[help_request.pk]), follow=True)

    assert response.status_code == 200
    assert HelpRequest.objects.get().status == HelpRequestStatus.CLAIMED


def test_next_must_be_on_this_site(client, mentor, help_request, event):
    client.force_login(mentor)

    response = client.post(
        reverse("mentoring:claim", args=[help_request.pk]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("mentoring:board", args=[event.slug])


# --- the organisers' figures -----------------------------------------------------------------


def test_stats_for_organisers(client, event, organiser, mentor, help_request, team):
    HelpRequestFactory(team=team, status=HelpRequestStatus.CLOSED)
    client.force_login(organiser)

    response = client.get(reverse("mentoring:stats", args=[event.slug]))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="stats-open">1<' in body
    assert 'data-testid="stats-closed">1<' in body


@pytest.mark.parametrize("who", ["mentor", "team_member", "stranger"])
def test_stats_are_404_for_everyone_else(client, event, mentor, team_member, who):
    client.force_login({"mentor": mentor, "team_member": team_member}.get(who) or UserFactory())

    assert client.get(reverse("mentoring:stats", args=[event.slug])).status_code == 404


def test_team_page_links_members_to_help_and_admins_to_suggestions(
    client, team, team_admin, team_member, participant
):
    help_url = reverse("mentoring:team_requests", args=[team.pk])
    people_url = reverse("teams:suggested_people", args=[team.pk])

    client.force_login(team_admin)
    admin_page = client.get(team.get_absolute_url()).content.decode()
    client.force_login(team_member)
    member_page = client.get(team.get_absolute_url()).content.decode()
    client.force_login(participant)
    outsider_page = client.get(team.get_absolute_url()).content.decode()

    assert help_url in admin_page and people_url in admin_page
    assert help_url in member_page and people_url not in member_page
    assert help_url not in outsider_page and people_url not in outsider_page


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


def test_board_leaves_out_claimed_requests_of_closed_teams(client, event, mentor):
    closed_team = TeamFactory(event=event, status=TeamStatus.CLOSED, name="Aufgelöst")
    stale = HelpRequestFactory(
        team=closed_team, status=HelpRequestStatus.CLAIMED, mentor=mentor, contact="x-stale"
    )
    client.force_login(mentor)

    body = client.get(reverse("mentoring:board", args=[event.slug])).content.decode()

    assert stale.contact not in body and "Aufgelöst" not in body
