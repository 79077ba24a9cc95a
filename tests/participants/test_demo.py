from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from participants.enums import EventRole
from participants.models import Profile, Registration
from participants.selectors import people_for_finder

pytestmark = pytest.mark.django_db


def _snapshot():
    return sorted(
        Registration.objects.values_list("event__slug", "user__email", "role", "looking_for_team")
    )


def test_seed_demo_registers_participants_idempotently():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = _snapshot()
    first_skills = sorted(Profile.skills.through.objects.values_list("profile_id", "skill_id"))
    call_command("seed_demo", stdout=io.StringIO())

    assert _snapshot() == first
    assert sorted(Profile.skills.through.objects.values_list("profile_id", "skill_id")) == (
        first_skills
    )
    registrations = Registration.objects.filter(event__slug="wirvsvirus-demo")
    assert registrations.filter(role=EventRole.PARTICIPANT).count() >= 40
    assert registrations.get(user__email="mentor@example.org").role == EventRole.MENTOR
    assert registrations.get(user__email="orga@example.org").role == EventRole.ORGANISER
    looking = registrations.filter(role=EventRole.PARTICIPANT, looking_for_team=True).count()
    assert looking > registrations.filter(role=EventRole.PARTICIPANT).count() * 0.75
    lena = Profile.objects.get(user__email="lena.schmidt@example.org")
    assert lena.skills.exists() and lena.languages.exists() and lena.topic_interests.exists()
    assert lena.region
    assert "mentor@example.org" in out.getvalue()
    assert "anna.fischer@example.org" not in out.getvalue()
    event = registrations.first().event
    assert people_for_finder(event=event, params={"skill": "python"}).exists()
