"""allauth's mails in our wording (templates/account/email/): German says "du" and every
mail names the site by SITE_NAME, never by its host ("ein Konto bei 127.0.0.1:8811")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts.adapter import AccountAdapter, site_for_mails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FORMAL = re.compile(r"\b(Sie|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihnen)\b")
TEMPLATES = Path(settings.BASE_DIR) / "templates" / "account" / "email"


@pytest.fixture
def site(settings):
    settings.SITE_NAME = "Wir hacken"
    settings.SITE_URL = "http://127.0.0.1:8811"


def _prefixes() -> list[str]:
    return sorted(
        f"account/email/{path.name.removesuffix('_message.txt')}"
        for path in TEMPLATES.glob("*_message.txt")
        if path.name != "base_message.txt"
    )


def test_every_allauth_mail_has_our_template():
    import allauth

    theirs = Path(allauth.__file__).parent / "templates" / "account" / "email"
    missing = sorted(
        path.name for path in theirs.glob("*_message.txt") if not (TEMPLATES / path.name).exists()
    )
    assert missing == []


@pytest.mark.parametrize("prefix", _prefixes())
def test_german_mail_says_du_and_names_the_site(rf, site, prefix):
    user = UserFactory(display_name="Pia Person", language="de")
    context = {
        "current_site": site_for_mails(),
        "user": user,
        "email": user.email,
        "activate_url": "http://127.0.0.1:8811/accounts/confirm-email/key/",
        "password_reset_url": "http://127.0.0.1:8811/accounts/password/reset/key/x/",
        "signup_url": "http://127.0.0.1:8811/accounts/signup/",
        "code": "ABC123",
        "from_email": "alt@example.org",
        "to_email": "neu@example.org",
        "deleted_email": "alt@example.org",
        "ip": "127.0.0.1",
        "user_agent": "Firefox",
        "timestamp": timezone.now(),
    }
    adapter = AccountAdapter(rf.get("/"))

    with translation.override("de"):
        message = adapter.render_mail(prefix, user.email, context)

    assert FORMAL.findall(message.body) == [], message.body
    assert "Wir hacken" in message.body
    # The host is only the address at the end, never the name of the site in a sentence.
    sentences = message.body.replace("http://127.0.0.1:8811", "")
    assert "127.0.0.1:8811" not in sentences
    assert " du " in f" {message.body} " or "dein" in message.body or "Dein" in message.body


def test_signup_confirmation_mail_in_german(client, site, mailoutbox):
    client.cookies["language"] = "de"

    client.post(
        reverse("account_signup"),
        {
            "email": "neu@example.org",
            "password1": "a-fresh-long-passphrase-7",
            "password2": "a-fresh-long-passphrase-7",
        },
    )

    [mail] = mailoutbox
    assert "um sich bei Wir hacken zu registrieren" in mail.body
    assert "Danke, dass du Wir hacken nutzt!" in mail.body
    assert FORMAL.findall(mail.body) == []


def test_password_reset_mail_in_english_names_the_site(client, site, mailoutbox):
    user = UserFactory(language="en")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)

    client.post(reverse("account_reset_password"), {"email": user.email})

    [mail] = mailoutbox
    assert "reset the password of your account on Wir hacken" in mail.body
    assert mail.body.rstrip().endswith("http://127.0.0.1:8811")
