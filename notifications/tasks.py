"""Thin Celery tasks: they take ids and call a service. Schedules live in settings."""

from __future__ import annotations

from celery import shared_task

from notifications.services import (
    notification_deliver,
    notifications_purge_read,
    notifications_requeue_stale,
)


@shared_task(bind=True, name="notifications.deliver", acks_late=True, max_retries=None)
def deliver(self, *, notification_id: int) -> str | None:
    """Sends one notification's e-mail. Idempotent: the service claims the row first.

    Retries with exponential back-off (settings.NOTIFICATION_RETRY_BASE_SECONDS ·
    2**retries). The attempt count lives on the row, not in the task message, so a
    re-enqueued delivery keeps counting and stops after
    settings.NOTIFICATION_MAX_RETRIES retries, when the service marks the row failed.
    """
    result = notification_deliver(notification_id=notification_id)
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)
    return result.status


@shared_task(name="notifications.requeue_stale")
def requeue_stale() -> int:
    """Enqueues pending deliveries whose message was lost, and sends again the rows whose
    worker died while sending them (after settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS)."""
    return notifications_requeue_stale()


@shared_task(name="notifications.purge_read")
def purge_read() -> int:
    """Deletes read notifications older than settings.NOTIFICATION_RETENTION_DAYS."""
    return notifications_purge_read()
