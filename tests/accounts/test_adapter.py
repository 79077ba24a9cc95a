"""Mails go out in the recipient's saved language and name our site."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject"),
    [("en", "Password Reset Email"), ("de", "E-Mail zum Zurücksetzen des Passworts")],
)
def test_mail_uses_recipient_language(client, verified_user, mailoutbox, language, subject):
    verified_user.language = language
    verified_user.save(update_fields=["language"])
    # The browser asks in the other language; the saved one wins.
    client.cookies["language"] = "de" if language == "en" else "en"

    client.post(reverse("account_reset_password"), {"email": verified_user.email.upper()})

    assert len(mailoutbox) == 1
    assert subject in mailoutbox[0].subject


def test_mail_to_unknown_person_uses_page_language(client, mailoutbox):
    client.cookies["language"] = "en"

    client.post(
        reverse("account_signup"),
        {
            "email": "brand.new@example.org",
            "password1": "a-fresh-long-passphrase-7",
            "password2": "a-fresh-long-passphrase-7",
        },
    )

    assert len(mailoutbox) == 1
    assert "Please Confirm Your Email Address" in mailoutbox[0].subject


def test_mail_names_our_site_not_example_com(client, verified_user, mailoutbox, settings):
    settings.SITE_NAME = "Wir hacken"
    settings.SITE_URL = "https://hack.example.net"

    client.post(reverse("account_reset_password"), {"email": verified_user.email})

    body = mailoutbox[0].body
    assert "Wir hacken" in body
    assert "hack.example.net" in body
    assert "example.com" not in body
    assert mailoutbox[0].subject.startswith("[")


def test_notification_mail_after_password_change_uses_saved_language(
    verified_client, verified_user, mailoutbox, django_capture_on_commit_callbacks
):
    verified_user.language = "en"
    verified_user.save(update_fields=["language"])
    verified_client.cookies["language"] = "de"

    with django_capture_on_commit_callbacks(execute=True):
        verified_client.post(
            reverse("account_change_password"),
            {
                "oldpassword": "correct-horse-battery-staple",
                "password1": "another-long-passphrase-42",
                "password2": "another-long-passphrase-42",
            },
        )

    assert [m.to for m in mailoutbox] == [[verified_user.email]]
    assert "Security notice" in mailoutbox[0].subject
    assert "The password of your account was changed." in mailoutbox[0].body
