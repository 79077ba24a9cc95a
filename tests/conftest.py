"""Shared fixtures and the rules for tests that need real services.

Integration tests (`@pytest.mark.integration`) need PostgreSQL and Redis named by
DATABASE_URL and REDIS_URL; end-to-end tests (`@pytest.mark.e2e`) need Chromium.
Without them those tests are skipped with a reason, except when
REQUIRE_SERVICES=1 (set by .ci/run): then a missing service fails the test.
"""

from __future__ import annotations

import os
import shutil

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


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and throttles live in the cache; each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
