"""A juror's reviews: drafts, submissions, changes until the round closes, and conflicts of
interest found while reviewing.

Only the assignment's own juror writes, and only while the round is open; once it
closes (or its results are published) every review is read-only. A Review row means
the review is started: assignment runs never move it. A submitted review stays
submitted; the juror may change it until the round closes, and every change of a
submitted review is audited with the old and new values. Where the round shows the
other jurors' scores after one's own submission, submitting is final instead: the
review is read-only from then on, so that the others' scores never lean on it.

Writes lock the assignment, then the round (FOR SHARE: reviews are written side by
side, while round_close, an UPDATE of the row, waits for them, and a save that waited
reads the round closed). Assignment runs and a juror's profile lock in that order too.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from judging.enums import ReviewStatus, RunTrigger
from judging.errors import JudgingError
from judging.models import Assignment, Criterion, JudgingRound, Juror, Review, Score
from judging.rules import is_assigned_juror, round_is_open
from judging.services.rounds import conflict_declare

TEXT_MAX_LENGTH = 4000  # Review.comment_for_organisers / feedback_for_team


def score_field(criterion_id: int) -> str:
    """The name a criterion's score has in forms and in JudgingError.field."""
    return f"score_{criterion_id}"


def _lock_assignment(assignment: Assignment) -> Assignment:
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("round__event", "juror", "project__team")
        .filter(pk=assignment.pk)
        .first()
    )
    if locked is None:
        raise JudgingError(_("This project is no longer assigned to you."), conflict=True)
    return locked


def _lock_round(assignment: Assignment, *, for_update: bool = False) -> JudgingRound:
    """The assignment's round read afresh under a row lock held until the transaction
    ends, set on the assignment: FOR SHARE, so that reviews are saved side by side but
    round_close (FOR UPDATE) waits for them; FOR UPDATE where the transaction goes on to
    lock the round so anyway (a run started on a conflict), since two transactions that
    both hold FOR SHARE and then ask for FOR UPDATE would deadlock."""
    rounds = JudgingRound.objects.select_related("event")
    if for_update:
        rounds = rounds.select_for_update(of=("self",))
    elif connection.vendor == "postgresql":  # SQLite locks the whole database on write
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM judging_judginground WHERE id = %s FOR SHARE",
                [assignment.round_id],
            )
    round = rounds.get(pk=assignment.round_id)
    assignment.round = round
    return round


def submitting_is_final(round: JudgingRound) -> bool:
    """Whether a juror's submission in the round is final: where the round shows the other
    jurors' scores after one's own submission, a submitted review can no longer change
    (else a juror could submit anything, read the others' scores and then align)."""
    return bool(round.jurors_see_others_after_submitting)


def review_is_final(assignment: Assignment, review: Review | None) -> bool:
    """The juror's submitted review that can no longer change, though the round is open."""
    return (
        review is not None
        and review.status == ReviewStatus.SUBMITTED
        and submitting_is_final(assignment.round)
    )


def _require_reviewer(assignment: Assignment, actor) -> None:
    if not is_assigned_juror(actor, assignment):
        raise JudgingError(_("Only the juror of this assignment can review it."))
    if not round_is_open(assignment.round):
        raise JudgingError(
            _("The round is closed: its reviews can no longer be changed."), conflict=True
        )


def _checked_scores(
    criteria: list[Criterion], scores: Mapping[int, int | None]
) -> dict[int, int | None]:
    """The scores by criterion id (None: not scored), every criterion of the round present;
    refuses unknown criteria and values outside a criterion's scale."""
    by_id = {criterion.pk: criterion for criterion in criteria}
    checked: dict[int, int | None] = dict.fromkeys(by_id)
    for key, value in scores.items():
        try:
            criterion = by_id[int(key)]
        except (KeyError, TypeError, ValueError):
            raise JudgingError(
                _("This criterion does not belong to the round."), field=score_field(key)
            ) from None
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = None
        if value is None or not criterion.scale_min <= value <= criterion.scale_max:
            raise JudgingError(
                _("Score “%(name)s” from %(min)d to %(max)d.")
                % {"name": criterion.name, "min": criterion.scale_min, "max": criterion.scale_max},
                field=score_field(criterion.pk),
            )
        checked[criterion.pk] = value
    return checked


def _check_text(value: str, field: str) -> str:
    if len(value) > TEXT_MAX_LENGTH:
        raise JudgingError(
            _("At most %(count)d characters, please.") % {"count": TEXT_MAX_LENGTH}, field=field
        )
    return value


def _require_complete(criteria: list[Criterion], checked: dict[int, int | None]) -> None:
    missing = [criterion for criterion in criteria if checked[criterion.pk] is None]
    if missing:
        raise JudgingError(
            _("Please score every criterion before submitting: %(names)s.")
            % {"names": ", ".join(criterion.name for criterion in missing)},
            field=score_field(missing[0].pk),
            missing=[score_field(criterion.pk) for criterion in missing],
        )


