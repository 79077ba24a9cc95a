"""hackathon.api_schema: the schema's empty querysets name their model and read nothing."""

from __future__ import annotations

import pytest

from hackathon.api_schema import schema_queryset
from teams.models import Team
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_schema_queryset_has_the_model_and_no_rows(django_assert_num_queries):
    TeamFactory()
    with django_assert_num_queries(0):
        queryset = schema_queryset(Team)
        assert (queryset.model, list(queryset)) == (Team, [])
