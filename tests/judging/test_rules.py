"""Who may manage a round and who may review an assignment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from judging import rules
from judging.enums import RoundStatus
from judging.models import Assignment, JudgingRound
from judging.services import juror_add
from tests.factories import EventFactory, ProjectFactory, RegistrationFactory, UserFactory
from tests.judging.conftest import JurorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(judging_round, event):
    from projects.models import ProjectVersion

    project = ProjectFactory(event=event, status="submitted")
    version = ProjectVersion.objects.create(project=project, number=1, snapshot={"title": "x"})
    juror = JurorFactory(round=judging_round)
    return Assignment.objects.create(
        round=judging_round, juror=juror, project=project, version=version
    )


def _open(round, **times):
    JudgingRound.objects.filter(pk=round.pk).update(status=RoundStatus.OPEN, **times)
    round.refresh_from_db()


def test_organisers_of_the_event_manage_its_rounds(judging_round, organiser, event):
    event_organiser = UserFactory()
    RegistrationFactory(event=event, user=event_organiser, role="organiser")
    elsewhere = UserFactory()
    RegistrationFactory(event=EventFactory(), user=elsewhere, role="organiser")
    participant = UserFactory()
    RegistrationFactory(event=event, user=participant)

    allowed = {
        name: rules.can_manage_round(user, judging_round)
        for name, user in [
            ("group", organiser),
            ("event", event_organiser),
            ("elsewhere", elsewhere),
            ("participant", participant),
            ("anonymous", AnonymousUser()),
        ]
    }

    assert allowed == {
        "group": True,
        "event": True,
        "elsewhere": False,
        "participant": False,
        "anonymous": False,
    }
    assert organiser.has_perm("judging.manage_round", judging_round)
    assert rules.is_round_organiser(organiser, judging_round)


def test_a_juror_of_a_round_is_known_and_forgotten_by_the_cache(judging_round, organiser):
    person = UserFactory()
    assert not rules.is_juror_of_round(person, judging_round)

    juror_add(round=judging_round, actor=organiser, user=person)

    # The same user object: the cached "no" went stale when the juror was saved.
    assert rules.is_juror_of_round(person, judging_round)
    assert not rules.is_juror_of_round(AnonymousUser(), judging_round)
    assert not rules.is_juror_of_round(organiser, judging_round)


def test_only_the_assignments_juror_reviews_it_while_the_round_is_open(
    assignment, judging_round, organiser
):
    juror = assignment.juror.user
    other_juror = JurorFactory(round=judging_round).user

    assert not rules.can_review_assignment(juror, assignment)  # still a draft

    _open(judging_round)
    assignment.refresh_from_db()
    assert rules.can_review_assignment(juror, assignment)
    assert juror.has_perm("judging.review_assignment", assignment)
    assert not rules.can_review_assignment(other_juror, assignment)
    assert not rules.can_review_assignment(organiser, assignment)
    assert not rules.can_review_assignment(AnonymousUser(), assignment)


@pytest.mark.parametrize(
    ("status", "opens", "closes", "allowed"),
    [
        (RoundStatus.OPEN, -1, 1, True),
        (RoundStatus.OPEN, 1, 2, False),  # not yet open
        (RoundStatus.OPEN, -2, -1, False),  # closing time passed
        (RoundStatus.CLOSED, -1, 1, False),
        (RoundStatus.PUBLISHED, None, None, False),
    ],
)
def test_reviewing_follows_the_rounds_status_and_times(
    assignment, judging_round, status, opens, closes, allowed
):
    now = timezone.now()
    JudgingRound.objects.filter(pk=judging_round.pk).update(
        status=status,
        opens_at=None if opens is None else now + timedelta(hours=opens),
        closes_at=None if closes is None else now + timedelta(hours=closes),
    )
    assignment = Assignment.objects.select_related("round", "juror").get(pk=assignment.pk)

    assert rules.can_review_assignment(assignment.juror.user, assignment) is allowed
