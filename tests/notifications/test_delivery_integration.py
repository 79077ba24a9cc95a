"""Real delivery: PostgreSQL, Redis, a Celery worker process and an SMTP server (aiosmtpd).

One worker serves the whole module. It reads what the tests commit, so every test
runs with transaction=True. Waits are bounded poll loops, never bare sleeps.
"""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.db import transaction

from notifications.enums import EmailStatus
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import deliver
from tests import processes
from tests.factories import UserFactory
from tests.notifications.conftest import announcement
from tests.processes import RecordingSMTPHandler, start_smtp, start_worker, worker_env

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def smtp_server():
    controller = start_smtp()
    yield controller
    controller.stop()


@pytest.fixture
def smtp(smtp_server) -> RecordingSMTPHandler:
    smtp_server.handler.reset()
    return smtp_server.handler


@pytest.fixture(scope="module")
def worker(django_db_setup, smtp_server, tmp_path_factory):
    # No stale messages from an earlier run may reach this worker. Only this queue's list
    # goes: a FLUSHDB would also empty cache and queues that other processes share.
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(queue)
    client.close()
    env = worker_env(
        REDIS_URL=settings.REDIS_URL,
        CELERY_QUEUE=queue,
        EMAIL_HOST=smtp_server.hostname,
        EMAIL_PORT=str(smtp_server.port),
        SITE_URL=settings.SITE_URL,
        SITE_NAME=settings.SITE_NAME,
    )
    running = start_worker(
        env=env, log_path=tmp_path_factory.mktemp("worker") / "worker.log", queue=queue
    )
    yield running
    running.stop()


def wait_until(condition, *, what: str, worker=None) -> None:
    processes.wait_until(condition, what=what, logs=[worker] if worker else [])


def _status(notification: Notification) -> str:
    return Notification.objects.values_list("email_status", flat=True).get(pk=notification.pk)


def _subject(title: str) -> str:
    return f"[{settings.SITE_NAME}] Announcement: {title}"


# --- the tests ----------------------------------------------------------------------------------


def test_committed_notification_is_delivered_by_the_worker(worker, smtp):
    person = UserFactory(language="en")

    notification = notify(
        recipient=person, kind="system.announcement", context=announcement(title="Kick-off")
    )

    wait_until(lambda: len(smtp.messages) == 1, what="the e-mail", worker=worker)
    wait_until(lambda: _status(notification) == EmailStatus.SENT, what="status sent", worker=worker)
    (message,) = smtp.messages
    assert message["X-Envelope-To"] == person.email
    assert message["To"] == person.email
    assert message["Subject"] == _subject("Kick-off")
    assert message["Content-Language"] == "en"
    notification.refresh_from_db()
    assert notification.email_attempts == 1
    assert notification.email_sent_at is not None


def test_rolled_back_notification_is_never_sent(worker, smtp):
    person = UserFactory(language="en")

    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=person, kind="system.announcement", context=announcement(title="Never"))
        raise RuntimeError("the change that caused it failed")
    # The worker handles its queue in order: once this one arrives, nothing earlier is pending.
    later = notify(
        recipient=person, kind="system.announcement", context=announcement(title="Afterwards")
    )

    wait_until(lambda: _status(later) == EmailStatus.SENT, what="the later e-mail", worker=worker)
    assert smtp.subjects() == [_subject("Afterwards")]
    assert Notification.objects.count() == 1


def test_temporary_smtp_failure_is_retried_after_backoff_and_sent_once(worker, smtp):
    person = UserFactory(language="en")
    smtp.refuse_next = 1

    notification = notify(
        recipient=person, kind="system.announcement", context=announcement(title="Retry me")
    )

    wait_until(lambda: _status(notification) == EmailStatus.SENT, what="the retry", worker=worker)
    assert len(smtp.refused_at) == 1
    assert smtp.subjects() == [_subject("Retry me")]
    # NOTIFICATION_RETRY_BASE_SECONDS=1 in the worker: the retry waited about a second.
    assert smtp.accepted_at[0] - smtp.refused_at[0] >= 0.9
    notification.refresh_from_db()
    assert notification.email_attempts == 2
    assert notification.email_last_error == ""

    # The same delivery enqueued again finds the row claimed and sent: nothing more goes out.
    deliver.delay(notification_id=notification.pk)
    marker = notify(
        recipient=person, kind="system.announcement", context=announcement(title="Marker")
    )

    wait_until(lambda: _status(marker) == EmailStatus.SENT, what="the marker e-mail", worker=worker)
    assert smtp.subjects() == [_subject("Retry me"), _subject("Marker")]
