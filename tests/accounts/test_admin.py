from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:accounts_user_changelist")
ADD = reverse("admin:accounts_user_add")


@pytest.fixture
def admin_client_(client):
    admin = User.objects.create_superuser("admin@example.org", "an-admin-passphrase-1")
    client.force_login(admin)
    return client


def test_user_admin_non_staff_is_sent_to_admin_login(client):
    client.force_login(UserFactory())

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_user_admin_lists_and_searches_by_email_and_display_name(admin_client_):
    UserFactory(email="ada@example.org", display_name="Ada")
    UserFactory(email="grace@example.org", display_name="Grace Hopper")

    by_email = admin_client_.get(CHANGELIST, {"q": "ADA@example"})
    by_name = admin_client_.get(CHANGELIST, {"q": "hopper"})

    assert by_email.status_code == 200
    assert [u.email for u in by_email.context["cl"].result_list] == ["ada@example.org"]
    assert [u.email for u in by_name.context["cl"].result_list] == ["grace@example.org"]


def test_user_admin_filters_by_language(admin_client_):
    UserFactory(email="en@example.org", language="en")
    UserFactory(email="de@example.org", language="de")

    response = admin_client_.get(CHANGELIST, {"language__exact": "en"})

    assert [u.email for u in response.context["cl"].result_list] == ["en@example.org"]


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    return len(queries)


def test_user_admin_changelist_query_count_does_not_grow(admin_client_):
    UserFactory()
    few = _changelist_queries(admin_client_)
    UserFactory.create_batch(10)

    assert _changelist_queries(admin_client_) == few


def test_user_admin_add_form_creates_user_with_password(admin_client_):
    assert admin_client_.get(ADD).status_code == 200

    response = admin_client_.post(
        ADD,
        {
            "email": "New.Person@EXAMPLE.org",
            "display_name": "Newbie",
            "language": "en",
            "usable_password": "true",
            "password1": "a-long-admin-set-passphrase",
            "password2": "a-long-admin-set-passphrase",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="New.Person@example.org")
    assert user.check_password("a-long-admin-set-passphrase")
    assert (user.display_name, user.language) == ("Newbie", "en")


def test_user_admin_add_form_rejects_address_differing_in_case(admin_client_):
    UserFactory(email="taken@example.org")

    response = admin_client_.post(
        ADD,
        {
            "email": "TAKEN@example.org",
            "language": "de",
            "usable_password": "true",
            "password1": "a-long-admin-set-passphrase",
            "password2": "a-long-admin-set-passphrase",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


def test_user_admin_change_form_saves(admin_client_):
    user = UserFactory(email="change@example.org", display_name="Before")
    url = reverse("admin:accounts_user_change", args=[user.pk])
    assert admin_client_.get(url).status_code == 200

    response = admin_client_.post(
        url,
        {
            "email": "change@example.org",
            "display_name": "After",
            "language": "de",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.display_name == "After"
