from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from events.enums import PhaseKind
from tests.factories import EventFactory, OrganiserFactory, PhaseFactory, UserFactory

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=BERLIN, fold=fold)


def add_full_schedule(event, *, hacking_starts: datetime) -> None:
    """All seven phases around a 48-hour hackathon starting at `hacking_starts`."""
    hacking_ends = hacking_starts + timedelta(hours=48)
    spans = {
        PhaseKind.CHALLENGE_INTAKE: (
            hacking_starts - timedelta(days=28),
            hacking_starts - timedelta(days=7),
        ),
        PhaseKind.REGISTRATION: (hacking_starts - timedelta(days=21), hacking_ends),
        PhaseKind.HACKING: (hacking_starts, hacking_ends),
        PhaseKind.SUBMISSION: (hacking_starts, hacking_ends),
        PhaseKind.JUDGING: (hacking_ends, hacking_ends + timedelta(days=7)),
        PhaseKind.RESULTS: (hacking_ends + timedelta(days=7), hacking_ends + timedelta(days=14)),
        PhaseKind.PROGRAMME: (
            hacking_ends + timedelta(days=14),
            hacking_ends + timedelta(days=120),
        ),
    }
    for kind, (starts_at, ends_at) in spans.items():
        PhaseFactory(event=event, kind=kind, starts_at=starts_at, ends_at=ends_at)


@pytest.fixture
def running_event(db):
    """A public event six hours into its hackathon."""
    event = EventFactory(slug="wirvsvirus", name="#WirVsVirus")
    add_full_schedule(
        event, hacking_starts=timezone.now().replace(microsecond=0) - timedelta(hours=6)
    )
    return event


@pytest.fixture
def hidden_event(db):
    event = EventFactory(slug="geheim", name="Geheimer Hackathon", is_public=False)
    add_full_schedule(event, hacking_starts=timezone.now() + timedelta(days=30))
    return event


@pytest.fixture
def organiser(db):
    return OrganiserFactory(email="orga@example.org")


@pytest.fixture
def participant(db):
    return UserFactory(email="participant@example.org")
