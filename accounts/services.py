"""Writes of the accounts app.

Sign-up, log-in, e-mail and password changes are django-allauth's; what a
person changes about themselves beyond that goes through here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import User
from hackathon.errors import DomainError
from notifications.kinds import ACCOUNT_SECURITY
from notifications.services import notify


class AccountError(DomainError):
    """An account change that is not allowed; the message can be shown to a person."""


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise AccountError(_("This language is not available."))


@transaction.atomic
def user_update_profile(*, user: User, display_name: str, language: str) -> User:
    """Saves how a person is called and which language they use.

    Side effects: the language also chooses the language of pages (when the
    browser has no language cookie) and of every e-mail sent to them.
    """
    _check_language(language)
    user.display_name = display_name.strip()
    user.language = language
    user.save(update_fields=["display_name", "language"])
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Remembers the language chosen with the language switcher on the account.

    Side effects: as for `user_update_profile`, pages and e-mails follow it.
    """
    _check_language(language)
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


# allauth's notification mails, by template, and the security notice each becomes.
SECURITY_ACTIONS = {
    "account/email/password_changed": "password_changed",
    "account/email/password_set": "password_set",
    "account/email/password_reset": "password_reset",
    "account/email/email_changed": "email_changed",
    "account/email/email_deleted": "email_deleted",
    "socialaccount/email/account_connected": "social_connected",
    "socialaccount/email/account_disconnected": "social_disconnected",
}
# What of allauth's context a notice may keep: plain text only, it is stored as JSON.
_SECURITY_DETAILS = ("ip", "from_email", "to_email", "deleted_email", "provider")


@transaction.atomic
def user_security_notice(*, user: User, action: str, details: dict | None = None):
    """Tells a person about a security-relevant change to their account.

    Goes through the notification system like every other notice (a row in the
    same transaction, e-mail by Celery after commit, sent once, retried), and
    the person cannot switch its e-mail off. `details` keeps only the keys in
    _SECURITY_DETAILS, as text. An e-mail change also reaches the old address
    (see notifications.rendering), so a stolen account cannot silence it.
    """
    context = {"action": action}
    for key in _SECURITY_DETAILS:
        value = (details or {}).get(key)
        if value:
            context[key] = str(value)
    return notify(recipient=user, kind=ACCOUNT_SECURITY, context=context)


@transaction.atomic
def user_api_token_renew(*, user: User) -> Token:
    """Gives a person a new API token; the old one, if any, stops working at once.

    Side effects: deletes the previous token; writes a security notice (which the
    person cannot switch off), so a token made by someone else does not go unseen.
    """
    # The person's row orders two clicks at once: Token.user is one-to-one.
    User.objects.select_for_update().filter(pk=user.pk).first()
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    user_security_notice(user=user, action="api_token_created")
    return token


@transaction.atomic
def user_api_token_revoke(*, user: User) -> bool:
    """Deletes a person's API token; returns whether there was one."""
    deleted, _details = Token.objects.filter(user=user).delete()
    return bool(deleted)
