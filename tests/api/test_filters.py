"""Every list checks its query parameters with one FilterSerializer (hackathon.serializers):
a bad value or an unknown parameter is a 400 naming it, the pagination's `page` and
`page_size` and `format` always pass, and the schema documents each parameter."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.helpers import call, error_pairs, list_operations, operations

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.founder)
    return client


@pytest.mark.parametrize("name", list_operations())
def test_every_list_refuses_an_unknown_parameter(world, name):
    response = call(world, name, query="no_such_parameter=1")

    assert response.status_code == 400, response.content
    assert ("unknown_field", "no_such_parameter") in error_pairs(response)


@pytest.mark.parametrize("name", list_operations())
def test_every_list_takes_the_paginations_parameters(world, name):
    required = {
        "/api/v1/participants/": f"event={world.event.slug}",
        "/api/v1/teams/": f"event={world.event.slug}",
        "/api/v1/judging/rounds/": f"event={world.event.slug}",
        "/api/v1/judging/results/": f"event={world.event.slug}",
    }
    query = required.get(operations()[name].path, "")

    response = call(world, name, query=f"{query}&page=1&page_size=10&format=json")

    assert response.status_code == 200, response.content


@pytest.mark.parametrize("name", list_operations())
def test_every_documented_parameter_is_one_the_list_knows(world, name):
    documented = [
        parameter["name"]
        for parameter in operations()[name].schema.get("parameters", [])
        if parameter["in"] == "query"
    ]

    for parameter in documented:
        response = call(world, name, query=f"{parameter}=1")
        unknown = ("unknown_field", parameter)
        assert response.status_code == 200 or unknown not in error_pairs(response), parameter


@pytest.mark.parametrize("name", list_operations())
def test_every_lists_parameters_are_documented_by_its_filter_serializer(name):
    operation = operations()[name]
    documented = {
        parameter["name"]
        for parameter in operation.schema.get("parameters", [])
        if parameter["in"] == "query"
    } - {"page"}
    declared = {
        field_name
        for serializer in operation.filters
        for field_name, field in serializer.fields.items()
        if not field.read_only
    }

    assert documented == declared


# --- the bad values of the issue --------------------------------------------------------------


def test_an_unknown_sort_of_the_projects_is_400(api):
    response = api.get("/api/v1/projects/", {"sort": "junk"})

    assert error_pairs(response) == {("invalid_choice", "sort")}


def test_the_challenges_do_not_sort_so_sort_is_unknown(api):
    response = api.get("/api/v1/challenges/", {"sort": "junk"})

    assert error_pairs(response) == {("unknown_field", "sort")}


def test_an_unknown_giver_type_is_400(api):
    response = api.get("/api/v1/challenges/", {"giver_type": "junk"})

    assert error_pairs(response) == {("invalid_choice", "giver_type")}


@pytest.mark.parametrize("who", ["founder", "joiner"])
def test_an_unknown_join_request_status_is_400_for_admins_and_others(world, who):
    client = APIClient()
    client.force_authenticate(getattr(world, who))

    response = client.get(f"/api/v1/teams/{world.team.pk}/join-requests/", {"status": "junk"})

    assert error_pairs(response) == {("invalid_choice", "status")}


def test_join_requests_filter_by_a_known_status(api, world):
    pending = api.get(f"/api/v1/teams/{world.team.pk}/join-requests/")
    declined = api.get(f"/api/v1/teams/{world.team.pk}/join-requests/", {"status": "declined"})

    assert [r["id"] for r in pending.json()] == [world.join_request.pk]
    assert declined.json() == []


def test_an_unknown_help_request_status_is_400(api):
    response = api.get("/api/v1/help-requests/", {"status": "junk"})

    assert error_pairs(response) == {("invalid_choice", "status")}


def test_the_people_list_names_every_bad_parameter_at_once(api, world):
    response = api.get(
        "/api/v1/participants/",
        {"event": world.event.slug, "skill": "nope", "role": "organiser", "colour": "blue"},
    )

    assert {attr for _code, attr in error_pairs(response)} == {"skill", "role", "colour"}


def test_the_people_list_names_an_unknown_parameter_without_an_event(api):
    response = api.get("/api/v1/participants/", {"colour": "blue"})

    assert {attr for _code, attr in error_pairs(response)} == {"event", "colour"}


def test_the_schema_documents_the_choices_of_a_filter(api_client):
    import yaml

    schema = yaml.safe_load(api_client.get("/api/schema/").content)
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/challenges/"]["get"]["parameters"]}

    assert {"event", "topic", "giver_type", "state", "bundesland", "search"} <= set(parameters)
    assert "citizen" in parameters["giver_type"]["schema"]["enum"]
