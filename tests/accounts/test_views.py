"""The account page and the language switch."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from notifications.models import Notification
from tests.accounts.conftest import assert_our_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_anonymous_is_sent_to_login(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('accounts:profile')}"


def test_profile_anonymous_post_changes_nothing(client):
    user = UserFactory(display_name="Before")

    response = client.post(
        reverse("accounts:profile"), {"display_name": "Hacked", "language": "en"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Before"


def test_profile_shows_own_account_and_links(verified_client, verified_user):
    response = verified_client.get(reverse("accounts:profile"))

    page = assert_our_page(response)
    content = response.content.decode()
    assert verified_user.email in content
    assert {"id_display_name", "id_language"} <= page.label_for
    assert reverse("account_email") in content
    assert reverse("account_change_password") in content


def test_profile_saves_display_name_and_language(verified_client, verified_user):
    response = verified_client.post(
        reverse("accounts:profile"), {"display_name": "  Ada  ", "language": "en"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert response.cookies["language"].value == "en"
    verified_user.refresh_from_db()
    assert verified_user.display_name == "Ada"
    assert verified_user.language == "en"
    # The next page is in the saved language.
    follow = verified_client.get(reverse("accounts:profile"))
    assert follow.wsgi_request.LANGUAGE_CODE == "en"
    assert b"Your account has been saved." in follow.content


def test_profile_unknown_language_is_a_form_error(verified_client, verified_user):
    response = verified_client.post(
        reverse("accounts:profile"), {"display_name": "Ada", "language": "xx"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    verified_user.refresh_from_db()
    assert verified_user.language == "de"
    assert verified_user.display_name != "Ada"


def test_profile_only_changes_the_signed_in_person(verified_client, verified_user):
    other = UserFactory(display_name="Other", language="de")

    verified_client.post(
        reverse("accounts:profile"), {"display_name": "Changed", "language": "en", "id": other.pk}
    )

    other.refresh_from_db()
    assert (other.display_name, other.language) == ("Other", "de")


def test_set_language_stores_language_on_user(verified_client, verified_user):
    response = verified_client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response.cookies["language"].value == "en"
    verified_user.refresh_from_db()
    assert verified_user.language == "en"


def test_set_language_saved_language_applies_without_cookie(client, verified_user):
    client.force_login(verified_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    # A new browser without the cookie still gets the saved language.
    client.cookies.pop("language")
    response = client.get(reverse("accounts:profile"))

    assert response.wsgi_request.LANGUAGE_CODE == "en"


def test_set_language_anonymous_only_sets_cookie(client):
    user = UserFactory(language="de")

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response.cookies["language"].value == "en"
    user.refresh_from_db()
    assert user.language == "de"


def test_set_language_unknown_language_changes_nothing(verified_client, verified_user):
    response = verified_client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert response.status_code == 302
    verified_user.refresh_from_db()
    assert verified_user.language == "de"


def test_set_language_get_is_not_allowed(verified_client):
    assert verified_client.get(reverse("set_language")).status_code == 405


# ---------------------------------------------------------------- API token


def test_api_token_is_created_replaced_and_revoked_from_the_account_page(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(language="en")
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    client.force_login(person)
    url = reverse("accounts:api_token")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    first = Token.objects.get(user=person).key
    page = client.get(reverse("accounts:profile"))
    assert first in page.text
    tool = Client()  # another program, with nothing but the token
    assert tool.get("/api/v1/me/teams/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 200

    client.post(url)
    second = Token.objects.get(user=person).key
    assert second != first
    assert tool.get("/api/v1/me/teams/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert tool.get("/api/v1/me/teams/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200

    client.post(url, {"revoke": "1"})
    assert not Token.objects.filter(user=person).exists()
    # Each new token is a security notice, by e-mail, which cannot be switched off.
    actions = Notification.objects.filter(recipient=person).values_list(
        "context__action", flat=True
    )
    assert list(actions) == ["api_token_created", "api_token_created"]
    assert "A new API token was created for your account." in mailoutbox[0].body


def test_api_token_needs_login_and_post(client):
    url = reverse("accounts:api_token")
    assert client.post(url)["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405
