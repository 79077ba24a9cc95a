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


def test_notifications_are_neither_edited_nor_deleted_in_the_admin(admin_client, person):
    notification = NotificationFactory(recipient=person, context=announcement())
    change = reverse("admin:notifications_notification_change", args=[notification.pk])
    delete = reverse("admin:notifications_notification_delete", args=[notification.pk])

    assert admin_client.post(change, {}).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [notification.pk], "post": "yes"},
    )  # not offered: Django answers "no action selected"
    assert Notification.objects.filter(pk=notification.pk).exists()


def test_send_again_is_offered_only_to_those_who_may_change_notifications(client, person):
    from django.contrib.auth.models import Permission

    NotificationFactory(recipient=person, context=announcement())
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(staff)
    assert client.get(CHANGELIST).context["action_form"] is None  # no action at all

    client.force_login(OrganiserFactory())
    choices = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "send_again" in choices and "delete_selected" not in choices


def test_notification_preferences_are_read_only_in_the_admin(admin_client, person):
    from notifications.models import NotificationPreference

    preference = NotificationPreference.objects.create(
        user=person, kind="system.announcement", email_enabled=True
    )
    change = reverse("admin:notifications_notificationpreference_change", args=[preference.pk])
    delete = reverse("admin:notifications_notificationpreference_delete", args=[preference.pk])
    add = reverse("admin:notifications_notificationpreference_add")

    assert admin_client.get(change).status_code == 200  # people can be helped to find it
    assert admin_client.post(change, {"email_enabled": ""}).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(add).status_code == 403
    preference.refresh_from_db()
    assert preference.email_enabled is True
