import factory
import pytest

from judging.models import JudgingRound, Juror
from tests.conftest import english_fixture
from tests.factories import EventFactory, OrganiserFactory, UserFactory

_english = pytest.fixture(autouse=True)(english_fixture)


class JudgingRoundFactory(factory.django.DjangoModelFactory):
    """A draft round without criteria (round_create adds them; this factory does not)."""

    class Meta:
        model = JudgingRound

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Runde {n}")
    position = factory.Sequence(lambda n: n + 1)


class JurorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Juror
        skip_postgeneration_save = True

    round = factory.SubFactory(JudgingRoundFactory)
    user = factory.SubFactory(UserFactory)


@pytest.fixture
def event(db):
    return EventFactory(slug="wirvsvirus", name="#WirVsVirus", time_zone="Europe/Berlin")


@pytest.fixture
def organiser(db):
    return OrganiserFactory(display_name="Olga Organisatorin")


@pytest.fixture
def judging_round(event, organiser):
    from judging.services import round_create

    return round_create(event=event, actor=organiser, name="Vorauswahl")


def _frozen_version(project):
    """The project's latest version, or a first one with a small snapshot."""
    from projects.models import ProjectVersion

    return ProjectVersion.objects.filter(project=project).order_by("-number").first() or (
        ProjectVersion.objects.create(
            project=project,
            number=1,
            snapshot={
                "title": project.title,
                "pitch": project.pitch,
                "team": {"id": project.team_id, "name": project.team.name},
                "challenges": [],
                "images": [],
            },
        )
    )


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A juror's assignment of a submitted project of the round's event, on its latest
    frozen version (made as version 1 with a small snapshot: title, pitch, team)."""

    class Meta:
        model = "judging.Assignment"

    juror = factory.SubFactory(JurorFactory)
    round = factory.SelfAttribute("juror.round")
    project = factory.SubFactory(
        "tests.factories.ProjectFactory",
        event=factory.SelfAttribute("..juror.round.event"),
        status="submitted",
    )
    version = factory.LazyAttribute(lambda o: _frozen_version(o.project))
