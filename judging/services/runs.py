"""Assignment runs: who reviews which project, worked out by a Celery task; and the notices
that tell jurors of their queue and remind them before the round closes.

The AssignmentRun row is the truth: an organiser (or a juror's conflict) writes a pending
run, the task `judging.run_assignment` claims it with a conditional UPDATE (a duplicate
task finds nothing to claim), reports its progress on the row in short transactions of
its own so the organiser's page sees it, and saves the new assignments in one
transaction with the run's figures. An infeasible round is reported with its reasons and
nothing is saved. A beat sweep (assignment_runs_requeue_stale) sends runs whose task never
arrived, or whose worker died, to a worker again.

Re-runs keep every assignment with a review (a started review is never moved) and prefer
the pairs of the previous run, so only what must move moves.

"Sent once" is kept by the database: a JurorNotice row (unique per juror and kind) is
written in the transaction of the notification it records, under the round's row lock.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import audit_log
from hackathon.queue import enqueue_on_commit
from judging import assignment as solver
from judging.enums import JurorNoticeKind, ReviewStatus, RoundStatus, RunStatus, RunTrigger
from judging.errors import JudgingError
from judging.models import Assignment, AssignmentRun, JudgingRound, Juror, JurorNotice
from judging.notification_kinds import JUDGING_QUEUE_READY, JUDGING_REVIEW_REMINDER
from judging.rules import can_manage_round
from judging.selectors import conflict_pairs, eligible_projects_for_assignment
from notifications.services import notify_many

logger = logging.getLogger(__name__)

# A run is assigned while its round is prepared or open; once closed the reviews are final.
ASSIGNABLE = (RoundStatus.DRAFT, RoundStatus.OPEN)
# A pending run whose task has not come for this long is enqueued again; a running one
# this old lost its worker (acks_late brings the task back too; the claim keeps it once).
PENDING_GRACE = timedelta(minutes=2)
RUNNING_LIMIT = timedelta(minutes=15)
REMINDER_BEFORE = timedelta(hours=24)
# The assignments may change while a run works (a juror starts a review of one it is about
# to move, declares a conflict); the run then works it out again, this many times at most.
SAVE_ATTEMPTS = 3

# The stages a running run shows (stored untranslated; the pages translate them).
STAGE_LOADING = gettext_noop("Loading projects and jurors")
STAGE_CONFLICTS = gettext_noop("Finding conflicts of interest")
STAGE_SOLVING = gettext_noop("Working out the assignment")
STAGE_SAVING = gettext_noop("Saving the assignment")
STAGE_DONE = gettext_noop("Done")
STAGE_FAILED = gettext_noop("Not possible")
STAGE_WAITING = gettext_noop("Waiting for a worker")

# Why a round cannot be assigned, and why a run failed: stored as their English source in
# AssignmentRun.reasons ({"message": ...}; a project's shortfall is stored as its figures),
# and put in the reader's language when shown (judging.selectors.run_reasons).
REASON_CLOSED = gettext_noop("The round is closed: its assignments can no longer change.")
REASON_TIME_UP = gettext_noop(
    "The round's closing time has passed: its assignments can no longer change."
)
REASON_CHANGING = gettext_noop(
    "The assignments kept changing while the run worked; start it again."
)
REASON_UNEXPECTED = gettext_noop("The assignment failed unexpectedly; start it again.")


def not_assignable_because(round: JudgingRound, *, now=None) -> str | None:
    """Why the round's assignments can no longer change (an untranslated message), or
    None while they can: a draft or open round whose closing time has not passed. Past
    it, reviews still being written would be taken from their jurors for nothing."""
    if round.status not in ASSIGNABLE:
        return REASON_CLOSED
    if round.closes_at is not None and round.closes_at <= (now or timezone.now()):
        return REASON_TIME_UP
    return None


def _reason(message: str) -> dict:
    return {"message": message}


def _active_run(round_id: int) -> AssignmentRun | None:
    return (
        AssignmentRun.objects.filter(
            round_id=round_id, status__in=[RunStatus.PENDING, RunStatus.RUNNING]
        )
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def assignment_run_start(
    *, round: JudgingRound, actor, trigger: str = RunTrigger.ORGANISER
) -> AssignmentRun:
    """Asks for an assignment of the round and returns its run.

    Organisers of the event only, unless `trigger` is CONFLICT (the system starts it on a
    juror's behalf, `actor` being the juror's user). Refused once the round is closed or
    its closing time has passed.
    A run that waits or runs already is returned instead of a second one (the partial
    unique constraint decides between two requests at once).
    Side effects: a pending AssignmentRun, an audit entry, the task enqueued on commit.
    """
    from judging.tasks import run_assignment

    # Locked: a run saving its assignments holds the round, so a request made meanwhile
    # (a juror's conflict) waits and then finds it done, and starts the next run.
    round = (
        JudgingRound.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=round.pk)
    )
    if trigger == RunTrigger.ORGANISER and not can_manage_round(actor, round):
        raise JudgingError(_("Only organisers of the event can assign its reviews."))
    refused = not_assignable_because(round)
    if refused is not None:
        raise JudgingError(_(refused), conflict=True)
    existing = _active_run(round.pk)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            run = AssignmentRun.objects.create(
                round=round,
                requested_by=actor if getattr(actor, "is_authenticated", False) else None,
                trigger=trigger,
                stage=STAGE_WAITING,
            )
    except IntegrityError:
        existing = _active_run(round.pk)
        if existing is None:
            raise
        return existing
    audit_log(
        actor=actor,
        action="judging.assignment_run_started",
        target=round,
        data={"run": run.pk, "trigger": trigger},
    )
    enqueue_on_commit(run_assignment, [{"run_id": run.pk}])
    return run


def _progress(run_id: int, progress: int, stage: str) -> None:
    # Autocommit: each step is visible to the organiser's page at once.
    AssignmentRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        progress=progress, stage=stage
    )


def _fail(run_id: int, reasons: list[dict], result: dict | None = None) -> str:
    AssignmentRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED,
        stage=STAGE_FAILED,
        reasons=reasons,
        result=result or {},
        finished_at=timezone.now(),
    )
    return RunStatus.FAILED


class _ChangedMeanwhile(Exception):
    """The round's assignments changed while the run worked (a review started on one it
    meant to move, a conflict declared, a juror gone): it works them out again."""


def assignment_run_execute(*, run_id: int) -> str:
    """Carries out a pending run; returns the run's status afterwards.

    Claims the run (pending → running) with a conditional UPDATE: a duplicate task, or a
    run already done, changes nothing. Loads the eligible projects with their submitted
    version, the jurors with their expertise and the conflicts; keeps every assignment
    with a review and prefers the other existing ones; solves (judging.assignment.assign).
    Infeasible: the run is marked failed with the reasons and nothing is saved.
    Side effects otherwise, in one transaction: the assignments that must move deleted
    (never one with a review), the new ones created on the project's submitted version,
    the unstarted ones kept moved to that version, the run's figures, an audit entry;
    while the round is open, one queue notice to each juror with assignments who was not
    told yet, and one to each juror told before whose queue this run added to.
    """
    claimed = AssignmentRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        progress=0,
        stage=STAGE_LOADING,
        reasons=[],
        result={},
    )
    if not claimed:
        status = AssignmentRun.objects.filter(pk=run_id).values_list("status", flat=True).first()
        return status or ""
    run = AssignmentRun.objects.select_related("round__event").get(pk=run_id)
    try:
        for _attempt in range(SAVE_ATTEMPTS):
            try:
                return _execute(run)
            except _ChangedMeanwhile:
                continue
        return _fail(run.pk, [_reason(REASON_CHANGING)])
    except Exception:
        # Failed, not left running: the organiser sees it and can start it again.
        logger.exception("Assignment run %s failed", run_id)
        return _fail(run.pk, [_reason(REASON_UNEXPECTED)])


def _execute(run: AssignmentRun) -> str:
    round = run.round
    k = round.reviews_per_project
    _progress(run.pk, 10, STAGE_LOADING)
    refused = not_assignable_because(round)
    if refused is not None:
        return _fail(run.pk, [_reason(refused)])
    eligible = eligible_projects_for_assignment(round=round)
    projects = [p for p in eligible if p.version_id is not None]
    version_of = {p.id: p.version_id for p in projects}
    title_of = {p.id: p.title for p in eligible}
    # The pool: jurors who did not leave (juror_remove) and whose account is active.
    jurors = list(
        Juror.objects.filter(round=round, active=True, user__is_active=True).prefetch_related(
            "expertise"
        )
    )
    warnings = []
    without_version = len(eligible) - len(projects)
    if without_version:
        warnings.append(
            _("%(count)d eligible projects have no version submitted in time and are left out.")
            % {"count": without_version}
        )

    _progress(run.pk, 30, STAGE_CONFLICTS)
    conflicts = conflict_pairs(round=round)
    existing = list(
        Assignment.objects.filter(round=round)
        .annotate(
            has_review=Count("review"),
            submitted=Count("review", filter=Q(review__status=ReviewStatus.SUBMITTED)),
        )
        .values_list("pk", "juror_id", "project_id", "version_id", "has_review", "submitted")
    )
    juror_ids = {juror.pk for juror in jurors}
    kept, previous, untouched = set(), set(), 0
    assignment_of, version_now = {}, {}
    # Jurors out of the pool with submitted reviews: those still count, nothing new comes.
    retired: Counter = Counter()
    for pk, juror_id, project_id, version_id, has_review, submitted in existing:
        pair = (juror_id, project_id)
        assignment_of[pair] = pk
        version_now[pk] = version_id
        if has_review:
            if juror_id in juror_ids and project_id in version_of:
                kept.add(pair)
            elif submitted and project_id in version_of:
                kept.add(pair)
                retired[juror_id] += 1
            else:
                untouched += 1
        else:
            previous.add(pair)
    if untouched:
        warnings.append(
            _(
                "%(count)d started reviews are of projects no longer in the round; they are "
                "kept as they are."
            )
            % {"count": untouched}
        )

    _progress(run.pk, 60, STAGE_SOLVING)
    try:
        result = solver.assign(
            [solver.Project(p.id, p.topic_id) for p in projects],
            [solver.Juror(j.pk, frozenset(topic.pk for topic in j.expertise.all())) for j in jurors]
            + [solver.Juror(pk, capacity=n) for pk, n in sorted(retired.items())],
            k=k,
            conflicts=conflicts,
            kept=kept,
            previous=previous,
        )
    except solver.AssignmentInfeasible as infeasible:
        shortfalls = [
            {
                "project_id": s.project_id,
                "title": title_of.get(s.project_id, ""),
                "available": s.available,
                "reviews": s.reviews,
                "by_capacity": s.by_capacity,
            }
            for s in infeasible.shortfalls
        ]
        # The figures, not a sentence: the page words them in its reader's language.
        return _fail(
            run.pk,
            shortfalls,
            {"shortfalls": shortfalls, "jurors": len(jurors), "projects": len(projects)},
        )
    # A started review that became a conflict is not in the solution, yet it stays.
    dropped_kept = kept - result.pairs
    if dropped_kept:
        warnings.append(
            _(
                "%(count)d started reviews are now conflicts of interest; they are kept, so "
                "those projects get one review more."
            )
            % {"count": len(dropped_kept)}
        )
    pool_loads = [n for juror_id, n in result.load.items() if juror_id not in retired]
    pool_spread = max(pool_loads, default=0) - min(pool_loads, default=0)
    if not retired or pool_spread > 1:
        # The solver's balance warning counts the jurors who left, whose load is only
        # their submitted reviews; the pool's own spread decides.
        warnings.extend(result.warnings)
    # Unstarted assignments kept from an earlier run judge the version of now, so a project
    # is judged on one version whichever run assigned its jurors.
    repoint = {
        assignment_of[pair]: version_of[pair[1]]
        for pair in previous & result.pairs
        if version_now[assignment_of[pair]] != version_of[pair[1]]
    }

    _progress(run.pk, 90, STAGE_SAVING)
    with transaction.atomic():
        to_remove = [assignment_of[pair] for pair in previous - result.pairs]
        to_lock = [*to_remove, *repoint]
        # The assignments to move first, then the round: the order in which a juror's
        # conflict (judging.services.reviews) locks them, so neither waits for the other.
        # A review being written for one of them is waited for, then seen.
        list(
            Assignment.objects.select_for_update(of=("self",))
            .filter(pk__in=to_lock)
            .values_list("pk", flat=True)
        )
        round = (
            JudgingRound.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=round.pk)
        )
        refused = not_assignable_because(round)
        if refused is not None:
            return _fail(run.pk, [_reason(refused)])
        now_reviewed = dict(
            Assignment.objects.filter(round=round)
            .annotate(has_review=Count("review"))
            .values_list("pk", "has_review")
        )
        if now_reviewed.keys() != set(assignment_of.values()) or any(
            now_reviewed[pk] for pk in to_lock
        ):
            # A review was started, or a juror declared a conflict or left, meanwhile.
            raise _ChangedMeanwhile
        Assignment.objects.filter(pk__in=to_remove).delete()
        if repoint:
            Assignment.objects.bulk_update(
                [Assignment(pk=pk, version_id=version_id) for pk, version_id in repoint.items()],
                ["version"],
                batch_size=1000,
            )
        to_add = result.pairs - kept - previous
        Assignment.objects.bulk_create(
            [
                Assignment(
                    round=round, juror_id=juror_id, project_id=project_id,
                    version_id=version_of[project_id],
                )
                for juror_id, project_id in sorted(to_add)
            ],
            batch_size=1000,
        )  # fmt: skip
        figures = _figures(result, k=k, kept=len(kept), added=len(to_add))
        figures.update(removed=len(to_remove), repointed=len(repoint), warnings=warnings)
        if retired:
            figures.update(
                spread=pool_spread,
                load_min=min(pool_loads, default=0),
                load_max=max(pool_loads, default=0),
            )
        run.status, run.progress, run.stage = RunStatus.DONE, 100, STAGE_DONE
        run.result, run.finished_at = figures, timezone.now()
        run.save(update_fields=["status", "progress", "stage", "result", "finished_at"])
        audit_log(
            actor=run.requested_by,
            action="judging.assignment_run_done",
            target=round,
            data={
                "run": run.pk,
                "kept": len(kept),
                "added": len(to_add),
                "removed": len(to_remove),
                "repointed": len(repoint),
            },
        )
        if round.status == RoundStatus.OPEN:
            # Those told already first: the jurors told next learn of all of it at once.
            _queue_additions_send(round, {juror_id for juror_id, _project in to_add})
            _queue_notices_send(round)
    return RunStatus.DONE


def _figures(result: solver.Assignment, *, k: int, kept: int, added: int) -> dict:
    loads = list(result.load.values())
    per_project = Counter(result.reviews.values())
    return {
        "projects": len(result.reviews),
        "jurors": len(result.load),
        "reviews": len(result.pairs),
        # JSON keys are text: juror id -> reviews.
        "load": {str(juror_id): n for juror_id, n in sorted(result.load.items())},
        "load_min": min(loads, default=0),
        "load_max": max(loads, default=0),
        "spread": result.spread,
        "reviews_per_project": {str(n): count for n, count in sorted(per_project.items())},
        "flagged": sorted(p for p, n in result.reviews.items() if n < k),
        "expertise_share": round(result.expertise_share, 4),
        "kept": kept,
        "added": added,
    }


def _closes_local(round: JudgingRound) -> str:
    if round.closes_at is None:
        return "–"
    local = round.event.localtime(round.closes_at)
    # Numeric and zone-named, so it reads the same in every language.
    return f"{local:%Y-%m-%d %H:%M} ({round.event.time_zone})"


def _queue_url(round: JudgingRound) -> str:
    return reverse("judging:queue", args=[round.pk])


def _notify_in_groups(jurors: list[Juror], kind, context: dict, count_key: str) -> None:
    """One notify_many per distinct count (loads differ by at most one: a few groups)."""
    by_count: dict[int, list] = defaultdict(list)
    for juror in jurors:
        by_count[juror.notice_count].append(juror.user)
    for count, users in sorted(by_count.items()):
        notify_many(recipients=users, kind=kind, context={**context, count_key: count})


def _queue_notices_send(round: JudgingRound) -> int:
    """Tells each juror of the round with assignments who was not told yet; the caller
    holds the round's row lock (so two callers never tell the same juror). Constant
    number of queries."""
    jurors = list(
        Juror.objects.filter(round=round, active=True, user__is_active=True)
        .exclude(notices__kind=JurorNoticeKind.QUEUE)
        .annotate(notice_count=Count("assignments"))
        .filter(notice_count__gt=0)
        .select_related("user")
    )
    if not jurors:
        return 0
    JurorNotice.objects.bulk_create(
        [JurorNotice(juror=juror, kind=JurorNoticeKind.QUEUE) for juror in jurors]
    )
    _notify_in_groups(
        jurors,
        JUDGING_QUEUE_READY,
        {
            "round_name": round.name,
            "event_name": round.event.name,
            "closes_local": _closes_local(round),
            "url": _queue_url(round),
        },
        "count",
    )
    return len(jurors)


_NOT_SUBMITTED = Q(assignments__review__isnull=True) | Q(
    assignments__review__status=ReviewStatus.DRAFT
)


def _queue_additions_send(round: JudgingRound, juror_ids: set[int]) -> int:
    """Tells the jurors told of their queue before whose queue this run added to (a
    conflict's project given to them, a juror who left): one notice each, in the run's
    transaction (a run is saved once), with what waits for them now. No JurorNotice row:
    it keeps the first notice once; this one is once per run that adds. Two queries."""
    if not juror_ids:
        return 0
    jurors = list(
        Juror.objects.filter(
            round=round,
            pk__in=juror_ids,
            active=True,
            user__is_active=True,
            notices__kind=JurorNoticeKind.QUEUE,
        )
        .annotate(notice_count=Count("assignments", filter=_NOT_SUBMITTED, distinct=True))
        .filter(notice_count__gt=0)
        .select_related("user")
    )
    if not jurors:
        return 0
    _notify_in_groups(
        jurors,
        JUDGING_QUEUE_READY,
        {
            "round_name": round.name,
            "event_name": round.event.name,
            "closes_local": _closes_local(round),
            "url": _queue_url(round),
        },
        "count",
    )
    return len(jurors)


@transaction.atomic
def queue_notices_send(*, round: JudgingRound) -> int:
    """Tells the jurors of an open round with assignments who were not told yet, each once
    (round_open calls it). Returns how many were told.
    Side effects: JurorNotice rows and queue notifications (mails after commit)."""
    round = JudgingRound.objects.select_for_update().select_related("event").get(pk=round.pk)
    if round.status != RoundStatus.OPEN:
        return 0
    return _queue_notices_send(round)


def assignment_runs_requeue_stale(*, now=None) -> int:
    """Sends runs to a worker again: pending ones whose task never came, and running ones
    whose worker died (set back to pending first). Returns how many. Idempotent: the
    task's claim keeps a run from being done twice."""
    from judging.tasks import run_assignment

    now = now or timezone.now()
    dead = AssignmentRun.objects.filter(
        status=RunStatus.RUNNING, started_at__lt=now - RUNNING_LIMIT
    )
    revived = list(dead.values_list("pk", flat=True))
    if revived:
        # Conditional: a run that finished meanwhile stays finished (and is not enqueued).
        dead.filter(pk__in=revived).update(
            status=RunStatus.PENDING, progress=0, stage=STAGE_WAITING
        )
    stale = list(
        AssignmentRun.objects.filter(
            Q(created_at__lt=now - PENDING_GRACE) | Q(pk__in=revived),
            status=RunStatus.PENDING,
        ).values_list("pk", flat=True)
    )
    if stale:
        logger.info("Enqueueing %d stale assignment runs again.", len(stale))
        enqueue_on_commit(run_assignment, [{"run_id": pk} for pk in stale])
    return len(stale)


def review_reminders_send(*, now=None) -> int:
    """Reminds the jurors of open rounds closing within 24 hours who have reviews not yet
    submitted, each once per round. Returns how many were reminded.
    Side effects: per round, in one transaction under the round's lock, JurorNotice rows
    and reminder notifications (mails after commit). A constant number of queries per
    round."""
    now = now or timezone.now()
    round_ids = list(
        JudgingRound.objects.filter(
            status=RoundStatus.OPEN, closes_at__gt=now, closes_at__lte=now + REMINDER_BEFORE
        ).values_list("pk", flat=True)
    )
    reminded = 0
    for round_id in round_ids:
        reminded += _round_reminders_send(round_id=round_id)
    return reminded


@transaction.atomic
def _round_reminders_send(*, round_id: int) -> int:
    round = JudgingRound.objects.select_for_update().select_related("event").get(pk=round_id)
    if round.status != RoundStatus.OPEN:
        return 0
    jurors = list(
        Juror.objects.filter(round=round, active=True, user__is_active=True)
        .exclude(notices__kind=JurorNoticeKind.REMINDER)
        .annotate(notice_count=Count("assignments", filter=_NOT_SUBMITTED))
        .filter(notice_count__gt=0)
        .select_related("user")
    )
    if not jurors:
        return 0
    JurorNotice.objects.bulk_create(
        [JurorNotice(juror=juror, kind=JurorNoticeKind.REMINDER) for juror in jurors]
    )
    _notify_in_groups(
        jurors,
        JUDGING_REVIEW_REMINDER,
        {
            "round_name": round.name,
            "event_name": round.event.name,
            "closes_local": _closes_local(round),
            "url": _queue_url(round),
        },
        "open_count",
    )
    return len(jurors)
