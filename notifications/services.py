"""Every write to notifications.

A notification is a row written in the caller's transaction; its e-mail is sent by
the Celery task `notifications.deliver`, enqueued only once that transaction commits,
so a rolled-back change never mails anyone. Delivery claims the row with a
conditional UPDATE (pending → sending) before it talks to the mail server, which is
what keeps a retried, duplicated or re-enqueued task from sending a mail twice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.enums import EmailStatus
from notifications.kinds import NotificationKind, UnknownNotificationKind, get_kind
from notifications.models import Notification, NotificationPreference
from notifications.rendering import render_email
from notifications.selectors import recipient_ids_wanting_email

logger = logging.getLogger(__name__)

# A pending row whose delivery was due this long ago has lost its queue message
# (broker down at commit, worker lost the ETA message) and is enqueued again.
STALE_AFTER = timedelta(minutes=10)
# Upper bound per run of the stale sweep, so one run never floods the queue.
REQUEUE_BATCH = 1000
ERROR_TEXT_MAX = 2000


class NotificationError(Exception):
    """A notification action that is not allowed; the message can be shown to a person."""


# --- creating notifications -------------------------------------------------------------


def _resolve_kind(kind: str | NotificationKind) -> NotificationKind:
    key = kind.key if isinstance(kind, NotificationKind) else kind
    try:
        return get_kind(key)
    except UnknownNotificationKind as exc:
        # A programming error at the caller, not something a person can fix.
        raise ValueError(str(exc)) from None


def _clean_context(kind: NotificationKind, context: Mapping[str, Any] | None) -> dict[str, Any]:
    context = dict(context or {})
    missing = [key for key in kind.required_context if key not in context]
    if missing:
        raise ValueError(f"Notification kind {kind.key!r} needs context keys {missing}.")
    try:
        json.dumps(context)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"Notification context must be JSON: {exc}") from None
    return context


def _can_receive_email(user) -> bool:
    return bool(user.is_active and user.email)


def _enqueue_delivery(notification_ids: list[int]) -> None:
    """Enqueues delivery once the surrounding transaction commits (nothing if it rolls back)."""
    if not notification_ids:
        return

    def enqueue() -> None:
        from notifications.tasks import deliver  # tasks import this module

        for notification_id in notification_ids:
            try:
                deliver.delay(notification_id=notification_id)
            except Exception:
                # The data is committed; the stale sweep enqueues these rows again later.
                logger.exception(
                    "Could not enqueue delivery of notification %s; the sweep will retry.",
                    notification_id,
                )
                return

    transaction.on_commit(enqueue)


@transaction.atomic
def notify(
    *, recipient, kind: str | NotificationKind, context: Mapping[str, Any] | None = None
) -> Notification:
    """Tells one person about something.

    Side effects: writes a Notification row in the caller's transaction. Unless the
    person switched e-mail off for this (non-security) kind or has no usable address,
    its e-mail is enqueued for delivery when the transaction commits; otherwise the
    row is marked `skipped`. Raises ValueError for an unregistered kind, a missing
    required context key or a context that is not JSON.
    """
    kind = _resolve_kind(kind)
    context = _clean_context(kind, context)
    wants_email = _can_receive_email(recipient) and bool(
        recipient_ids_wanting_email(user_ids=[recipient.pk], kind=kind)
    )
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind.key,
        context=context,
        email_status=EmailStatus.PENDING if wants_email else EmailStatus.SKIPPED,
        email_due_at=timezone.now() if wants_email else None,
    )
    if wants_email:
        _enqueue_delivery([notification.pk])
    return notification


@transaction.atomic
def notify_many(
    *, recipients: Iterable, kind: str | NotificationKind, context: Mapping[str, Any] | None = None
) -> list[Notification]:
    """Tells many people the same thing, in a constant number of queries.

    Side effects: as notify(), for each distinct recipient: rows written in one bulk
    insert, e-mails enqueued on commit for those who want them.
    """
    kind = _resolve_kind(kind)
    context = _clean_context(kind, context)
    unique = list({user.pk: user for user in recipients}.values())
    if not unique:
        return []
    wanting = recipient_ids_wanting_email(
        user_ids=[user.pk for user in unique if _can_receive_email(user)], kind=kind
    )
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind.key,
                context=context,
                email_status=EmailStatus.PENDING if user.pk in wanting else EmailStatus.SKIPPED,
                email_due_at=now if user.pk in wanting else None,
            )
            for user in unique
        ],
        batch_size=500,
    )
    if not connection.features.can_return_rows_from_bulk_insert:  # pragma: no cover
        raise RuntimeError("notify_many needs a database that returns ids from bulk inserts.")
    _enqueue_delivery([n.pk for n in notifications if n.email_status == EmailStatus.PENDING])
    return notifications


# --- the notification centre ------------------------------------------------------------


def _require_recipient(notification: Notification, user) -> None:
    if notification.recipient_id != getattr(user, "pk", None):
        raise NotificationError(_("This notification is not yours."))


@transaction.atomic
def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Marks one of the person's notifications read. Idempotent: a read one keeps its time.

    Side effects: sets read_at.
    """
    _require_recipient(notification, user)
    if notification.read_at is None:
        now = timezone.now()
        updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        if updated:
            notification.read_at = now
        else:
            notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    """Marks all of the person's unread notifications read; returns how many.

    Side effects: sets read_at on each.
    """
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_preferences_update(*, user, email_enabled: Mapping[str, bool]) -> None:
    """Saves which kinds the person wants by e-mail.

    Side effects: creates or updates one NotificationPreference per kind given.
    Raises NotificationError for an unknown kind or for switching off a security kind.
    """
    rows = []
    for key, enabled in email_enabled.items():
        try:
            kind = get_kind(key)
        except UnknownNotificationKind:
            raise NotificationError(_("There is no kind of notification “%s”.") % key) from None
        if kind.security:
            if not enabled:
                raise NotificationError(
                    _("Security notices are always sent by e-mail and cannot be switched off.")
                )
            continue
        rows.append(NotificationPreference(user=user, kind=key, email_enabled=bool(enabled)))
    NotificationPreference.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["email_enabled"],
    )


