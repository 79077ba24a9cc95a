from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from notifications.kinds import NotificationKind, all_kinds
from notifications.models import Notification, NotificationPreference


def notifications_for_user(*, user) -> QuerySet[Notification]:
    """A person's own notifications, newest first. Nobody sees anyone else's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, in_app=True).order_by("-created_at", "-pk")


def notification_for_user(*, user, notification_id: int) -> Notification:
    """One of the person's own notifications; 404 for anyone else's, so none is revealed."""
    return get_object_or_404(notifications_for_user(user=user), pk=notification_id)


def notification_unread_count(*, user) -> int:
    return notifications_for_user(user=user).filter(read_at__isnull=True).count()


def email_preferences_for(*, user) -> dict[str, bool]:
    """Whether the person gets each registered kind by e-mail (security kinds: always)."""
    saved = dict(
        NotificationPreference.objects.filter(user=user).values_list("kind", "email_enabled")
    )
    return {
        kind.key: True if kind.security else saved.get(kind.key, kind.email_default)
        for kind in all_kinds()
    }


def recipient_ids_wanting_email(*, user_ids: Iterable[int], kind: NotificationKind) -> set[int]:
    """Of these people, those who get this kind by e-mail, in one query."""
    user_ids = set(user_ids)
    if kind.security:
        return user_ids
    choices = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind.key).values_list(
            "user_id", "email_enabled"
        )
    )
    return {user_id for user_id in user_ids if choices.get(user_id, kind.email_default)}
