from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress

from tests.factories import DEFAULT_PASSWORD, UserFactory

NEW_PASSWORD = "another-long-passphrase-42"

_LINK = re.compile(r"https?://testserver(/\S+)")


def link_in_mail(message, *, containing: str) -> str:
    """The path of the first link in a mail whose path contains `containing`."""
    for path in _LINK.findall(message.body):
        if containing in path:
            return path
    raise AssertionError(f"no link with {containing!r} in mail:\n{message.body}")


@pytest.fixture
def verified_user(db):
    """A person who signed up and confirmed their e-mail address."""
    user = UserFactory(language="de")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


@pytest.fixture
def verified_client(client, verified_user):
    client.force_login(verified_user)
    return client


def log_in(client, *, email: str, password: str = DEFAULT_PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


class _PageChecker(HTMLParser):
    """Collects what the layout and accessibility checks look at."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.controls: list[dict] = []
        self.inline_scripts = 0
        self.style_attributes = 0
        self.style_tags = 0
        self.headings: list[str] = []
        self.skip_link = False
        self.main = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if "style" in attributes:
            self.style_attributes += 1
        if tag == "style":
            self.style_tags += 1
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
        if tag == "label" and attributes.get("for"):
            self.label_for.add(attributes["for"])
        if tag in ("input", "select", "textarea") and attributes.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.controls.append(attributes)
        if tag in ("h1", "h2", "h3", "h4"):
            self.headings.append(tag)
        if tag == "a" and "skip-link" in (attributes.get("class") or ""):
            self.skip_link = True
        if tag == "main" and attributes.get("id") == "main":
            self.main = True


def assert_our_page(response, *, status: int = 200) -> _PageChecker:
    """The page renders in our base layout, has an h1, labelled controls and no inline code."""
    assert response.status_code == status, response
    page = _PageChecker()
    page.feed(response.content.decode())
    assert page.skip_link, "skip link of base.html missing"
    assert page.main, "<main id=main> of base.html missing"
    assert page.headings and page.headings[0] == "h1", page.headings
    assert page.headings.count("h1") == 1, page.headings
    assert page.inline_scripts == 0
    assert page.style_attributes == 0
    assert page.style_tags == 0
    for control in page.controls:
        assert control.get("id") in page.label_for or control.get("aria-label"), control
    return page


@pytest.fixture(autouse=True)
def _mails_leave_at_commit(on_commit_per_request):
    """allauth's mails go through the outbox: each request's mails are sent at its commit."""
