"""Thin Celery tasks of judging; they take ids, are idempotent, and are enqueued on commit
by the services. Their schedules live in settings.CELERY_BEAT_SCHEDULE."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="judging.run_assignment", acks_late=True)
def run_assignment(*, run_id: int) -> str:
    """Carries out one assignment run (judging.services.runs.assignment_run_execute); a run
    that is no longer waiting is left alone. Returns the run's status."""
    from judging.services.runs import assignment_run_execute

    return assignment_run_execute(run_id=run_id)


@shared_task(name="judging.requeue_stale_runs")
def requeue_stale_runs() -> int:
    """Starts runs whose task never arrived or whose worker died; returns how many."""
    from judging.services.runs import assignment_runs_requeue_stale

    return assignment_runs_requeue_stale()


@shared_task(name="judging.send_review_reminders")
def send_review_reminders() -> int:
    """Reminds jurors with open reviews 24 hours before their round closes, each once;
    returns how many were reminded."""
    from judging.services.runs import review_reminders_send

    return review_reminders_send()


@shared_task(name="judging.notify_outcomes", acks_late=True)
def notify_outcomes(*, round_id: int) -> int:
    """Tells every team of a published round its outcome, each team once; returns how many
    teams were told by this call."""
    from judging.services.results import outcomes_notify

    return outcomes_notify(round_id=round_id)


@shared_task(name="judging.requeue_pending_outcomes")
def requeue_pending_outcomes() -> int:
    """Enqueues the outcome notices of published rounds whose task never arrived or whose
    worker died; returns how many rounds."""
    from judging.services.results import outcomes_requeue_pending

    return outcomes_requeue_pending()
