"""/healthz tells a load balancer whether this process can serve (200) or not (503)."""

from __future__ import annotations

import pytest

from tests.ops.conftest import free_port

pytestmark = pytest.mark.django_db


def test_healthz_ok_without_redis_checks_only_the_database(client, settings):
    settings.REDIS_URL = None

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}, "down": []}


def test_healthz_is_never_cached(client, settings):
    settings.REDIS_URL = None

    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_ok_while_redis_answers_then_503_naming_redis_once_it_stops(
    client, settings, private_redis
):
    settings.REDIS_URL = private_redis.url

    up = client.get("/healthz")
    assert up.status_code == 200
    assert up.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok"},
        "down": [],
    }

    private_redis.stop()
    down = client.get("/healthz")

    assert down.status_code == 503
    body = down.json()
    assert body["status"] == "error"
    assert body["down"] == ["redis"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("down: ")


def test_healthz_503_when_redis_port_is_closed(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"] == ["redis"]
