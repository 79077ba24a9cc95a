"""allauth's own mails (confirmation, password reset, "you already have an account") go
through the notification outbox: a row in the request's transaction, delivered after commit.
Here SMTP is a real connection to a port nobody listens on; tests/accounts/
test_mail_outbox_integration.py runs the same with a real worker and SMTP server."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from notifications.enums import EmailStatus
from notifications.models import Notification
from notifications.selectors import notifications_for_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-fresh-long-passphrase-7"


def _sign_up(client, email: str = "brand.new@example.org"):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def test_sign_up_succeeds_while_smtp_is_down_and_keeps_the_mail(
    client, unreachable_smtp, settings
):
    response = _sign_up(client)

    assert response.status_code == 302
    user = User.objects.get(email="brand.new@example.org")
    mail = Notification.objects.get(recipient=user, kind="account.mail")
    # Eager tasks run their retries at once; with a real worker they wait out the back-off
    # (test_mail_outbox_integration.py), and the admin sends a failed row again.
    assert mail.email_status == EmailStatus.FAILED
    assert mail.email_attempts == settings.NOTIFICATION_MAX_RETRIES + 1
    assert "ConnectionRefusedError" in mail.email_last_error
    assert mail.email_message["to"] == ["brand.new@example.org"]
    assert "/accounts/confirm-email/" in mail.email_message["body"]
    assert not EmailAddress.objects.get(user=user).verified


def test_password_reset_succeeds_while_smtp_is_down(client, verified_user, unreachable_smtp):
    response = client.post(reverse("account_reset_password"), {"email": verified_user.email})

    assert response.status_code == 302
    mail = Notification.objects.get(recipient=verified_user, kind="account.mail")
    assert "ConnectionRefusedError" in mail.email_last_error
    assert "/accounts/password/reset/key/" in mail.email_message["body"]


def test_account_mail_is_sent_with_its_stored_content(client, mailoutbox):
    client.cookies["language"] = "en"

    _sign_up(client)

    (message,) = mailoutbox
    mail = Notification.objects.get(kind="account.mail")
    assert mail.email_status == EmailStatus.SENT
    assert message.to == ["brand.new@example.org"]
    assert message.subject == mail.email_message["subject"]
    assert message.body == mail.email_message["body"]
    assert message.extra_headers["Message-ID"].startswith(f"<notification.{mail.pk}.")
    assert message.extra_headers["Content-Language"] == "en"


def test_account_mails_stay_out_of_the_notification_centre(client, verified_user):
    client.post(reverse("account_reset_password"), {"email": verified_user.email})

    assert Notification.objects.filter(recipient=verified_user, kind="account.mail").exists()
    assert not notifications_for_user(user=verified_user).exists()


def test_no_mail_to_an_address_without_an_account(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.status_code == 302  # the same answer as for a known address
    assert mailoutbox == []
    assert not Notification.objects.exists()
