from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hackathon.admin import ReadOnlyAdminMixin
from notifications.kinds import all_kinds
from notifications.models import Notification, NotificationPreference
from notifications.rendering import message_id
from notifications.services import notifications_send_again


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.key, f"{kind.label} ({kind.key})") for kind in all_kinds()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Delivery problems are found here: filter by e-mail status `failed`. Rows stuck in
    `sending` (their worker died mid-send) are sent again by the sweep after
    NOTIFICATION_SENDING_TIMEOUT_SECONDS; any row can also be sent again by hand."""

    list_display = [
        "id",
        "recipient",
        "address",
        "kind",
        "created_at",
        "read_at",
        "email_status",
        "email_attempts",
        "email_sent_at",
    ]
    list_filter = ["email_status", KindFilter, "in_app", "created_at"]
    search_fields = [
        "recipient__email",
        "recipient__display_name",
        # A mail to an address without an account (an invitation) is found by the address.
        "email_message__to",
        "kind",
        "email_last_error",
    ]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    actions = ["send_again"]
    # Not the rendered account mails themselves: they hold confirmation and reset links.
    fields = [
        "recipient",
        "address",
        "kind",
        "context",
        "email_subject",
        "created_at",
        "read_at",
        "email_status",
        "email_attempts",
        "email_due_at",
        "email_claimed_at",
        "email_sent_at",
        "email_last_error",
        "message_id",
    ]
    readonly_fields = fields
    # Read-only (ReadOnlyAdminMixin): notifications come from the services that cause them,
    # never by hand; a row changes only by being delivered or sent again (the action); read
    # rows go after NOTIFICATION_RETENTION_DAYS (notifications_purge_read).

    def has_send_again_permission(self, request: HttpRequest) -> bool:
        # Whoever may change notifications (the organisers) may send them again.
        return request.user.has_perm("notifications.change_notification")

    @admin.display(description=_("e-mail address"))
    def address(self, notification: Notification) -> str:
        stored = (notification.email_message or {}).get("to") or []
        if stored:
            return ", ".join(stored)
        return notification.recipient.email if notification.recipient else ""

    @admin.display(description=_("subject"))
    def email_subject(self, notification: Notification) -> str:
        return (notification.email_message or {}).get("subject", "")

    @admin.display(description=_("Message-ID"))
    def message_id(self, notification: Notification) -> str:
        return message_id(notification)

    @admin.action(description=_("Send the e-mail again"), permissions=["send_again"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notifications_send_again(notifications=queryset)
        if count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail will be sent again.",
                    "%(count)d e-mails will be sent again.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("None of the selected notifications has an address to send to."),
                messages.WARNING,
            )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a preference is the person's own choice, saved on their settings page
    through notification_preferences_update."""

    list_display = ["user", "kind", "email_enabled"]
    list_filter = ["email_enabled", "kind"]
    search_fields = ["user__email", "user__display_name", "kind"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "email_enabled"]
