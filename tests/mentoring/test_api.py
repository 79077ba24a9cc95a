from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest
from tests.factories import HelpRequestFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/help-requests/"


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user) -> APIClient:
    api.force_authenticate(user)
    return api


def test_list_needs_authentication(api):
    assert api.get(URL).status_code == 401


def test_team_member_creates_and_lists_their_requests(api, team, team_member, python):
    as_user(api, team_member)

    created = api.post(
        URL,
        {
            "team": team.pk,
            "skill": "python",
            "question": "Wie bauen wir eine barrierefreie Karte?",
            "contact": "matrix:#datenhelden",
        },
        format="json",
    )
    listed = api.get(URL)

    assert created.status_code == 201, created.json()
    assert created.json()["contact"] == "matrix:#datenhelden"
    assert created.json()["skill"] == "python"
    assert [r["id"] for r in listed.json()["results"]] == [created.json()["id"]]


@pytest.mark.parametrize("who", ["participant", "mentor"])
def test_create_is_forbidden_outside_the_team(api, team, participant, mentor, who):
    as_user(api, {"participant": participant, "mentor": mentor}[who])

    response = api.post(
        URL, {"team": team.pk, "question": "Eine Frage an euch?", "contact": "x"}, format="json"
    )

    assert response.status_code == 403
    assert not HelpRequest.objects.exists()


def test_create_with_bad_input_names_the_field(api, team, team_member):
    as_user(api, team_member)

    response = api.post(
        URL, {"team": team.pk, "question": "kurz", "contact": "x", "skill": "nope"}, format="json"
    )

    assert response.status_code == 400
    attrs = {error["attr"] for error in response.json()["errors"]}
    assert attrs == {"skill"}

    response = api.post(URL, {"team": team.pk, "question": "kurz", "contact": "x"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "question"


def test_create_for_an_unknown_team_is_400(api, team_member):
    as_user(api, team_member)

    response = api.post(
        URL, {"team": 999999, "question": "Eine Frage an euch?", "contact": "x"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "team"


def test_mentor_sees_the_board_without_contacts_and_claims(api, event, mentor, help_request):
    as_user(api, mentor)

    board = api.get(URL, {"event": event.slug, "status": "open"})
    claimed = api.post(f"{URL}{help_request.pk}/claim/")

    assert [r["id"] for r in board.json()["results"]] == [help_request.pk]
    assert board.json()["results"][0]["contact"] is None
    assert claimed.status_code == 200
    assert claimed.json()["status"] == "claimed"
    assert claimed.json()["mentor"] == "Mona Mentorin"
    assert claimed.json()["contact"] == help_request.contact


def test_second_claim_is_400(api, mentor, other_mentor, help_request):
    as_user(api, other_mentor).post(f"{URL}{help_request.pk}/claim/")

    response = as_user(api, mentor).post(f"{URL}{help_request.pk}/claim/")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "non_field_errors"
    assert HelpRequest.objects.get().mentor == other_mentor


def test_claim_by_a_team_member_is_403(api, team_member, help_request):
    response = as_user(api, team_member).post(f"{URL}{help_request.pk}/claim/")

    assert response.status_code == 403


def test_claim_by_a_stranger_is_404(api, participant, help_request):
    response = as_user(api, participant).post(f"{URL}{help_request.pk}/claim/")

    assert response.status_code == 404
    assert api.get(f"{URL}{help_request.pk}/").status_code == 404


def test_release_and_close(api, mentor, team_member, help_request):
    as_user(api, mentor).post(f"{URL}{help_request.pk}/claim/")

    released = api.post(f"{URL}{help_request.pk}/release/")
    closed = as_user(api, team_member).post(f"{URL}{help_request.pk}/close/")

    assert released.json()["status"] == "open"
    assert closed.json()["status"] == "closed"


def test_release_by_another_mentor_is_403(api, mentor, other_mentor, help_request):
    as_user(api, mentor).post(f"{URL}{help_request.pk}/claim/")

    response = as_user(api, other_mentor).post(f"{URL}{help_request.pk}/release/")

    assert response.status_code == 403
    assert HelpRequest.objects.get().mentor == mentor


def test_list_rejects_bad_filters(api, mentor):
    response = as_user(api, mentor).get(URL, {"status": "nope", "team": "x"})

    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"status", "team"}


def test_list_of_a_team_id_no_column_holds_is_empty(api, mentor):
    response = as_user(api, mentor).get(URL, {"team": 2**70})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_list_has_constant_query_count(api, event, mentor, team):
    as_user(api, mentor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL, {"event": event.slug}).status_code == 200
        return len(queries)

    HelpRequestFactory.create_batch(2, team=team)
    count()  # the organiser check is cached on the (forced) user object from now on
    few = count()
    for _ in range(10):
        other = TeamFactory(event=event)
        HelpRequestFactory.create_batch(3, team=other)
        HelpRequestFactory(team=other, status=HelpRequestStatus.CLAIMED, mentor=UserFactory())

    assert count() == few


def test_errors_are_in_german_for_german_readers(api, team, participant, settings):
    settings.LANGUAGE_CODE = "de"
    as_user(api, participant)
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    body = {"question": "Eine Frage an euch?", "contact": "x"}

    unknown = api.post(URL, {**body, "team": 2**31 - 1}, format="json")
    outsider = api.post(URL, {**body, "team": team.pk}, format="json")
    hidden = api.get(f"{URL}{HelpRequestFactory(team=team).pk}/")

    assert (unknown.status_code, unknown.json()["errors"][0]["detail"]) == (
        400,
        "Dieses Team gibt es nicht.",
    )
    assert (outsider.status_code, outsider.json()["errors"][0]["detail"]) == (
        403,
        "Nur Mitglieder des Teams können um Hilfe bitten.",
    )
    # The same answer as for a request that does not exist: nobody learns which do.
    assert (hidden.status_code, hidden.json()["errors"][0]["detail"]) == (404, "Nicht gefunden.")
