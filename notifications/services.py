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
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hackathon.errors import DomainError
from hackathon.queue import enqueue_on_commit
from notifications.enums import EmailStatus
from notifications.kinds import NotificationKind, UnknownNotificationKind, get_kind
from notifications.models import Notification, NotificationPreference
from notifications.rendering import render_email
from notifications.selectors import recipient_ids_wanting_email

logger = logging.getLogger(__name__)

# Upper bound per run of the stale sweep, so one run never floods the queue.
REQUEUE_BATCH = 1000
ERROR_TEXT_MAX = 2000


class NotificationError(DomainError):
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
    return bool(user is not None and user.is_active and user.email)


def _enqueue_delivery(notification_ids: list[int]) -> None:
    """Enqueues delivery once the surrounding transaction commits (nothing if it rolls back).

    If the broker is down then, the rows stay pending and the stale sweep enqueues them
    once it is back: the row, not the queue message, is the truth.
    """
    if not notification_ids:
        return
    from notifications.tasks import deliver  # tasks import this module

    enqueue_on_commit(deliver, [{"notification_id": pk} for pk in notification_ids])


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


def _stored_message(message: EmailMessage) -> dict[str, Any]:
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", []) or []
            if mimetype == "text/html"
        ),
        "",
    )
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "html": str(html),
        "to": [str(address) for address in message.to],
    }


@transaction.atomic
def notify_by_email(
    *, recipient, kind: str | NotificationKind, message: EmailMessage, language: str
) -> Notification:
    """Sends an e-mail that the caller rendered (allauth's account mails) through the outbox.

    Side effects: writes a mail-only Notification row (not shown in the notification
    centre) holding the rendered message, in the caller's transaction; its delivery is
    enqueued when the transaction commits, with the same claim, retries and sweeps as
    every other notification. Raises ValueError for a kind that is not `prerendered`.
    """
    kind = _resolve_kind(kind)
    if not kind.prerendered:
        raise ValueError(f"Notification kind {kind.key!r} renders its own e-mails.")
    stored = {**_stored_message(message), "language": language}
    wants_email = bool(recipient.is_active and stored["to"])
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind.key,
        context={},
        in_app=False,
        email_message=stored,
        email_status=EmailStatus.PENDING if wants_email else EmailStatus.SKIPPED,
        email_due_at=timezone.now() if wants_email else None,
    )
    if wants_email:
        _enqueue_delivery([notification.pk])
    return notification


@transaction.atomic
def notify_address(
    *, email: str, kind: str | NotificationKind, message: EmailMessage, language: str
) -> Notification:
    """Sends a rendered e-mail to an address that belongs to no account (yet) through the
    outbox: an organiser's invitation to someone who may sign up because of it. Render
    it with notifications.rendering.render_email_for_address. Whoever has an account gets
    notify() instead, in the centre and in their own language.

    Side effects: writes a mail-only Notification row without a recipient, holding the
    message addressed to `email` only, in the caller's transaction; its delivery is
    enqueued when the transaction commits, with the claim, retries and sweeps of every
    other notification; it is purged like account mails once settled. Raises ValueError
    for an unregistered kind or an empty address.
    """
    kind = _resolve_kind(kind)
    email = email.strip()
    if not email:
        raise ValueError("notify_address needs an address.")
    stored = {**_stored_message(message), "to": [email], "language": language}
    notification = Notification.objects.create(
        recipient=None,
        kind=kind.key,
        context={},
        in_app=False,
        email_message=stored,
        email_status=EmailStatus.PENDING,
        email_due_at=timezone.now(),
    )
    _enqueue_delivery([notification.pk])
    return notification


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


