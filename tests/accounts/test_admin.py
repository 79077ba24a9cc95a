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


# --- through accounts.services: allauth's addresses, notices, audit entries -----------------


def _change_form(user, **overrides) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        **overrides,
    }


def test_user_admin_add_gives_allauth_an_unverified_primary_address_and_audits(admin_client_):
    from allauth.account.models import EmailAddress

    from audit.models import AuditEntry

    response = admin_client_.post(
        ADD,
        {
            "email": "new@example.org",
            "display_name": "Newbie",
            "language": "de",
            "usable_password": "true",
            "password1": "a-long-admin-set-passphrase",
            "password2": "a-long-admin-set-passphrase",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert list(
        EmailAddress.objects.filter(user=user).values_list("email", "primary", "verified")
    ) == [("new@example.org", True, False)]
    [entry] = AuditEntry.objects.filter(action="user.admin_create")
    assert entry.target_id == user.pk and entry.actor.email == "admin@example.org"
    assert "password" not in str(entry.data) and "email" in entry.data["fields"]


def test_user_admin_email_change_moves_the_allauth_address_and_tells_the_person(admin_client_):
    from allauth.account.models import EmailAddress

    from audit.models import AuditEntry
    from notifications.models import Notification

    user = UserFactory(email="old@example.org", display_name="Person")
    EmailAddress.objects.create(user=user, email="old@example.org", primary=True, verified=True)
    url = reverse("admin:accounts_user_change", args=[user.pk])

    response = admin_client_.post(url, _change_form(user, email="new@example.org"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    [address] = EmailAddress.objects.filter(user=user)
    assert (address.email, address.primary, address.verified) == ("new@example.org", True, False)
    [notice] = Notification.objects.filter(recipient=user, kind="account.security")
    assert notice.context == {
        "action": "email_changed",
        "from_email": "old@example.org",
        "to_email": "new@example.org",
    }
    [entry] = AuditEntry.objects.filter(action="user.admin_update")
    assert entry.data == {"fields": ["email"]}


def test_user_admin_refuses_an_address_another_person_has_in_allauth(admin_client_):
    from allauth.account.models import EmailAddress

    other = UserFactory(email="other@example.org")
    EmailAddress.objects.create(user=other, email="second@example.org", primary=False)
    user = UserFactory(email="mine@example.org")
    admin_client_.cookies["language"] = "en"

    response = admin_client_.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _change_form(user, email="Second@example.org"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "A person with this e-mail address already exists."
    ]
    user.refresh_from_db()
    assert user.email == "mine@example.org"


def test_user_admin_group_change_is_audited(admin_client_):
    from django.contrib.auth.models import Group

    from audit.models import AuditEntry

    group = Group.objects.create(name="Jury")
    user = UserFactory(email="jury@example.org")

    response = admin_client_.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _change_form(user, groups=[group.pk]),
    )

    assert response.status_code == 302
    assert list(user.groups.values_list("name", flat=True)) == ["Jury"]
    [entry] = AuditEntry.objects.filter(action="user.admin_permissions")
    assert entry.data == {"groups": ["Jury"], "permissions": []}


def test_staff_who_are_not_superusers_cannot_change_groups(client):
    from django.contrib.auth.models import Group, Permission
    from django.utils import translation

    from accounts import services

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_user", "view_user"])
    )
    with translation.override("en"), pytest.raises(services.AccountError, match="Only admin"):
        services.user_admin_permissions_set(
            user=staff, actor=staff, groups=[Group.objects.create(name="Jury")], permissions=[]
        )
    assert not staff.groups.exists()


def test_people_are_not_deleted_in_the_admin(admin_client_):
    user = UserFactory(email="stays@example.org")
    response = admin_client_.post(
        reverse("admin:accounts_user_delete", args=[user.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=user.pk).exists()
