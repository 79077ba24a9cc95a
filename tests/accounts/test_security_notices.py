"""Security notices from allauth (password or address changed, ...) are notifications:
a row in the notification centre, an e-mail delivered by Celery after commit, once,
that nobody can switch off."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.enums import EmailStatus
from notifications.models import Notification, NotificationPreference
from tests.accounts.conftest import NEW_PASSWORD, link_in_mail
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def _change_password(client):
    return client.post(
        reverse("account_change_password"),
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_password_change_is_a_notification_delivered_once_after_commit(
    verified_client, verified_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _change_password(verified_client)

    assert response.status_code == 302
    notice = Notification.objects.get(recipient=verified_user)
    assert notice.kind == "account.security"
    assert notice.context["action"] == "password_changed"
    assert notice.context["ip"] == "127.0.0.1"
    assert notice.email_status == EmailStatus.SENT
    assert len(callbacks) == 1
    assert [m.to for m in mailoutbox] == [[verified_user.email]]
    assert "Passwort deines Kontos wurde geändert" in mailoutbox[0].body
    assert "127.0.0.1" in mailoutbox[0].body

    # A second delivery of the same notification sends nothing more.
    from notifications.tasks import deliver

    deliver.delay(notification_id=notice.pk)
    assert len(mailoutbox) == 1


def test_security_notice_cannot_be_switched_off(
    verified_client, verified_user, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=verified_user, kind="account.security", email_enabled=False
    )

    with django_capture_on_commit_callbacks(execute=True):
        _change_password(verified_client)

    assert [m.to for m in mailoutbox] == [[verified_user.email]]


def test_security_notice_shows_in_the_notification_centre(
    verified_client, verified_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _change_password(verified_client)

    page = verified_client.get(reverse("notifications:list"))

    assert "Das Passwort deines Kontos wurde geändert." in page.text


def test_password_reset_by_key_sends_a_notice(
    client, verified_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(reverse("account_reset_password"), {"email": verified_user.email})
    key_path = link_in_mail(mailoutbox[0], containing="/password/reset/key/")
    form_path = client.get(key_path)["Location"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    notice = Notification.objects.get(recipient=verified_user, kind="account.security")
    assert notice.context["action"] == "password_reset"
    assert mailoutbox[-1].to == [verified_user.email]


def test_email_change_notice_reaches_the_old_and_the_new_address(
    verified_client, verified_user, mailoutbox, django_capture_on_commit_callbacks
):
    old_email = verified_user.email
    verified_client.post(reverse("account_email"), {"email": "moved@example.org", "action_add": ""})
    confirm_path = link_in_mail(mailoutbox[-1], containing="/confirm-email/")

    with django_capture_on_commit_callbacks(execute=True):
        verified_client.post(confirm_path)

    notice = Notification.objects.get(recipient=verified_user, kind="account.security")
    assert notice.context["action"] == "email_changed"
    assert notice.context["from_email"] == old_email
    assert notice.context["to_email"] == "moved@example.org"
    assert mailoutbox[-1].to == [old_email, "moved@example.org"]
    assert old_email in mailoutbox[-1].body and "moved@example.org" in mailoutbox[-1].body


def test_failed_password_change_sends_no_notice(verified_client, verified_user, mailoutbox):
    verified_client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert not Notification.objects.filter(recipient=verified_user).exists()
    assert mailoutbox == []
