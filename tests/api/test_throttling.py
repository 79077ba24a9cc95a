"""API throttling: per client IP for anonymous callers, per account for signed-in ones.

The counters live in the shared cache (Redis in production), so the limit holds
across every web process. Rates come from API_THROTTLE_ANON / API_THROTTLE_USER;
the tests lower them in place, where DRF's throttle classes read them.
"""

from __future__ import annotations

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(monkeypatch):
    # SimpleRateThrottle.THROTTLE_RATES is the dict from settings.REST_FRAMEWORK.
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "3/min")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "5/min")


def test_anonymous_requests_over_the_rate_get_429_json(api_client, low_rates):
    statuses = [api_client.get("/api/v1/events/").status_code for _ in range(3)]
    response = api_client.get("/api/v1/events/")

    assert statuses == [200, 200, 200]
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["type"] == "client_error"
    assert body["errors"][0]["code"] == "throttled"
    assert body["errors"][0]["attr"] is None


def test_anonymous_budget_is_per_client_ip(api_client, low_rates):
    for _ in range(3):
        api_client.get("/api/v1/events/", REMOTE_ADDR="192.0.2.1")

    assert api_client.get("/api/v1/events/", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert api_client.get("/api/v1/events/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_anonymous_client_cannot_reset_its_budget_with_a_forged_forwarded_header(
    api_client, low_rates
):
    for _ in range(3):
        api_client.get("/api/v1/events/")

    response = api_client.get("/api/v1/events/", HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert response.status_code == 429


def test_signed_in_person_has_own_budget(api_client, low_rates):
    for _ in range(3):
        api_client.get("/api/v1/events/")
    api_client.force_authenticate(UserFactory())

    statuses = [api_client.get("/api/v1/events/").status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]
