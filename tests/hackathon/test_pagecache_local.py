"""A page this process served lately is also kept in the process (hackathon.pagecache): a
hit reads only the versions from Redis, is still refused once what it shows changed, and
ends when the page expires."""

from __future__ import annotations

from collections import OrderedDict

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hackathon import pagecache
from projects.models import Project
from tests.hackathon.pagecache_data import event_with_submitted_projects

GALLERY = reverse("projects:gallery")


@pytest.fixture(autouse=True)
def page_cache(page_cache, monkeypatch):
    monkeypatch.setattr(pagecache, "_local_pages", OrderedDict())


@pytest.fixture
def event(db):
    return event_with_submitted_projects("Bettenradar")


def _gallery():
    return Client().get(GALLERY, {"event": "wirvsvirus"})


def _page_keys() -> list[str]:
    return [key for key in pagecache._local_pages if key.startswith("page-cache:page:")]


def test_a_hit_is_served_from_the_process_without_reading_the_page(event):
    assert _gallery().status_code == 200
    (key,) = _page_keys()
    cache.delete(key)  # gone from Redis: only this process has it now

    with CaptureQueriesContext(connection) as queries:
        second = _gallery()

    assert len(queries) == 0
    assert second.status_code == 200
    assert "Bettenradar" in second.content.decode()
    assert pagecache._csrf_placeholder() not in second.content.decode()


def test_a_change_is_shown_though_the_process_kept_the_page(
    event, django_capture_on_commit_callbacks
):
    _gallery()
    with django_capture_on_commit_callbacks(execute=True):
        Project.objects.update(title="Neuer Titel")

    assert "Neuer Titel" in _gallery().content.decode()


def test_an_expired_page_is_not_served_from_the_process(event):
    _gallery()
    (key,) = _page_keys()
    versions, status, headers, _content, _compressed, _expires = pagecache._local_pages[key]
    pagecache._local_pages[key] = (versions, status, headers, b"expired copy", None, 0.0)
    cache.delete(key)

    with CaptureQueriesContext(connection) as queries:
        response = _gallery()

    assert len(queries) > 0  # rendered afresh
    assert b"expired copy" not in response.content


def test_only_the_latest_pages_are_kept(event, monkeypatch):
    monkeypatch.setattr(pagecache, "LOCAL_PAGES", 2)
    for page in ("1", "2", "3"):
        Client().get(GALLERY, {"event": "wirvsvirus", "page": page})

    assert len(pagecache._local_pages) == 2
