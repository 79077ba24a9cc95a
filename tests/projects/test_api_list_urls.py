"""The project list's addresses, written from plain values, are what ProjectSerializer gives
also where they need quoting (a file name with a space or an umlaut, a script prefix with
one), on any port."""

from __future__ import annotations

import json

import pytest
from django.urls import set_script_prefix
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from projects.enums import ProjectStatus
from projects.models import ProjectImage
from projects.selectors import projects_for_gallery
from projects.serializers import ProjectSerializer
from tests.factories import EventFactory, ProjectFactory
from tests.projects.gallery_helpers import add_image


@pytest.fixture
def projects(db):
    project = ProjectFactory(event=EventFactory(is_public=True), status=ProjectStatus.SUBMITTED)
    plain = add_image(project, alt_text="Schlicht", position=0)
    odd = add_image(project, alt_text="Mit Leerzeichen", position=1)
    ProjectImage.objects.filter(pk=odd.pk).update(
        image=f"projects/{project.pk}/Bild mit Ä.jpg", thumbnail=f"projects/{project.pk}/t#1.jpg"
    )
    return [project], plain


def _both(host: str):
    request = Request(APIRequestFactory().get("/api/v1/projects/", HTTP_HOST=host, secure=True))
    page = list(projects_for_gallery(event=None, params={}).select_related(None).only("pk"))
    fast = ProjectSerializer(page, many=True, context={"request": request}).data
    loaded = {p.pk: p for p in projects_for_gallery(event=None, params={})}
    slow = [ProjectSerializer(loaded[p.pk], context={"request": request}).data for p in page]
    return json.loads(JSONRenderer().render(fast)), json.loads(JSONRenderer().render(slow))


@pytest.mark.parametrize("host", ["platform.test", "platform.test:8443"])
def test_quoted_names_and_hosts_are_as_one_by_one(settings, projects, host):
    settings.ALLOWED_HOSTS = ["platform.test"]

    fast, slow = _both(host)

    assert fast == slow
    images = fast[0]["images"]
    assert images[1]["url"].endswith("/Bild%20mit%20%C3%84.jpg")
    assert images[1]["thumbnail_url"].endswith("/t%231.jpg")
    assert images[0]["url"].startswith(f"https://{host}/")
    assert fast[0]["url"] == f"https://{host}/projects/{projects[0][0].pk}/"


def test_a_script_prefix_that_needs_quoting(settings, projects):
    settings.ALLOWED_HOSTS = ["platform.test"]
    set_script_prefix("/Über uns/")
    try:
        fast, slow = _both("platform.test")
    finally:
        set_script_prefix("/")

    assert fast == slow
    assert fast[0]["url"] == f"https://platform.test/%C3%9Cber%20uns/projects/{projects[0][0].pk}/"
