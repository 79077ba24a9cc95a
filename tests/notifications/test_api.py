from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from notifications.models import Notification
from tests.factories import NotificationFactory
from tests.notifications.conftest import announcement

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notifications/"
READ_ALL = "/api/v1/notifications/read-all/"


def detail(notification) -> str:
    return f"{LIST}{notification.pk}/"


def read(notification) -> str:
    return f"{LIST}{notification.pk}/read/"


@pytest.fixture
def person_api(api_client, person):
    api_client.force_authenticate(person)
    return api_client


def test_api_list_shows_own_notifications_only(person_api, person, stranger, settings):
    settings.SITE_URL = "https://hack.example.org"
    mine = NotificationFactory(
        recipient=person, context=announcement(title="Kick-off", url="/events/spring/")
    )
    NotificationFactory(recipient=stranger)

    response = person_api.get(LIST, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    (item,) = response.json()["results"]
    assert item["id"] == mine.pk
    assert item["kind"] == "system.announcement"
    assert item["kind_label"] == "Announcements from the organisers"
    assert item["text"].startswith("Announcement: Kick-off")
    assert item["link"] == "https://hack.example.org/events/spring/"
    assert item["context"]["title"] == "Kick-off"
    assert item["is_read"] is False
    assert item["read_at"] is None


def test_api_list_query_count_does_not_grow(person_api, person):
    def queries_with(count: int) -> int:
        Notification.objects.all().delete()
        NotificationFactory.create_batch(count, recipient=person, context=announcement())
        with CaptureQueriesContext(connection) as queries:
            assert person_api.get(LIST).status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(50)


def test_api_retrieve_own(person_api, person):
    notification = NotificationFactory(recipient=person)

    response = person_api.get(detail(notification))

    assert response.status_code == 200
    assert response.json()["id"] == notification.pk


@pytest.mark.parametrize("method", ["get_detail", "post_read"])
def test_api_someone_elses_notification_is_404(person_api, stranger, method):
    notification = NotificationFactory(recipient=stranger)

    if method == "get_detail":
        response = person_api.get(detail(notification))
    else:
        response = person_api.post(read(notification))

    assert response.status_code == 404
    assert response.json()["type"] == "client_error"
    assert Notification.objects.get().read_at is None


def test_api_non_numeric_id_is_404(person_api):
    assert person_api.get(f"{LIST}abc/").status_code == 404


def test_api_mark_read(person_api, person):
    notification = NotificationFactory(recipient=person)

    response = person_api.post(read(notification))

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert Notification.objects.get().read_at is not None


def test_api_mark_all_read_touches_own_only(person_api, person, stranger):
    NotificationFactory.create_batch(2, recipient=person)
    NotificationFactory(recipient=person, read_at=timezone.now())
    NotificationFactory(recipient=stranger)

    response = person_api.post(READ_ALL)

    assert response.status_code == 200
    assert response.json() == {"marked_read": 2}
    assert Notification.objects.get(recipient=stranger).read_at is None


def test_api_works_with_a_token(api_client, person):
    NotificationFactory(recipient=person)
    token = Token.objects.create(user=person)

    response = api_client.get(LIST, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", LIST), ("post", READ_ALL), ("get", f"{LIST}1/"), ("post", f"{LIST}1/read/")],
)
def test_api_anonymous_is_refused(api_client, method, url):
    response = getattr(api_client, method)(url)

    assert response.status_code == 401


def test_api_is_read_only_apart_from_marking(person_api, person):
    notification = NotificationFactory(recipient=person)

    assert person_api.delete(detail(notification)).status_code == 405
    assert person_api.patch(detail(notification), {"kind": "x"}).status_code == 405
    assert person_api.post(LIST, {"kind": "x"}).status_code == 405


def test_api_schema_has_the_endpoints_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=None).get_schema(request=None, public=True)

    problems = [
        message
        for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if "otification" in message
    ]
    assert problems == []
    paths = schema["paths"]
    assert {
        "/api/v1/notifications/",
        "/api/v1/notifications/{id}/",
        "/api/v1/notifications/{id}/read/",
        "/api/v1/notifications/read-all/",
    } <= set(paths)
    for path in ("/api/v1/notifications/{id}/", "/api/v1/notifications/{id}/read/"):
        for operation in paths[path].values():
            assert "404" in operation["responses"]
