from django.utils.functional import SimpleLazyObject


def unread_notifications(request) -> dict:
    """The unread count for the header, queried only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}

    def count() -> int:
        return user.notifications.filter(read_at__isnull=True).count()

    return {"unread_notification_count": SimpleLazyObject(count)}
