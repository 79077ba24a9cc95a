"""Every answer under /api/ is JSON in drf-standardized-errors' shape, also where no API
view is involved (an unknown path, a crash outside DRF, the middlewares) and from the API
views that render YAML or HTML; the rest of the site keeps its HTML pages."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import RequestFactory
from rest_framework.test import APIClient

from hackathon import errors
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _assert_error(response, status: int, code: str, error_type: str = "client_error") -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["type"] == error_type
    assert [set(error) for error in body["errors"]] == [{"code", "detail", "attr"}]
    assert body["errors"][0]["code"] == code
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nope/",
        "/api/v1/projects/null,null/versions/",
        "/api/v1/teams/abc/",
        "/api/",
        "/api",
        "/api/v2/events/",
    ],
)
def test_an_unknown_api_path_is_404_json(api_client, path):
    body = _assert_error(api_client.get(path), 404, "not_found")

    assert body["errors"][0]["attr"] is None


def test_an_unknown_api_path_is_404_json_for_every_method(api_client):
    api_client.force_authenticate(UserFactory())

    for method in ("post", "put", "patch", "delete"):
        _assert_error(getattr(api_client, method)("/api/v1/nope/"), 404, "not_found")


def test_the_404_detail_is_in_the_requesters_language(api_client):
    api_client.cookies["language"] = "de"

    body = _assert_error(api_client.get("/api/v1/nope/"), 404, "not_found")

    assert body["errors"][0]["detail"] == "Nicht gefunden."


def test_an_unknown_page_elsewhere_stays_html(client):
    response = client.get("/nope/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_the_schema_and_docs_answer_405_json(api_client, path):
    _assert_error(api_client.post(path, {}), 405, "method_not_allowed")


def test_the_schema_itself_is_still_yaml(api_client):
    response = api_client.get("/api/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")


def test_405_on_a_viewset_is_json(api_client):
    api_client.force_authenticate(UserFactory())

    _assert_error(api_client.delete("/api/v1/events/"), 405, "method_not_allowed")


@pytest.mark.urls("tests.api.urls")
def test_a_crash_outside_drf_is_500_json_without_details():
    client = APIClient(raise_request_exception=False)

    response = client.get("/api/test/crash/")

    body = _assert_error(response, 500, "error", "server_error")
    assert "bug" not in body["errors"][0]["detail"]


@pytest.mark.urls("tests.api.urls")
def test_a_crash_elsewhere_is_the_html_page():
    client = APIClient(raise_request_exception=False)

    response = client.get("/test/crash/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_the_400_and_403_handlers_answer_json_under_the_api():
    request = RequestFactory().get("/api/v1/events/")

    _assert_error(errors.bad_request(request, SuspiciousOperation()), 400, "bad_request")
    _assert_error(errors.permission_denied(request, PermissionDenied()), 403, "permission_denied")


def test_the_400_and_403_handlers_keep_html_elsewhere():
    request = RequestFactory().get("/events/")

    assert errors.bad_request(request, SuspiciousOperation())["Content-Type"].startswith(
        "text/html"
    )
    assert errors.permission_denied(request, PermissionDenied())["Content-Type"].startswith(
        "text/html"
    )


def test_a_disallowed_host_is_400_json_under_the_api(api_client):
    response = api_client.get("/api/v1/events/", HTTP_HOST="evil.example.com")

    _assert_error(response, 400, "bad_request")


# --- the middlewares (hackathon.middleware) ---------------------------------------------------


def test_a_body_over_the_size_limit_is_413_json(api_client, settings):
    settings.MAX_REQUEST_BYTES = 1000

    response = api_client.generic(
        "POST",
        "/api/v1/teams/",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH="5000",
    )

    _assert_error(response, 413, "request_too_large")


def test_a_nul_character_in_a_query_parameter_is_400_json_naming_it(api_client):
    response = api_client.get("/api/v1/events/?q=a%00b")

    body = _assert_error(response, 400, "null_characters_not_allowed", "validation_error")
    assert body["errors"][0]["attr"] == "q"


def test_a_nul_character_in_the_path_is_400_json(api_client):
    response = api_client.get("/api/v1/events/a%00b/")

    _assert_error(response, 400, "null_characters_not_allowed", "validation_error")


def test_the_middlewares_answer_plain_text_elsewhere(client):
    response = client.get("/events/?q=a%00b")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_an_unknown_api_path_is_404_json_with_debug_on(api_client, settings):
    """With DEBUG on Django shows its technical 404 page instead of calling handler404;
    the API still answers JSON (make run has DEBUG on)."""
    settings.DEBUG = True

    response = api_client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "not_found"
