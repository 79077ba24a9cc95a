"""The Redis cache keeps the site up while Redis is down (hackathon.cache).

A redis-server of the test's own is stopped and started again; the shared one is never touched.
"""

from __future__ import annotations

import logging
import time

import pytest
from rest_framework.throttling import SimpleRateThrottle

from hackathon import cache as resilient
from hackathon.cache import ResilientRedisCache
from tests.processes import RedisServer, free_port


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


def _cache(url: str) -> ResilientRedisCache:
    return ResilientRedisCache(
        url, {"KEY_PREFIX": "resilience-test", "OPTIONS": {"socket_connect_timeout": 0.5}}
    )


def test_calls_go_to_redis_while_it_answers(redis_server):
    cache = _cache(redis_server.url)
    cache.set("greeting", "hallo", 60)

    assert _cache(redis_server.url).get("greeting") == "hallo"  # another process would see it
    assert not cache.is_down


def test_redis_down_falls_back_per_process_and_logs_one_warning(redis_server, caplog):
    cache = _cache(redis_server.url)
    redis_server.stop()

    with caplog.at_level(logging.WARNING, logger="hackathon.cache"):
        assert cache.get("missing", "default") == "default"
        cache.set("counter", 1, 60)
        assert cache.incr("counter") == 2
        assert cache.add("once", "x", 60) is True
        assert cache.add("once", "y", 60) is False
        assert cache.get_many(["counter", "once"]) == {"counter": 2, "once": "x"}
        cache.delete("once")
        assert cache.get("once") is None

    assert cache.is_down
    warnings = [r for r in caplog.records if "Redis cache is unavailable" in r.getMessage()]
    assert len(warnings) == 1


def test_redis_back_is_used_again_after_the_retry_pause(redis_server, monkeypatch, caplog):
    monkeypatch.setattr(resilient, "RETRY_AFTER", 0.0)
    cache = _cache(redis_server.url)
    redis_server.stop()
    cache.set("during-outage", 1, 60)

    redis_server.start()
    with caplog.at_level(logging.WARNING, logger="hackathon.cache"):
        cache.set("after-outage", 2, 60)

    assert not cache.is_down
    assert _cache(redis_server.url).get("after-outage") == 2
    assert any("Redis cache is back" in r.getMessage() for r in caplog.records)


def test_fallback_entries_expire_within_the_cap(redis_server, monkeypatch):
    cache = _cache(redis_server.url)
    redis_server.stop()

    cache.set("forever", "x", None)

    key = cache._fallback.make_and_validate_key("forever")
    expiry = cache._fallback._expire_info[key]
    assert expiry - time.time() <= resilient.FALLBACK_MAX_TIMEOUT + 1


@pytest.mark.django_db
def test_api_throttle_still_counts_while_redis_is_down(settings, api_client, monkeypatch):
    """Throttles degrade to per-process counting, not to no limit at all."""
    settings.CACHES = {
        "default": {
            "BACKEND": "hackathon.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nobody listens
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "3/min")

    statuses = [api_client.get("/api/v1/events/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_one_redis_client_serves_every_call(redis_server):
    cache = _cache(redis_server.url)
    cache.set("greeting", "hallo", 60)

    client = cache._cache.get_client("greeting")
    assert cache._cache.get_client("other", write=True) is client
    assert cache.get("greeting") == "hallo"
