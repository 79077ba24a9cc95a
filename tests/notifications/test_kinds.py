from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications.checks import check_kind_templates
from notifications.kinds import (
    NotificationKind,
    UnknownNotificationKind,
    all_kinds,
    get_kind,
    link_from_context,
    register,
    unregister,
)


@pytest.fixture
def temporary_kind():
    kind = register(NotificationKind(key="tests.something_happened", label="Something happened"))
    yield kind
    unregister(kind.key)


def test_builtin_kinds_are_registered():
    assert get_kind("system.announcement").security is False
    assert get_kind("account.security").security is True
    assert {"system.announcement", "account.security"} <= {k.key for k in all_kinds()}


def test_all_kinds_lists_security_kinds_first():
    kinds = all_kinds()
    assert kinds[0].security
    assert [k.security for k in kinds] == sorted((k.security for k in kinds), reverse=True)


def test_kind_template_names_default_to_the_key():
    kind = get_kind("system.announcement")
    assert kind.subject_template == "notifications/email/system.announcement.subject.txt"
    assert kind.text_template == "notifications/email/system.announcement.txt"
    assert kind.html_template == "notifications/email/system.announcement.html"
    assert kind.inapp_template == "notifications/inapp/system.announcement.html"


def test_kind_template_names_can_be_overridden():
    kind = NotificationKind(key="tests.custom", label="x", inapp_template="tests/x.html")
    assert kind.inapp_template == "tests/x.html"
    assert kind.html_template == "notifications/email/tests.custom.html"


def test_register_returns_the_kind_and_get_kind_finds_it(temporary_kind):
    assert get_kind("tests.something_happened") is temporary_kind
    assert temporary_kind in all_kinds()


def test_register_same_definition_twice_is_harmless(temporary_kind):
    assert (
        register(NotificationKind(key="tests.something_happened", label="Something happened"))
        == temporary_kind
    )


def test_register_different_kind_under_taken_key_fails(temporary_kind):
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        register(NotificationKind(key="tests.something_happened", label="Other", security=True))


@pytest.mark.parametrize("key", ["nodot", "Upper.case", "a..b", "a.b-c", "a." + "b" * 70])
def test_kind_with_malformed_key_is_refused(key):
    with pytest.raises(ImproperlyConfigured):
        NotificationKind(key=key, label="x")


def test_get_kind_of_unknown_key_raises():
    with pytest.raises(UnknownNotificationKind):
        get_kind("tests.never_registered")


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({"url": "/events/x/"}, "/events/x/"),
        ({"url": ""}, None),
        ({}, None),
        ({"url": "https://evil.example/"}, None),
        ({"url": "//evil.example/"}, None),
        ({"url": "/\\evil.example/"}, None),
        ({"url": 42}, None),
    ],
)
def test_link_from_context_accepts_only_site_paths(context, expected):
    assert link_from_context(context) == expected


def test_check_passes_for_builtin_kinds():
    assert check_kind_templates() == []


def test_check_reports_kind_without_templates(temporary_kind):
    errors = check_kind_templates()
    assert {e.id for e in errors} == {"notifications.E001"}
    assert len(errors) == 4
    assert all("tests.something_happened" in e.msg for e in errors)
