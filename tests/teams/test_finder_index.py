"""The finder's order (newest first) is read off an index, on PostgreSQL.

With sorting disabled the planner still sorts when no index gives the order, so a plan
without a Sort node proves that one does (tests/projects/test_gallery_index.py).
"""

from __future__ import annotations

import pytest

from teams.selectors import teams_for_finder
from tests.factories import TeamFactory
from tests.projects.test_gallery_index import plan_without_sorting

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_finder_page_is_read_in_index_order(event, challenge):
    for _ in range(5):
        TeamFactory(event=event, challenge=challenge)

    plan = plan_without_sorting(teams_for_finder(event=event, params={})[:20])

    assert "team_finder_newest_idx" in plan
    assert "Sort" not in plan
