"""Fixtures of the team tests: an event with a published challenge and registered people.

Helper functions (not fixtures) are imported by the test modules: `participant(event)`
makes a registered participant, `team_of(event, challenge, founder)` founds a team
through the service.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from teams import services
from tests.conftest import english_client, english_fixture
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    OrganiserFactory,
    RegistrationFactory,
    UserFactory,
    add_member,
)

PITCH = "Wir bauen eine Karte freier Intensivbetten für alle Leitstellen."


def participant(event, **user_fields):
    """A person registered as participant of the event."""
    return RegistrationFactory(event=event, user=UserFactory(**user_fields)).user


def team_of(event, challenge, founder, name: str = "Bettenradar", **data):
    return services.team_create(
        event=event,
        challenge=challenge,
        founder=founder,
        data={"name": name, "pitch": PITCH, **data},
    )


def step_down_first(monkeypatch, name: str, team, admin, successor):
    """Runs the real service, but only after the admin handed over and stepped down: the
    moment between the page's permission check and the service is where the race is."""
    real = getattr(services, name)

    def racing(**kwargs):
        services.admin_hand_over(team=team, actor=admin, to_user=successor, step_down=True)
        return real(**kwargs)

    monkeypatch.setattr(services, name, racing)


@pytest.fixture
def event(db):
    return EventFactory(slug="wirvsvirus", name="#WirVsVirus", is_public=True)


@pytest.fixture
def challenge(event):
    return ChallengeFactory(event=event, title="Freie Intensivbetten finden")


@pytest.fixture
def founder(event):
    return participant(event, email="founder@example.org", display_name="Fenja Founder")


@pytest.fixture
def team(event, challenge, founder):
    return team_of(event, challenge, founder)


@pytest.fixture
def joiner(event):
    return participant(event, email="joiner@example.org", display_name="Jo Joiner")


@pytest.fixture
def stranger(db):
    return UserFactory(email="stranger@example.org", display_name="Stella Stranger")


@pytest.fixture
def organiser(db):
    return OrganiserFactory(email="orga@example.org", display_name="Olga Orga")


@pytest.fixture
def member_user(team, event):
    """A plain member of the team (not an admin)."""
    user = participant(event, display_name="Mia Member", email="mia@example.org")
    add_member(team, user)
    return user


@pytest.fixture
def api():
    client = APIClient()
    client.cookies["language"] = "en"  # the messages asserted are the English msgids
    return client


_english = pytest.fixture(autouse=True)(english_fixture)
client = pytest.fixture(english_client)
