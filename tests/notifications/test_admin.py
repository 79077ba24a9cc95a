from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from notifications.enums import EmailStatus
from notifications.models import Notification
from notifications.rendering import message_id
from tests.factories import NotificationFactory, OrganiserFactory, UserFactory
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


@pytest.mark.parametrize("status", [EmailStatus.FAILED, EmailStatus.SENDING, EmailStatus.SENT])
def test_organiser_sends_any_row_again_from_the_admin(
    client, person, mailoutbox, django_capture_on_commit_callbacks, status
):
    client.force_login(OrganiserFactory())
    notification = NotificationFactory(
        recipient=person, context=announcement(), email_status=status
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "send_again", ACTION_CHECKBOX_NAME: [notification.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert Notification.objects.get().email_status == EmailStatus.SENT
    (mail,) = mailoutbox
    assert mail.extra_headers["Message-ID"] == message_id(notification)


def test_admin_change_page_hides_the_rendered_account_mail(admin_client, person):
    notification = NotificationFactory(
        recipient=person,
        kind="account.mail",
        in_app=False,
        email_message={
            "subject": "Confirm your address",
            "body": "https://example.test/confirm/SECRET-KEY/",
            "html": "",
            "to": [person.email],
            "language": "en",
        },
    )

    response = admin_client.get(
        reverse("admin:notifications_notification_change", args=[notification.pk])
    )

    assert response.status_code == 200
    assert "Confirm your address" in response.content.decode()
    assert "SECRET-KEY" not in response.content.decode()


def test_admin_is_closed_to_non_staff(person_client):
    response = person_client.get(CHANGELIST)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
