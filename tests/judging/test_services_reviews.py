"""A juror's reviews (judging.services.reviews): drafts, submissions, changes until the
round closes, and conflicts declared from the review. (Not named test_reviews.py:
tests/test_layering.py keeps test_review*.py free, against catch-all modules.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from judging.enums import ReviewStatus, RoundStatus, RunStatus, RunTrigger
from judging.errors import JudgingError
from judging.models import Assignment, AssignmentRun, Criterion, JudgingRound, Review, Score
from judging.services.reviews import review_conflict_declare, review_save
from tests.factories import UserFactory
from tests.judging.conftest import AssignmentFactory, JudgingRoundFactory, JurorFactory

pytestmark = pytest.mark.django_db


def set_round(round: JudgingRound, **fields) -> JudgingRound:
    JudgingRound.objects.filter(pk=round.pk).update(**fields)
    round.refresh_from_db()
    return round


@pytest.fixture
def open_round(judging_round):
    return set_round(judging_round, status=RoundStatus.OPEN)


@pytest.fixture
def criteria(open_round):
    return list(Criterion.objects.filter(round=open_round).order_by("position", "pk"))


@pytest.fixture
def assignment(open_round):
    return AssignmentFactory(juror=JurorFactory(round=open_round))


def save(assignment, *, actor=None, scores=None, comment="", feedback="", submit=False):
    return review_save(
        assignment=assignment,
        actor=actor or assignment.juror.user,
        scores=scores or {},
        comment_for_organisers=comment,
        feedback_for_team=feedback,
        submit=submit,
    )


def full(criteria, value=3) -> dict[int, int]:
    return {criterion.pk: value for criterion in criteria}


def scores_of(review) -> dict[int, int]:
    return dict(Score.objects.filter(review=review).values_list("criterion_id", "value"))


def audit(action: str):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# --- drafts ---------------------------------------------------------------------------------


def test_a_first_draft_starts_the_review_even_without_scores(assignment):
    review = save(assignment, comment="Erster Eindruck: stark.")

    review.refresh_from_db()
    assert review.assignment_id == assignment.pk
    assert review.status == ReviewStatus.DRAFT
    assert review.submitted_at is None
    assert review.comment_for_organisers == "Erster Eindruck: stark."
    assert scores_of(review) == {}
    assert audit("judging.review_submitted") == []


def test_a_draft_keeps_what_was_chosen_so_far_and_changes_it(assignment, criteria):
    first, second, third = criteria[:3]
    review = save(assignment, scores={first.pk: 4, second.pk: 2})
    assert scores_of(review) == {first.pk: 4, second.pk: 2}

    again = save(assignment, scores={first.pk: 5, second.pk: None, third.pk: 1})

    assert again.pk == review.pk
    assert Review.objects.filter(assignment=assignment).count() == 1
    assert scores_of(review) == {first.pk: 5, third.pk: 1}
    assert audit("judging.review_changed") == []  # drafts are not audited


def test_a_score_outside_the_scale_is_refused_and_nothing_saved(assignment, criteria):
    criterion = criteria[1]

    with pytest.raises(JudgingError) as refused:
        save(assignment, scores={criteria[0].pk: 3, criterion.pk: 6})

    assert refused.value.field == f"score_{criterion.pk}"
    assert criterion.name in refused.value.message
    assert "1" in refused.value.message and "5" in refused.value.message
    assert not Review.objects.filter(assignment=assignment).exists()


def test_a_score_below_a_custom_scale_is_refused(assignment, criteria):
    Criterion.objects.filter(pk=criteria[0].pk).update(scale_min=0, scale_max=10)

    save(assignment, scores={criteria[0].pk: 0})
    save(assignment, scores={criteria[0].pk: 10})
    with pytest.raises(JudgingError) as refused:
        save(assignment, scores={criteria[0].pk: -1})

    assert refused.value.field == f"score_{criteria[0].pk}"


def test_a_criterion_of_another_round_is_refused(assignment, criteria):
    other_round = JudgingRoundFactory()
    foreign = Criterion.objects.create(round=other_round, name="Fremd")

    with pytest.raises(JudgingError) as refused:
        save(assignment, scores={foreign.pk: 3})

    assert refused.value.field == f"score_{foreign.pk}"
    assert not Review.objects.filter(assignment=assignment).exists()


def test_a_score_that_is_no_number_is_refused(assignment, criteria):
    with pytest.raises(JudgingError) as refused:
        save(assignment, scores={criteria[0].pk: "viel"})

    assert refused.value.field == f"score_{criteria[0].pk}"


def test_a_text_longer_than_the_field_is_refused(assignment):
    with pytest.raises(JudgingError) as refused:
        save(assignment, feedback="x" * 4001)

    assert refused.value.field == "feedback_for_team"


# --- submitting ------------------------------------------------------------------------------


def test_submitting_needs_every_criterion_and_names_each_missing_one(assignment, criteria):
    scores = {criteria[0].pk: 4, criteria[2].pk: 2}

    with pytest.raises(JudgingError) as refused:
        save(assignment, scores=scores, submit=True)

    missing = [criteria[1], criteria[3], criteria[4]]
    assert refused.value.field == f"score_{criteria[1].pk}"
    assert refused.value.missing == [f"score_{criterion.pk}" for criterion in missing]
    for criterion in missing:
        assert criterion.name in refused.value.message
    assert criteria[0].name not in refused.value.message
    assert not Review.objects.filter(assignment=assignment).exists()


def test_submitting_marks_the_review_submitted_and_audits_its_scores(assignment, criteria):
    save(assignment, scores={criteria[0].pk: 2})
    before = timezone.now()

    review = save(
        assignment,
        scores=full(criteria, 4),
        comment="Solide.",
        feedback="Weiter so!",
        submit=True,
    )

    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert review.submitted_at >= before
    assert review.feedback_for_team == "Weiter so!"
    assert scores_of(review) == full(criteria, 4)
    [entry] = audit("judging.review_submitted")
    assert entry.actor == assignment.juror.user
    assert entry.target_id == review.pk
    assert entry.data["scores"] == {str(criterion.pk): 4 for criterion in criteria}
    assert entry.data["project"] == assignment.project_id


def test_a_submitted_review_can_be_changed_until_the_round_closes(assignment, criteria):
    review = save(assignment, scores=full(criteria, 3), submit=True)
    submitted_at = Review.objects.get(pk=review.pk).submitted_at
    changed = {**full(criteria, 3), criteria[0].pk: 5, criteria[4].pk: 1}

    save(assignment, scores=changed, comment="Nach zweitem Lesen besser.", submit=True)

    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert review.submitted_at == submitted_at  # the first submission's time is kept
    assert scores_of(review) == changed
    [entry] = audit("judging.review_changed")
    assert entry.actor == assignment.juror.user
    assert entry.data["scores"] == [
        {"criterion": criteria[0].pk, "name": criteria[0].name, "old": 3, "new": 5},
        {"criterion": criteria[4].pk, "name": criteria[4].name, "old": 3, "new": 1},
    ]
    assert entry.data["texts"] == ["comment_for_organisers"]


def test_saving_a_submitted_review_as_a_draft_keeps_it_submitted(assignment, criteria):
    review = save(assignment, scores=full(criteria, 3), submit=True)

    save(assignment, scores=full(criteria, 2), submit=False)

    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert scores_of(review) == full(criteria, 2)
    assert len(audit("judging.review_changed")) == 1


def test_a_submitted_review_cannot_lose_a_score(assignment, criteria):
    review = save(assignment, scores=full(criteria, 3), submit=True)

    with pytest.raises(JudgingError) as refused:
        save(assignment, scores={**full(criteria, 3), criteria[2].pk: None}, submit=False)

    assert refused.value.missing == [f"score_{criteria[2].pk}"]
    assert scores_of(review) == full(criteria, 3)


def test_saving_a_submitted_review_unchanged_writes_no_audit_entry(assignment, criteria):
    save(assignment, scores=full(criteria, 3), submit=True)

    save(assignment, scores=full(criteria, 3), submit=True)

    assert len(audit("judging.review_submitted")) == 1
    assert audit("judging.review_changed") == []


# --- rounds that show the others' scores after submitting ------------------------------------


@pytest.fixture
def showing_round(open_round):
    return set_round(open_round, jurors_see_others_after_submitting=True)


@pytest.mark.parametrize("submit", [True, False])
def test_where_the_others_scores_show_after_submitting_a_submission_is_final(
    showing_round, assignment, criteria, submit
):
    review = save(assignment, scores=full(criteria, 3), comment="Erst so.", submit=True)

    with pytest.raises(JudgingError) as refused:
        save(assignment, scores=full(criteria, 5), comment="Dann anders.", submit=submit)

    assert refused.value.conflict
    assert "final" in refused.value.message
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert review.comment_for_organisers == "Erst so."
    assert scores_of(review) == full(criteria, 3)
    assert audit("judging.review_changed") == []


def test_where_the_others_scores_show_a_draft_changes_until_it_is_submitted(
    showing_round, assignment, criteria
):
    save(assignment, scores={criteria[0].pk: 2})
    save(assignment, scores={criteria[0].pk: 4})

    review = save(assignment, scores=full(criteria, 4), submit=True)

    assert review.status == ReviewStatus.SUBMITTED
    assert scores_of(review) == full(criteria, 4)


def test_a_conflict_may_still_be_declared_on_a_final_review(showing_round, assignment, criteria):
    save(assignment, scores=full(criteria, 3), submit=True)

    review_conflict_declare(assignment=assignment, actor=assignment.juror.user)

    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    [entry] = audit("judging.review_conflict_declared")
    assert entry.data["review"] == ReviewStatus.SUBMITTED


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.PUBLISHED])
def test_after_the_round_closes_every_review_is_read_only(assignment, criteria, status):
    review = save(assignment, scores=full(criteria, 3), submit=True)
    set_round(assignment.round, status=status)

    with pytest.raises(JudgingError) as refused:
        save(assignment, scores=full(criteria, 5), submit=True)

    assert refused.value.conflict
    assert scores_of(review) == full(criteria, 3)


def test_after_the_closing_time_the_review_is_read_only(assignment, criteria):
    set_round(assignment.round, closes_at=timezone.now() - timedelta(minutes=1))

    with pytest.raises(JudgingError) as refused:
        save(assignment, scores=full(criteria, 3))

    assert refused.value.conflict
    assert not Review.objects.filter(assignment=assignment).exists()


def test_a_draft_round_takes_no_reviews(assignment, criteria):
    set_round(assignment.round, status=RoundStatus.DRAFT)

    with pytest.raises(JudgingError):
        save(assignment, scores=full(criteria, 3))


def test_nobody_but_the_juror_reviews_the_assignment(assignment, criteria, organiser):
    other_juror = JurorFactory(round=assignment.round)

    for actor in (other_juror.user, organiser, UserFactory()):
        with pytest.raises(JudgingError):
            save(assignment, actor=actor, scores=full(criteria, 3), submit=True)

    assert not Review.objects.filter(assignment=assignment).exists()


def test_a_deleted_assignment_is_refused_in_words(assignment, criteria):
    Assignment.objects.filter(pk=assignment.pk).delete()

    with pytest.raises(JudgingError) as refused:
        save(assignment, scores=full(criteria, 3))

    assert refused.value.conflict


# --- conflicts -------------------------------------------------------------------------------


def test_declaring_a_conflict_takes_the_project_and_starts_a_run(assignment, criteria):
    juror = assignment.juror
    review = save(assignment, scores=full(criteria, 4), submit=True)

    review_conflict_declare(assignment=assignment, actor=juror.user)

    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert not Review.objects.filter(pk=review.pk).exists()
    assert not Score.objects.filter(review_id=review.pk).exists()
    assert list(juror.conflict_teams.all()) == [assignment.project.team]
    [run] = AssignmentRun.objects.filter(round=assignment.round)
    assert run.trigger == RunTrigger.CONFLICT
    assert run.status == RunStatus.PENDING
    assert run.requested_by == juror.user
    [entry] = audit("judging.review_conflict_declared")
    assert entry.actor == juror.user
    assert entry.target_id == assignment.round_id
    assert entry.data == {
        "juror": juror.pk,
        "project": assignment.project_id,
        "team": assignment.project.team_id,
        "review": ReviewStatus.SUBMITTED,
    }
    assert len(audit("judging.conflict_declared")) == 1


def test_a_conflict_joins_the_run_already_waiting(assignment):
    waiting = AssignmentRun.objects.create(round=assignment.round)

    review_conflict_declare(assignment=assignment, actor=assignment.juror.user)

    assert list(AssignmentRun.objects.filter(round=assignment.round)) == [waiting]


def test_only_the_juror_declares_a_conflict_on_their_assignment(assignment, organiser):
    other = JurorFactory(round=assignment.round)

    for actor in (other.user, organiser):
        with pytest.raises(JudgingError):
            review_conflict_declare(assignment=assignment, actor=actor)

    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert not assignment.juror.conflict_teams.exists()
    assert not AssignmentRun.objects.exists()


def test_no_conflict_is_declared_here_after_the_round_closes(assignment):
    set_round(assignment.round, status=RoundStatus.CLOSED)

    with pytest.raises(JudgingError) as refused:
        review_conflict_declare(assignment=assignment, actor=assignment.juror.user)

    assert refused.value.conflict
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert not AssignmentRun.objects.exists()


# --- races ---------------------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_first_submissions_at_once_make_one_review(eager_celery):
    from judging.services import round_create
    from tests.factories import EventFactory, OrganiserFactory
    from tests.races import race

    round = round_create(event=EventFactory(), actor=OrganiserFactory(), name="Vorauswahl")
    set_round(round, status=RoundStatus.OPEN)
    assignment = AssignmentFactory(juror=JurorFactory(round=round))
    criteria = list(Criterion.objects.filter(round=round))

    results = race(
        lambda: save(assignment, scores=full(criteria, 4), submit=True),
        lambda: save(assignment, scores=full(criteria, 4), submit=True),
    )

    assert all(isinstance(result, Review) for result in results), results
    review = Review.objects.get(assignment=assignment)
    assert review.status == ReviewStatus.SUBMITTED
    assert Score.objects.filter(review=review).count() == len(criteria)
    assert len(audit("judging.review_submitted")) == 1


def _race_round():
    from judging.services import round_create
    from tests.factories import EventFactory, OrganiserFactory

    organiser = OrganiserFactory()
    round = round_create(event=EventFactory(), actor=organiser, name="Vorauswahl")
    set_round(round, status=RoundStatus.OPEN)
    return round, organiser, list(Criterion.objects.filter(round=round))


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_a_round_being_closed_and_then_is_refused(eager_celery):
    import threading

    from django.db import transaction

    from judging.services.rounds import round_close
    from tests.races import race

    round, organiser, criteria = _race_round()
    assignment = AssignmentFactory(juror=JurorFactory(round=round))
    closed_uncommitted, save_returned = threading.Event(), threading.Event()

    def close():
        with transaction.atomic():
            closed = round_close(round=round, actor=organiser)
            closed_uncommitted.set()
            # A save that does not wait for the closing transaction lands meanwhile.
            save_returned.wait(timeout=2)
        return closed

    def save_while_closing():
        closed_uncommitted.wait(timeout=30)
        try:
            return save(assignment, scores=full(criteria, 4), submit=True)
        finally:
            save_returned.set()

    closed, saved = race(close, save_while_closing)

    assert isinstance(closed, JudgingRound), closed
    assert isinstance(saved, JudgingError), saved
    assert saved.message.startswith("The round is closed")
    assert not Review.objects.filter(assignment=assignment).exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_no_review_lands_after_the_round_closed(eager_celery):
    from judging.services.rounds import round_close
    from tests.races import race

    round, organiser, criteria = _race_round()
    assignments = [AssignmentFactory(juror=JurorFactory(round=round)) for _ in range(12)]
    saves = [
        (lambda assignment=assignment: save(assignment, scores=full(criteria, 4), submit=True))
        for assignment in assignments
    ]

    results = race(*saves[:6], lambda: round_close(round=round, actor=organiser), *saves[6:])

    closed = results.pop(6)
    assert isinstance(closed, JudgingRound), closed
    saved = [r for r in results if isinstance(r, Review)]
    refused = [r for r in results if isinstance(r, JudgingError)]
    assert len(saved) + len(refused) == len(assignments), results
    assert all(error.message.startswith("The round is closed") for error in refused)
    assert Review.objects.count() == len(saved)
    # Closing waits for the reviews being saved, and a save that waited for the close
    # reads the round closed: every saved review was written before the close.
    close_entry = AuditEntry.objects.get(action="judging.round_closed")
    review_entries = AuditEntry.objects.filter(action="judging.review_submitted")
    assert review_entries.count() == len(saved)
    assert all(entry.pk < close_entry.pk for entry in review_entries)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_conflicts_declared_at_once_in_one_round_do_not_deadlock(eager_celery):
    from tests.races import race

    round, _organiser, _criteria = _race_round()
    assignments = [AssignmentFactory(juror=JurorFactory(round=round)) for _ in range(4)]

    results = race(
        *[
            (
                lambda assignment=assignment: review_conflict_declare(
                    assignment=assignment, actor=assignment.juror.user
                )
            )
            for assignment in assignments
        ]
    )

    assert results == [None] * len(assignments), results
    assert not Assignment.objects.filter(round=round).exists()
    # Each conflict joins the run waiting or starts one (eager Celery may finish a run
    # between two of them).
    runs = AssignmentRun.objects.filter(round=round)
    assert runs.exists() and all(run.trigger == RunTrigger.CONFLICT for run in runs)
