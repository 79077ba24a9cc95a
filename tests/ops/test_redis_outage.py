"""Redis stopped under the production profile: the site keeps working, and nothing is lost.

Real processes: gunicorn with DJANGO_ENV=production on the test's PostgreSQL database, a
redis-server of this test's own (stopped and started again at the same port), an SMTP
server, and, once Redis is back, a Celery worker running the beat sweeps.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from rest_framework.authtoken.models import Token

from accounts.models import User
from notifications.enums import EmailStatus
from notifications.models import Notification
from tests.ops.test_production_stack import SETTINGS_WRAPPER
from tests.ops.web_client import HOST, Browser, wait_until_answers
from tests.processes import (
    BASE_DIR,
    RedisServer,
    free_port,
    start_process,
    start_smtp,
    start_worker,
    wait_until,
    worker_env,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase-3"


@pytest.fixture
def stack(tmp_path):
    """gunicorn (production profile) + private Redis + SMTP, all on loopback."""
    redis_server = RedisServer(tmp_path).start()
    smtp = start_smtp()
    (tmp_path / "production_test_settings.py").write_text(SETTINGS_WRAPPER)
    queue = f"outage-{os.getpid()}"
    env = worker_env(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="production_test_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(BASE_DIR)]),
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        TEST_STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        REDIS_URL=redis_server.url,
        CELERY_QUEUE=queue,
        EMAIL_HOST=smtp.hostname,
        EMAIL_PORT=str(smtp.port),
        NOTIFICATION_SWEEP_SECONDS="1",
        NOTIFICATION_STALE_AFTER_SECONDS="1",
    )
    for key in ("DEBUG", "DEMO"):
        env.pop(key, None)
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert collected.returncode == 0, collected.stdout + collected.stderr
    port = free_port()
    gunicorn = start_process(
        [
            *(sys.executable, "-m", "gunicorn", "hackathon.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2"),
            *("--forwarded-allow-ips", "*"),
        ],
        env=env,
        log_path=tmp_path / "gunicorn.log",
        name="gunicorn",
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_answers(url + "/healthz", gunicorn)
    yield {
        "url": url,
        "redis": redis_server,
        "smtp": smtp,
        "env": env,
        "gunicorn": gunicorn,
        "queue": queue,
        "tmp": tmp_path,
    }
    gunicorn.stop()
    smtp.stop()
    redis_server.stop()


def _person(email: str) -> User:
    # The production profile hashes with Argon2 only; the tests' fast MD5 would not verify.
    user = User.objects.create(email=email, password=make_password(PASSWORD, hasher="argon2"))
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def test_with_redis_down_signed_in_pages_login_and_api_keep_working(stack):
    person = _person("steady@example.org")
    token = Token.objects.create(user=person).key
    signed_in = Browser(stack["url"])
    assert signed_in.log_in(person.email, PASSWORD)[0] == 302
    assert signed_in.get("/notifications/")[0] == 200

    stack["redis"].stop()

    # Signed in before the outage: still signed in.
    status, _, page, _ = signed_in.get("/notifications/")
    assert status == 200
    assert b"/accounts/logout/" in page
    # A log-in during the outage (allauth's rate limits count in the fallback cache).
    newcomer = Browser(stack["url"])
    assert newcomer.log_in(person.email, PASSWORD)[0] == 302
    assert newcomer.get("/accounts/profile/")[0] == 200
    # The API, throttled per process meanwhile, with a token and anonymously.
    auth = {"Authorization": f"Token {token}"}
    assert signed_in.get("/api/v1/notifications/", headers=auth)[0] == 200
    assert Browser(stack["url"]).get("/api/v1/events/")[0] == 200
    # A sign-up enqueues its confirmation mail: the broker is down, the request succeeds.
    status, _, _, elapsed = Browser(stack["url"]).post_form(
        "/accounts/signup/",
        {"email": "outage.signup@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert status == 302
    assert elapsed < 5, f"the sign-up waited {elapsed:.1f} s for the broker"
    newcomer_account = User.objects.get(email="outage.signup@example.org")
    mail = Notification.objects.get(recipient=newcomer_account, kind="account.mail")
    assert mail.email_status == EmailStatus.PENDING
    # Health says what is down, for the operators.
    status, _, body, _ = Browser(stack["url"]).get("/healthz")
    assert status == 503 and b"redis" in body
    assert "Redis cache is unavailable" in stack["gunicorn"].log_text()

    # Redis comes back (empty: the enqueue never reached it). The beat sweep finds the row.
    stack["redis"].start()
    worker = start_worker(
        env=stack["env"],
        log_path=stack["tmp"] / "worker.log",
        queue=stack["queue"],
        beat=True,
    )
    try:
        wait_until(
            lambda: stack["smtp"].handler.count() == 1,
            what="the confirmation mail after Redis is back",
            logs=[worker],
        )
    finally:
        worker.stop()
    (message,) = stack["smtp"].handler.messages
    assert message["To"] == "outage.signup@example.org"
    mail.refresh_from_db()
    assert mail.email_status == EmailStatus.SENT
    # And the site uses the shared cache again.
    assert signed_in.get("/notifications/")[0] == 200
