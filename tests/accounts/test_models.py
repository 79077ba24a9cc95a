from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.db import IntegrityError, transaction
from django.db.models import DO_NOTHING, PROTECT, RESTRICT

from accounts.models import User
from notifications.models import Notification
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_user_normalises_email_domain():
    user = User.objects.create_user("Ada.Lovelace@EXAMPLE.ORG", "a-long-passphrase-1")

    assert user.email == "Ada.Lovelace@example.org"
    assert user.check_password("a-long-passphrase-1")
    assert not user.is_staff
    assert not user.is_superuser
    assert user.is_active


def test_create_user_without_email_raises():
    with pytest.raises(ValueError):
        User.objects.create_user("", "a-long-passphrase-1")


def test_create_user_without_password_has_unusable_password():
    user = User.objects.create_user("nopass@example.org")

    assert not user.has_usable_password()


def test_create_superuser_sets_flags():
    user = User.objects.create_superuser("Boss@Example.ORG", "a-long-passphrase-1")

    assert user.email == "Boss@example.org"
    assert user.is_staff
    assert user.is_superuser


def test_create_superuser_cannot_be_made_without_flags():
    user = User.objects.create_superuser("boss@example.org", "pw-pw-pw-pw", is_staff=False)

    assert user.is_staff


def test_email_unique_ignores_case():
    User.objects.create_user("A@x.org", "a-long-passphrase-1")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("a@x.org", "a-long-passphrase-1")


def test_get_by_natural_key_ignores_case():
    user = User.objects.create_user("Mixed.Case@example.org")

    assert User.objects.get_by_natural_key("mixed.case@EXAMPLE.org") == user


def test_public_name_never_shows_email():
    named = UserFactory(display_name="Ada")
    unnamed = UserFactory(display_name="")

    assert named.public_name == "Ada"
    assert unnamed.email not in str(unnamed.public_name)


def test_delete_user_removes_login_data():
    """Nothing in the accounts set-up blocks deleting a person (GDPR erasure later)."""
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    SocialAccount.objects.create(user=user, provider="github", uid="123")
    NotificationFactory(recipient=user)

    user.delete()

    assert not EmailAddress.objects.exists()
    assert not SocialAccount.objects.exists()
    assert not Notification.objects.exists()


def test_no_relation_blocks_deleting_a_person():
    """Account deletion (GDPR erasure) must stay possible: no PROTECT towards people."""
    blocking = [
        f"{relation.related_model._meta.label}.{relation.field.name}"
        for relation in User._meta.related_objects
        if getattr(relation, "on_delete", None) in (PROTECT, RESTRICT, DO_NOTHING)
    ]

    assert blocking == []
