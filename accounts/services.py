"""Writes of the accounts app.

Sign-up, log-in, e-mail and password changes are django-allauth's; what a
person changes about themselves beyond that goes through here.
"""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import User
from audit.services import audit_log
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


# --- the user admin --------------------------------------------------------------------------

# Never named in an audit entry's field list by value; the hash is nobody's business.
_SECRET_FIELDS = {"password", "password1", "password2", "usable_password"}


def _require_perm(actor, permission: str) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(permission):
        raise AccountError(_("You may not change people's accounts."))


@transaction.atomic
def user_admin_save(*, user: User, actor, changed: Iterable[str], created: bool) -> User:
    """Saves a person created or changed in the Django admin (the form's values set on
    `user`; `changed` names the fields the form changed). Staff with the model permission.

    The e-mail address is also allauth's: a new person gets it as their primary, not yet
    verified address (they confirm it at their first log-in); a changed address replaces
    the primary one, unverified again, and the person is told at both addresses, as for
    a change they make themselves. Side effects: an audit entry naming the changed fields.
    """
    _require_perm(actor, "accounts.add_user" if created else "accounts.change_user")
    user.email = User.objects.normalize_email(user.email)
    if EmailAddress.objects.filter(email__iexact=user.email).exclude(user_id=user.pk).exists():
        raise AccountError(_("A person with this e-mail address already exists."), field="email")
    previous_email = None if created else User.objects.get(pk=user.pk).email
    user.save()
    if created or previous_email.lower() != user.email.lower():
        address = EmailAddress.objects.filter(user=user, primary=True).first()
        if address is None:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
        else:
            address.email, address.verified = user.email, False
            address.save(update_fields=["email", "verified"])
        if not created:
            user_security_notice(
                user=user,
                action="email_changed",
                details={"from_email": previous_email, "to_email": user.email},
            )
    audit_log(
        actor=actor,
        action="user.admin_create" if created else "user.admin_update",
        target=user,
        data={"fields": sorted(set(changed) - _SECRET_FIELDS)},
    )
    return user


@transaction.atomic
def user_admin_permissions_set(
    *, user: User, actor, groups: Iterable, permissions: Iterable
) -> None:
    """Sets a person's groups and permissions (the admin's form). Superusers only: who may
    do what on the platform is theirs to decide. Side effects: an audit entry with both."""
    if not getattr(actor, "is_superuser", False):
        raise AccountError(_("Only administrators can change groups and permissions."))
    groups, permissions = list(groups), list(permissions)
    user.groups.set(groups)
    user.user_permissions.set(permissions)
    audit_log(
        actor=actor,
        action="user.admin_permissions",
        target=user,
        data={
            "groups": sorted(group.name for group in groups),
            "permissions": sorted(
                f"{permission.content_type.app_label}.{permission.codename}"
                for permission in permissions
            ),
        },
    )
