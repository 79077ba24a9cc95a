"""Every input of the admin's tabular inlines and editable change lists has a name
(hackathon/admin_a11y.py), and every admin page loads our admin stylesheet and script."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.events.conftest import add_full_schedule
from tests.factories import EventFactory, SkillFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.cookies["language"] = "de"
    return client


def _unnamed_controls(html: str) -> list[str]:
    """Inputs and selects of inline rows and list rows without aria-label."""
    controls = re.findall(r"<(?:input|select)\b[^>]*>", html)
    return [
        control
        for control in controls
        if re.search(r'name="(?:phases|form)-\d+-', control)
        and 'type="hidden"' not in control
        and "aria-label=" not in control
    ]


def test_event_schedule_inputs_are_named(admin_client):
    event = EventFactory(slug="benannt", name="Benannt")
    add_full_schedule(event, hacking_starts=timezone.now() + timedelta(days=10))

    html = admin_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()

    assert _unnamed_controls(html) == []
    assert 'aria-label="Beginn: Datum (Benannt: Hackathon)"' in html
    assert 'aria-label="Löschen (Benannt: Hackathon)"' in html


def test_skill_changelist_inputs_are_named_and_categories_translated(admin_client):
    SkillFactory(name="Law", slug="law", category="Domain", is_curated=True)

    html = admin_client.get(reverse("admin:participants_skill_changelist")).content.decode()

    assert _unnamed_controls(html) == []
    assert ">Fachwissen</a>" in html  # the category filter in German


def test_admin_pages_load_our_stylesheet_and_script(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()

    assert "/static/css/admin.css" in html
    assert "/static/js/admin-a11y.js" in html
    assert "<style" not in html and "style=" not in html
