"""Rate limits on log-in, failed log-in, sign-up and password reset answer with HTTP 429.

They are counted in the configured cache: local memory by default, Redis when
REDIS_URL is set (run the suite with it to check the production set-up).
"""

from __future__ import annotations

import pytest
from allauth.account import app_settings as allauth_account_settings
from allauth.core.internal.ratelimit import get_cache_key, parse_rate
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import assert_our_page, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def rate_limits(settings):
    """Sets small limits; allauth reads them on every request, so an override takes effect."""

    def override(**limits: str) -> None:
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, **limits}
        for action, rate in limits.items():
            assert allauth_account_settings.RATE_LIMITS[action] == rate

    return override


def test_rate_limits_are_counted_in_the_configured_cache(client, verified_user, rate_limits):
    rate_limits(login_failed="5/m/ip,5/m/key")

    log_in(client, email=verified_user.email, password="wrong-password")

    # allauth keeps the attempt history under "allauth:rl:…" keys of the default cache.
    request = RequestFactory().post("/accounts/login/")
    key = get_cache_key(
        request,
        app="allauth.account",
        action="login_failed",
        rate=parse_rate("5/m/ip"),
    )
    assert len(cache.get(key)) == 1


def test_failed_logins_over_the_limit_get_429(client, verified_user, rate_limits):
    rate_limits(login_failed="10/m/ip,3/5m/key")

    for _ in range(3):
        response = log_in(client, email=verified_user.email, password="wrong-password")
        assert response.status_code == 200  # form error, still allowed

    response = log_in(client, email=verified_user.email, password="wrong-password")

    assert_our_page(response, status=429)
    assert "_auth_user_id" not in client.session


def test_failed_logins_limit_also_stops_the_right_password(client, verified_user, rate_limits):
    rate_limits(login_failed="10/m/ip,2/5m/key")
    for _ in range(2):
        log_in(client, email=verified_user.email, password="wrong-password")

    response = log_in(client, email=verified_user.email)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failed_logins_per_address_leave_other_addresses_alone(client, verified_user, rate_limits):
    rate_limits(login_failed="10/m/ip,2/5m/key")
    for _ in range(2):
        log_in(client, email="someone-else@example.org", password="wrong-password")

    response = log_in(client, email=verified_user.email)

    assert response.status_code == 302


def test_successful_logins_do_not_use_up_the_failed_limit(client, verified_user, rate_limits):
    rate_limits(login_failed="10/m/ip,2/5m/key")

    for _ in range(3):
        assert log_in(client, email=verified_user.email).status_code == 302
        client.logout()


def test_login_posts_over_the_limit_get_429(client, verified_user, rate_limits):
    rate_limits(login="2/m/ip")
    log_in(client, email=verified_user.email, password="wrong-password")
    log_in(client, email=verified_user.email, password="wrong-password")

    response = log_in(client, email=verified_user.email)

    assert response.status_code == 429
    # Looking at the page is not limited, only posting it.
    assert client.get(reverse("account_login")).status_code == 200


def test_signups_over_the_limit_get_429(client, rate_limits):
    rate_limits(signup="2/m/ip")

    def sign_up(n: int):
        return client.post(
            reverse("account_signup"),
            {
                "email": f"new{n}@example.org",
                "password1": "a-fresh-long-passphrase-7",
                "password2": "a-fresh-long-passphrase-7",
            },
        )

    assert sign_up(1).status_code == 302
    client.logout()
    assert sign_up(2).status_code == 302
    client.logout()
    response = sign_up(3)

    assert_our_page(response, status=429)
    assert not User.objects.filter(email="new3@example.org").exists()


def test_password_resets_over_the_limit_get_429(client, verified_user, rate_limits, mailoutbox):
    rate_limits(reset_password="20/m/ip,2/m/key")
    for _ in range(2):
        response = client.post(reverse("account_reset_password"), {"email": verified_user.email})
        assert response.status_code == 302

    response = client.post(reverse("account_reset_password"), {"email": verified_user.email})

    assert_our_page(response, status=429)
    assert len(mailoutbox) == 2


def test_default_limits_cover_login_signup_and_reset():
    limits = allauth_account_settings.RATE_LIMITS

    for action in ("login", "login_failed", "signup", "reset_password"):
        assert limits[action], action


@pytest.mark.integration
def test_rate_limit_history_lives_in_redis(client, verified_user, rate_limits, settings):
    """With REDIS_URL the counts are shared by every web process through Redis."""
    import redis

    rate_limits(login_failed="10/m/ip,3/5m/key")
    connection = redis.Redis.from_url(settings.REDIS_URL)
    pattern = "*allauth:rl:allauth.account:login_failed:*"

    log_in(client, email=verified_user.email, password="wrong-password")

    assert len(connection.keys(pattern)) == 2  # one per IP, one per address
    for _ in range(2):
        log_in(client, email=verified_user.email, password="wrong-password")
    assert log_in(client, email=verified_user.email).status_code == 429
