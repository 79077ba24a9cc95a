from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import AccountError, user_set_language, user_update_profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_update_profile_saves_trimmed_name_and_language():
    user = UserFactory(display_name="Old", language="de")

    user_update_profile(user=user, display_name="  New Name ", language="en")

    user.refresh_from_db()
    assert (user.display_name, user.language) == ("New Name", "en")


def test_user_update_profile_unknown_language_raises():
    user = UserFactory(language="de")

    with pytest.raises(AccountError):
        user_update_profile(user=user, display_name="X", language="fr")

    user.refresh_from_db()
    assert user.language == "de"


def test_user_set_language_saves_language():
    user = UserFactory(language="de")

    user_set_language(user=user, language="en")

    user.refresh_from_db()
    assert user.language == "en"


def test_user_set_language_unknown_language_raises():
    user = UserFactory(language="de")

    with pytest.raises(AccountError):
        user_set_language(user=user, language="klingon")


def test_user_set_language_same_language_writes_nothing():
    user = UserFactory(language="de")

    with CaptureQueriesContext(connection) as queries:
        user_set_language(user=user, language="de")

    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
