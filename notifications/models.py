from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.enums import EmailStatus


class Notification(models.Model):
    """Something a person should know, written in the same transaction as its cause.

    The e-mail is delivered by a Celery task after commit; `email_status` is the
    claim that keeps a retried or duplicated task from sending it twice. A mail to an
    address nobody has an account with yet (an organiser's invitation) has no recipient:
    it is mail-only, rendered when written, and its address is in `email_message["to"]`.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail status"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    # When the next delivery attempt should start: creation time, or the end of a retry's
    # back-off. A pending row long past it lost its queue message and is enqueued again.
    email_due_at = models.DateTimeField(_("delivery due"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    email_last_error = models.TextField(_("last error"), blank=True)
    # False for mail-only rows (kinds that are `prerendered`): the outbox, not the centre.
    in_app = models.BooleanField(_("shown in the notification centre"), default=True)
    # The e-mail as its caller rendered it ({"subject", "body", "html", "to", "language"}),
    # for prerendered kinds; None when the kind's templates render it at delivery.
    email_message = models.JSONField(_("rendered e-mail"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read_idx"),
            models.Index(fields=["email_status", "email_due_at"], name="notif_email_due_idx"),
        ]
        constraints = [
            # Without a person there is nothing to show in a centre and nothing to render
            # a mail for at delivery: such a row carries its rendered mail.
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | Q(in_app=False, email_message__isnull=False),
                name="notif_recipient_or_rendered_mail",
            ),
        ]

    def __str__(self) -> str:
        if self.recipient_id is None:
            return f"{self.kind} → {', '.join((self.email_message or {}).get('to') or [])}"
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's choice to receive a kind of notification by e-mail or not (in-app always)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    email_enabled = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notifications_pref_one_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} e-mail={'on' if self.email_enabled else 'off'}"
