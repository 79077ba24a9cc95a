"""Real delivery: PostgreSQL, Redis, a Celery worker process and an SMTP server (aiosmtpd).

One worker serves the whole module. It reads what the tests commit, so every test
runs with transaction=True. Waits are bounded poll loops, never bare sleeps.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, transaction

from hackathon.celery import app as celery_app
from notifications.enums import EmailStatus
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import deliver
from tests.factories import UserFactory
from tests.notifications.conftest import announcement

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
TIMEOUT = 30.0


def wait_until(condition: Callable[[], bool], *, what: str, worker=None) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    log = worker.log_tail() if worker is not None else ""
    pytest.fail(f"Waited {TIMEOUT:.0f} s for {what}.\n{log}")


# --- the SMTP server ------------------------------------------------------------------------


class RecordingSMTPHandler:
    """Accepts mail into a list; can refuse the next deliveries with a temporary error."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.messages: list[EmailMessage] = []
            self.refuse_next = 0
            self.refused_at: list[float] = []
            self.accepted_at: list[float] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        with self._lock:
            if self.refuse_next:
                self.refuse_next -= 1
                self.refused_at.append(time.monotonic())
                return "451 4.3.0 Try again later"
            message = message_from_bytes(envelope.content, policy=policy.default)
            message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            self.messages.append(message)
            self.accepted_at.append(time.monotonic())
        return "250 2.0.0 Accepted"

    def subjects(self) -> list[str]:
        with self._lock:
            return [str(m["Subject"]) for m in self.messages]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def smtp_server():
    handler = RecordingSMTPHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def smtp(smtp_server) -> RecordingSMTPHandler:
    smtp_server.handler.reset()
    return smtp_server.handler


# --- the Celery worker ------------------------------------------------------------------------


def _test_database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        user += ":" + quote(db["PASSWORD"])
    userinfo = f"{user}@" if user else ""
    return f"postgres://{userinfo}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, process: subprocess.Popen, log_path: Path, nodename: str) -> None:
        self.process = process
        self.log_path = log_path
        self.nodename = nodename

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "--- worker log ---\n" + "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)


@pytest.fixture(scope="module")
def worker(django_db_setup, smtp_server, tmp_path_factory):
    # No stale messages from an earlier run may reach this worker. Only this queue's list
    # goes: a FLUSHDB would also empty cache and queues that other processes share.
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(queue)
    client.close()

    nodename = f"notifications-test-{os.getpid()}@{socket.gethostname()}"
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "EMAIL_HOST": smtp_server.hostname,
        "EMAIL_PORT": str(smtp_server.port),
        "NOTIFICATION_RETRY_BASE_SECONDS": "1",
        "SITE_URL": settings.SITE_URL,
        "SITE_NAME": settings.SITE_NAME,
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ENV", None)  # the development profile, as in the test process
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "hackathon",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                nodename,
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() ends all of it
        )
    running = Worker(process, log_path, nodename)
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"The Celery worker exited with {process.returncode}.\n{running.log_tail()}"
                )
            if celery_app.control.ping(destination=[nodename], timeout=0.5):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not answer a ping.\n{running.log_tail()}")
        yield running
    finally:
        running.stop()


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
