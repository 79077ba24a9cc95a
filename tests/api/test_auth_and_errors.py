"""Token authentication and the one error shape every API response uses.

Errors come from drf-standardized-errors:
{"type": "client_error", "errors": [{"code": ..., "detail": ..., "attr": <field or null>}]}
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def _assert_client_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["type"] == "client_error"
    assert len(body["errors"]) >= 1
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}
    assert body["errors"][0]["code"] == code
    return body


def _create_token(email: str) -> str:
    """What an operator runs: `manage.py drf_create_token <email>`."""
    out = StringIO()
    call_command("drf_create_token", email, stdout=out)
    output = out.getvalue().strip()
    assert output.startswith("Generated token ") and output.endswith(f" for user {email}")
    return output.split()[2]


def test_drf_create_token_makes_a_token_for_the_email(api_client):
    person = UserFactory(email="organiser@example.org")

    key = _create_token("organiser@example.org")

    assert Token.objects.get(key=key).user == person


def test_token_authenticates_api_requests(api_client):
    person = UserFactory(email="reader@example.org")
    key = _create_token(person.email)

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get("/api/v1/notifications/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_private_endpoint_refuses_anonymous_with_standard_error(api_client):
    response = api_client.get("/api/v1/notifications/")

    _assert_client_error(response, 401, "not_authenticated")


def test_wrong_token_is_refused_with_standard_error(api_client):
    UserFactory()
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get("/api/v1/events/")

    body = _assert_client_error(response, 401, "authentication_failed")
    assert body["errors"][0]["attr"] is None


def test_unknown_object_is_404_with_standard_error(api_client):
    EventFactory(slug="exists")

    response = api_client.get("/api/v1/events/does-not-exist/")

    body = _assert_client_error(response, 404, "not_found")
    assert body["errors"][0]["attr"] is None


def test_unpublished_event_is_404_for_someone_who_may_not_see_it(api_client):
    EventFactory(slug="draft", is_public=False)
    api_client.force_authenticate(UserFactory())

    response = api_client.get("/api/v1/events/draft/")

    _assert_client_error(response, 404, "not_found")


def test_unknown_page_is_404_with_standard_error(api_client):
    response = api_client.get("/api/v1/events/", {"page": 999})

    _assert_client_error(response, 404, "not_found")


def test_method_not_allowed_is_405_with_standard_error(api_client):
    api_client.force_authenticate(UserFactory())

    response = api_client.post("/api/v1/events/", {"name": "x"}, format="json")

    _assert_client_error(response, 405, "method_not_allowed")


@pytest.mark.urls("tests.api.urls")
def test_validation_errors_name_the_field(api_client):
    response = api_client.post("/api/test/probe/", {"email": "not-an-address"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert {(e["attr"], e["code"]) for e in body["errors"]} == {
        ("email", "invalid"),
        ("count", "required"),
    }
