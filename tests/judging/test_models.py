"""What the database itself refuses, whatever code writes; and the organisers' group."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from events.roles import ORGANISERS_GROUP
from judging.apps import ORGANISER_PERMISSIONS
from judging.enums import RoundEntry
from judging.models import Assignment, Criterion, JudgingRound, Review, Score
from projects.models import ProjectVersion
from tests.factories import ProjectFactory
from tests.judging.conftest import JudgingRoundFactory, JurorFactory

pytestmark = pytest.mark.django_db


def _refused(**fields) -> str:
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        JudgingRoundFactory(**fields)
    return str(refused.value)


def test_the_database_refuses_a_round_out_of_shape(event):
    JudgingRoundFactory(event=event, position=1)

    assert "judging_round_position_per_event" in _refused(event=event, position=1)
    assert "judging_round_reviews_at_least_one" in _refused(event=event, reviews_per_project=0)
    assert "judging_round_closes_after_opening" in _refused(
        event=event,
        opens_at=datetime(2026, 3, 2, tzinfo=UTC),
        closes_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    assert "judging_round_topic_with_topic_entry" in _refused(event=event, entry=RoundEntry.TOPIC)
    assert JudgingRound.objects.count() == 1


def test_one_assignment_per_juror_and_project_and_one_score_per_criterion(judging_round, event):
    project = ProjectFactory(event=event, status="submitted")
    version = ProjectVersion.objects.create(project=project, number=1, snapshot={})
    juror = JurorFactory(round=judging_round)
    assignment = Assignment.objects.create(
        round=judging_round, juror=juror, project=project, version=version
    )
    with pytest.raises(IntegrityError, match="judging_assignment_once"), transaction.atomic():
        Assignment.objects.create(
            round=judging_round, juror=juror, project=project, version=version
        )

    review = Review.objects.create(assignment=assignment)
    criterion = judging_round.criteria.first()
    Score.objects.create(review=review, criterion=criterion, value=4)
    with (
        pytest.raises(IntegrityError, match="judging_score_once_per_criterion"),
        transaction.atomic(),
    ):
        Score.objects.create(review=review, criterion=criterion, value=2)
    with (
        pytest.raises(IntegrityError, match="judging_submitted_review_has_time"),
        transaction.atomic(),
    ):
        Review.objects.filter(pk=review.pk).update(status="submitted")

    assert list(review.scores.values_list("value", flat=True)) == [4]


def test_a_criterion_scale_runs_upwards(judging_round):
    with (
        pytest.raises(IntegrityError, match="judging_criterion_scale_order"),
        transaction.atomic(),
    ):
        Criterion.objects.create(round=judging_round, name="Falsch", scale_min=3, scale_max=3)

    assert judging_round.criteria.count() == 5


def test_the_organisers_group_may_set_up_judging_in_the_admin():
    group = Group.objects.get(name=ORGANISERS_GROUP)
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }

    assert set(ORGANISER_PERMISSIONS) <= granted
    assert "judging.delete_judginground" not in granted
