"""Thin Celery tasks of projects; their schedules live in settings.CELERY_BEAT_SCHEDULE."""

from __future__ import annotations

from celery import shared_task

from projects.services import (
    deadline_reminders_send,
    project_video_thumbnail_refresh,
    video_thumbnails_refresh_stale,
)


@shared_task(name="projects.send_deadline_reminders")
def send_deadline_reminders() -> int:
    """Sends the reminders due 24 and 2 hours before each team's deadline; returns how many
    teams were reminded. Idempotent: each reminder is recorded before it is sent, once."""
    return deadline_reminders_send()


@shared_task(bind=True, name="projects.fetch_video_thumbnail", acks_late=True, max_retries=3)
def fetch_video_thumbnail(self, *, project_id: int) -> bool:
    """Fetches (or drops) our copy of the project's video thumbnail; idempotent. A network
    error is retried with back-off; a video without a thumbnail is not."""
    try:
        return project_video_thumbnail_refresh(project_id=project_id)
    except OSError as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(name="projects.refresh_stale_video_thumbnails")
def refresh_stale_video_thumbnails() -> int:
    """Enqueues the thumbnail fetches that never arrived or failed for good; returns how many."""
    return video_thumbnails_refresh_stale()
