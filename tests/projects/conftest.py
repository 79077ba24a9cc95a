"""Fixtures of the project tests: an event with a published challenge, a team with two
members, people who must not get in, and image files.

Deadlines: `deadline` is a fixed instant, Sunday 22 March 2020 23:55 in Berlin (the
#WirVsVirus final deadline); service tests pass `now` around it. Web tests, which run at
the real time, use `open_deadline` (two days ahead) or `passed_deadline` (a minute ago).

Helper functions (not fixtures) are imported by the test modules.
"""

from __future__ import annotations

import io
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from events.enums import PhaseKind
from projects import services
from tests.conftest import english_client, english_fixture
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    OrganiserFactory,
    PhaseFactory,
    RegistrationFactory,
    UserFactory,
    add_member,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DEADLINE = datetime(2020, 3, 22, 23, 55, tzinfo=BERLIN)
BEFORE = DEADLINE - timedelta(hours=3)
SECOND = timedelta(seconds=1)


def participant(event, **user_fields):
    return RegistrationFactory(event=event, user=UserFactory(**user_fields)).user


def submission_phase(event, ends_at: datetime):
    return PhaseFactory(
        event=event,
        kind=PhaseKind.SUBMISSION,
        starts_at=ends_at - timedelta(days=2),
        ends_at=ends_at,
    )


def complete_data(challenge, **overrides) -> dict:
    """Everything a submission needs."""
    return {
        "title": "Bettenradar",
        "pitch": "Freie Intensivbetten auf einen Blick, für alle Leitstellen.",
        "problem": "Leitstellen telefonieren Kliniken ab, um ein freies Bett zu finden.",
        "solution": "Kliniken melden freie Betten, Leitstellen sehen sie auf einer Karte.",
        "target_group": "Leitstellen und Kliniken",
        "how_it_works": "Django, PostgreSQL und eine Karte.",
        "next_steps": "Pilot in Berlin.",
        "category": "new_build",
        "repository_url": "https://github.com/example/bettenradar",
        "video_url": "",
        "demo_url": "",
        "slides_url": "",
        "licence": "MIT",
        "challenges": [challenge],
        "tags": ["Gesundheit", "Open Data"],
        **overrides,
    }


def image_bytes(fmt: str = "JPEG", size=(640, 480), color=(200, 30, 30), **save) -> bytes:
    mode = "RGBA" if fmt in ("PNG", "WEBP") and len(color) == 4 else "RGB"
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_project(team, actor, challenge, *, now=BEFORE, **overrides):
    return services.project_create(
        team=team, actor=actor, data=complete_data(challenge, **overrides), now=now
    )


@pytest.fixture
def event(db):
    return EventFactory(slug="wirvsvirus", name="#WirVsVirus", time_zone="Europe/Berlin")


@pytest.fixture
def challenge(event):
    return ChallengeFactory(event=event, title="Freie Intensivbetten finden")


@pytest.fixture
def founder(event):
    return participant(event, email="founder@example.org", display_name="Fenja Founder")


@pytest.fixture
def member(event):
    return participant(event, email="member@example.org", display_name="Mo Member")


@pytest.fixture
def team(event, challenge, founder, member):
    from teams.services import team_create

    team = team_create(
        event=event,
        challenge=challenge,
        founder=founder,
        data={"name": "Bettenradar-Team", "pitch": "Wir finden freie Intensivbetten für alle."},
    )
    add_member(team, member)
    return team


@pytest.fixture
def other_team(event, challenge):
    from teams.services import team_create

    return team_create(
        event=event,
        challenge=challenge,
        founder=participant(event, display_name="Otto Other"),
        data={"name": "Andere", "pitch": "Ein anderes Team mit einer anderen Idee."},
    )


@pytest.fixture
def stranger(event):
    """Registered for the event, but not in the team."""
    return participant(event, email="stranger@example.org", display_name="Stella Stranger")


@pytest.fixture
def organiser(db):
    return OrganiserFactory(email="orga@example.org", display_name="Olga Orga")


@pytest.fixture
def deadline(event):
    submission_phase(event, DEADLINE)
    return DEADLINE


@pytest.fixture
def open_deadline(event):
    ends_at = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    submission_phase(event, ends_at)
    return ends_at


@pytest.fixture
def passed_deadline(event):
    ends_at = (timezone.now() - timedelta(minutes=1)).replace(microsecond=0)
    submission_phase(event, ends_at)
    return ends_at


_english = pytest.fixture(autouse=True)(english_fixture)
client = pytest.fixture(english_client)
