"""The typed environment readers and the production profile.

The readers are tested with an explicit `environ` mapping; the production
profile in a subprocess, because settings are read once at import.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hackathon.env import env_bool, env_choice, env_hosts, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- env_str


def test_env_str_returns_value_when_set():
    assert env_str("SITE_NAME", "x", environ={"SITE_NAME": "WirVsVirus"}) == "WirVsVirus"


def test_env_str_returns_default_when_unset_or_empty():
    assert env_str("SITE_NAME", "fallback", environ={}) == "fallback"
    assert env_str("SITE_NAME", "fallback", environ={"SITE_NAME": ""}) == "fallback"


def test_env_str_rejects_missing_required_value_naming_it():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        env_str("SECRET_KEY", environ={})
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        env_str("SECRET_KEY", environ={"SECRET_KEY": ""})


# ---------------------------------------------------------------- env_bool


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("Yes", True), (" ON ", True), ("0", False), ("off", False)],
)
def test_env_bool_accepts_common_spellings(raw, expected):
    assert env_bool("DEBUG", default=not expected, environ={"DEBUG": raw}) is expected


def test_env_bool_returns_default_when_unset():
    assert env_bool("DEBUG", default=True, environ={}) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled"])
def test_env_bool_rejects_other_values_naming_variable_and_value(raw):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_bool("DEBUG", default=False, environ={"DEBUG": raw})
    assert "DEBUG" in str(excinfo.value)
    assert repr(raw) in str(excinfo.value)


# ---------------------------------------------------------------- env_int


def test_env_int_accepts_whole_numbers_in_range():
    assert (
        env_int("EMAIL_PORT", 25, minimum=1, maximum=65535, environ={"EMAIL_PORT": " 587 "}) == 587
    )


def test_env_int_returns_default_when_unset_or_blank():
    assert env_int("EMAIL_PORT", 25, environ={}) == 25
    assert env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "  "}) == 25


@pytest.mark.parametrize("raw", ["twenty", "1.5", "12a"])
def test_env_int_rejects_non_numbers_naming_variable_and_value(raw):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": raw})
    assert "EMAIL_PORT" in str(excinfo.value)
    assert repr(raw) in str(excinfo.value)


def test_env_int_rejects_values_below_minimum_naming_variable_and_value():
    with pytest.raises(ImproperlyConfigured, match=r"EMAIL_PORT must be at least 1, got 0"):
        env_int("EMAIL_PORT", 25, minimum=1, environ={"EMAIL_PORT": "0"})


def test_env_int_rejects_values_above_maximum_naming_variable_and_value():
    with pytest.raises(ImproperlyConfigured, match=r"EMAIL_PORT must be at most 65535, got 70000"):
        env_int("EMAIL_PORT", 25, maximum=65535, environ={"EMAIL_PORT": "70000"})


# ---------------------------------------------------------------- env_list


def test_env_list_splits_on_commas_and_drops_blanks():
    environ = {"ALLOWED_HOSTS": " example.org, www.example.org ,,"}
    assert env_list("ALLOWED_HOSTS", [], environ=environ) == ["example.org", "www.example.org"]


def test_env_list_returns_a_copy_of_the_default_when_unset():
    default = ["localhost"]
    result = env_list("ALLOWED_HOSTS", default, environ={})
    assert result == ["localhost"]
    assert result is not default


def test_env_list_set_but_empty_means_empty_list():
    assert env_list("SOCIAL_PROVIDERS", ["github"], environ={"SOCIAL_PROVIDERS": ""}) == []


# ---------------------------------------------------------------- env_hosts


def test_env_hosts_takes_names_subdomain_wildcards_and_addresses():
    raw = "example.org, .example.org, 127.0.0.1, [::1], localhost, *"
    assert env_hosts("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": raw}) == [
        "example.org",
        ".example.org",
        "127.0.0.1",
        "[::1]",
        "localhost",
        "*",
    ]


@pytest.mark.parametrize(
    "raw", ["https://example.org", "example.org:8000", "example.org/app", "exa mple.org"]
)
def test_env_hosts_rejects_urls_ports_and_paths_naming_variable_and_value(raw):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_hosts("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": f"ok.example.org,{raw}"})
    message = str(excinfo.value)
    assert "ALLOWED_HOSTS must list host names" in message
    assert repr(raw) in message


# ---------------------------------------------------------------- env_choice

CHOICES = ("development", "production", "test")


def test_env_choice_accepts_a_listed_value():
    assert (
        env_choice("DJANGO_ENV", "development", CHOICES, environ={"DJANGO_ENV": "test"}) == "test"
    )


def test_env_choice_returns_default_when_unset():
    assert env_choice("DJANGO_ENV", "development", CHOICES, environ={}) == "development"


@pytest.mark.parametrize("raw", ["prod", "Production", "staging"])
def test_env_choice_rejects_unlisted_values_naming_variable_value_and_choices(raw):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_choice("DJANGO_ENV", "development", CHOICES, environ={"DJANGO_ENV": raw})
    message = str(excinfo.value)
    assert "DJANGO_ENV" in message
    assert repr(raw) in message
    assert "production" in message


# ---------------------------------------------------------------- env_url


@pytest.mark.parametrize(
    "raw",
    ["redis://127.0.0.1:6379/4", "rediss://user:secret@cache.example.org:6380/0"],
)
def test_env_url_accepts_allowed_schemes(raw):
    assert (
        env_url("REDIS_URL", None, schemes=("redis", "rediss"), environ={"REDIS_URL": raw}) == raw
    )


def test_env_url_accepts_sqlite_without_host():
    raw = "sqlite:////tmp/demo.sqlite3"
    assert (
        env_url("DATABASE_URL", None, schemes=("sqlite", "postgres"), environ={"DATABASE_URL": raw})
        == raw
    )


def test_env_url_returns_default_when_unset_or_empty():
    schemes = ("redis",)
    assert env_url("REDIS_URL", None, schemes=schemes, environ={}) is None
    assert env_url("REDIS_URL", "redis://x/0", schemes=schemes, environ={"REDIS_URL": ""}) == (
        "redis://x/0"
    )


@pytest.mark.parametrize("raw", ["http://127.0.0.1:6379/0", "127.0.0.1:6379", "mysql://db/app"])
def test_env_url_rejects_other_schemes_naming_variable_and_value(raw):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_url("REDIS_URL", None, schemes=("redis", "rediss"), environ={"REDIS_URL": raw})
    message = str(excinfo.value)
    assert "REDIS_URL" in message
    assert repr(raw) in message
    assert "redis://" in message


def test_env_url_rejects_a_url_without_host_naming_variable_and_value():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_url("SITE_URL", None, schemes=("http", "https"), environ={"SITE_URL": "https://"})
    assert "SITE_URL" in str(excinfo.value)
    assert "'https://'" in str(excinfo.value)


# ---------------------------------------------------------------- the production profile

# Variables that would change what the subprocess sees; each test sets its own.
_PROFILE_VARIABLES = (
    "DJANGO_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "SITE_URL",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "DEMO",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set while the end-to-end tests' browser runs
)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in _PROFILE_VARIABLES}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _secret_key() -> str:
    return secrets.token_urlsafe(64)  # 86 characters


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _manage(
        "check", DJANGO_ENV="production", SECRET_KEY="short", ALLOWED_HOSTS="example.org"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", DJANGO_ENV="production", SECRET_KEY=_secret_key())
    assert result.returncode != 0
    assert "ImproperlyConfigured: ALLOWED_HOSTS must list the site's host names" in result.stderr


def test_production_refuses_debug():
    result = _manage(
        "check",
        DJANGO_ENV="production",
        SECRET_KEY=_secret_key(),
        ALLOWED_HOSTS="example.org",
        DEBUG="1",
    )
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


def test_unknown_django_env_is_refused_naming_the_value():
    result = _manage("check", DJANGO_ENV="prod")
    assert result.returncode != 0
    assert "DJANGO_ENV must be one of development, production, test, got 'prod'" in result.stderr


def test_production_passes_deploy_checks_with_zero_findings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=_secret_key(),
        ALLOWED_HOSTS="example.org",
        SITE_URL="https://example.org",
        REDIS_URL="redis://redis.internal:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_deploy_check_warns_without_redis():
    environ_without_redis = {"REDIS_URL": ""}
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=_secret_key(),
        ALLOWED_HOSTS="example.org",
        SITE_URL="https://example.org",
        **environ_without_redis,
    )
    assert result.returncode != 0
    assert "hackathon.W001" in result.stdout + result.stderr


def _settings_in_subprocess(**env: str) -> dict:
    values = _setting_values(
        "CACHES", "SESSION_ENGINE", "CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL", **env
    )
    return {
        "cache": values["CACHES"]["default"]["BACKEND"],
        "sessions": values["SESSION_ENGINE"],
        "eager": values["CELERY_TASK_ALWAYS_EAGER"],
        "broker": values["CELERY_BROKER_URL"],
    }


def test_with_redis_url_nothing_stays_in_one_process():
    """What lets `--scale web=N --scale worker=M` work: shared cache, sessions and queue.
    Sessions live in the database, so a Redis outage signs nobody out."""
    shared = _settings_in_subprocess(REDIS_URL="redis://redis.internal:6379/0")

    assert shared == {
        "cache": "hackathon.cache.ResilientRedisCache",
        "sessions": "django.contrib.sessions.backends.db",
        "eager": False,
        "broker": "redis://redis.internal:6379/0",
    }


def test_without_redis_url_everything_runs_in_one_process():
    alone = _settings_in_subprocess()

    assert alone["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert alone["sessions"] == "django.contrib.sessions.backends.db"
    assert alone["eager"] is True


def _setting_values(*names: str, **env: str) -> dict:
    """Settings as a process outside the test run sees them (DJANGO_ENV and REDIS_URL
    unset unless given)."""
    environ = {k: v for k, v in os.environ.items() if k not in _PROFILE_VARIABLES}
    environ.pop("REDIS_URL", None)
    environ.update(env, DJANGO_SETTINGS_MODULE="hackathon.settings")
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    # A fresh interpreter has not imported pytest, so the settings take their real values.
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_outside_tests_passwords_are_hashed_with_argon2_in_berlin_time():
    values = _setting_values("PASSWORD_HASHERS", "TIME_ZONE", "USE_TZ")

    assert values["PASSWORD_HASHERS"][0] == "accounts.hashers.OWASPArgon2PasswordHasher"
    assert values["TIME_ZONE"] == "Europe/Berlin"
    assert values["USE_TZ"] is True


def test_email_tls_and_ssl_together_are_refused():
    result = _manage("check", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert result.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on." in result.stderr


def test_allowed_hosts_with_a_url_stops_the_start():
    result = _manage("check", ALLOWED_HOSTS="https://example.org")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list host names" in result.stderr
