"""How django-allauth behaves on this platform.

allauth calls this adapter for sign-up, mails and log-in checks; everything here
is a small deviation from its defaults, each with the reason next to it.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlparse

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation

from accounts.models import User
from accounts.services import SECURITY_ACTIONS, user_security_notice
from notifications.kinds import ACCOUNT_MAIL
from notifications.services import notify_by_email

logger = logging.getLogger(__name__)


def site_for_mails() -> SimpleNamespace:
    """Name, domain and address that allauth's mails show ("Hello from …").

    Taken from SITE_NAME/SITE_URL rather than the `django.contrib.sites` row,
    which nobody maintains and would say "example.com". Our mail templates
    (templates/account/email/) name the site by `name` and end with `url`.
    """
    return SimpleNamespace(
        name=settings.SITE_NAME,
        domain=urlparse(settings.SITE_URL).netloc,
        url=settings.SITE_URL,
    )


def user_for_email(email: str) -> User | None:
    """The account an address belongs to: a confirmed or added address, or the login one."""
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        return address.user
    return User.objects.filter(email__iexact=email).first()


def recipient_language(*, email: str, user: Any = None) -> str:
    """The language a mail to `email` is written in: the person's saved one if known."""
    language = getattr(user, "language", None)
    if not language and email:
        language = (
            User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
        )
    return language or translation.get_language() or settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every mail allauth sends (confirmation, password reset, "you already have an
        account") goes through the notification outbox: rendered here, in the
        recipient's saved language, and stored as a row in the request's transaction;
        Celery delivers it after commit, with retries. So sign-up and password reset
        succeed while the mail server is down, and the mail arrives once it is back.
        """
        user = context.get("user") or user_for_email(email)
        if user is None:
            # Only mails to an address without an account have nobody to belong to, and
            # those are switched off (ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False).
            logger.warning("Not sending %s: no account has that address.", template_prefix)
            return
        language = recipient_language(email=email, user=user)
        with translation.override(language):
            message = self.render_mail(
                template_prefix, email, {"current_site": site_for_mails(), **context}
            )
        notify_by_email(recipient=user, kind=ACCOUNT_MAIL, message=message, language=language)

    def send_notification_mail(
        self,
        template_prefix: str,
        user: Any,
        context: dict | None = None,
        email: str | None = None,
    ) -> None:
        """Security notices (password or address changed, ...) become notifications.

        allauth would send them at once inside the request, unrecorded and lost on an
        SMTP hiccup; as notifications they are stored, shown in the notification
        centre and delivered by Celery with retries, exactly once.
        """
        if not settings.ACCOUNT_EMAIL_NOTIFICATIONS:
            return
        details = dict(context or {})
        if "provider" in details:
            details["provider"] = getattr(details["provider"], "name", details["provider"])
        details["ip"] = self.get_client_ip(self.request) if self.request else ""
        action = SECURITY_ACTIONS.get(template_prefix, template_prefix.rsplit("/", 1)[-1])
        user_security_notice(user=user, action=action, details=details)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Answers too many failed log-ins with HTTP 429 instead of a form error.

        allauth only shows "too many failed attempts" in the form (status 200);
        a 429 tells scripts and monitoring what happened, and our 429 page
        explains it to people.
        """
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as exc:
            if exc.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(respond_429(request)) from exc
            raise
