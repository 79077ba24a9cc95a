"""A write naming a field that does not exist, or one that cannot be written, is a 400
naming it, and changes nothing (hackathon.serializers.StrictFieldsMixin). That every
input serializer derives from it is checked in test_serializer_contract."""

from __future__ import annotations

import pytest
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIClient

from challenges.enums import ChallengeStatus
from hackathon.serializers import Serializer
from tests.api.helpers import call, error_pairs, row_counts, write_operations
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.founder)
    return client


@pytest.mark.parametrize("name", write_operations())
def test_every_write_names_a_field_it_does_not_know(world, name):
    before = row_counts()
    # `team` too, which the project's create reads before its serializer.
    body = f'{{"no_such_field": 1, "team": {world.team.pk}}}'

    response = call(world, name, body=body)

    assert response.status_code == 400, response.content
    assert ("unknown_field", "no_such_field") in error_pairs(response)
    assert row_counts() == before


def test_patching_a_challenges_status_is_400_naming_it(api, world):
    draft = ChallengeFactory(
        event=world.event, status=ChallengeStatus.DRAFT, submitted_by=world.founder
    )

    response = api.patch(
        f"/api/v1/challenges/{draft.number}/", {"status": "published"}, format="json"
    )

    assert response.status_code == 400
    assert error_pairs(response) == {("read_only", "status")}
    draft.refresh_from_db()
    assert draft.status == ChallengeStatus.DRAFT


def test_a_valid_field_beside_an_unknown_one_is_not_saved(api, world):
    response = api.patch(
        f"/api/v1/teams/{world.team.pk}/", {"name": "Neuer Name", "nmae": "x"}, format="json"
    )

    assert error_pairs(response) == {("unknown_field", "nmae")}
    world.team.refresh_from_db()
    assert world.team.name == "Bettenradar"


def test_a_teams_event_cannot_be_changed_by_naming_it(api, world):
    response = api.patch(f"/api/v1/teams/{world.team.pk}/", {"event": "other"}, format="json")

    assert error_pairs(response) == {("read_only", "event")}


def test_a_projects_team_cannot_be_changed_by_naming_it(api, world):
    response = api.patch(f"/api/v1/projects/{world.project.pk}/", {"team": 1}, format="json")

    assert error_pairs(response) == {("read_only", "team")}


def test_a_registrations_timestamps_cannot_be_written(api, world):
    response = api.post(
        "/api/v1/me/registrations/",
        {"event": world.event.slug, "created_at": "2020-01-01T00:00:00Z"},
        format="json",
    )

    assert error_pairs(response) == {("read_only", "created_at")}


def test_form_bodies_are_checked_the_same_way(api, world):
    response = api.post(
        f"/api/v1/teams/{world.team.pk}/open-roles/",
        "title=Backend&colour=blue",
        content_type="application/x-www-form-urlencoded",
    )

    assert error_pairs(response) == {("unknown_field", "colour")}


def test_the_message_is_german_first(world):
    client = APIClient()
    client.force_authenticate(world.founder)
    client.cookies["language"] = "de"

    response = client.patch(f"/api/v1/teams/{world.team.pk}/", {"nmae": "x"}, format="json")

    assert response.json()["errors"][0]["detail"] == "Dieses Feld gibt es nicht."


def test_the_message_in_english(world):
    client = APIClient()
    client.force_authenticate(world.founder)
    client.cookies["language"] = "en"

    response = client.patch(f"/api/v1/teams/{world.team.pk}/", {"event": "x"}, format="json")

    assert response.json()["errors"][0]["detail"] == "This field cannot be written."


def test_nested_input_names_the_dotted_field():
    class Inner(Serializer):
        name = serializers.CharField()

    class Outer(Serializer):
        inner = Inner()

    outer = Outer(data={"inner": {"name": "x", "colour": "blue"}})

    with pytest.raises(ValidationError) as raised:
        outer.is_valid(raise_exception=True)

    assert raised.value.get_codes() == {"inner": {"colour": ["unknown_field"]}}
