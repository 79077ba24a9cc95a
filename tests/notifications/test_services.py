from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.enums import EmailStatus
from notifications.models import Notification, NotificationPreference
from notifications.rendering import message_id
from notifications.selectors import email_preferences_for
from notifications.services import (
    NotificationError,
    _finish,
    notification_mark_read,
    notification_preferences_update,
    notifications_mark_all_read,
    notifications_purge_read,
    notifications_requeue_stale,
    notifications_send_again,
    notify,
    notify_many,
)
from tests.factories import NotificationFactory, UserFactory
from tests.notifications.conftest import announcement

pytestmark = pytest.mark.django_db


def test_notify_creates_row_and_mails_after_commit(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(recipient=person, kind="system.announcement", context=announcement())
        assert mailoutbox == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.recipient == person
    assert notification.kind == "system.announcement"
    assert notification.context == announcement()
    assert notification.read_at is None
    assert notification.email_status == EmailStatus.SENT
    assert notification.email_attempts == 1
    assert notification.email_sent_at is not None
    assert [m.to for m in mailoutbox] == [[person.email]]


def test_notify_in_rolled_back_transaction_leaves_nothing(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipient=person, kind="system.announcement", context=announcement())
        raise RuntimeError("the change that caused it failed")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_notify_with_email_switched_off_is_skipped(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=person, kind="system.announcement", email_enabled=False
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(recipient=person, kind="system.announcement", context=announcement())

    assert callbacks == []
    assert notification.email_status == EmailStatus.SKIPPED
    assert mailoutbox == []


def test_notify_security_kind_is_mailed_even_when_switched_off(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    # The service refuses this preference; a row made some other way must not silence it.
    NotificationPreference.objects.create(user=person, kind="account.security", email_enabled=False)

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=person, kind="account.security", context={"action": "password_changed"}
        )

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert len(mailoutbox) == 1


def test_notify_inactive_recipient_gets_no_mail(mailoutbox, django_capture_on_commit_callbacks):
    inactive = UserFactory(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=inactive, kind="system.announcement", context=announcement()
        )

    assert notification.email_status == EmailStatus.SKIPPED
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("kind", "context", "message"),
    [
        ("tests.unknown", {}, "No notification kind"),
        ("system.announcement", {"title": "no body"}, "needs context keys"),
        ("system.announcement", announcement(when=timezone.now()), "must be JSON"),
    ],
)
def test_notify_with_bad_arguments_raises(person, kind, context, message):
    with pytest.raises(ValueError, match=message):
        notify(recipient=person, kind=kind, context=context)
    assert not Notification.objects.exists()


def test_notify_many_writes_one_row_per_person_and_respects_preferences(
    mailoutbox, django_capture_on_commit_callbacks
):
    wants, opted_out = UserFactory.create_batch(2)
    NotificationPreference.objects.create(
        user=opted_out, kind="system.announcement", email_enabled=False
    )

    with django_capture_on_commit_callbacks(execute=True):
        notifications = notify_many(
            recipients=[wants, opted_out, wants], kind="system.announcement", context=announcement()
        )

    assert len(notifications) == 2
    statuses = dict(Notification.objects.values_list("recipient_id", "email_status"))
    assert statuses == {wants.pk: EmailStatus.SENT, opted_out.pk: EmailStatus.SKIPPED}
    assert [m.to for m in mailoutbox] == [[wants.email]]


def test_notify_many_query_count_does_not_grow_with_recipients():
    def queries_for(count: int) -> int:
        recipients = UserFactory.create_batch(count)
        with CaptureQueriesContext(connection) as queries:
            notify_many(recipients=recipients, kind="system.announcement", context=announcement())
        return len(queries)

    assert queries_for(3) == queries_for(30)


def test_notification_mark_read_sets_read_at_once(person):
    notification = NotificationFactory(recipient=person)

    notification_mark_read(notification=notification, user=person)
    first = Notification.objects.get().read_at
    notification_mark_read(notification=Notification.objects.get(), user=person)

    assert first is not None
    assert Notification.objects.get().read_at == first


def test_notification_mark_read_of_someone_elses_is_refused(person, stranger):
    notification = NotificationFactory(recipient=person)

    with pytest.raises(NotificationError):
        notification_mark_read(notification=notification, user=stranger)

    assert Notification.objects.get().read_at is None


def test_notifications_mark_all_read_touches_only_own_unread(person, stranger):
    NotificationFactory.create_batch(3, recipient=person)
    NotificationFactory(recipient=person, read_at=timezone.now() - timedelta(days=1))
    NotificationFactory(recipient=stranger)

    assert notifications_mark_all_read(user=person) == 3

    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=stranger).read_at is None


def test_notification_preferences_update_saves_and_updates(person):
    notification_preferences_update(user=person, email_enabled={"system.announcement": False})
    assert email_preferences_for(user=person)["system.announcement"] is False

    notification_preferences_update(user=person, email_enabled={"system.announcement": True})
    assert email_preferences_for(user=person)["system.announcement"] is True
    assert NotificationPreference.objects.count() == 1


def test_notification_preferences_update_cannot_switch_off_security(person):
    with pytest.raises(NotificationError):
        notification_preferences_update(user=person, email_enabled={"account.security": False})
    assert not NotificationPreference.objects.exists()
    assert email_preferences_for(user=person)["account.security"] is True


def test_notification_preferences_update_unknown_kind_is_refused(person):
    with pytest.raises(NotificationError):
        notification_preferences_update(user=person, email_enabled={"tests.unknown": False})


