"""Reads for jurors: their rounds, their queue, one assignment, and (where a round allows it)
the other jurors' scores after their own submission.

Every read is scoped to the person asking: another juror's assignment does not exist for
them (Assignment.DoesNotExist, a 404 on the web). Nothing here names or counts who else
reviewed a project, except the bare number of other submitted reviews where the round
shows their scores. Each read costs the same number of queries however long the queue is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, F, Max, Min, Q, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform

from judging.enums import ReviewStatus
from judging.models import Assignment, Criterion, JudgingRound, Juror, Review, Score
from judging.rules import has_submitted_own_review, round_shows_others_scores

TO_DO = Q(review__isnull=True) | Q(review__status=ReviewStatus.DRAFT)
DONE = Q(review__status=ReviewStatus.SUBMITTED)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def rounds_for_juror(*, user) -> list[Juror]:
    """The person's seats in juror pools, the newest event's first, each with its round (and
    event) and the counts of its assignments: `assigned`, `done` (submitted), `started`
    (drafts) and `to_do` (not submitted). One query."""
    if not _signed_in(user):
        return []
    seats = list(
        Juror.objects.filter(user_id=user.pk)
        .select_related("round__event")
        .annotate(
            assigned=Count("assignments", distinct=True),
            done=Count(
                "assignments",
                filter=Q(assignments__review__status=ReviewStatus.SUBMITTED),
                distinct=True,
            ),
            started=Count(
                "assignments",
                filter=Q(assignments__review__status=ReviewStatus.DRAFT),
                distinct=True,
            ),
        )
        .order_by("-round__event__created_at", "round__position", "pk")
    )
    for seat in seats:
        seat.to_do = seat.assigned - seat.done
    return seats


def round_for_juror(*, user, pk: int) -> JudgingRound:
    """The round with its event when the person is one of its jurors; raises
    JudgingRound.DoesNotExist for anyone else."""
    if not _signed_in(user):
        raise JudgingRound.DoesNotExist
    return JudgingRound.objects.select_related("event").get(pk=pk, jurors__user_id=user.pk)


def queue_for(*, user, round: JudgingRound) -> QuerySet[Assignment]:
    """The person's assignments in the round, to do first, then done, each part in the
    order they were assigned. Each carries `title` (of the version judged),
    `version_number`, `review_status` (None when not started) and `review_updated_at`,
    without loading the versions' texts. One query."""
    if not _signed_in(user):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(round=round, juror__user_id=user.pk)
        .annotate(
            title=KeyTextTransform("title", "version__snapshot"),
            version_number=F("version__number"),
            review_status=F("review__status"),
            review_updated_at=F("review__updated_at"),
            is_done=Case(When(DONE, then=Value(1)), default=Value(0)),
        )
        .only("pk", "round_id", "juror_id", "project_id", "version_id")
        .order_by("is_done", "pk")
    )


def queue_counts(queue: list[Assignment]) -> dict[str, int]:
    """Done, started (drafts), to do and all of a queue read by queue_for; no query."""
    done = sum(1 for item in queue if item.review_status == ReviewStatus.SUBMITTED)
    started = sum(1 for item in queue if item.review_status == ReviewStatus.DRAFT)
    total = len(queue)
    return {
        "done": done,
        "started": started,
        "to_do": total - done,
        "total": total,
        "percent": round(100 * done / total) if total else 0,
    }


def assignment_for_juror(*, user, pk: int) -> Assignment:
    """The assignment with its round, event, juror, project, team and version, for its own
    juror only; raises Assignment.DoesNotExist for anyone else (organisers included: they
    read results elsewhere). `review` is loaded with it (missing when not started)."""
    if not _signed_in(user):
        raise Assignment.DoesNotExist
    return Assignment.objects.select_related(
        "round__event", "juror", "project__team", "version", "review"
    ).get(pk=pk, juror__user_id=user.pk)


def review_of(assignment: Assignment) -> Review | None:
    """The assignment's review (loaded by assignment_for_juror), or None when not started."""
    return getattr(assignment, "review", None)


def scores_of(review: Review | None) -> dict[int, int]:
    """The review's scores by criterion id; one query (none without a review)."""
    if review is None:
        return {}
    return dict(Score.objects.filter(review_id=review.pk).values_list("criterion_id", "value"))


def criteria_for(assignment: Assignment) -> list[Criterion]:
    return list(Criterion.objects.filter(round_id=assignment.round_id).order_by("position", "pk"))


