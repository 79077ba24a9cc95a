from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events.enums import PhaseKind
from participants.enums import ProfileVisibility
from tests.conftest import english_client, english_fixture
from tests.factories import (
    EventFactory,
    OrganiserFactory,
    PhaseFactory,
    ProfileFactory,
    RegistrationFactory,
    TeamFactory,
    UserFactory,
    add_member,
)


def open_registration(event, *, days_before: int = 1, days_after: int = 7):
    return PhaseFactory(
        event=event,
        kind=PhaseKind.REGISTRATION,
        starts_at=timezone.now() - timedelta(days=days_before),
        ends_at=timezone.now() + timedelta(days=days_after),
    )


def registered(event, *, visibility=ProfileVisibility.PARTICIPANTS, profile=True, **kwargs):
    """A person registered for the event, with a profile of this visibility."""
    registration = RegistrationFactory(event=event, **kwargs)
    if profile:
        ProfileFactory(user=registration.user, visibility=visibility)
    return registration


@pytest.fixture
def event(db):
    event = EventFactory(slug="wirvsvirus", name="#WirVsVirus", code_of_conduct="Sei nett.")
    open_registration(event)
    return event


@pytest.fixture
def person(db):
    return UserFactory(email="person@example.org", display_name="Pia Person")


@pytest.fixture
def stranger(db):
    return UserFactory(email="stranger@example.org", display_name="Sven Fremd")


@pytest.fixture
def organiser(db):
    return OrganiserFactory(email="organiser@example.org", display_name="Olga Orga")


@pytest.fixture
def team(event):
    return TeamFactory(event=event, name="Team Rakete")


@pytest.fixture
def team_admin(event, team):
    """Registered participant and admin of `team`."""
    registration = registered(event, looking_for_team=False)
    add_member(team, registration.user, role="admin")
    return registration.user


@pytest.fixture
def team_member(event, team):
    registration = registered(event, looking_for_team=False)
    add_member(team, registration.user, role="member")
    return registration.user


_english = pytest.fixture(autouse=True)(english_fixture)
client = pytest.fixture(english_client)
