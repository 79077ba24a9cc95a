"""A request body larger than anything the site takes is refused before it is read."""

from __future__ import annotations

import pytest

from challenges.csv_io import MAX_IMPORT_BYTES
from projects.images import MAX_UPLOAD_BYTES

pytestmark = pytest.mark.django_db


def _post_claiming(client, path: str, length: int):
    # The client sends a small body; the header is what the middleware judges.
    return client.generic(
        "POST", path, b"x" * 10, content_type="application/octet-stream", CONTENT_LENGTH=str(length)
    )


def test_a_body_over_the_limit_gets_413_with_a_message(client, settings):
    settings.MAX_REQUEST_BYTES = 2 * 1024 * 1024
    client.cookies["language"] = "en"

    response = _post_claiming(client, "/projects/", 2 * 1024 * 1024 + 1)

    assert response.status_code == 413
    assert "at most 2 MB per request" in response.content.decode()


def test_the_api_answers_413_as_json(client, settings):
    settings.MAX_REQUEST_BYTES = 1000

    response = _post_claiming(client, "/api/v1/projects/", 5000)

    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "request_too_large"


def test_a_body_within_the_limit_goes_on(client, settings):
    settings.MAX_REQUEST_BYTES = 1000

    response = _post_claiming(client, "/healthz", 1000)

    assert response.status_code == 405  # reached the view, which only takes GET


def test_the_limit_holds_the_largest_upload_the_site_takes(settings):
    assert max(MAX_IMPORT_BYTES, MAX_UPLOAD_BYTES) < settings.MAX_REQUEST_BYTES
