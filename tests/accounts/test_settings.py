"""Account settings from the environment: social providers, the demo's verification.

Settings are read once per process, so each case runs in a subprocess with its
own environment, an in-memory SQLite database and no Redis.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import User

BASE_DIR = Path(__file__).resolve().parents[2]

GITHUB = {
    "SOCIAL_PROVIDERS": "github",
    "SOCIAL_GITHUB_CLIENT_ID": "test-client-id",
    "SOCIAL_GITHUB_SECRET": "test-secret",
}

# Renders the login page and the provider's start page with the test client.
RENDER_LOGIN = """
import django
django.setup()
from django.core.management import call_command
from django.test.utils import setup_test_environment
from django.test import Client
call_command("migrate", verbosity=0, interactive=False)
setup_test_environment()
client = Client()
for url in ("/accounts/login/", "/accounts/github/login/?process=login"):
    response = client.get(url)
    print("STATUS", url, response.status_code)
    print(response.content.decode())
"""


def _run(args: list[str], extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DEMO") and not key.startswith("SOCIAL_")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hackathon.settings",
            "DATABASE_URL": "sqlite:///:memory:",
            "DJANGO_ENV": "test",
            **extra_env,
        }
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_social_github_settings_pass_check():
    result = _run(["manage.py", "check"], GITHUB)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_social_github_login_page_shows_provider_button():
    result = _run(["-c", RENDER_LOGIN], GITHUB)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "STATUS /accounts/login/ 200" in out
    login_page = out.split("STATUS /accounts/github/login/")[0]
    assert 'class="provider-list"' in login_page
    assert 'href="/accounts/github/login/?process=login"' in login_page
    assert "GitHub" in login_page
    assert 'class="skip-link"' in login_page
    # The provider's own start page (asks to continue, by POST) is in our layout too.
    provider_page = out.split("STATUS /accounts/github/login/?process=login")[1]
    assert provider_page.startswith(" 200")
    assert 'class="skip-link"' in provider_page
    assert 'method="post"' in provider_page


def test_social_provider_without_keys_fails_loudly():
    result = _run(["manage.py", "check"], {"SOCIAL_PROVIDERS": "github"})

    assert result.returncode != 0
    assert "SOCIAL_GITHUB_CLIENT_ID must be set" in result.stderr


def test_no_social_provider_by_default():
    result = _run(["-c", RENDER_LOGIN.replace('"/accounts/github/login/?process=login"', "")], {})

    assert result.returncode == 0, result.stderr
    assert "STATUS /accounts/login/ 200" in result.stdout
    assert "provider-list" not in result.stdout


@pytest.mark.parametrize("name", ["git-hub", "github;rm"])
def test_social_provider_name_is_checked(name):
    result = _run(["manage.py", "check"], {"SOCIAL_PROVIDERS": name})

    assert result.returncode != 0
    assert "SOCIAL_PROVIDERS has an invalid provider name" in result.stderr


PRINT_VERIFICATION = """
import django
django.setup()
from allauth.account import app_settings
print("VERIFICATION", app_settings.EMAIL_VERIFICATION.value)
"""


@pytest.mark.parametrize(("demo", "expected"), [("1", "optional"), ("0", "mandatory")])
def test_email_verification_mandatory_except_in_demo(demo, expected):
    result = _run(["-c", PRINT_VERIFICATION], {"DEMO": demo})

    assert result.returncode == 0, result.stderr
    assert f"VERIFICATION {expected}" in result.stdout


@pytest.mark.django_db
def test_optional_verification_as_in_demo_logs_in_after_signup(client, settings, mailoutbox):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"

    response = client.post(
        reverse("account_signup"),
        {
            "email": "demo@example.org",
            "password1": "a-fresh-long-passphrase-7",
            "password2": "a-fresh-long-passphrase-7",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(User.objects.get(email="demo@example.org").pk)
    assert len(mailoutbox) == 1  # the confirmation mail still goes out
