"""Passwords are hashed with Argon2id at OWASP's minimum; older Argon2 hashes are
rehashed with it when their owner logs in."""

from __future__ import annotations

import argon2
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password

from accounts.hashers import OWASPArgon2PasswordHasher
from tests.accounts.conftest import log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory

PRODUCTION_HASHERS = [
    "accounts.hashers.OWASPArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.fixture
def production_hashers(settings):
    # The tests hash with MD5 first (fast); here the production list applies.
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS


def _parameters(encoded: str) -> argon2.Parameters:
    return argon2.extract_parameters("$" + encoded.split("$", 1)[1])


def test_new_hashes_are_argon2id_with_owasp_minimum_parameters(production_hashers):
    parameters = _parameters(make_password(DEFAULT_PASSWORD))

    assert parameters.type is argon2.Type.ID
    assert parameters.memory_cost == 19 * 1024
    assert parameters.time_cost == 2
    assert parameters.parallelism == 1


def test_hashes_with_old_parameters_verify_and_must_be_updated(production_hashers):
    old = Argon2PasswordHasher().encode(DEFAULT_PASSWORD, Argon2PasswordHasher().salt())

    assert check_password(DEFAULT_PASSWORD, old)
    assert OWASPArgon2PasswordHasher().must_update(old)
    assert not OWASPArgon2PasswordHasher().must_update(make_password(DEFAULT_PASSWORD))


@pytest.mark.django_db
def test_login_rehashes_an_old_parameter_hash(client, production_hashers):
    # Hashed with Django's default Argon2 parameters (100 MiB, 8 lanes), as before.
    old_hasher = Argon2PasswordHasher()
    user = UserFactory()
    user.password = old_hasher.encode(DEFAULT_PASSWORD, old_hasher.salt())
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    assert _parameters(user.password).memory_cost == 102_400

    response = log_in(client, email=user.email)

    assert response.status_code == 302
    user.refresh_from_db()
    parameters = _parameters(user.password)
    assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (19_456, 2, 1)
    assert user.check_password(DEFAULT_PASSWORD)
