from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from challenges.enums import ChallengeStatus, GiverType
from challenges.models import NUMBER_OFFSET, Challenge, Topic
from events.enums import PhaseKind
from events.models import Event, Phase
from notifications.models import Notification

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    language = "de"
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    name = factory.Sequence(lambda n: f"Hackathon {n}")
    time_zone = "Europe/Berlin"
    is_public = True


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    event = factory.SubFactory(EventFactory)
    kind = PhaseKind.HACKING
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=48))


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "system.announcement"
    context = factory.LazyFunction(dict)


class OrganiserFactory(UserFactory):
    """A staff member in the "Organisers" group (the group is made by post_migrate)."""

    is_staff = True

    @factory.post_generation
    def _organisers_group(obj, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Group

            from events.roles import ORGANISERS_GROUP

            obj.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])


def open_intake(event) -> None:
    PhaseFactory(
        event=event,
        kind=PhaseKind.CHALLENGE_INTAKE,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=7),
    )


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Themenfeld {n}")
    slug = factory.Sequence(lambda n: f"themenfeld-{n}")


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    status = ChallengeStatus.PUBLISHED
    title = factory.Sequence(lambda n: f"Herausforderung Nummer {n}")
    problem = "Viele Menschen finden keine verlässlichen Informationen zu Hilfsangeboten vor Ort."
    affected = "Ältere Menschen und Familien"
    desired_outcome = "Eine zentrale, barrierefreie Übersicht der Hilfsangebote."
    giver_type = GiverType.CITIZEN
    contact_name = "Erika Mustermann"
    contact_email = factory.Sequence(lambda n: f"giver{n}@example.org")
    submitted_by = factory.SubFactory(UserFactory)
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == ChallengeStatus.PUBLISHED else None
    )

    @factory.post_generation
    def _number(obj, create, extracted, **kwargs):
        if create and obj.number is None:
            obj.number = NUMBER_OFFSET + obj.pk
            Challenge.objects.filter(pk=obj.pk).update(number=obj.number)


# --- participants, teams, mentoring (issue 4) --------------------------------------------


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.Skill"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    category = ""
    is_curated = False


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.Language"
        django_get_or_create = ("code",)

    code = "de"
    name = "Deutsch"


class ProfileFactory(factory.django.DjangoModelFactory):
    """A profile; pass skills=[...], languages=[...], topic_interests=[...] to fill the lists."""

    class Meta:
        model = "participants.Profile"
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.skills.set(extracted)

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.languages.set(extracted)

    @factory.post_generation
    def topic_interests(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topic_interests.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.Registration"

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    role = "participant"
    looking_for_team = True
    code_of_conduct_accepted_at = factory.LazyFunction(timezone.now)


class TeamFactory(factory.django.DjangoModelFactory):
    """A team without members (member_count 0); use add_member() to put people in."""

    class Meta:
        model = "teams.Team"
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    challenge = factory.SubFactory(ChallengeFactory, event=factory.SelfAttribute("..event"))
    name = factory.Sequence(lambda n: f"Team {n}")
    pitch = "Wir bauen gemeinsam eine Lösung, die wirklich hilft."
    max_size = factory.LazyAttribute(lambda o: o.event.team_max_size)

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.languages.set(extracted)


def add_member(team, user, role: str = "member"):
    """Puts a person in a team directly (no service), keeping member_count right."""
    from django.db.models import F

    from teams.models import Membership, Team

    membership = Membership.objects.create(team=team, user=user, event=team.event, role=role)
    Team.objects.filter(pk=team.pk).update(member_count=F("member_count") + 1)
    team.refresh_from_db(fields=["member_count"])
    return membership


class OpenRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "teams.OpenRole"
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Rolle {n}")

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.skills.set(extracted)


class HelpRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentoring.HelpRequest"

    team = factory.SubFactory(TeamFactory)
    question = "Wie speichern wir personenbezogene Daten DSGVO-konform?"
    contact = "https://chat.example.org/team"


# --- projects (issue 5) -------------------------------------------------------------------


class ProjectFactory(factory.django.DjangoModelFactory):
    """A team's project, a draft by default (the model's default); pass
    status=ProjectStatus.SUBMITTED for a submitted one (submitted_at is then set)."""

    class Meta:
        model = "projects.Project"
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    team = factory.SubFactory(TeamFactory, event=factory.SelfAttribute("..event"))
    title = factory.Sequence(lambda n: f"Projekt {n}")
    pitch = "Eine Karte, die freie Hilfsangebote in der Nachbarschaft zeigt."
    status = "draft"
    submitted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in ("submitted", "withdrawn") else None
    )

    @factory.post_generation
    def challenges(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.challenges.set(extracted)
