import pytest

from events.roles import ORGANISERS_GROUP
from tests.factories import EventFactory, UserFactory, open_intake


@pytest.fixture
def event(db):
    event = EventFactory(slug="wirvsvirus", name="#WirVsVirus")
    open_intake(event)
    return event


@pytest.fixture
def giver(db):
    return UserFactory(email="giver@example.org", language="de")


@pytest.fixture
def stranger(db):
    return UserFactory(email="stranger@example.org")


@pytest.fixture
def organiser(db):
    from django.contrib.auth.models import Group

    user = UserFactory(email="organiser@example.org", is_staff=True)
    group, _ = Group.objects.get_or_create(name=ORGANISERS_GROUP)
    user.groups.add(group)
    return user


VALID_FORM = {
    "title": "Digitale Schulen für alle",
    "problem": "Schulen haben keine gemeinsame Plattform für den Fernunterricht während der Pandemie.",
    "affected": "Schülerinnen, Schüler und Lehrkräfte",
    "desired_outcome": "Eine offene Lernplattform, die alle Schulen nutzen können.",
    "giver_type": "citizen",
    "organisation_name": "",
    "state": "BE",
    "municipality_key": "11000000",
    "contact_name": "Erika Mustermann",
    "contact_email": "erika@example.org",
    "contact_phone": "",
    "tags": "Bildung, Schule",
}


@pytest.fixture
def valid_form_data():
    return dict(VALID_FORM)
