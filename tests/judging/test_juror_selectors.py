"""What a juror reads (judging.juror_selectors): their rounds, their queue, one assignment,
and the others' scores only where allowed, never with names."""

from __future__ import annotations

import dataclasses

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from judging import juror_selectors as selectors
from judging.enums import ReviewStatus, RoundStatus
from judging.models import Assignment, Criterion, JudgingRound, Juror, Review, Score
from projects.models import Project, ProjectVersion
from teams.models import Team
from tests.factories import ChallengeFactory, UserFactory
from tests.judging.conftest import AssignmentFactory, JurorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round(judging_round):
    JudgingRound.objects.filter(pk=judging_round.pk).update(status=RoundStatus.OPEN)
    judging_round.refresh_from_db()
    return judging_round


@pytest.fixture
def juror(open_round):
    return JurorFactory(round=open_round)


def review(assignment, values=None, *, submitted=True) -> Review:
    """A review written directly as rows (the services are tested in test_reviews)."""
    result = Review.objects.create(
        assignment=assignment,
        status=ReviewStatus.SUBMITTED if submitted else ReviewStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )
    criteria = Criterion.objects.filter(round=assignment.round).order_by("position", "pk")
    if values is not None:
        Score.objects.bulk_create(
            Score(review=result, criterion=c, value=v)
            for c, v in zip(criteria, values, strict=True)
        )
    return result


def bulk_queue(juror: Juror, count: int) -> list[Assignment]:
    """`count` assignments of the juror on as many submitted projects, a third submitted."""
    round = juror.round
    challenge = ChallengeFactory(event=round.event)
    start = Team.objects.count()
    teams = Team.objects.bulk_create(
        Team(
            event=round.event,
            challenge=challenge,
            name=f"Queue team {start + i}",
            max_size=round.event.team_max_size,
        )
        for i in range(count)
    )
    projects = Project.objects.bulk_create(
        Project(
            event=round.event,
            team=team,
            title=f"Queue project {i}",
            status="submitted",
            submitted_at=timezone.now(),
        )
        for i, team in enumerate(teams)
    )
    versions = ProjectVersion.objects.bulk_create(
        ProjectVersion(project=p, number=1, snapshot={"title": p.title, "team": {"name": "T"}})
        for p in projects
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(round=round, juror=juror, project=p, version=v)
        for p, v in zip(projects, versions, strict=True)
    )
    now = timezone.now()
    Review.objects.bulk_create(
        Review(assignment=a, status=ReviewStatus.SUBMITTED, submitted_at=now)
        for a in assignments[::3]
    )
    return assignments


# --- rounds and queue ------------------------------------------------------------------------


def test_rounds_for_juror_counts_done_and_to_do(juror, open_round):
    a, b, _unstarted = (AssignmentFactory(juror=juror) for _ in range(3))
    review(a, [3, 3, 3, 3, 3])
    review(b, submitted=False)
    AssignmentFactory(round=open_round)  # someone else's
    JurorFactory()  # another person's seat elsewhere

    [seat] = selectors.rounds_for_juror(user=juror.user)

    assert seat.round == open_round
    assert (seat.assigned, seat.done, seat.started, seat.to_do) == (3, 1, 1, 2)


def test_rounds_for_juror_is_empty_for_others(juror):
    assert selectors.rounds_for_juror(user=UserFactory()) == []
    assert selectors.rounds_for_juror(user=AnonymousUser()) == []


def test_the_queue_lists_to_do_first_then_done(juror):
    first, second, third = (AssignmentFactory(juror=juror) for _ in range(3))
    review(first, [4, 4, 4, 4, 4])
    review(third, submitted=False)
    AssignmentFactory(round=juror.round)  # another juror's

    queue = list(selectors.queue_for(user=juror.user, round=juror.round))

    assert [item.pk for item in queue] == [second.pk, third.pk, first.pk]
    assert [item.review_status for item in queue] == [
        None,
        ReviewStatus.DRAFT,
        ReviewStatus.SUBMITTED,
    ]
    counts = selectors.queue_counts(queue)
    assert counts == {"done": 1, "started": 1, "to_do": 2, "total": 3, "percent": 33}


def test_the_queue_shows_the_frozen_title_not_the_living_one(juror):
    assignment = AssignmentFactory(juror=juror, project__title="Nachbarschaftskarte")
    Project.objects.filter(pk=assignment.project_id).update(title="Umbenannt nach der Frist")

    [item] = selectors.queue_for(user=juror.user, round=juror.round)

    assert item.title == "Nachbarschaftskarte"
    assert item.version_number == 1


