"""Shared fixtures and the rules for tests that need real services.

Integration tests (`@pytest.mark.integration`) need PostgreSQL and Redis named by
DATABASE_URL and REDIS_URL; end-to-end tests (`@pytest.mark.e2e`) need Chromium.
Without them those tests are skipped with a reason, except when
REQUIRE_SERVICES=1 (set by .ci/run): then a missing service fails the test.
"""

from __future__ import annotations

import os
import shutil
import socket
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import cache

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _missing_integration_services() -> list[str]:
    missing = []
    if not settings.USING_POSTGRES:
        missing.append("DATABASE_URL pointing at PostgreSQL")
    if not settings.REDIS_URL:
        missing.append("REDIS_URL")
    return missing


def _skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("integration"):
        missing = _missing_integration_services()
        if missing:
            _skip_or_fail("integration test needs " + " and ".join(missing))
    if item.get_closest_marker("e2e") and not os.path.exists(CHROMIUM):
        _skip_or_fail(f"end-to-end test needs Chromium at {CHROMIUM}")


def _clear_cache_keys() -> None:
    """Empties the cache. On Redis only the cache's own keys go: cache.clear() is a
    FLUSHDB, which would also take the Celery broker's queues from under a worker."""
    if not settings.REDIS_URL:
        cache.clear()
        return
    import redis

    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*" if prefix else "*:*:*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and throttles live in the cache; each test starts with none used."""
    _clear_cache_keys()
    yield
    _clear_cache_keys()


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager_celery():
    """Tasks run in the test process (in the thread that enqueues them), whether or not
    REDIS_URL names a broker. Every test but the integration tests has it; those keep the
    configured behaviour (they start a real worker) unless they ask for it, as the races
    do (tests/races.py): their e-mails are then sent in the thread that commits."""
    from hackathon.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@contextmanager
def through_the_broker():
    """The other way round, for part of an eager test: tasks enqueued meanwhile (by a live
    server's thread too: Celery's configuration is the process's) go to the real queue,
    for a real worker to take, instead of running in the enqueuing thread."""
    from hackathon.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _eager_celery_unless_integration(request):
    if not request.node.get_closest_marker("integration"):
        request.getfixturevalue("eager_celery")


def english_fixture(settings):
    """For test packages that read English messages (the site's default is German):
    `_english = pytest.fixture(autouse=True)(english_fixture)` in their conftest."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def english_client(client):
    """The test client with the English language cookie: `client = pytest.fixture(english_client)`."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def on_commit_per_request(monkeypatch):
    """Runs each test-client request's on-commit callbacks when the request ends.

    A test wrapped in one transaction never commits, so work enqueued on commit (every
    e-mail: it goes through the notification outbox) would never run; with this it runs
    at the end of the request, as the real commit would. Nested captures still work.
    """
    from django.test import Client, TestCase

    original = Client.request

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture
def closed_port() -> int:
    """A local TCP port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_smtp(settings, closed_port):
    """Real SMTP delivery to a server that is not there."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port
    settings.EMAIL_TIMEOUT = 2
    return closed_port
