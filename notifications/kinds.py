"""The registry of notification kinds.

A kind says what a notification is about and how it is shown: its key (stored on
each row), a label for the preferences page, whether it is a security notice
(always e-mailed, cannot be switched off) and the templates that render it.

Other apps register their kinds once, when Django starts, from their AppConfig:

    # challenges/notification_kinds.py
    from django.utils.translation import gettext_lazy as _
    from notifications.kinds import NotificationKind, register

    CHALLENGE_PUBLISHED = register(
        NotificationKind(key="challenge.published", label=_("My challenge was published"))
    )

    # challenges/apps.py
    def ready(self):
        from challenges import notification_kinds  # noqa: F401  (registers the kinds)

and then call `notifications.services.notify(recipient=..., kind="challenge.published",
context={...})`. The templates default to

    templates/notifications/email/<key>.subject.txt  one line, plain text
    templates/notifications/email/<key>.txt          plain text, extending .../email/base.txt
    templates/notifications/email/<key>.html         HTML, extending .../email/base.html
    templates/notifications/inapp/<key>.html         a sentence for the notification centre

(an app may keep them in its own folder by passing subject_template=..., text_template=...,
html_template=... and inapp_template=...). Each sees `data` (the notification's context),
`notification`, `kind` and `link` (the page it is about, from `context["url"]`, or None;
absolute in e-mails); e-mails also see `recipient`, `site_name`, `site_url`,
`notifications_url` and `preferences_url`, and are rendered in the recipient's language.
A kind that is also mailed to bare addresses (notifications.services.notify_address, e.g.
judging.invitation) is rendered in the caller's language with `recipient` None.
`manage.py check` reports a registered kind whose templates are missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
KEY_MAX_LENGTH = 64  # Notification.kind and NotificationPreference.kind are CharField(64)


class UnknownNotificationKind(LookupError):
    """No kind with this key is registered."""


def link_from_context(context: Mapping[str, Any]) -> str | None:
    """The default link: `context["url"]` when it is a path on this site.

    Only site-relative paths are accepted, so a notification can never send a person
    to another site, whatever ended up in its context.
    """
    url = context.get("url")
    if isinstance(url, str) and url.startswith("/") and not url.startswith(("//", "/\\")):
        return url
    return None


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str | Promise
    # A short explanation for the preferences page.
    description: str | Promise = ""
    # Security notices always go out by e-mail; the preferences page shows them as fixed.
    security: bool = False
    # Whether a person who never touched their preferences gets this kind by e-mail.
    email_default: bool = True
    # Context keys notify() insists on, so a missing one fails at the cause, not in a template.
    required_context: tuple[str, ...] = ()
    # Site-relative path of the page the notification is about, computed from its context.
    get_link: Callable[[Mapping[str, Any]], str | None] = field(
        default=link_from_context, compare=False, repr=False
    )
    # The caller renders the e-mail and it is stored on the row (allauth's account mails:
    # confirmation links, password resets); such a kind has no templates and is never
    # shown in the notification centre.
    prerendered: bool = False
    subject_template: str = ""
    text_template: str = ""
    html_template: str = ""
    inapp_template: str = ""

    def __post_init__(self) -> None:
        if len(self.key) > KEY_MAX_LENGTH or not KEY_PATTERN.match(self.key):
            raise ImproperlyConfigured(
                f"Notification kind key {self.key!r} must look like 'app.event' "
                f"(lower-case words joined by dots, at most {KEY_MAX_LENGTH} characters)."
            )
        defaults = {
            "subject_template": f"notifications/email/{self.key}.subject.txt",
            "text_template": f"notifications/email/{self.key}.txt",
            "html_template": f"notifications/email/{self.key}.html",
            "inapp_template": f"notifications/inapp/{self.key}.html",
        }
        for name, default in defaults.items():
            if not getattr(self, name):
                # A frozen dataclass has no other way to fill a derived default.
                object.__setattr__(self, name, default)

    @property
    def template_names(self) -> tuple[str, ...]:
        if self.prerendered:
            return ()
        return (self.subject_template, self.text_template, self.html_template, self.inapp_template)

    @property
    def email_optional(self) -> bool:
        """Whether a person may switch the e-mail for this kind off."""
        return not self.security


_registry: dict[str, NotificationKind] = {}


def register(kind: NotificationKind) -> NotificationKind:
    """Adds a kind to the registry and returns it, so it can be kept as a constant.

    Registering the same definition twice (a module imported again) is harmless; a
    different kind under a key already taken is a configuration error.
    """
    existing = _registry.get(kind.key)
    if existing is not None and existing != kind:
        raise ImproperlyConfigured(
            f"Notification kind {kind.key!r} is already registered with a different definition."
        )
    _registry[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    """Removes a kind; for tests that register one of their own."""
    _registry.pop(key, None)


def get_kind(key: str) -> NotificationKind:
    try:
        return _registry[key]
    except KeyError:
        raise UnknownNotificationKind(f"No notification kind {key!r} is registered.") from None


def all_kinds() -> list[NotificationKind]:
    """Every registered kind, security kinds first, then by key (so an app's kinds group)."""
    return sorted(_registry.values(), key=lambda kind: (not kind.security, kind.key))


SYSTEM_ANNOUNCEMENT = register(
    NotificationKind(
        key="system.announcement",
        label=_("Announcements from the organisers"),
        description=_("News about an event you take part in, sent by its organisers."),
        required_context=("title", "body"),
    )
)

ACCOUNT_SECURITY = register(
    NotificationKind(
        key="account.security",
        label=_("Security notices about my account"),
        description=_("For example when your password or e-mail address changes."),
        security=True,
        required_context=("action",),
    )
)

ACCOUNT_MAIL = register(
    NotificationKind(
        key="account.mail",
        label=_("E-mails about my account"),
        description=_("Confirmation links and password resets you asked for."),
        security=True,
        prerendered=True,
    )
)
