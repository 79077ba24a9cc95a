from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.kinds import NotificationKind, all_kinds, register, unregister
from notifications.models import Notification, NotificationPreference
from tests.factories import NotificationFactory
from tests.notifications.conftest import announcement

pytestmark = pytest.mark.django_db

LIST_URL = reverse("notifications:list")
READ_ALL_URL = reverse("notifications:read_all")
PREFERENCES_URL = reverse("notifications:preferences")
HTMX = {"HX-Request": "true"}


def read_url(notification) -> str:
    return reverse("notifications:read", args=[notification.pk])


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", LIST_URL),
        ("post", READ_ALL_URL),
        ("get", PREFERENCES_URL),
        ("post", "/notifications/1/read/"),
        ("post", "/notifications/1/open/"),
    ],
)
def test_pages_send_anonymous_visitors_to_login(client, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_list_shows_own_notifications_only(person_client, person, stranger):
    NotificationFactory(recipient=person, context=announcement(title="Mine to read"))
    NotificationFactory(recipient=stranger, context=announcement(title="Not for you"))

    response = person_client.get(LIST_URL)

    assert response.status_code == 200
    assert "Mine to read" in response.text
    assert "Not for you" not in response.text


def test_list_renders_each_kind_as_a_sentence(person_client, person):
    NotificationFactory(recipient=person, kind="account.security", context={"action": "x"})
    NotificationFactory(recipient=person, kind="tests.unregistered_kind")
    person_client.cookies["language"] = "en"

    response = person_client.get(LIST_URL)

    assert "security-relevant change" in response.text
    assert "A notification" in response.text


def test_list_shows_unread_count_in_the_header(person_client, person):
    NotificationFactory.create_batch(2, recipient=person)

    response = person_client.get(LIST_URL)

    assert 'id="unread-notification-badge"><span class="badge"' in response.text
    assert ">2</span>" in response.text


def test_list_is_paginated(person_client, person):
    NotificationFactory.create_batch(25, recipient=person)

    first = person_client.get(LIST_URL)
    second = person_client.get(LIST_URL, {"page": 2})

    assert len(first.context["page_obj"]) == 20
    assert len(second.context["page_obj"]) == 5
    assert 'rel="next"' in first.text


def test_list_query_count_does_not_grow_with_notifications(person_client, person):
    def queries_with(count: int) -> int:
        Notification.objects.all().delete()
        NotificationFactory.create_batch(count, recipient=person, context=announcement(url="/x/"))
        with CaptureQueriesContext(connection) as queries:
            assert person_client.get(LIST_URL).status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(50)


def test_list_htmx_page_request_returns_the_partial(person_client, person):
    NotificationFactory.create_batch(25, recipient=person)

    response = person_client.get(
        LIST_URL, {"page": 2}, headers={**HTMX, "HX-Target": "notification-centre"}
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="notification-centre"')


def test_mark_read_marks_and_returns_to_the_list(person_client, person):
    notification = NotificationFactory(recipient=person)

    response = person_client.post(read_url(notification), {"next": f"{LIST_URL}?page=1"})

    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}?page=1"
    assert Notification.objects.get().read_at is not None


def test_mark_read_ignores_a_next_url_on_another_site(person_client, person):
    notification = NotificationFactory(recipient=person)

    response = person_client.post(read_url(notification), {"next": "https://evil.example/"})

    assert response["Location"] == LIST_URL


def test_mark_read_of_someone_elses_notification_is_404(person_client, stranger):
    notification = NotificationFactory(recipient=stranger)

    response = person_client.post(read_url(notification))

    assert response.status_code == 404
    assert Notification.objects.get().read_at is None


def test_mark_read_needs_post(person_client, person):
    notification = NotificationFactory(recipient=person)

    assert person_client.get(read_url(notification)).status_code == 405
    assert Notification.objects.get().read_at is None


def test_mark_read_with_htmx_returns_the_item_and_the_new_badge(person_client, person):
    notification, _other = NotificationFactory.create_batch(2, recipient=person)

    response = person_client.post(read_url(notification), headers=HTMX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith(
        f'<li class="notification" id="notification-{notification.pk}"'
    )
    assert 'id="unread-notification-badge" hx-swap-oob="true"' in response.text
    assert ">1</span>" in response.text
    assert "Mark as read" not in response.text


def test_mark_all_read_marks_own_only(person_client, person, stranger):
    NotificationFactory.create_batch(3, recipient=person)
    NotificationFactory(recipient=stranger)

    response = person_client.post(READ_ALL_URL, {"next": LIST_URL})

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=stranger).read_at is None


def test_mark_all_read_with_htmx_returns_the_list(person_client, person):
    NotificationFactory.create_batch(3, recipient=person)

    response = person_client.post(READ_ALL_URL, {"page": "1"}, headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="notification-centre"')
    assert "Mark as read" not in response.text
    assert 'id="unread-notification-badge" hx-swap-oob="true"></span>' in response.text


def test_open_marks_read_and_follows_the_link(person_client, person):
    notification = NotificationFactory(recipient=person, context=announcement(url="/events/"))

    response = person_client.post(reverse("notifications:open", args=[notification.pk]))

    assert response["Location"] == "/events/"
    assert Notification.objects.get().read_at is not None


def test_open_by_get_changes_nothing(person_client, person):
    notification = NotificationFactory(recipient=person, context=announcement(url="/events/"))

    response = person_client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 405
    assert Notification.objects.get().read_at is None


def test_open_never_leaves_the_site(person_client, person):
    notification = NotificationFactory(
        recipient=person, context=announcement(url="https://evil.example/")
    )

    response = person_client.post(reverse("notifications:open", args=[notification.pk]))

    assert response["Location"] == LIST_URL


def test_open_someone_elses_is_404(person_client, stranger):
    notification = NotificationFactory(recipient=stranger, context=announcement(url="/events/"))

    response = person_client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 404
    assert Notification.objects.get().read_at is None


def test_preferences_page_lists_kinds_with_security_fixed_on(person_client):
    response = person_client.get(PREFERENCES_URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert form["email-account-security"].field.disabled
    assert form["email-account-security"].initial is True
    assert not form["email-system-announcement"].field.disabled
    assert 'name="email-account-security"' in response.text


def test_preferences_page_saves(person_client, person):
    # An unticked box is simply absent from the post.
    response = person_client.post(PREFERENCES_URL, {})

    assert response.status_code == 302
    assert response["Location"] == PREFERENCES_URL
    saved = dict(
        NotificationPreference.objects.filter(user=person).values_list("kind", "email_enabled")
    )
    # Every kind that may be switched off is now off; security kinds are never stored.
    assert saved == {kind.key: False for kind in all_kinds() if kind.email_optional}
    assert saved["system.announcement"] is False

    person_client.post(PREFERENCES_URL, {"email-system-announcement": "on"})
    assert (
        NotificationPreference.objects.get(user=person, kind="system.announcement").email_enabled
        is True
    )


def test_preferences_page_cannot_switch_off_security(person_client, person):
    # A posted value for a disabled field is ignored: the notice stays on.
    person_client.post(PREFERENCES_URL, {"email-account-security": ""})

    assert not NotificationPreference.objects.filter(kind="account.security").exists()


def test_preferences_are_per_person(person_client, person, stranger):
    NotificationPreference.objects.create(
        user=stranger, kind="system.announcement", email_enabled=False
    )

    response = person_client.get(PREFERENCES_URL)

    assert response.context["form"]["email-system-announcement"].initial is True


def test_profile_links_to_the_preferences(person_client):
    response = person_client.get(reverse("accounts:profile"))

    assert f'href="{PREFERENCES_URL}"' in response.text


def test_list_header_badge_counts_read_state(person_client, person):
    NotificationFactory(recipient=person, read_at=timezone.now())

    response = person_client.get(LIST_URL)

    assert 'id="unread-notification-badge"></span>' in response.text


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.labels: set[str] = set()
        self.controls: list[dict] = []
        self.h1 = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes or tag == "style":
            self.problems.append(f"inline style on <{tag}>")
        if tag == "script" and not attributes.get("src"):
            self.problems.append("inline script")
        if any(name.startswith("hx-on") for name in attributes):
            self.problems.append("hx-on needs eval, which the CSP forbids")
        if tag == "label" and attributes.get("for"):
            self.labels.add(attributes["for"])
        if tag in ("input", "select", "textarea") and attributes.get("type") != "hidden":
            self.controls.append(attributes)
        self.h1 += tag == "h1"


@pytest.mark.parametrize("url", [LIST_URL, PREFERENCES_URL])
def test_pages_have_one_h1_labelled_controls_and_no_inline_code(person_client, person, url):
    NotificationFactory(recipient=person, context=announcement(url="/events/"))
    page = _Page()

    page.feed(person_client.get(url).text)

    assert page.problems == []
    assert page.h1 == 1
    unlabelled = [c for c in page.controls if c.get("id") not in page.labels]
    assert unlabelled == []


def test_open_ignores_a_kind_link_to_another_site(person_client, person):
    kind = register(
        NotificationKind(
            key="tests.external_link", label="x", get_link=lambda context: "https://evil.example/"
        )
    )
    try:
        notification = NotificationFactory(recipient=person, kind=kind.key)
        response = person_client.post(reverse("notifications:open", args=[notification.pk]))
    finally:
        unregister(kind.key)

    assert response["Location"] == LIST_URL
