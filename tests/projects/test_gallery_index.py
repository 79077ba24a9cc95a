"""The gallery's order is read off an index, on PostgreSQL: no sort of all projects.

With sorting disabled the planner still sorts when no index gives the order (a disabled
plan is only made expensive), so a plan without a Sort node proves that one does.
"""

from __future__ import annotations

import pytest
from django.db import connection

from projects.selectors import projects_for_gallery
from tests.factories import ChallengeFactory, ProjectFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def plan_without_sorting(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.fixture
def projects(event):
    challenge = ChallengeFactory(event=event)
    return [
        ProjectFactory(event=event, status="submitted", challenges=[challenge]) for _ in range(5)
    ]


def test_gallery_page_of_an_event_is_read_in_index_order(event, projects):
    plan = plan_without_sorting(projects_for_gallery(event=event, params={})[:20])

    # project_gallery_idx, or project_newest_idx filtered by event: the planner picks one.
    assert "Index Scan using project_" in plan
    assert "Sort" not in plan


def test_gallery_of_every_public_event_is_read_in_index_order(event, projects):
    plan = plan_without_sorting(projects_for_gallery(event=None, params={})[:50])

    assert "project_newest_idx" in plan
    assert "Sort" not in plan


def test_gallery_without_the_index_would_sort(event, projects):
    # The check itself: the same query in title order has no index and is sorted.
    plan = plan_without_sorting(projects_for_gallery(event=event, params={"sort": "title"})[:20])

    assert "Sort" in plan