def _finish(notification_id: int, claimed_at, **fields) -> None:
    # Only the worker that holds this claim finishes the row: after the stuck-delivery
    # sweep gave the row to another worker, a late first one changes nothing.
    Notification.objects.filter(
        pk=notification_id, email_status=EmailStatus.SENDING, email_claimed_at=claimed_at
    ).update(**fields)


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
    if notification.email_message is None and not _can_receive_email(notification.recipient):
        _finish(notification_id, now, email_status=EmailStatus.SKIPPED)
        return DeliveryResult(status=EmailStatus.SKIPPED)

    try:
        message = render_email(notification)
        message.send(fail_silently=False)
    except OSError as exc:  # smtplib.SMTPException and network errors: worth another try
        error = _error_text(exc)
        if notification.email_attempts > settings.NOTIFICATION_MAX_RETRIES:
            _finish(notification_id, now, email_status=EmailStatus.FAILED, email_last_error=error)
            logger.warning("Notification %s failed for good: %s", notification_id, error)
            return DeliveryResult(status=EmailStatus.FAILED, error=error)
        delay = retry_delay(notification.email_attempts)
        _finish(
            notification_id,
            now,
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
        _finish(notification_id, now, email_status=EmailStatus.FAILED, email_last_error=error)
        logger.exception("Notification %s cannot be delivered", notification_id)
        return DeliveryResult(status=EmailStatus.FAILED, error=error)

    _finish(
        notification_id,
        now,
        email_status=EmailStatus.SENT,
        email_sent_at=timezone.now(),
        email_last_error="",
    )
    return DeliveryResult(status=EmailStatus.SENT)


@transaction.atomic
def notifications_send_again(*, notifications: QuerySet[Notification]) -> int:
    """Sends the e-mails of these notifications again, whatever happened to them; returns
    how many were queued. An organiser's decision in the admin: a row `sent` or stuck in
    `sending` goes out once more (with the same Message-ID, so it is recognisable).

    Side effects: each row with an address to send to goes to pending with a fresh round
    of attempts; its delivery is enqueued on commit.
    """
    ids = list(
        notifications.filter(
            Q(email_message__isnull=False) | Q(recipient__is_active=True, recipient__email__gt="")
        ).values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=ids).update(
        email_status=EmailStatus.PENDING,
        email_attempts=0,
        email_due_at=timezone.now(),
        email_claimed_at=None,
        email_last_error="",
    )
    _enqueue_delivery(ids)
    return len(ids)


@transaction.atomic
def notifications_requeue_stale(
    *, stale_after: timedelta | None = None, sending_timeout: timedelta | None = None
) -> int:
    """Hands deliveries that lost their way to a worker again; returns how many.

    Two kinds of row: pending ones whose delivery was due long ago, so their queue
    message was lost (broker down at commit, a worker died holding it), and rows in
    `sending` whose worker claimed them long ago and never finished (killed mid-send).
    The second kind may have reached the mail server already: delivery is at least
    once, and the mail's stable Message-ID makes a duplicate recognisable.

    Side effects: stuck rows go back to pending; each row's due time moves to now (so
    the next sweep waits again); their deliveries are enqueued on commit.
    """
    if stale_after is None:
        stale_after = timedelta(seconds=settings.NOTIFICATION_STALE_AFTER_SECONDS)
    if sending_timeout is None:
        sending_timeout = timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS)
    now = timezone.now()
    stuck = list(
        Notification.objects.filter(
            email_status=EmailStatus.SENDING, email_claimed_at__lt=now - sending_timeout
        )
        .order_by("email_claimed_at")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    if stuck:
        Notification.objects.filter(
            pk__in=stuck,
            email_status=EmailStatus.SENDING,
            email_claimed_at__lt=now - sending_timeout,
        ).update(email_status=EmailStatus.PENDING, email_claimed_at=None, email_due_at=now)
        logger.warning("Re-sending %d e-mails whose worker died while sending them.", len(stuck))
    lost = list(
        Notification.objects.filter(
            Q(email_due_at__lt=now - stale_after) | Q(email_due_at__isnull=True),
            email_status=EmailStatus.PENDING,
            created_at__lt=now - stale_after,
        )
        .exclude(pk__in=stuck)
        .order_by("email_due_at")
        .values_list("pk", flat=True)[: REQUEUE_BATCH - len(stuck)]
    )
    Notification.objects.filter(pk__in=lost, email_status=EmailStatus.PENDING).update(
        email_due_at=now
    )
    ids = stuck + lost
    _enqueue_delivery(ids)
    return len(ids)


@transaction.atomic
def notifications_purge_read(*, older_than: timedelta | None = None) -> int:
    """Deletes read notifications created before the retention period; returns how many.

    Unread notifications are kept, however old: nobody has seen them yet. Mail-only rows
    (account mails, which hold confirmation and reset links) go
    settings.NOTIFICATION_ACCOUNT_MAIL_RETENTION_DAYS after they were settled.
    Side effects: deletes rows.
    """
    if older_than is None:
        older_than = timedelta(days=settings.NOTIFICATION_RETENTION_DAYS)
    now = timezone.now()
    account_mails_before = now - timedelta(days=settings.NOTIFICATION_ACCOUNT_MAIL_RETENTION_DAYS)
    deleted, _per_model = Notification.objects.filter(
        Q(read_at__isnull=False, created_at__lt=now - older_than)
        # Mail-only rows are never read in the centre; they carry confirmation and reset
        # links, so they go once delivery is settled and the links have expired.
        | Q(
            in_app=False,
            created_at__lt=account_mails_before,
            email_status__in=[EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.SKIPPED],
        )
    ).delete()
    return deleted
