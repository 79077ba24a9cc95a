"""A worker killed (SIGKILL) in the middle of 1,000 deliveries loses none of them.

Real processes: PostgreSQL, Redis, a Celery worker, an SMTP server. After the kill, the
beat sweep (run here by a second worker with `-B`, every second) sends again the rows left
in `sending` and enqueues again the pending ones whose queue message the dead worker held.
Delivery is at least once: a mail the dead worker had handed to the SMTP server but not yet
recorded goes out twice, with the same Message-ID; no more duplicates than mails in flight.
"""

from __future__ import annotations

import collections

import pytest
import redis
from django.conf import settings

from notifications.enums import EmailStatus
from notifications.models import Notification
from notifications.rendering import message_id
from notifications.services import notify_many
from tests.factories import UserFactory
from tests.notifications.conftest import announcement
from tests.processes import start_smtp, start_worker, wait_until, worker_env

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BATCH = 1000


def _status_counts() -> dict[str, int]:
    return collections.Counter(Notification.objects.values_list("email_status", flat=True))


def test_killed_worker_loses_no_mail_of_a_batch_of_1000(tmp_path):
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(queue)
    smtp = start_smtp()
    env = worker_env(
        REDIS_URL=settings.REDIS_URL,
        CELERY_QUEUE=queue,
        EMAIL_HOST=smtp.hostname,
        EMAIL_PORT=str(smtp.port),
        NOTIFICATION_SWEEP_SECONDS="1",
        NOTIFICATION_STALE_AFTER_SECONDS="2",
        NOTIFICATION_SENDING_TIMEOUT_SECONDS="2",
    )
    first = start_worker(env=env, log_path=tmp_path / "first.log", queue=queue, concurrency=2)
    second = None
    try:
        people = UserFactory.create_batch(BATCH, language="en")
        notify_many(recipients=people, kind="system.announcement", context=announcement())

        wait_until(lambda: smtp.handler.count() >= 200, what="200 mails", logs=[first])
        first.kill()
        at_kill = _status_counts()
        in_flight = at_kill.get(EmailStatus.SENDING, 0)
        assert at_kill.get(EmailStatus.SENT, 0) < BATCH, "the kill came too late to test"

        second = start_worker(
            env=env, log_path=tmp_path / "second.log", queue=queue, beat=True, concurrency=2
        )
        wait_until(
            lambda: _status_counts().get(EmailStatus.SENT, 0) == BATCH,
            what="all 1,000 rows sent",
            timeout=120,
            logs=[second],
        )
        wait_until(lambda: smtp.handler.count() >= BATCH, what="1,000 mails", logs=[second])
    finally:
        first.stop()
        if second is not None:
            second.stop()
        smtp.stop()
        client.delete(queue)
        client.close()

    ids = smtp.handler.message_ids()
    expected = {message_id(n) for n in Notification.objects.all()}
    assert set(ids) == expected  # every one of the 1,000 arrived
    duplicates = len(ids) - len(set(ids))
    print(f"in flight at the kill: {in_flight}, duplicates: {duplicates}")
    assert duplicates <= in_flight, (duplicates, in_flight)
    assert "worker died while sending" in second.log_text() or in_flight == 0
