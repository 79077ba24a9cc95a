"""Writes of the accounts app.

Sign-up, log-in, e-mail and password changes are django-allauth's; what a
person changes about themselves beyond that goes through here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User


class AccountError(Exception):
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
