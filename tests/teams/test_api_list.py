"""GET /api/v1/teams/ writes its items from plain values (TeamListSerializer): the same JSON
as TeamSerializer gives for each team, field by field."""

from __future__ import annotations

import json

import pytest
from django.db.models import Prefetch
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from teams.models import OpenRole, Team
from teams.selectors import teams_for_finder
from teams.serializers import TeamDetailSerializer, TeamListSerializer, TeamSerializer
from tests.factories import (
    LanguageFactory,
    OpenRoleFactory,
    SkillFactory,
    TeamFactory,
    UserFactory,
    add_member,
)


@pytest.fixture(autouse=True)
def _host(settings):
    settings.ALLOWED_HOSTS = ["platform.test"]


@pytest.fixture
def teams(event, challenge):
    full = TeamFactory(
        event=event,
        challenge=challenge,
        name="Bettenradar & Co",
        languages=[LanguageFactory(code="en", name="English"), LanguageFactory()],
    )
    add_member(full, UserFactory())
    OpenRoleFactory(
        team=full,
        title="Backend",
        description="Django <3",
        skills=[
            SkillFactory(name="Zebra", is_curated=False),
            SkillFactory(name="Python", is_curated=True, category="Entwicklung"),
            SkillFactory(name="Design", is_curated=True, category="Design"),
        ],
    )
    OpenRoleFactory(team=full, title="Ohne Skills")
    bare = TeamFactory(event=event, challenge=challenge, name="Leeres Team")
    return [full, bare]


def _request() -> Request:
    return Request(APIRequestFactory().get("/api/v1/teams/", HTTP_HOST="platform.test"))


def _one_by_one(teams, request) -> list:
    loaded = Team.objects.select_related("event", "challenge").prefetch_related(
        "languages", Prefetch("open_roles", queryset=OpenRole.objects.prefetch_related("skills"))
    )
    by_pk = {team.pk: team for team in loaded}
    data = [TeamSerializer(by_pk[team.pk], context={"request": request}).data for team in teams]
    return json.loads(JSONRenderer().render(data))


def test_list_items_are_what_the_serializer_gives_one_by_one(event, teams):
    request = _request()
    page = list(teams_for_finder(event=event, params={}).select_related(None).only("pk"))

    fast = TeamSerializer(page, many=True, context={"request": request}).data

    assert isinstance(TeamSerializer(many=True), TeamListSerializer)
    assert not isinstance(TeamDetailSerializer(many=True), TeamListSerializer)
    assert json.loads(JSONRenderer().render(fast)) == _one_by_one(page, request)
    assert fast[-1]["open_roles"][0]["skills"] == ["design", "python", "zebra"]


def test_api_list_sends_the_same_items(event, teams):
    response = APIClient().get("/api/v1/teams/", {"event": event.slug}, HTTP_HOST="platform.test")

    assert response.status_code == 200
    page = list(teams_for_finder(event=event, params={}).select_related(None).only("pk"))
    assert response.json()["results"] == _one_by_one(page, _request())
