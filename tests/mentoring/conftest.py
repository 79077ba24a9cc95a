import pytest

from tests.conftest import english_client, english_fixture
from tests.factories import (
    EventFactory,
    HelpRequestFactory,
    OrganiserFactory,
    ProfileFactory,
    RegistrationFactory,
    SkillFactory,
    TeamFactory,
    UserFactory,
    add_member,
)


@pytest.fixture
def event(db):
    return EventFactory(slug="wirvsvirus", name="#WirVsVirus", is_public=True)


@pytest.fixture
def python(db):
    return SkillFactory(name="Python", slug="python", category="Development", is_curated=True)


@pytest.fixture
def team(event):
    return TeamFactory(event=event, name="Datenhelden")


@pytest.fixture
def team_admin(team):
    user = UserFactory(display_name="Tina Teamadmin")
    RegistrationFactory(event=team.event, user=user)
    add_member(team, user, role="admin")
    return user


@pytest.fixture
def team_member(team):
    user = UserFactory(display_name="Max Mitglied")
    RegistrationFactory(event=team.event, user=user)
    add_member(team, user)
    return user


@pytest.fixture
def mentor(event, python):
    user = ProfileFactory(skills=[python], user__display_name="Mona Mentorin").user
    RegistrationFactory(event=event, user=user, role="mentor", looking_for_team=False)
    return user


@pytest.fixture
def other_mentor(event):
    user = UserFactory(display_name="Otto Mentor")
    RegistrationFactory(event=event, user=user, role="mentor", looking_for_team=False)
    return user


@pytest.fixture
def organiser(db):
    return OrganiserFactory(display_name="Olga Orga")


@pytest.fixture
def participant(event):
    """Registered for the event, but neither in the team nor a mentor."""
    user = UserFactory(display_name="Paula Teilnehmerin")
    RegistrationFactory(event=event, user=user)
    return user


@pytest.fixture
def help_request(team, team_admin, python):
    return HelpRequestFactory(team=team, created_by=team_admin, skill=python)


_english = pytest.fixture(autouse=True)(english_fixture)
client = pytest.fixture(english_client)
