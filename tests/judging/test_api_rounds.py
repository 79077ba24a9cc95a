"""/api/v1/judging/rounds/: an event's rounds and their criteria, for its organisers only,
written through judging.services."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEntry
from judging.enums import RoundStatus
from judging.models import Criterion, JudgingRound
from tests.factories import EventFactory, RegistrationFactory, TopicFactory, UserFactory
from tests.judging.conftest import JudgingRoundFactory

pytestmark = pytest.mark.django_db
ROUNDS = "/api/v1/judging/rounds/"


def errors(response) -> set[tuple[str, str | None]]:
    return {(error["code"], error["attr"]) for error in response.json()["errors"]}


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def as_organiser(api, organiser) -> APIClient:
    api.force_authenticate(organiser)
    return api


@pytest.fixture
def participant(event):
    return RegistrationFactory(event=event, user=UserFactory()).user


# --- reading ---------------------------------------------------------------------------------


def test_organisers_list_an_events_rounds_in_order_with_their_criteria(
    as_organiser, event, organiser, judging_round, django_assert_max_num_queries
):
    from judging.services import round_create

    final = round_create(event=event, actor=organiser, name="Finale", reviews_per_project=3)
    other_event = EventFactory()
    JudgingRoundFactory(event=other_event)

    with django_assert_max_num_queries(8):
        response = as_organiser.get(ROUNDS, {"event": event.slug})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [judging_round.pk, final.pk]
    assert rows[0]["event"] == event.slug
    assert rows[0]["status"] == "draft"
    assert [c["name"] for c in rows[0]["criteria"]] == [
        "Social value",
        "Innovation",
        "Feasibility and scalability",
        "Progress",
        "Clarity",
    ]
    assert rows[1]["reviews_per_project"] == 3


def test_the_list_costs_the_same_for_5_and_50_rounds(as_organiser, event, organiser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from judging.services import round_create

    counts = {}
    for total in (5, 50):
        while JudgingRound.objects.filter(event=event).count() < total:
            round_create(event=event, actor=organiser, name="Runde")
        as_organiser.get(ROUNDS, {"event": event.slug})  # the rules' caches warm
        with CaptureQueriesContext(connection) as captured:
            response = as_organiser.get(ROUNDS, {"event": event.slug})
        assert response.json()["count"] == total
        counts[total] = len(captured)

    assert counts[5] == counts[50]


def test_anonymous_people_get_401(api, event, judging_round):
    assert api.get(ROUNDS, {"event": event.slug}).status_code == 401
    assert api.get(f"{ROUNDS}{judging_round.pk}/").status_code == 401
    assert api.post(ROUNDS, {"event": event.slug, "name": "x"}, format="json").status_code == 401


def test_a_participant_may_not_list_the_rounds(api, event, participant, judging_round):
    api.force_authenticate(participant)

    response = api.get(ROUNDS, {"event": event.slug})

    assert response.status_code == 403


def test_a_round_of_an_event_one_does_not_organise_is_404(api, event, participant, judging_round):
    event_organiser = RegistrationFactory(
        event=EventFactory(), user=UserFactory(), role="organiser"
    ).user
    for person in (participant, event_organiser):
        api.force_authenticate(person)

        assert api.get(f"{ROUNDS}{judging_round.pk}/").status_code == 404
        response = api.patch(f"{ROUNDS}{judging_round.pk}/", {"name": "Neu"}, format="json")
        assert response.status_code == 404
    judging_round.refresh_from_db()
    assert judging_round.name == "Vorauswahl"


def test_an_organiser_registered_for_the_event_manages_its_rounds(api, event, judging_round):
    event_organiser = RegistrationFactory(event=event, user=UserFactory(), role="organiser").user
    api.force_authenticate(event_organiser)

    response = api.get(f"{ROUNDS}{judging_round.pk}/")

    assert response.status_code == 200
    assert response.json()["name"] == "Vorauswahl"


def test_the_list_names_an_unknown_event_and_an_unknown_parameter(as_organiser):
    response = as_organiser.get(ROUNDS, {"event": "nope", "colour": "blue"})

    assert response.status_code == 400
    assert errors(response) == {("invalid", "event"), ("unknown_field", "colour")}


def test_the_list_needs_an_event(as_organiser):
    response = as_organiser.get(ROUNDS)

    assert errors(response) == {("required", "event")}


# --- creating and changing -------------------------------------------------------------------


def test_an_organiser_creates_a_round_with_its_own_criteria(as_organiser, event, organiser):
    body = {
        "event": event.slug,
        "name": "Themenjury",
        "reviews_per_project": 3,
        "opens_at": "2026-03-20T09:00:00",
        "criteria": [
            {"name": "Wirkung", "weight": 2},
            {"name": "Machbarkeit", "scale_min": 0, "scale_max": 10, "guidance": "Geht das?"},
        ],
    }

    response = as_organiser.post(ROUNDS, body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    round = JudgingRound.objects.get(pk=data["id"])
    assert round.event == event
    assert round.reviews_per_project == 3
    # A time without an offset is on the event's clock (Berlin: UTC+1 in March).
    assert data["opens_at"] == "2026-03-20T08:00:00Z"
    assert [(c["name"], c["weight"], c["scale_max"]) for c in data["criteria"]] == [
        ("Wirkung", 2, 5),
        ("Machbarkeit", 1, 10),
    ]
    assert AuditEntry.objects.filter(action="judging.round_created", actor=organiser).exists()


def test_a_round_without_criteria_gets_the_five_default_ones(as_organiser, event):
    response = as_organiser.post(ROUNDS, {"event": event.slug, "name": "Runde"}, format="json")

    assert response.status_code == 201
    assert len(response.json()["criteria"]) == 5


def test_a_round_judging_one_topic_field_names_it_by_slug(as_organiser, event):
    TopicFactory(event=event, slug="gesundheit")

    response = as_organiser.post(
        ROUNDS,
        {"event": event.slug, "name": "Gesundheit", "entry": "topic", "topic": "gesundheit"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["topic"] == "gesundheit"


def test_an_unknown_topic_field_is_400_naming_it(as_organiser, event):
    TopicFactory(event=EventFactory(), slug="gesundheit")  # another event's

    response = as_organiser.post(
        ROUNDS,
        {"event": event.slug, "name": "x", "entry": "topic", "topic": "gesundheit"},
        format="json",
    )

    assert errors(response) == {("invalid", "topic")}


def test_a_participant_may_not_create_a_round(api, event, participant):
    api.force_authenticate(participant)

    response = api.post(ROUNDS, {"event": event.slug, "name": "Meine"}, format="json")

    assert response.status_code == 403
    assert not JudgingRound.objects.filter(event=event).exists()


def test_the_services_refusal_names_the_field(as_organiser, event):
    body = {
        "event": event.slug,
        "name": "Runde",
        "opens_at": "2026-03-20T10:00:00Z",
        "closes_at": "2026-03-20T09:00:00Z",
    }

    response = as_organiser.post(ROUNDS, body, format="json")

    assert response.status_code == 400
    assert errors(response) == {("invalid", "closes_at")}
    assert response.json()["errors"][0]["detail"] == "The round must close after it opens."
    assert not JudgingRound.objects.filter(event=event).exists()


def test_unknown_and_read_only_fields_are_named(as_organiser, event, judging_round):
    created = as_organiser.post(
        ROUNDS, {"event": event.slug, "name": "x", "status": "open", "colour": 1}, format="json"
    )
    patched = as_organiser.patch(
        f"{ROUNDS}{judging_round.pk}/", {"event": "other", "criteria": []}, format="json"
    )

    assert errors(created) == {("unknown_field", "status"), ("unknown_field", "colour")}
    assert errors(patched) == {("read_only", "event"), ("read_only", "criteria")}


def test_an_empty_list_of_criteria_is_refused(as_organiser, event):
    response = as_organiser.post(
        ROUNDS, {"event": event.slug, "name": "x", "criteria": []}, format="json"
    )

    assert errors(response) == {("empty", "criteria.non_field_errors")}


def test_an_organiser_changes_a_rounds_settings(as_organiser, judging_round):
    response = as_organiser.patch(
        f"{ROUNDS}{judging_round.pk}/",
        {"name": "Vorrunde", "reviews_per_project": 4, "jurors_see_others_after_submitting": True},
        format="json",
    )

    assert response.status_code == 200, response.content
    judging_round.refresh_from_db()
    assert judging_round.name == "Vorrunde"
    assert judging_round.reviews_per_project == 4
    assert judging_round.jurors_see_others_after_submitting is True
    assert response.json()["reviews_per_project"] == 4


def test_put_is_not_offered(as_organiser, judging_round):
    response = as_organiser.put(f"{ROUNDS}{judging_round.pk}/", {"name": "x"}, format="json")

    assert response.status_code == 405


# --- criteria ------------------------------------------------------------------------------


def test_an_organiser_adds_changes_and_removes_criteria_of_a_draft(as_organiser, judging_round):
    added = as_organiser.post(
        f"{ROUNDS}{judging_round.pk}/criteria/", {"name": "Nachhaltigkeit"}, format="json"
    )
    assert added.status_code == 201, added.content
    criterion_id = added.json()["id"]
    assert added.json()["position"] == 6

    changed = as_organiser.patch(
        f"{ROUNDS}{judging_round.pk}/criteria/{criterion_id}/", {"weight": 3}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["weight"] == 3

    removed = as_organiser.delete(f"{ROUNDS}{judging_round.pk}/criteria/{criterion_id}/")
    assert removed.status_code == 204
    assert not Criterion.objects.filter(pk=criterion_id).exists()


def test_criteria_of_an_open_round_are_a_409(as_organiser, judging_round):
    JudgingRound.objects.filter(pk=judging_round.pk).update(status=RoundStatus.OPEN)
    criterion = judging_round.criteria.first()

    added = as_organiser.post(f"{ROUNDS}{judging_round.pk}/criteria/", {"name": "x"}, format="json")
    changed = as_organiser.patch(
        f"{ROUNDS}{judging_round.pk}/criteria/{criterion.pk}/", {"weight": 3}, format="json"
    )

    assert added.status_code == changed.status_code == 409
    assert errors(added) == {("conflict", None)}
    criterion.refresh_from_db()
    assert criterion.weight == 1


def test_a_criterions_bad_scale_names_the_field(as_organiser, judging_round):
    criterion = judging_round.criteria.first()

    response = as_organiser.patch(
        f"{ROUNDS}{judging_round.pk}/criteria/{criterion.pk}/", {"scale_min": 7}, format="json"
    )

    assert errors(response) == {("invalid", "scale_max")}


def test_the_last_criterion_stays(as_organiser, judging_round):
    *others, last = list(judging_round.criteria.all())
    Criterion.objects.filter(pk__in=[c.pk for c in others]).delete()

    response = as_organiser.delete(f"{ROUNDS}{judging_round.pk}/criteria/{last.pk}/")

    assert errors(response) == {("invalid", "non_field_errors")}
    assert Criterion.objects.filter(pk=last.pk).exists()


def test_a_criterion_of_another_round_is_404(as_organiser, event, organiser, judging_round):
    from judging.services import round_create

    other = round_create(event=event, actor=organiser, name="Andere")
    criterion = other.criteria.first()

    response = as_organiser.patch(
        f"{ROUNDS}{judging_round.pk}/criteria/{criterion.pk}/", {"weight": 2}, format="json"
    )

    assert response.status_code == 404


def test_a_participant_gets_404_for_the_criteria(api, participant, judging_round):
    api.force_authenticate(participant)

    response = api.post(f"{ROUNDS}{judging_round.pk}/criteria/", {"name": "x"}, format="json")

    assert response.status_code == 404
    assert judging_round.criteria.count() == 5


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2026-03-20T09:00:00-20:02", "2026-03-21T05:02:00Z"),  # beyond PostgreSQL's offsets
        ("2026-03-20T09:00:00+01:00", "2026-03-20T08:00:00Z"),
    ],
)
def test_a_time_with_an_offset_is_kept_as_that_moment(as_organiser, event, given, stored):
    response = as_organiser.post(
        ROUNDS, {"event": event.slug, "name": "x", "closes_at": given}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["closes_at"] == stored


@pytest.mark.parametrize("given", ["0001-01-01T00:00:00", "0001-01-01T00:30:00+01:00"])
def test_a_time_before_the_first_year_in_utc_is_400(as_organiser, event, given):
    response = as_organiser.post(
        ROUNDS, {"event": event.slug, "name": "x", "opens_at": given}, format="json"
    )

    assert errors(response) == {("overflow", "opens_at")}
