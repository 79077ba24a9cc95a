from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.enums import EmailStatus


class Notification(models.Model):
    """Something a person should know, written in the same transaction as its cause.

    The e-mail is delivered by a Celery task after commit; `email_status` is the
    claim that keeps a retried or duplicated task from sending it twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
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

    def __str__(self) -> str:
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
