"""/healthz tells a load balancer whether this process can serve (200) or not (503)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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


def test_healthz_503_naming_the_database_when_it_does_not_answer(tmp_path):
    """A process whose PostgreSQL is gone: a separate Python, since this one's database
    connection must keep working for the rest of the suite."""
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz')\n"
        "print(json.dumps({'status': response.status_code, 'body': response.json()}))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hackathon.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/gone",
        "REDIS_URL": "",
    }
    env.pop("DJANGO_ENV", None)

    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )

    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["down"] == ["database"]
    assert answer["body"]["checks"]["database"] == "down: OperationalError"
