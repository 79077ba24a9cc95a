"""The read-only events API: /api/v1/events/ and /api/v1/events/{slug}/."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone, translation
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate
from rest_framework.routers import DefaultRouter

from events.api import EventViewSet
from events.enums import PhaseKind
from tests.events.conftest import add_full_schedule
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/events/"


def test_event_api_list_includes_schedule_current_phase_and_next_milestone(client, running_event):
    response = client.get(LIST_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["slug"] == "wirvsvirus"
    assert item["name"] == "#WirVsVirus"
    assert item["time_zone"] == "Europe/Berlin"
    assert item["url"] == "http://testserver/api/v1/events/wirvsvirus/"
    assert item["web_url"] == "http://testserver/events/wirvsvirus/"
    assert item["calendar_url"] == "http://testserver/events/wirvsvirus/schedule.ics"
    assert item["current_phase"]["kind"] == "hacking"
    assert item["current_phase"]["is_active"] is True
    submission_end = running_event.phases.get(kind=PhaseKind.SUBMISSION).ends_at
    milestone = item["next_milestone"]
    assert (milestone["kind"], milestone["is_start"]) == ("submission", False)
    assert datetime.fromisoformat(milestone["at"]) == submission_end
    with translation.override("de"):
        assert milestone["label"] == str(running_event.next_milestone().label)
    assert [phase["kind"] for phase in item["schedule"]] == [
        "challenge_intake",
        "registration",
        "hacking",
        "submission",
        "judging",
        "results",
        "programme",
    ]
    assert [phase["is_active"] for phase in item["schedule"]] == [
        False,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert set(item["schedule"][0]) == {"kind", "label", "starts_at", "ends_at", "is_active"}


def test_event_api_times_carry_the_event_utc_offset(client):
    event = EventFactory(slug="nyc", time_zone="America/New_York")
    add_full_schedule(event, hacking_starts=datetime.fromisoformat("2031-07-01T16:00:00+00:00"))

    item = client.get(f"{LIST_URL}nyc/").json()

    hacking = next(p for p in item["schedule"] if p["kind"] == "hacking")
    assert hacking["starts_at"] == "2031-07-01T12:00:00-04:00"
    assert item["current_phase"] is None
    assert item["next_milestone"]["kind"] == "challenge_intake"


def test_event_api_detail_by_slug(client, running_event):
    response = client.get(f"{LIST_URL}wirvsvirus/")

    assert response.status_code == 200
    assert response.json()["slug"] == "wirvsvirus"
    assert len(response.json()["schedule"]) == 7


def test_event_api_detail_unknown_slug_is_a_404_json_error(client):
    response = client.get(f"{LIST_URL}gibt-es-nicht/")

    assert response.status_code == 404
    assert response.json()["type"] == "client_error"
    assert response.json()["errors"][0]["code"] == "not_found"


def test_event_api_hides_unpublished_events_from_the_public_and_participants(
    client, running_event, hidden_event, participant
):
    assert [e["slug"] for e in client.get(LIST_URL).json()["results"]] == ["wirvsvirus"]
    assert client.get(f"{LIST_URL}geheim/").status_code == 404
    client.force_login(participant)
    assert [e["slug"] for e in client.get(LIST_URL).json()["results"]] == ["wirvsvirus"]
    assert client.get(f"{LIST_URL}geheim/").status_code == 404


def test_event_api_shows_unpublished_events_to_an_organiser(
    client, running_event, hidden_event, organiser
):
    client.force_login(organiser)

    slugs = [e["slug"] for e in client.get(LIST_URL).json()["results"]]

    assert slugs == ["wirvsvirus", "geheim"]  # running first, then upcoming
    detail = client.get(f"{LIST_URL}geheim/")
    assert detail.status_code == 200
    assert detail.json()["is_public"] is False


def test_event_api_is_read_only(client, running_event, organiser):
    client.force_login(organiser)

    assert client.post(LIST_URL, {"slug": "neu", "name": "Neu"}).status_code == 405
    assert client.delete(f"{LIST_URL}wirvsvirus/").status_code == 405
    assert client.patch(f"{LIST_URL}wirvsvirus/", {"name": "x"}).status_code == 405


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    return len(queries)


def test_event_api_list_query_count_is_constant_from_2_to_20_events(client, organiser):
    now = timezone.now()

    def make(count: int) -> None:
        for index in range(count):
            event = EventFactory(is_public=index % 3 != 0)
            add_full_schedule(event, hacking_starts=now + timedelta(days=index - 5))

    make(2)
    anonymous_2 = _queries(client)
    client.force_login(organiser)
    organiser_2 = _queries(client)
    client.logout()

    make(18)

    assert _queries(client) == anonymous_2
    client.force_login(organiser)
    assert _queries(client) == organiser_2
    assert client.get(LIST_URL).json()["count"] == 20


def test_event_api_schema_has_no_warnings_or_errors():
    router = DefaultRouter()
    router.register("events", EventViewSet, basename="event")
    GENERATOR_STATS.reset()

    with GENERATOR_STATS.silence():
        schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(
            request=None, public=True
        )

    assert not GENERATOR_STATS._warn_cache, dict(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, dict(GENERATOR_STATS._error_cache)
    validate(schema)
    assert set(schema["paths"]) == {"/api/v1/events/", "/api/v1/events/{slug}/"}
    event = schema["components"]["schemas"]["Event"]["properties"]
    assert event["schedule"]["items"] == {"$ref": "#/components/schemas/EventPhase"}
    assert "PhaseKindEnum" in schema["components"]["schemas"]
    detail = schema["paths"]["/api/v1/events/{slug}/"]["get"]
    assert "404" in detail["responses"]
