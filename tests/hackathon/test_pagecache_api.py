"""The API's cached lists are answered before DRF's request handling for anonymous JSON
callers (hackathon.pagecache.CachedAnonymousListMixin), with the same answer and the same
headers as through DRF; a spent throttle budget refuses hits too, but hits do not spend
it. Everyone else goes through DRF."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from hackathon import pagecache
from projects.models import Project
from tests.factories import UserFactory
from tests.hackathon.pagecache_data import event_with_submitted_projects

URL = "/api/v1/projects/"


pytestmark = pytest.mark.usefixtures("page_cache")


@pytest.fixture
def event(db):
    return event_with_submitted_projects("Bettenradar")


@pytest.fixture
def drf_requests(monkeypatch):
    """How many requests went through DRF's request handling (APIView.initial), which
    still runs as it would."""
    calls = []
    initial = APIView.initial

    def counting(self, request, *args, **kwargs):
        calls.append(request.path)
        return initial(self, request, *args, **kwargs)

    monkeypatch.setattr(APIView, "initial", counting)
    return calls


@pytest.fixture
def low_rates(monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "3/min")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "5/min")


def _get(client=None, **extra):
    return (client or APIClient()).get(URL, {"event": "wirvsvirus"}, **extra)


def test_a_hit_skips_drf_with_the_same_body_and_headers(
    event, drf_requests, django_assert_num_queries
):
    first = _get()
    assert drf_requests == [URL]

    with django_assert_num_queries(0):
        second = _get()

    assert drf_requests == [URL]  # the second did not reach DRF
    assert second.status_code == 200
    assert second.content == first.content
    assert second.json()["results"][0]["title"] == "Bettenradar"
    assert dict(second.items()) == dict(first.items())
    assert second["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert second["Content-Type"] == "application/json"
    assert "Accept" in second["Vary"]


@pytest.mark.parametrize("accept", ["*/*", "application/json", " application/json "])
def test_plain_json_accept_headers_are_answered_from_the_cache(event, drf_requests, accept):
    first = _get()

    second = _get(HTTP_ACCEPT=accept)

    assert drf_requests == [URL]
    assert second.content == first.content


def test_a_change_shows_on_the_next_hit(event, drf_requests, django_capture_on_commit_callbacks):
    _get()
    with django_capture_on_commit_callbacks(execute=True):
        Project.objects.update(title="Neuer Titel")

    response = _get()

    assert response.json()["results"][0]["title"] == "Neuer Titel"
    assert drf_requests == [URL, URL]  # outdated: rendered through DRF again


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("text/html", "text/html; charset=utf-8"),  # the browsable API
        ("application/json; indent=4", "application/json"),
        ("application/json, text/plain", "application/json"),
    ],
)
def test_other_accept_headers_go_through_drf(event, drf_requests, accept, content_type):
    _get()

    response = _get(HTTP_ACCEPT=accept)

    assert drf_requests == [URL, URL]
    assert response.status_code == 200
    assert response["Content-Type"] == content_type


def test_a_format_parameter_goes_through_drf(event, drf_requests):
    _get()

    response = APIClient().get(URL, {"event": "wirvsvirus", "format": "json"})

    assert response.status_code == 200
    assert drf_requests == [URL, URL]


def test_a_wrong_token_is_still_refused_when_a_copy_is_cached(event, drf_requests):
    _get()

    response = _get(HTTP_AUTHORIZATION="Token not-a-token")

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authentication_failed"


def test_a_token_or_a_signed_in_session_goes_through_drf(event, drf_requests):
    _get()
    token_client = APIClient()
    token_client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory()).key}"
    )
    session_client = APIClient()
    session_client.force_login(UserFactory())

    assert _get(token_client).status_code == 200
    assert _get(session_client).status_code == 200
    assert drf_requests == [URL, URL, URL]


def test_other_languages_are_kept_apart(event, drf_requests):
    _get(HTTP_ACCEPT_LANGUAGE="de")
    _get(HTTP_ACCEPT_LANGUAGE="en")
    _get(HTTP_ACCEPT_LANGUAGE="en")

    assert drf_requests == [URL, URL]


def test_hits_do_not_spend_the_throttle_budget(event, drf_requests, low_rates):
    statuses = [_get(REMOTE_ADDR="192.0.2.1").status_code for _ in range(6)]

    assert statuses == [200] * 6  # over the rate of 3, but five were hits
    assert drf_requests == [URL]
    assert len(cache.get("throttle_anon_192.0.2.1")) == 1  # the miss, counted by DRF
    assert len(cache.get("throttle_user_192.0.2.1")) == 1


def test_a_caller_whose_budget_is_spent_is_refused_hits_too(event, drf_requests, low_rates):
    for _ in range(3):  # three misses: each renders afresh and counts
        pagecache.bump("projects")
        assert _get(REMOTE_ADDR="192.0.2.1").status_code == 200
    assert drf_requests == [URL] * 3

    refused = _get(REMOTE_ADDR="192.0.2.1")  # a copy is cached, but the budget is spent

    assert refused.status_code == 429
    assert refused.json()["errors"][0]["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert drf_requests == [URL] * 4  # DRF answered it
    # Another client's budget is its own: it gets the cached copy.
    assert _get(REMOTE_ADDR="192.0.2.2").status_code == 200
    assert drf_requests == [URL] * 4
    assert cache.get("throttle_anon_192.0.2.2") is None


def test_without_the_page_cache_every_request_goes_through_drf(event, drf_requests, settings):
    settings.PAGE_CACHE = False

    _get()
    _get()

    assert drf_requests == [URL, URL]


def test_detail_and_writes_go_through_drf(event, drf_requests):
    project = Project.objects.get()
    _get()

    assert APIClient().get(f"{URL}{project.pk}/").status_code == 200
    assert APIClient().post(URL, {}, format="json").status_code in (401, 403)
    assert len(drf_requests) == 3


class _Closed(BaseThrottle):
    """A throttle of another kind than DRF's rate throttles: refuses everything."""

    def allow_request(self, request, view) -> bool:
        return False

    def wait(self):
        return 30


def test_other_kinds_of_throttle_run_as_drf_runs_them(event, drf_requests, monkeypatch):
    from projects.api import ProjectViewSet

    _get()  # cached
    monkeypatch.setattr(ProjectViewSet, "throttle_classes", [_Closed])

    refused = _get()

    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"
    assert drf_requests == [URL, URL]