def to_do_neighbours(*, assignment: Assignment) -> dict[str, int | None]:
    """The juror's to-do assignments of the round next to this one in the queue's order:
    `previous` and `next` (by assignment), and `first`, for going on after submitting.
    One query, whatever the length of the queue."""
    return (
        Assignment.objects.filter(TO_DO, round_id=assignment.round_id, juror_id=assignment.juror_id)
        .exclude(pk=assignment.pk)
        .aggregate(
            previous=Max("pk", filter=Q(pk__lt=assignment.pk)),
            next=Min("pk", filter=Q(pk__gt=assignment.pk)),
            first=Min("pk"),
        )
    )


@dataclass(frozen=True)
class CriterionScores:
    criterion_id: int
    name: str
    values: list[int]  # sorted, so that their order tells nothing of who gave them
    mean: float | None


@dataclass(frozen=True)
class OthersScores:
    """The other jurors' submitted scores of a project, per criterion, without any name or
    id of a juror or a review."""

    reviews: int
    criteria: list[CriterionScores]


def others_scores_for(
    *, assignment: Assignment, criteria: list[Criterion] | None = None
) -> OthersScores | None:
    """None unless the round lets jurors see the others' scores after submitting and this
    juror's review is submitted; then the other submitted reviews' scores of the project,
    per criterion, each criterion's values sorted (independently of the other criteria,
    so no juror's row can be pieced together). One query (two without `criteria`, the
    round's criteria in their order)."""
    # The assignment was read for its own juror (assignment_for_juror); what is left of
    # judging.rules.can_see_others_scores is the round's setting and the juror's submission.
    if not (
        round_shows_others_scores(None, assignment) and has_submitted_own_review(None, assignment)
    ):
        return None
    rows_read = Score.objects.filter(
        review__assignment__round_id=assignment.round_id,
        review__assignment__project_id=assignment.project_id,
        review__status=ReviewStatus.SUBMITTED,
    ).exclude(review__assignment_id=assignment.pk)
    values: dict[int, list[int]] = {}
    reviews = set()
    for review_id, criterion_id, value in rows_read.values_list(
        "review_id", "criterion_id", "value"
    ):
        reviews.add(review_id)  # counted only, never handed out
        values.setdefault(criterion_id, []).append(value)
    rows = []
    for criterion in criteria if criteria is not None else criteria_for(assignment):
        found = sorted(values.get(criterion.pk, []))
        rows.append(
            CriterionScores(
                criterion_id=criterion.pk,
                name=criterion.name,
                values=found,
                mean=sum(found) / len(found) if found else None,
            )
        )
    return OthersScores(reviews=len(reviews), criteria=rows)


# --- what the API reads (judging.api) ---------------------------------------------------------


def assignments_for_juror(*, user, round: JudgingRound | None = None) -> QuerySet[Assignment]:
    """The person's assignments (of one round, or of every round they judge), as queue_for
    gives them, the newest round's first, to do before done. One query."""
    if not _signed_in(user):
        return Assignment.objects.none()
    assignments = Assignment.objects.filter(juror__user_id=user.pk)
    if round is not None:
        assignments = assignments.filter(round=round)
    return (
        assignments.annotate(
            title=KeyTextTransform("title", "version__snapshot"),
            version_number=F("version__number"),
            review_status=F("review__status"),
            review_updated_at=F("review__updated_at"),
            is_done=Case(When(DONE, then=Value(1)), default=Value(0)),
        )
        .only("pk", "round_id", "juror_id", "project_id", "version_id")
        .order_by("-round_id", "is_done", "pk")
    )


def reviews_for_juror(*, user, round: JudgingRound | None = None) -> QuerySet[Review]:
    """The person's own reviews (of one round, or of all), with their assignment and
    scores: two queries however many."""
    if not _signed_in(user):
        return Review.objects.none()
    reviews = Review.objects.filter(assignment__juror__user_id=user.pk)
    if round is not None:
        reviews = reviews.filter(assignment__round=round)
    return (
        reviews.select_related("assignment__round")
        .prefetch_related("scores")
        .order_by("-assignment__round_id", "assignment_id")
    )


def review_for_juror(*, user, pk: int) -> Review:
    """The person's own review with its assignment (round, event, juror) and scores; raises
    Review.DoesNotExist for anyone else's (organisers included)."""
    if not _signed_in(user):
        raise Review.DoesNotExist
    return (
        Review.objects.select_related("assignment__round__event", "assignment__juror")
        .prefetch_related("scores")
        .get(pk=pk, assignment__juror__user_id=user.pk)
    )
