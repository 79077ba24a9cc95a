from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from notifications.models import Notification
from notifications.rendering import notification_link, render_inapp

register = template.Library()


@register.simple_tag
def notification_text(notification: Notification) -> SafeString:
    """The notification as a sentence in the current language."""
    return render_inapp(notification)


@register.simple_tag
def notification_url(notification: Notification) -> str | None:
    """The site path the notification is about, or None."""
    return notification_link(notification)