@transaction.atomic
def review_save(
    *,
    assignment: Assignment,
    actor,
    scores: Mapping[int, int | None],
    comment_for_organisers: str,
    feedback_for_team: str,
    submit: bool,
) -> Review:
    """Saves the juror's review of their assignment, as a draft or submitted.

    `scores` maps criterion ids to a value within the criterion's scale, or None (not
    scored); criteria left out are not scored. A draft may leave scores empty;
    submitting needs every criterion scored (JudgingError naming each missing one, its
    `field` the first one's `score_<id>`, `missing` all of them). A submitted review
    stays submitted: a later save, draft or not, changes the submitted review and so
    needs every criterion too; where the round shows the others' scores after
    submitting (submitting_is_final), a submitted review is final and every later save
    is refused. Only the assignment's juror, only while the round is open.

    Side effects: the assignment is locked, then the round (FOR SHARE); the Review is
    created on the first save (from then on the review counts as started); its scores
    are written; on the first submission status submitted and submitted_at, and an audit
    entry; each change of a submitted review an audit entry with the old and new values
    of what changed.
    """
    assignment = _lock_assignment(assignment)
    _lock_round(assignment)
    _require_reviewer(assignment, actor)
    criteria = list(
        Criterion.objects.filter(round_id=assignment.round_id).order_by("position", "pk")
    )
    checked = _checked_scores(criteria, scores)
    comment_for_organisers = _check_text(comment_for_organisers, "comment_for_organisers")
    feedback_for_team = _check_text(feedback_for_team, "feedback_for_team")

    review = Review.objects.filter(assignment=assignment).first()
    was_submitted = review is not None and review.status == ReviewStatus.SUBMITTED
    if review_is_final(assignment, review):
        raise JudgingError(
            _(
                "Your review is submitted and final: in this round you see the other "
                "jurors' scores after submitting, so it can no longer be changed."
            ),
            conflict=True,
        )
    if submit or was_submitted:
        _require_complete(criteria, checked)

    if review is None:
        review = Review.objects.create(
            assignment=assignment,
            comment_for_organisers=comment_for_organisers,
            feedback_for_team=feedback_for_team,
        )
        old_scores: dict[int, Score] = {}
        old_texts = {
            "comment_for_organisers": comment_for_organisers,
            "feedback_for_team": feedback_for_team,
        }
    else:
        old_scores = {score.criterion_id: score for score in review.scores.all()}
        old_texts = {
            "comment_for_organisers": review.comment_for_organisers,
            "feedback_for_team": review.feedback_for_team,
        }
    review.assignment = assignment

    changes = _write_scores(review, criteria, checked, old_scores)
    new_texts = {
        "comment_for_organisers": comment_for_organisers,
        "feedback_for_team": feedback_for_team,
    }
    texts_changed = [field for field, value in new_texts.items() if old_texts[field] != value]
    update_fields = [*texts_changed]
    for field in texts_changed:
        setattr(review, field, new_texts[field])
    first_submission = submit and not was_submitted
    if first_submission:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = timezone.now()
        update_fields += ["status", "submitted_at"]
    if update_fields or changes:
        review.save(update_fields=[*update_fields, "updated_at"])

    if first_submission:
        audit_log(
            actor=actor,
            action="judging.review_submitted",
            target=review,
            data={
                "assignment": assignment.pk,
                "project": assignment.project_id,
                "scores": {str(pk): value for pk, value in checked.items()},
            },
        )
    elif was_submitted and (changes or texts_changed):
        audit_log(
            actor=actor,
            action="judging.review_changed",
            target=review,
            data={
                "assignment": assignment.pk,
                "project": assignment.project_id,
                "scores": changes,
                "texts": texts_changed,
            },
        )
    return review


def _write_scores(
    review: Review,
    criteria: list[Criterion],
    checked: dict[int, int | None],
    old_scores: dict[int, Score],
) -> list[dict]:
    """Writes what changed in three queries at most; returns the changes (criterion,
    name, old, new) in the order of the criteria."""
    changes, created, updated, removed = [], [], [], []
    for criterion in criteria:
        old = old_scores.get(criterion.pk)
        new_value = checked[criterion.pk]
        old_value = old.value if old else None
        if old_value == new_value:
            continue
        changes.append(
            {"criterion": criterion.pk, "name": criterion.name, "old": old_value, "new": new_value}
        )
        if old is None:
            created.append(Score(review=review, criterion=criterion, value=new_value))
        elif new_value is None:
            removed.append(old.pk)
        else:
            old.value = new_value
            updated.append(old)
    if created:
        Score.objects.bulk_create(created)
    if updated:
        Score.objects.bulk_update(updated, ["value"])
    if removed:
        Score.objects.filter(pk__in=removed).delete()
    return changes


@transaction.atomic
def review_conflict_declare(*, assignment: Assignment, actor) -> None:
    """The juror declares a conflict of interest with the assigned project: it is taken
    from them and reassigned by an assignment run. Only the assignment's juror, only
    while the round is open (a submitted review may be withdrawn this way too).

    Side effects: the assignment, the juror and the round are locked, in that order; the
    project's team is recorded as the juror's declared conflict
    (judging.services.rounds.conflict_declare, with its audit entry); the assignment is
    deleted with its review and scores; an audit entry on the round; an assignment run
    with trigger "conflict" is started (or the one waiting or running is reused).
    """
    from judging.services.runs import assignment_run_start  # written alongside this module

    assignment = _lock_assignment(assignment)
    # The juror before the round, as conflict_declare and the juror's profile
    # (judging.services.invitations) lock them; the round FOR UPDATE, as the run started
    # below locks it.
    list(Juror.objects.select_for_update().filter(pk=assignment.juror_id).values_list("pk"))
    _lock_round(assignment, for_update=True)
    _require_reviewer(assignment, actor)
    review = Review.objects.filter(assignment=assignment).first()
    conflict_declare(juror=assignment.juror, actor=actor, teams=[assignment.project.team])
    audit_log(
        actor=actor,
        action="judging.review_conflict_declared",
        target=assignment.round,
        data={
            "juror": assignment.juror_id,
            "project": assignment.project_id,
            "team": assignment.project.team_id,
            "review": review.status if review else None,
        },
    )
    assignment.delete()
    assignment_run_start(round=assignment.round, actor=actor, trigger=RunTrigger.CONFLICT)