def test_the_queue_of_someone_else_is_empty(juror):
    AssignmentFactory(juror=juror)

    assert list(selectors.queue_for(user=UserFactory(), round=juror.round)) == []
    assert list(selectors.queue_for(user=AnonymousUser(), round=juror.round)) == []


@pytest.mark.parametrize("count", [5, 500])
def test_the_queue_is_one_query_for_5_or_500(juror, count, django_assert_num_queries):
    bulk_queue(juror, count)

    with django_assert_num_queries(1):
        queue = list(selectors.queue_for(user=juror.user, round=juror.round))
        [item.title for item in queue]

    assert len(queue) == count
    assert selectors.queue_counts(queue)["done"] == len(range(0, count, 3))


def test_round_for_juror_only_for_its_jurors(juror, organiser):
    assert selectors.round_for_juror(user=juror.user, pk=juror.round_id) == juror.round
    for person in (UserFactory(), organiser, AnonymousUser()):
        with pytest.raises(JudgingRound.DoesNotExist):
            selectors.round_for_juror(user=person, pk=juror.round_id)


# --- one assignment ----------------------------------------------------------------------------


def test_an_assignment_exists_only_for_its_juror(juror, organiser):
    assignment = AssignmentFactory(juror=juror)
    other = JurorFactory(round=juror.round)

    assert selectors.assignment_for_juror(user=juror.user, pk=assignment.pk) == assignment
    for person in (other.user, organiser, UserFactory(), AnonymousUser()):
        with pytest.raises(Assignment.DoesNotExist):
            selectors.assignment_for_juror(user=person, pk=assignment.pk)


def test_to_do_neighbours_skip_what_is_done(juror):
    a, b, c, d, e = (AssignmentFactory(juror=juror) for _ in range(5))
    review(b, [3, 3, 3, 3, 3])
    review(d, submitted=False)  # a draft is still to do
    AssignmentFactory(round=juror.round)  # someone else's

    assert selectors.to_do_neighbours(assignment=c) == {
        "previous": a.pk,
        "next": d.pk,
        "first": a.pk,
    }
    assert selectors.to_do_neighbours(assignment=e) == {
        "previous": d.pk,
        "next": None,
        "first": a.pk,
    }


# --- the others' scores -------------------------------------------------------------------------


@pytest.fixture
def judged(juror):
    """The juror's assignment and two other jurors' submitted reviews of the same project,
    and a third juror's draft."""
    mine = AssignmentFactory(juror=juror)
    for values in ([5, 1, 4, 2, 3], [2, 3, 4, 5, 1]):
        review(
            AssignmentFactory(juror=JurorFactory(round=juror.round), project=mine.project), values
        )
    draft = AssignmentFactory(juror=JurorFactory(round=juror.round), project=mine.project)
    review(draft, [1, 1, 1, 1, 1], submitted=False)
    return mine


def _fresh(assignment):
    return selectors.assignment_for_juror(user=assignment.juror.user, pk=assignment.pk)


def test_others_scores_stay_hidden_where_the_round_does_not_show_them(judged):
    review(judged, [3, 3, 3, 3, 3])

    assert selectors.others_scores_for(assignment=_fresh(judged)) is None


def test_others_scores_stay_hidden_until_the_juror_submitted(judged):
    JudgingRound.objects.filter(pk=judged.round_id).update(jurors_see_others_after_submitting=True)
    assert selectors.others_scores_for(assignment=_fresh(judged)) is None

    review(judged, [3, 3, 3, 3, 3], submitted=False)

    assert selectors.others_scores_for(assignment=_fresh(judged)) is None


def test_others_scores_after_submitting_sorted_and_without_names(judged):
    JudgingRound.objects.filter(pk=judged.round_id).update(jurors_see_others_after_submitting=True)
    review(judged, [3, 3, 3, 3, 3])

    others = selectors.others_scores_for(assignment=_fresh(judged))

    assert others.reviews == 2  # the draft and this juror's own review left out
    assert [row.values for row in others.criteria] == [[2, 5], [1, 3], [4, 4], [2, 5], [1, 3]]
    assert others.criteria[0].mean == 3.5
    names = [c.name for c in Criterion.objects.filter(round=judged.round).order_by("position")]
    assert [row.name for row in others.criteria] == names
    # Nothing in it can tell who gave which score.
    fields = {f.name for f in dataclasses.fields(others)} | {
        f.name for f in dataclasses.fields(others.criteria[0])
    }
    assert fields == {"reviews", "criteria", "criterion_id", "name", "values", "mean"}
