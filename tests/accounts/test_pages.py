"""Every allauth page renders inside our layout.

That is: base.html around it, one h1, labelled fields, no inline script or style.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.urls import reverse

from tests.accounts.conftest import assert_our_page, link_in_mail

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
        "account_reset_password_from_key_done",
    ],
)
def test_anonymous_pages_render_in_our_layout(client, url_name):
    assert_our_page(client.get(reverse(url_name)))


@pytest.mark.parametrize(
    "url_name",
    ["account_logout", "account_email", "account_change_password", "accounts:profile"],
)
def test_account_pages_render_in_our_layout(verified_client, url_name):
    assert_our_page(verified_client.get(reverse(url_name)))


def test_login_page_has_labelled_fields_and_our_buttons(client):
    response = client.get(reverse("account_login"))

    content = response.content.decode()
    page = assert_our_page(response)
    assert {"id_login", "id_password"} <= page.label_for
    assert 'class="form"' in content
    assert 'class="button"' in content
    assert reverse("account_reset_password") in content
    assert reverse("account_signup") in content
    # No social provider is configured in the test settings, so none is offered.
    assert "provider-list" not in content


def test_signup_page_shows_display_name_field(client):
    page = assert_our_page(client.get(reverse("account_signup")))

    assert {"id_email", "id_password1", "id_password2", "id_display_name"} <= page.label_for


def test_confirm_email_page_renders_in_our_layout(client, verified_user):
    address = EmailAddress.objects.create(
        user=verified_user, email="second@example.org", verified=False
    )
    key = EmailConfirmationHMAC(address).key

    response = client.get(reverse("account_confirm_email", args=[key]))

    assert_our_page(response)
    assert b"second@example.org" in response.content


def test_confirm_email_page_with_bad_key_renders_in_our_layout(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-key"]))

    assert_our_page(response)
    assert response.context["confirmation"] is None


def test_password_reset_from_key_pages_render_in_our_layout(client, verified_user, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": verified_user.email})
    key_path = link_in_mail(mailoutbox[0], containing="/password/reset/key/")

    form_page = client.get(key_path, follow=True)
    bad_page = client.get("/accounts/password/reset/key/1-bad-key/", follow=True)

    page = assert_our_page(form_page)
    assert {"id_password1", "id_password2"} <= page.label_for
    assert_our_page(bad_page)
    assert bad_page.context["token_fail"]


def test_email_page_with_pending_change_renders_in_our_layout(verified_client):
    verified_client.post(reverse("account_email"), {"email": "moved@example.org", "action_add": ""})

    response = verified_client.get(reverse("account_email"))

    page = assert_our_page(response)
    assert "pending-email" in page.ids
    assert b"moved@example.org" in response.content


def test_form_errors_render_in_our_layout(client):
    response = client.post(reverse("account_login"), {"login": "not-an-address", "password": ""})

    assert_our_page(response)
    assert b"errorlist" in response.content


def test_signed_in_person_visiting_login_is_sent_on(verified_client):
    response = verified_client.get(reverse("account_login"))

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("url_name", "status"),
    [("socialaccount_login_cancelled", 200), ("socialaccount_login_error", 401)],
)
def test_social_pages_render_in_our_layout(client, url_name, status):
    assert_our_page(client.get(reverse(url_name)), status=status)


def test_social_connections_page_renders_in_our_layout(verified_client):
    assert_our_page(verified_client.get(reverse("socialaccount_connections")))


def test_too_many_requests_page_renders_in_our_layout(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/m/ip"}
    client.post(reverse("account_signup"), {"email": "x@example.org"})

    response = client.post(reverse("account_signup"), {"email": "x@example.org"})

    page = assert_our_page(response, status=429)
    assert page.headings == ["h1"]