# --- delivery -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryResult:
    # The row's e-mail status after this attempt; None when there was nothing to do
    # (already sent, being sent by another worker, skipped, failed, or deleted).
    status: str | None
    # Seconds until the next attempt, when a transient failure should be retried.
    retry_in: int | None = None
    error: str = ""


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_TEXT_MAX]


def _finish(notification_id: int, **fields) -> None:
    # Only the worker that holds the claim finishes the row.
    Notification.objects.filter(pk=notification_id, email_status=EmailStatus.SENDING).update(
        **fields
    )


def retry_delay(attempts: int) -> int:
    """Exponential back-off after the `attempts`-th failed attempt: base, 2·base, 4·base…"""
    return settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def notification_deliver(*, notification_id: int) -> DeliveryResult:
    """Sends the e-mail of one notification, at most once.

    Runs outside a transaction on purpose: the claim must be committed before the
    mail server is contacted, so a second worker sees it and backs off.

    Side effects: claims the row (pending → sending, one more attempt); sends one
    e-mail; then marks the row `sent`, or on a mail-server or network error puts it
    back to `pending` with the error and a due time after the back-off (the caller
    retries), or, after settings.NOTIFICATION_MAX_RETRIES retries or on an error a
    retry cannot fix, marks it `failed` with the error text.
    """
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, email_status=EmailStatus.PENDING
    ).update(
        email_status=EmailStatus.SENDING,
        email_claimed_at=now,
        email_attempts=F("email_attempts") + 1,
    )
    if not claimed:
        return DeliveryResult(status=None)
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not _can_receive_email(notification.recipient):
        _finish(notification_id, email_status=EmailStatus.SKIPPED)
        return DeliveryResult(status=EmailStatus.SKIPPED)

    try:
        message = render_email(notification)
        message.send(fail_silently=False)
    except OSError as exc:  # smtplib.SMTPException and network errors: worth another try
        error = _error_text(exc)
        if notification.email_attempts > settings.NOTIFICATION_MAX_RETRIES:
            _finish(notification_id, email_status=EmailStatus.FAILED, email_last_error=error)
            logger.warning("Notification %s failed for good: %s", notification_id, error)
            return DeliveryResult(status=EmailStatus.FAILED, error=error)
        delay = retry_delay(notification.email_attempts)
        _finish(
            notification_id,
            email_status=EmailStatus.PENDING,
            email_last_error=error,
            email_due_at=timezone.now() + timedelta(seconds=delay),
        )
        logger.info("Notification %s will be retried in %ss: %s", notification_id, delay, error)
        return DeliveryResult(status=EmailStatus.PENDING, retry_in=delay, error=error)
    except Exception as exc:
        # A missing template or a bad address will not fix itself by waiting; the row
        # shows in the admin, where it can be retried once the cause is fixed.
        error = _error_text(exc)
        _finish(notification_id, email_status=EmailStatus.FAILED, email_last_error=error)
        logger.exception("Notification %s cannot be delivered", notification_id)
        return DeliveryResult(status=EmailStatus.FAILED, error=error)

    _finish(
        notification_id,
        email_status=EmailStatus.SENT,
        email_sent_at=timezone.now(),
        email_last_error="",
    )
    return DeliveryResult(status=EmailStatus.SENT)


@transaction.atomic
def notifications_retry_delivery(*, notifications: QuerySet[Notification]) -> int:
    """Gives failed deliveries a fresh round of attempts; returns how many were queued.

    Only `failed` rows are touched: a row stuck in `sending` may have been sent
    before its worker died, so re-sending it is a decision the admin makes by
    looking at the mail server, not something this action guesses.

    Side effects: failed → pending with the attempt count reset; delivery enqueued on commit.
    """
    ids = list(notifications.filter(email_status=EmailStatus.FAILED).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids, email_status=EmailStatus.FAILED).update(
        email_status=EmailStatus.PENDING,
        email_attempts=0,
        email_due_at=timezone.now(),
        email_claimed_at=None,
    )
    _enqueue_delivery(ids)
    return len(ids)


@transaction.atomic
def notifications_requeue_stale(*, stale_after: timedelta = STALE_AFTER) -> int:
    """Enqueues again pending deliveries whose queue message was lost; returns how many.

    Rows in `sending` are left alone: they may have been sent (see the admin).
    Side effects: moves each row's due time to now (so the next sweep waits again)
    and enqueues its delivery on commit.
    """
    now = timezone.now()
    ids = list(
        Notification.objects.filter(
            Q(email_due_at__lt=now - stale_after) | Q(email_due_at__isnull=True),
            email_status=EmailStatus.PENDING,
            created_at__lt=now - stale_after,
        )
        .order_by("email_due_at")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    Notification.objects.filter(pk__in=ids, email_status=EmailStatus.PENDING).update(
        email_due_at=now
    )
    _enqueue_delivery(ids)
    return len(ids)


@transaction.atomic
def notifications_purge_read(*, older_than: timedelta | None = None) -> int:
    """Deletes read notifications created before the retention period; returns how many.

    Unread notifications are kept, however old: nobody has seen them yet.
    Side effects: deletes rows.
    """
    if older_than is None:
        older_than = timedelta(days=settings.NOTIFICATION_RETENTION_DAYS)
    deleted, _per_model = Notification.objects.filter(
        read_at__isnull=False, created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