def _pending(person, *, due_ago: timedelta, status=EmailStatus.PENDING) -> Notification:
    notification = NotificationFactory(
        recipient=person, context=announcement(), email_status=status
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - due_ago, email_due_at=timezone.now() - due_ago
    )
    return notification


STALE_AFTER = timedelta(seconds=300)


def _claimed(person, *, claimed_ago: timedelta) -> Notification:
    notification = NotificationFactory(
        recipient=person, context=announcement(), email_status=EmailStatus.SENDING
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - claimed_ago,
        email_claimed_at=timezone.now() - claimed_ago,
        email_attempts=1,
    )
    return notification


def test_requeue_stale_delivers_pending_rows_whose_message_was_lost(
    person, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFICATION_STALE_AFTER_SECONDS = STALE_AFTER.total_seconds()
    lost = _pending(person, due_ago=STALE_AFTER + timedelta(minutes=1))
    recent = _pending(person, due_ago=timedelta(seconds=30))

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_requeue_stale() == 1

    assert Notification.objects.get(pk=lost.pk).email_status == EmailStatus.SENT
    assert Notification.objects.get(pk=recent.pk).email_status == EmailStatus.PENDING
    assert len(mailoutbox) == 1


def test_requeue_stale_sends_rows_stuck_in_sending_again_after_the_timeout(
    person, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS = 600
    stuck = _claimed(person, claimed_ago=timedelta(minutes=11))
    in_progress = _claimed(person, claimed_ago=timedelta(minutes=2))

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_requeue_stale() == 1

    stuck.refresh_from_db()
    assert stuck.email_status == EmailStatus.SENT
    assert stuck.email_attempts == 2  # the attempt its dead worker made still counts
    assert Notification.objects.get(pk=in_progress.pk).email_status == EmailStatus.SENDING
    (mail,) = mailoutbox
    assert mail.extra_headers["Message-ID"] == message_id(stuck)


def test_a_late_worker_cannot_finish_a_row_the_sweep_gave_to_another(
    person, django_capture_on_commit_callbacks, settings
):
    """The first worker was only slow, not dead: its outcome must not overwrite the second's."""
    stuck = _claimed(person, claimed_ago=timedelta(minutes=11))
    old_claim = Notification.objects.get(pk=stuck.pk).email_claimed_at
    with django_capture_on_commit_callbacks(execute=False):
        notifications_requeue_stale(sending_timeout=timedelta(minutes=10))
    Notification.objects.filter(pk=stuck.pk).update(
        email_status=EmailStatus.SENDING, email_claimed_at=timezone.now()
    )

    _finish(stuck.pk, old_claim, email_status=EmailStatus.FAILED)

    assert Notification.objects.get(pk=stuck.pk).email_status == EmailStatus.SENDING


def test_requeue_stale_waits_again_after_requeueing(
    person, django_capture_on_commit_callbacks, settings
):
    settings.NOTIFICATION_STALE_AFTER_SECONDS = STALE_AFTER.total_seconds()
    _pending(person, due_ago=STALE_AFTER + timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=False):
        assert notifications_requeue_stale() == 1
        assert notifications_requeue_stale() == 0


def test_send_again_resends_any_row_with_an_address(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    failed = NotificationFactory(
        recipient=person,
        context=announcement(),
        email_status=EmailStatus.FAILED,
        email_attempts=6,
        email_last_error="SMTPDataError",
    )
    sent = NotificationFactory(
        recipient=person, context=announcement(), email_status=EmailStatus.SENT
    )
    no_address = NotificationFactory(
        recipient=UserFactory(email="", language="de"),
        context=announcement(),
        email_status=EmailStatus.SKIPPED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        count = notifications_send_again(notifications=Notification.objects.all())

    assert count == 2
    failed.refresh_from_db()
    assert failed.email_status == EmailStatus.SENT
    assert failed.email_attempts == 1
    assert failed.email_last_error == ""
    assert Notification.objects.get(pk=sent.pk).email_status == EmailStatus.SENT
    assert Notification.objects.get(pk=no_address.pk).email_status == EmailStatus.SKIPPED
    assert len(mailoutbox) == 2
    assert {m.extra_headers["Message-ID"] for m in mailoutbox} == {
        message_id(failed),
        message_id(sent),
    }


def test_purge_read_deletes_only_old_read_notifications(person, settings):
    settings.NOTIFICATION_RETENTION_DAYS = 30
    long_ago = timezone.now() - timedelta(days=31)
    old_read = NotificationFactory(recipient=person, read_at=timezone.now())
    old_unread = NotificationFactory(recipient=person)
    new_read = NotificationFactory(recipient=person, read_at=timezone.now())
    Notification.objects.filter(pk__in=[old_read.pk, old_unread.pk]).update(created_at=long_ago)

    assert notifications_purge_read() == 1

    assert set(Notification.objects.values_list("pk", flat=True)) == {old_unread.pk, new_read.pk}


def test_purge_read_deletes_settled_account_mails_after_a_week(person):
    def account_mail(status, days_ago):
        notification = NotificationFactory(
            recipient=person,
            kind="account.mail",
            in_app=False,
            email_message={"subject": "s", "body": "b", "html": "", "to": [person.email]},
            email_status=status,
        )
        Notification.objects.filter(pk=notification.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
        return notification.pk

    old_sent = account_mail(EmailStatus.SENT, 8)
    old_pending = account_mail(EmailStatus.PENDING, 8)
    new_sent = account_mail(EmailStatus.SENT, 2)

    assert notifications_purge_read() == 1

    remaining = set(Notification.objects.values_list("pk", flat=True))
    assert old_sent not in remaining
    assert {old_pending, new_sent} <= remaining
