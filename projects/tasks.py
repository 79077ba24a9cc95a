"""Thin Celery tasks of projects; their schedules live in settings.CELERY_BEAT_SCHEDULE."""

from __future__ import annotations

from celery import shared_task

from projects.reminders import deadline_reminders_send


@shared_task(name="projects.send_deadline_reminders")
def send_deadline_reminders() -> int:
    """Sends the reminders due 24 and 2 hours before each team's deadline; returns how many
    teams were reminded. Idempotent: each reminder is recorded before it is sent, once."""
    return deadline_reminders_send()
