"""Stored pages are also kept gzip-compressed and sent so to whoever asks for gzip (behind
the proxy, every request); pages with the visitor's CSRF token never are."""

from __future__ import annotations

import gzip
import json

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.hackathon.pagecache_data import event_with_submitted_projects

URL = "/api/v1/projects/"
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}  # what Caddy's reverse_proxy sends upstream


pytestmark = pytest.mark.usefixtures("page_cache")


@pytest.fixture
def event(db):
    # A list long enough to be worth compressing.
    return event_with_submitted_projects(*(f"Bettenradar {number}" for number in range(8)))


def _get(**extra):
    return APIClient().get(URL, {"event": "wirvsvirus"}, **extra)


def test_an_api_list_comes_compressed_to_whoever_asks_and_plain_to_others(
    event, django_assert_num_queries
):
    plain_miss = _get()
    compressed_miss = _get(**GZIP)
    with django_assert_num_queries(0):
        compressed_hit = _get(**GZIP)
        plain_hit = _get(HTTP_ACCEPT_ENCODING="identity")

    assert [r.status_code for r in (plain_miss, compressed_miss, compressed_hit, plain_hit)] == [
        200
    ] * 4
    for response in (compressed_miss, compressed_hit):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain_miss.content
        assert int(response["Content-Length"]) == len(response.content) < len(plain_miss.content)
    assert not plain_hit.has_header("Content-Encoding")
    assert plain_hit.content == plain_miss.content
    assert len(json.loads(plain_hit.content)["results"]) == 8
    for response in (plain_miss, compressed_miss, compressed_hit, plain_hit):
        assert "Accept-Encoding" in response["Vary"]


def test_the_first_answer_without_a_stored_page_is_compressed_too(event):
    response = _get(**GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["count"] == 8


def test_a_page_with_the_visitors_csrf_token_is_never_compressed(event):
    """The token is the visitor's own (filled in on every hit), and compressing a secret
    beside reflected input is what BREACH exploits."""
    client = Client()
    first = client.get(reverse("projects:gallery"), {"event": event.slug}, **GZIP)
    second = client.get(reverse("projects:gallery"), {"event": event.slug}, **GZIP)
    assert (first.status_code, second.status_code) == (200, 200)
    assert b"csrfmiddlewaretoken" in second.content
    assert not second.has_header("Content-Encoding")
