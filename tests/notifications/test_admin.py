from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from notifications.enums import EmailStatus
from notifications.models import Notification
from tests.factories import NotificationFactory, UserFactory
from tests.notifications.conftest import announcement

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:notifications_notification_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_lists_failed_deliveries_by_status_and_kind(admin_client, person):
    NotificationFactory(
        recipient=person, email_status=EmailStatus.FAILED, email_last_error="SMTPDataError 554"
    )
    NotificationFactory(recipient=person, email_status=EmailStatus.SENT)

    response = admin_client.get(
        CHANGELIST, {"email_status__exact": "failed", "kind": "system.announcement"}
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_admin_search_finds_error_text_and_recipient(admin_client, person):
    NotificationFactory(recipient=person, email_last_error="SMTPDataError 554")

    assert admin_client.get(CHANGELIST, {"q": "SMTPDataError"}).context["cl"].result_count == 1
    assert admin_client.get(CHANGELIST, {"q": person.email}).context["cl"].result_count == 1
    assert admin_client.get(CHANGELIST, {"q": "nothing-like-it"}).context["cl"].result_count == 0


def test_admin_detail_page_renders(admin_client, person):
    notification = NotificationFactory(recipient=person)

    response = admin_client.get(
        reverse("admin:notifications_notification_change", args=[notification.pk])
    )

    assert response.status_code == 200


def test_admin_retry_delivery_action_resends_failed(
    admin_client, person, mailoutbox, django_capture_on_commit_callbacks
):
    failed = NotificationFactory(
        recipient=person, context=announcement(), email_status=EmailStatus.FAILED
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST,
            {"action": "retry_delivery", ACTION_CHECKBOX_NAME: [failed.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert Notification.objects.get().email_status == EmailStatus.SENT
    assert len(mailoutbox) == 1


def test_admin_is_closed_to_non_staff(person_client):
    response = person_client.get(CHANGELIST)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
