"""E-mail delivery through the `notifications.deliver` task, run in the test process."""

from __future__ import annotations

import pytest
from django.utils import translation

from notifications.enums import EmailStatus
from notifications.kinds import NotificationKind, register, unregister
from notifications.models import Notification
from notifications.services import notify, retry_delay
from notifications.tasks import deliver
from tests.factories import NotificationFactory
from tests.notifications.conftest import announcement

pytestmark = pytest.mark.django_db


def _notify(recipient, capture, **context):
    with capture(execute=True):
        return notify(
            recipient=recipient, kind="system.announcement", context=announcement(**context)
        )


def test_email_is_in_the_recipients_language(
    person, english_person, german_catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    # Whatever language the cause ran in, each person reads their own.
    with translation.override("en"):
        _notify(person, django_capture_on_commit_callbacks, title="Kick-off")
    with translation.override("de"):
        _notify(english_person, django_capture_on_commit_callbacks, title="Kick-off")

    german, english = mailoutbox
    assert german.to == [person.email]
    assert german.subject.endswith("Ankündigung: Kick-off")
    assert english.subject.endswith("Announcement: Kick-off")
    assert german.extra_headers["Content-Language"] == "de"
    assert english.extra_headers["Content-Language"] == "en"
    assert '<html lang="de">' in german.alternatives[0][0]
    assert '<html lang="en">' in english.alternatives[0][0]


def test_email_has_plain_text_and_html_with_absolute_links(
    person, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hack.example.org"

    _notify(person, django_capture_on_commit_callbacks, title="R&D <day>", url="/events/spring/")

    (message,) = mailoutbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "R&D <day>" in message.body
    assert "https://hack.example.org/events/spring/" in message.body
    assert "https://hack.example.org/notifications/preferences/" in message.body
    assert "R&amp;D &lt;day&gt;" in html
    assert 'href="https://hack.example.org/events/spring/"' in html
    assert "\n" not in message.subject


def test_security_email_says_it_cannot_be_switched_off(
    english_person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=english_person, kind="account.security", context={"action": "email_changed"}
        )

    (message,) = mailoutbox
    assert "e-mail address of your account was changed" in message.body
    assert "cannot be switched off" in message.body
    assert "/accounts/password/reset/" in message.body


def test_delivering_the_same_notification_twice_sends_one_mail(person, mailoutbox):
    notification = NotificationFactory(recipient=person, context=announcement())

    deliver.delay(notification_id=notification.pk)
    deliver.delay(notification_id=notification.pk)

    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert notification.email_attempts == 1


def test_delivery_of_a_claimed_row_sends_nothing(person, mailoutbox):
    # Another worker holds the claim (or died holding it): this one must not send.
    notification = NotificationFactory(
        recipient=person, context=announcement(), email_status=EmailStatus.SENDING
    )

    deliver.delay(notification_id=notification.pk)

    assert mailoutbox == []
    assert Notification.objects.get().email_status == EmailStatus.SENDING


def test_delivery_of_a_deleted_notification_does_nothing(mailoutbox):
    result = deliver.delay(notification_id=123456)

    assert result.get() is None
    assert mailoutbox == []


def test_smtp_failure_is_retried_then_marked_failed(person, settings, unreachable_smtp):
    settings.NOTIFICATION_MAX_RETRIES = 2
    notification = NotificationFactory(recipient=person, context=announcement())

    deliver.delay(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert notification.email_attempts == 3  # the first try and two retries
    assert "ConnectionRefusedError" in notification.email_last_error
    assert notification.email_sent_at is None


def test_smtp_failure_with_retries_left_puts_the_row_back_to_pending(
    person, settings, unreachable_smtp
):
    from notifications.services import notification_deliver

    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    notification = NotificationFactory(recipient=person, context=announcement())

    result = notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert result.retry_in == 30
    assert notification.email_status == EmailStatus.PENDING
    assert notification.email_attempts == 1
    assert notification.email_due_at > notification.created_at
    assert "ConnectionRefusedError" in notification.email_last_error


def test_retry_delay_doubles_from_the_configured_base(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    assert [retry_delay(attempt) for attempt in (1, 2, 3, 4, 5)] == [30, 60, 120, 240, 480]


def test_error_a_retry_cannot_fix_marks_failed_at_once(person, mailoutbox):
    kind = register(NotificationKind(key="tests.no_templates", label="No templates"))
    try:
        notification = NotificationFactory(recipient=person, kind=kind.key)
        deliver.delay(notification_id=notification.pk)
    finally:
        unregister(kind.key)

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert notification.email_attempts == 1
    assert "TemplateDoesNotExist" in notification.email_last_error
    assert mailoutbox == []


def test_recipient_deactivated_before_delivery_is_skipped(person, mailoutbox):
    notification = NotificationFactory(recipient=person, context=announcement())
    person.is_active = False
    person.save(update_fields=["is_active"])

    deliver.delay(notification_id=notification.pk)

    assert Notification.objects.get().email_status == EmailStatus.SKIPPED
    assert mailoutbox == []
