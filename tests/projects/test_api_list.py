"""GET /api/v1/projects/ writes its items from plain values (ProjectListSerializer): the same
JSON as ProjectSerializer gives for each project, field by field."""

from __future__ import annotations

import json

import pytest
from django.db.models import Prefetch
from django.urls import reverse
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from accounts.models import User
from projects.enums import ProjectStatus
from projects.selectors import projects_for_gallery
from projects.serializers import ProjectListSerializer, ProjectSerializer
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    ProjectFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    add_member,
)
from tests.projects.gallery_helpers import add_image

PROJECTS = reverse("project-list")


@pytest.fixture(autouse=True)
def _host(settings):
    settings.ALLOWED_HOSTS = ["platform.test"]


@pytest.fixture
def event(db):
    return EventFactory(slug="wirvsvirus", is_public=True)


@pytest.fixture
def projects(event):
    topic = TopicFactory(event=event, slug="gesundheit")
    with_topic = ChallengeFactory(event=event, topic=topic, title="Betten & <Radar>")
    without = ChallengeFactory(event=event, topic=None)
    full = ProjectFactory(
        event=event,
        status=ProjectStatus.SUBMITTED,
        title="Bettenradar „Süd“",
        problem="Lang\nund breit",
        category="new_build",
        repository_url="https://github.com/example/radar",
        video_url="https://www.youtube.com/watch?v=x",
        licence="MIT",
        challenges=[without, with_topic],
    )
    for name in ("zebra", "Äpfel", "apfel"):
        full.tags.create(name=name)
    for display_name in ("Zoe", "", "Anna"):
        person = UserFactory(display_name=display_name)
        add_member(full.team, person)
        full.credited_members.add(person)
    add_image(full, alt_text="Zweites", position=1)
    add_image(full, alt_text="Erstes", position=0)
    detached = add_image(full, alt_text="Abgelöst", position=2)
    detached.detached_at = full.created_at
    detached.save(update_fields=["detached_at"])
    bare = ProjectFactory(
        event=event,
        team=TeamFactory(event=event, name="Leeres Team"),
        status=ProjectStatus.SUBMITTED,
    )
    return [full, bare]


def _as_json(data) -> object:
    return json.loads(JSONRenderer().render(data))


def _request(path: str = PROJECTS) -> Request:
    return Request(APIRequestFactory().get(path, HTTP_HOST="platform.test", secure=True))


def _one_by_one(projects, request) -> list[dict]:
    """What ProjectSerializer gives for each project, loaded as before the list serializer."""
    loaded = projects_for_gallery(event=None, params={}).prefetch_related(
        "tags",
        Prefetch("credited_members", queryset=User.objects.order_by("display_name", "pk")),
    )
    by_pk = {project.pk: project for project in loaded}
    return [
        ProjectSerializer(by_pk[project.pk], context={"request": request}).data
        for project in projects
    ]


def test_list_items_are_what_the_serializer_gives_one_by_one(projects):
    request = _request()
    ordered = list(projects_for_gallery(event=None, params={}).select_related(None).only("pk"))

    fast = ProjectSerializer(ordered, many=True, context={"request": request}).data

    assert isinstance(ProjectSerializer(many=True), ProjectListSerializer)
    assert _as_json(fast) == _as_json(_one_by_one(ordered, request))
    assert [item["title"] for item in fast] == [project.title for project in ordered]


def test_api_list_sends_the_same_items(projects):
    response = APIClient().get(PROJECTS, HTTP_HOST="platform.test", secure=True)

    assert response.status_code == 200
    results = response.json()["results"]
    ordered = list(projects_for_gallery(event=None, params={}).select_related(None).only("pk"))
    assert results == _as_json(_one_by_one(ordered, _request()))
    full = next(item for item in results if item["title"] == "Bettenradar „Süd“")
    assert [image["alt_text"] for image in full["images"]] == ["Erstes", "Zweites"]
    assert [member["name"] for member in full["credited_members"]][1:] == ["Anna", "Zoe"]
    assert full["url"].startswith("https://platform.test/projects/")
