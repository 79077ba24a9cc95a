"""Turns a notification into the sentence shown in the notification centre and into an e-mail.

The in-app text is rendered in the language of the current request; the e-mail in
the recipient's saved language, whatever language the code that caused it ran in.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from notifications.kinds import NotificationKind, UnknownNotificationKind, get_kind
from notifications.models import Notification

UNKNOWN_KIND_TEMPLATE = "notifications/inapp/_unknown.html"


def kind_of(notification: Notification) -> NotificationKind | None:
    """The registered kind, or None for rows of a kind that is no longer registered."""
    try:
        return get_kind(notification.kind)
    except UnknownNotificationKind:
        return None


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def notification_link(notification: Notification, *, absolute: bool = False) -> str | None:
    """The page the notification is about, if any: a path, or a full URL for e-mails."""
    kind = kind_of(notification)
    if kind is None:
        return None
    path = kind.get_link(notification.context or {})
    if not path:
        return None
    return absolute_url(path) if absolute else path


def _template_context(notification: Notification, kind: NotificationKind | None, **extra) -> dict:
    return {
        "notification": notification,
        "kind": kind,
        "data": notification.context or {},
        **extra,
    }


def render_inapp(notification: Notification) -> SafeString:
    """The notification as one short HTML sentence in the active language."""
    kind = kind_of(notification)
    template = kind.inapp_template if kind is not None else UNKNOWN_KIND_TEMPLATE
    html = render_to_string(
        template,
        _template_context(notification, kind, link=notification_link(notification)),
    )
    # Templates autoescape, so their output is safe; strip the file's trailing newline.
    return mark_safe(html.strip())  # noqa: S308  (output of an autoescaping template)


def render_inapp_text(notification: Notification) -> str:
    """The in-app sentence as plain text, for the API."""
    return " ".join(html.unescape(strip_tags(render_inapp(notification))).split())


def email_language(recipient) -> str:
    language = getattr(recipient, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def subject_prefix() -> str:
    return getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", f"[{settings.SITE_NAME}] ")


def email_addresses(notification: Notification, kind: NotificationKind) -> list[str]:
    """Where the mail goes: the recipient's address; a security notice about an
    address change also goes to the address it was changed from, whose owner is
    the one who must hear of it if the account was taken over."""
    addresses = [notification.recipient.email]
    previous = notification.context.get("from_email") if kind.security else None
    if previous and previous.lower() != notification.recipient.email.lower():
        addresses.insert(0, previous)
    return addresses


def message_id(notification: Notification) -> str:
    """The same Message-ID however often the row is delivered, so that a mail sent twice
    (a worker killed between sending and recording it) is recognisable as one."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    created = int(notification.created_at.timestamp()) if notification.created_at else 0
    return f"<notification.{notification.pk}.{created}@{domain}>"


def _headers(notification: Notification, language: str) -> dict[str, str]:
    return {
        "Message-ID": message_id(notification),
        # Tells auto-responders not to answer (RFC 3834).
        "Auto-Submitted": "auto-generated",
        "Content-Language": language,
    }


def _prerendered_email(notification: Notification) -> EmailMultiAlternatives:
    stored = notification.email_message
    message = EmailMultiAlternatives(
        subject=" ".join(str(stored.get("subject", "")).split()),
        body=stored.get("body", ""),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(stored.get("to") or [notification.recipient.email]),
        headers=_headers(notification, stored.get("language") or settings.LANGUAGE_CODE),
    )
    if stored.get("html"):
        message.attach_alternative(stored["html"], "text/html")
    return message


def render_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail for a notification, in its recipient's language, with absolute links.

    Raises UnknownNotificationKind when the kind is no longer registered.
    """
    if notification.email_message is not None:
        return _prerendered_email(notification)
    kind = get_kind(notification.kind)
    language = email_language(notification.recipient)
    return _render_kind_email(
        kind,
        notification=notification,
        data=notification.context or {},
        recipient=notification.recipient,
        language=language,
        to=email_addresses(notification, kind),
        headers=_headers(notification, language),
    )


def render_email_for_address(
    *, kind: NotificationKind, context: dict, email: str, language: str
) -> EmailMultiAlternatives:
    """A kind's e-mail to an address that belongs to nobody on the platform yet (an
    organiser's invitation), rendered now in `language` from the kind's templates, for
    notifications.services.notify_address. The templates see `recipient` as None."""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    return _render_kind_email(
        kind,
        notification=None,
        data=context,
        recipient=None,
        language=language,
        to=[email],
        headers={},
    )


def _render_kind_email(
    kind: NotificationKind,
    *,
    notification: Notification | None,
    data: dict,
    recipient,
    language: str,
    to: list[str],
    headers: dict[str, str],
) -> EmailMultiAlternatives:
    path = kind.get_link(data)
    with translation.override(language):
        context = {
            "notification": notification,
            "kind": kind,
            "data": data,
            "recipient": recipient,
            "link": absolute_url(path) if path else None,
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            "notifications_url": absolute_url(reverse("notifications:list")),
            "preferences_url": absolute_url(reverse("notifications:preferences")),
            "language_code": language,
        }
        subject = render_to_string(kind.subject_template, context)
        text = render_to_string(kind.text_template, context)
        html_body = render_to_string(kind.html_template, context)
    # Template tags leave blank lines behind; a plain-text mail reads better without runs of them.
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    # A header must be one line; templates may wrap.
    subject = subject_prefix() + " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers,
    )
    message.attach_alternative(html_body, "text/html")
    return message
