"""Sign-up and password reset while the mail server is down: both succeed, and the mail
arrives once the server is back. Real processes: PostgreSQL, Redis, a Celery worker and an
SMTP server (aiosmtpd) that only starts after the requests were made."""

from __future__ import annotations

import re

import pytest
import redis
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from notifications.enums import EmailStatus
from notifications.models import Notification
from tests.processes import free_port, start_smtp, start_worker, wait_until, worker_env

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-fresh-long-passphrase-7"
_LINK = re.compile(r"https?://testserver(/\S+)")


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def worker(smtp_port, tmp_path):
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(queue)
    client.close()
    env = worker_env(
        REDIS_URL=settings.REDIS_URL,
        CELERY_QUEUE=queue,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_TIMEOUT="2",
    )
    running = start_worker(env=env, log_path=tmp_path / "worker.log", queue=queue)
    yield running
    running.stop()


def _account_mail(user) -> Notification:
    return Notification.objects.get(recipient=user, kind="account.mail")


def _link(message, containing: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return next(path for path in _LINK.findall(body) if containing in path)


def test_sign_up_while_smtp_is_down_confirms_once_the_mail_arrives(client, worker, smtp_port):
    response = client.post(
        reverse("account_signup"),
        {"email": "late.mail@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    user = User.objects.get(email="late.mail@example.org")
    wait_until(
        lambda: "ConnectionRefusedError" in _account_mail(user).email_last_error,
        what="a delivery attempt that finds the mail server down",
        logs=[worker],
    )
    assert _account_mail(user).email_status == EmailStatus.PENDING  # waiting for its retry

    smtp = start_smtp(port=smtp_port)
    try:
        wait_until(lambda: smtp.handler.count() == 1, what="the confirmation mail", logs=[worker])
    finally:
        smtp.stop()

    (message,) = smtp.handler.messages
    assert message["To"] == "late.mail@example.org"
    assert _account_mail(user).email_status == EmailStatus.SENT
    confirm_path = _link(message, "/accounts/confirm-email/")
    assert client.post(confirm_path).status_code == 302
    assert EmailAddress.objects.get(user=user).verified


def test_password_reset_while_smtp_is_down_sends_the_link_once_it_is_back(
    client, worker, smtp_port
):
    user = User.objects.create_user(email="forgetful@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)

    response = client.post(reverse("account_reset_password"), {"email": user.email})

    assert response.status_code == 302
    wait_until(
        lambda: _account_mail(user).email_attempts >= 1,
        what="a first delivery attempt",
        logs=[worker],
    )
    smtp = start_smtp(port=smtp_port)
    try:
        wait_until(lambda: smtp.handler.count() == 1, what="the reset mail", logs=[worker])
    finally:
        smtp.stop()

    (message,) = smtp.handler.messages
    key_path = _link(message, "/accounts/password/reset/key/")
    form_path = client.get(key_path)["Location"]
    new_password = "the-new-long-passphrase-9"
    client.post(form_path, {"password1": new_password, "password2": new_password})
    user.refresh_from_db()
    assert user.check_password(new_password)
