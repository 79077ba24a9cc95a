"""Sign-up, verification, log-in, password reset and e-mail change through the client."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import NEW_PASSWORD, link_in_mail, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_PASSWORD = "a-fresh-long-passphrase-7"


def _sign_up(client, *, email: str = "New.Person@Example.org", display_name: str = "Nova"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": SIGNUP_PASSWORD,
            "password2": SIGNUP_PASSWORD,
            "display_name": display_name,
        },
    )


def test_signup_sends_verification_mail_and_waits_for_confirmation(client, mailoutbox):
    response = _sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email__iexact="new.person@example.org")
    assert user.display_name == "Nova"
    assert user.language == "de"  # the language the page was used in
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.person@example.org"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    # Not signed in before the address is confirmed.
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_signup_stores_language_of_the_page(client):
    client.cookies["language"] = "en"

    _sign_up(client, email="english@example.org")

    assert User.objects.get(email="english@example.org").language == "en"


def test_signup_weak_password_is_a_form_error(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "weak@example.org", "password1": "123", "password2": "123"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="weak@example.org").exists()
    assert mailoutbox == []


def test_signup_existing_address_sends_no_second_account(client, verified_user, mailoutbox):
    response = _sign_up(client, email=verified_user.email.upper())

    # No enumeration: the page looks the same, the owner gets a heads-up mail.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=verified_user.email).count() == 1
    assert [m.to for m in mailoutbox] == [[verified_user.email]]


def test_login_before_verification_redirects_to_verification_sent(client, mailoutbox):
    _sign_up(client)
    client.logout()
    mailoutbox.clear()

    response = log_in(client, email="new.person@example.org", password=SIGNUP_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_confirmation_link_verifies_and_login_works(client, mailoutbox):
    _sign_up(client)
    confirm_path = link_in_mail(mailoutbox[0], containing="/confirm-email/")

    assert client.get(confirm_path).status_code == 200
    response = client.post(confirm_path)

    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert EmailAddress.objects.get(user=user).verified
    # A fresh browser can now log in with the password.
    other = Client()
    response = log_in(other, email="NEW.PERSON@example.org", password=SIGNUP_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert other.get(reverse("accounts:profile")).status_code == 200


def test_login_wrong_password_is_a_form_error(client, verified_user):
    response = log_in(client, email=verified_user.email, password="not-the-password")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(verified_client):
    response = verified_client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert verified_client.get(reverse("accounts:profile")).status_code == 302


def test_password_reset_sends_mail_and_key_sets_new_password(client, verified_user, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": verified_user.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [verified_user.email]
    key_path = link_in_mail(mailoutbox[0], containing="/password/reset/key/")

    # allauth moves the key into the session and redirects to a key-less URL.
    response = client.get(key_path)
    assert response.status_code == 302
    form_path = response["Location"]
    assert client.get(form_path).status_code == 200
    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    verified_user.refresh_from_db()
    assert verified_user.check_password(NEW_PASSWORD)
    assert not verified_user.check_password(DEFAULT_PASSWORD)


def test_password_reset_key_cannot_be_used_twice(client, verified_user, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": verified_user.email})
    key_path = link_in_mail(mailoutbox[0], containing="/password/reset/key/")
    form_path = client.get(key_path)["Location"]
    client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    attacker = Client()
    response = attacker.get(key_path, follow=True)

    assert response.status_code == 200
    assert response.context["token_fail"]


def test_password_reset_unknown_address_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert "/password/reset/key/" not in "".join(m.body for m in mailoutbox)


def test_email_change_needs_confirmation_of_new_address(
    verified_client, verified_user, mailoutbox, django_capture_on_commit_callbacks
):
    old_email = verified_user.email

    response = verified_client.post(
        reverse("account_email"), {"email": "moved@example.org", "action_add": ""}
    )

    assert response.status_code == 302
    verified_user.refresh_from_db()
    assert verified_user.email == old_email  # unchanged until confirmed
    assert mailoutbox[-1].to == ["moved@example.org"]
    page = verified_client.get(reverse("account_email"))
    assert b"moved@example.org" in page.content

    confirm_path = link_in_mail(mailoutbox[-1], containing="/confirm-email/")
    with django_capture_on_commit_callbacks(execute=True):
        response = verified_client.post(confirm_path)

    assert response.status_code == 302
    verified_user.refresh_from_db()
    assert verified_user.email == "moved@example.org"
    assert list(
        EmailAddress.objects.filter(user=verified_user).values_list("email", "verified")
    ) == [("moved@example.org", True)]
    # The old address is told about the change.
    assert any(old_email in m.to for m in mailoutbox)


def test_email_change_to_taken_address_changes_nothing(verified_client, verified_user, mailoutbox):
    other = UserFactory()
    EmailAddress.objects.create(user=other, email=other.email, primary=True, verified=True)

    verified_client.post(reverse("account_email"), {"email": other.email, "action_add": ""})

    verified_user.refresh_from_db()
    assert verified_user.email != other.email
    assert not EmailAddress.objects.filter(user=verified_user, email=other.email, verified=True)


def test_email_page_needs_login(client):
    response = client.get(reverse("account_email"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_password_change_sets_new_password(verified_client, verified_user):
    response = verified_client.post(
        reverse("account_change_password"),
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    verified_user.refresh_from_db()
    assert verified_user.check_password(NEW_PASSWORD)


def test_password_change_wrong_old_password_is_a_form_error(verified_client, verified_user):
    response = verified_client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["oldpassword"]
    verified_user.refresh_from_db()
    assert verified_user.check_password(DEFAULT_PASSWORD)
