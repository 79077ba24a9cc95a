"""The pieces the apps' API viewsets share (hackathon.api_views, teams.api._base) write the
schema each viewset used to spell out: the summaries, the `id` path parameter first, one
schema per method, and the description a viewset without a docstring gets from its bases."""

from __future__ import annotations

import inspect

import pytest
from drf_spectacular.generators import SchemaGenerator

from hackathon.api_views import CachedEditableViewSet
from hackathon.pagecache import CachedAnonymousListMixin
from mentoring.api import HelpRequestViewSet
from projects.api import ProjectViewSet
from teams.api import TeamViewSet


@pytest.fixture(scope="module")
def paths() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)["paths"]


def path_parameters(operation: dict) -> list[tuple[str, str]]:
    return [
        (parameter["name"], parameter["schema"]["type"])
        for parameter in operation["parameters"]
        if parameter["in"] == "path"
    ]


def test_a_resource_schema_names_its_list_one_item_creating_and_changing(paths):
    teams, team = paths["/api/v1/teams/"], paths["/api/v1/teams/{id}/"]
    summaries = (
        teams["get"]["summary"],
        team["get"]["summary"],
        teams["post"]["summary"],
        team["patch"]["summary"],
    )
    assert summaries == (
        "Teams with open places in one event, filtered like the team finder",
        "One team",
        "Found a team (you become its admin)",
        "Change a team (its admins)",
    )
    assert path_parameters(team["get"]) == path_parameters(team["patch"]) == [("id", "integer")]
    assert "event" in [parameter["name"] for parameter in teams["get"]["parameters"]]
    assert "201" in teams["post"]["responses"]


def test_a_resource_without_partial_update_documents_none(paths):
    help_request = paths["/api/v1/help-requests/{id}/"]
    assert set(help_request) == {"get"}
    assert help_request["get"]["summary"] == "One help request"
    assert paths["/api/v1/help-requests/"]["post"]["summary"] == (
        "Ask the mentors for help (team members)"
    )
    assert {"201", "403"} <= set(paths["/api/v1/help-requests/"]["post"]["responses"])


def test_the_shared_bases_keep_the_descriptions_the_viewsets_had(paths):
    assert CachedEditableViewSet.__doc__ is None
    assert ProjectViewSet.__mro__[1] is CachedEditableViewSet
    assert TeamViewSet.__mro__.index(CachedEditableViewSet) == 5
    assert HelpRequestViewSet.__doc__ is None
    description = inspect.getdoc(CachedAnonymousListMixin)
    assert paths["/api/v1/projects/"]["get"]["description"] == description
    assert paths["/api/v1/teams/{id}/close/"]["post"]["description"] == description


def test_a_team_action_has_one_schema_per_method_after_the_teams_id(paths):
    requests = paths["/api/v1/teams/{id}/join-requests/"]
    assert (requests["get"]["summary"], requests["post"]["summary"]) == (
        "Join requests: admins see the pending ones, anyone else their own",
        "Ask to join the team",
    )
    assert "requestBody" not in requests["get"]
    role = paths["/api/v1/teams/{id}/open-roles/{role_id}/"]
    assert set(role) == {"patch", "delete"}
    assert path_parameters(role["delete"]) == [("id", "integer"), ("role_id", "integer")]
    assert "204" in role["delete"]["responses"]
    assert "content" not in role["delete"]["responses"]["204"]
    for verb in ("accept", "decline", "withdraw"):
        answer = paths[f"/api/v1/teams/{{id}}/join-requests/{{request_id}}/{verb}/"]
        assert set(answer) == {"post"}
        assert "requestBody" not in answer["post"]
        assert path_parameters(answer["post"]) == [("id", "integer"), ("request_id", "integer")]
    assert paths["/api/v1/teams/{id}/leave/"]["post"]["summary"] == "Leave the team"
