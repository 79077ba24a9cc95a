"""Reads of projects that the API and the web pages share."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from projects import selectors, services
from tests.factories import EventFactory, TeamFactory
from tests.projects.conftest import make_project

pytestmark = pytest.mark.usefixtures("open_deadline")


@pytest.fixture
def project(team, founder, challenge):
    """Submitted twice: versions 1 and 2."""
    project = make_project(team, founder, challenge, now=timezone.now())
    services.project_submit(project=project, actor=founder)
    services.project_update(project=project, actor=founder, data={"title": "Bettenradar 2"})
    services.project_submit(project=project, actor=founder)
    return project


def test_versions_are_newest_first_on_the_web_and_in_the_api(project, member):
    api = APIClient()
    api.force_authenticate(member)

    listed = api.get(f"/api/v1/projects/{project.pk}/versions/").json()

    assert [v.number for v in selectors.versions_of(project=project)] == [2, 1]
    assert [v["number"] for v in listed] == [2, 1]
    assert listed[0]["snapshot"]["title"] == "Bettenradar 2"


def test_a_new_project_is_only_for_teams_of_events_one_may_see(team, member, stranger):
    hidden_team = TeamFactory(event=EventFactory(is_public=False))

    assert selectors.team_for_new_project(pk=team.pk, user=stranger) == team
    assert selectors.team_for_new_project(pk=hidden_team.pk, user=member) is None
    assert selectors.team_for_new_project(pk=2**31 + 7, user=member) is None


def test_the_filter_event_must_be_visible(event, member):
    hidden = EventFactory(is_public=False)

    assert selectors.event_to_filter_by(slug=event.slug, user=member) == event
    assert selectors.event_to_filter_by(slug=hidden.slug, user=member) is None
