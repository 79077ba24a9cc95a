from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from participants import services
from participants.enums import EventRole, ProfileVisibility
from participants.models import Language, Profile, Registration, Skill
from participants.services import (
    ParticipantError,
    profile_update,
    registration_cancel,
    registration_create,
    registration_update,
    split_tags,
)
from teams.enums import JoinRequestStatus
from teams.models import JoinRequest
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    SkillFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    add_member,
)
from tests.participants.conftest import open_registration, registered

pytestmark = pytest.mark.django_db


def _register(event, user, **kwargs):
    return registration_create(
        event=event, user=user, accept_code_of_conduct=kwargs.pop("accept", True), **kwargs
    )


# ---------------------------------------------------------------- registration_create


def test_registration_create_in_registration_phase_records_acceptance(event, person):
    registration = _register(event, person)

    assert registration.role == EventRole.PARTICIPANT
    assert registration.looking_for_team is True
    assert registration.code_of_conduct_accepted_at is not None
    assert Profile.objects.filter(user=person).exists()
    assert AuditEntry.objects.filter(action="participants.register", actor=person).exists()


def test_registration_create_as_mentor_is_not_looking_for_team(event, person):
    registration = _register(event, person, role=EventRole.MENTOR, looking_for_team=True)
    assert registration.role == EventRole.MENTOR
    assert registration.looking_for_team is False


def test_registration_create_without_accepting_code_of_conduct_is_refused(event, person):
    with pytest.raises(ParticipantError) as error:
        _register(event, person, accept=False)
    assert error.value.field == "accept_code_of_conduct"
    assert not Registration.objects.exists()


def test_registration_create_twice_is_refused(event, person):
    _register(event, person)
    with pytest.raises(ParticipantError, match="already registered"):
        _register(event, person)
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("role", [EventRole.JUROR, EventRole.ORGANISER, "king"])
def test_registration_create_with_appointed_role_is_refused(event, person, role):
    with pytest.raises(ParticipantError) as error:
        _register(event, person, role=role)
    assert error.value.field == "role"


def test_registration_create_before_phase_says_when_it_opens(person):
    event = EventFactory()
    open_registration(event, days_before=-2, days_after=9)
    with pytest.raises(ParticipantError, match="opens on"):
        _register(event, person)


def test_registration_create_after_phase_says_it_closed(person):
    event = EventFactory()
    open_registration(event, days_before=9, days_after=-2)
    with pytest.raises(ParticipantError, match="closed on"):
        _register(event, person)


def test_registration_create_without_registration_phase_is_refused(person):
    with pytest.raises(ParticipantError):
        _register(EventFactory(), person)


def test_registration_create_at_phase_end_is_refused(event, person):
    phase = event.phases.get()
    with pytest.raises(ParticipantError, match="closed"):
        _register(event, person, now=phase.ends_at)
    assert _register(event, person, now=phase.ends_at - timedelta(seconds=1))


def test_registration_create_for_anonymous_is_refused(event):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ParticipantError):
        _register(event, AnonymousUser())


# ---------------------------------------------------------------- registration_update / cancel


def test_registration_update_sets_looking_for_team(event, person):
    registration = _register(event, person)
    registration_update(registration=registration, actor=person, looking_for_team=False)
    registration.refresh_from_db()
    assert registration.looking_for_team is False


def test_registration_update_by_someone_else_is_refused(event, person, stranger):
    registration = _register(event, person)
    with pytest.raises(ParticipantError):
        registration_update(registration=registration, actor=stranger, looking_for_team=False)


def test_registration_update_by_organiser_is_allowed(event, person, organiser):
    registration = _register(event, person)
    registration_update(registration=registration, actor=organiser, looking_for_team=False)
    assert Registration.objects.get().looking_for_team is False


def test_registration_update_mentor_cannot_look_for_team(event, person):
    registration = _register(event, person, role=EventRole.MENTOR)
    with pytest.raises(ParticipantError) as error:
        registration_update(registration=registration, actor=person, looking_for_team=True)
    assert error.value.field == "looking_for_team"


def test_registration_cancel_deletes_and_audits(event, person):
    registration = _register(event, person)
    registration_cancel(registration=registration, actor=person)
    assert not Registration.objects.exists()
    assert AuditEntry.objects.filter(action="participants.unregister").exists()


def test_registration_cancel_twice_is_harmless(event, person):
    registration = _register(event, person)
    registration_cancel(registration=registration, actor=person)
    registration_cancel(registration=registration, actor=person)
    assert not Registration.objects.exists()


def test_registration_cancel_while_in_a_team_is_refused(event, person, team):
    registration = _register(event, person)
    add_member(team, person)
    with pytest.raises(ParticipantError, match="leave the team"):
        registration_cancel(registration=registration, actor=person)
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_registration_cancel_in_a_team_of_another_event_is_allowed(event, person):
    from tests.factories import TeamFactory

    registration = _register(event, person)
    add_member(TeamFactory(), person)
    registration_cancel(registration=registration, actor=person)
    assert not Registration.objects.exists()


def test_registration_cancel_by_someone_else_is_refused(event, person, stranger):
    registration = _register(event, person)
    with pytest.raises(ParticipantError):
        registration_cancel(registration=registration, actor=stranger)
    assert Registration.objects.exists()


# ---------------------------------------------------------------- profile_update


def _update(user, **kwargs):
    return profile_update(user=user, **kwargs)


def test_profile_update_saves_fields_and_creates_free_tags(event, person):
    _register(event, person)
    topic = TopicFactory(event=event)
    python = Skill.objects.get(slug="python")
    profile = _update(
        person,
        bio="  Ich baue APIs.  ",
        skills=[python],
        free_skills=["Rust", "Figma", "rust"],
        topic_interests=[topic],
        languages=[Language.objects.get(code="de")],
        region="BE",
        availability="full",
        visibility=ProfileVisibility.PUBLIC,
    )
    assert profile.bio == "Ich baue APIs."
    assert sorted(s.name for s in profile.skills.all()) == ["Figma", "Python", "Rust"]
    assert Skill.objects.get(name="Rust").is_curated is False
    assert list(profile.topic_interests.all()) == [topic]
    assert profile.visibility == ProfileVisibility.PUBLIC


def test_profile_update_free_tag_reuses_existing_skill_case_insensitively(person):
    _update(person, free_skills=["python", "DJANGO"])
    assert Skill.objects.filter(name__iexact="python").count() == 1
    assert {s.slug for s in Profile.objects.get(user=person).skills.all()} == {"python", "django"}


def test_profile_update_free_tag_with_clashing_slug_gets_a_free_slug(person):
    SkillFactory(name="C", slug="c")
    _update(person, free_skills=["C++", "C#"])
    slugs = {s.slug for s in Profile.objects.get(user=person).skills.all()}
    assert len(slugs) == 2 and "c" not in slugs


def test_profile_update_more_than_max_skills_is_refused(person):
    with pytest.raises(ParticipantError) as error:
        _update(person, free_skills=[f"Tag {n}" for n in range(16)])
    assert error.value.field == "free_skills"
    assert not Skill.objects.filter(name="Tag 1").exists()


def test_profile_update_curated_field_refuses_free_tags(person):
    tag = SkillFactory(name="Obskur", is_curated=False)
    with pytest.raises(ParticipantError) as error:
        _update(person, skills=[tag])
    assert error.value.field == "skills"


def test_profile_update_topic_of_event_not_registered_for_is_refused(event, person):
    other_topic = TopicFactory()
    with pytest.raises(ParticipantError) as error:
        _update(person, topic_interests=[other_topic])
    assert error.value.field == "topic_interests"


@pytest.mark.parametrize(
    ("field", "value"),
    [("region", "XX"), ("availability", "always"), ("visibility", "secret"), ("bio", "x" * 601)],
)
def test_profile_update_invalid_choice_names_the_field(person, field, value):
    with pytest.raises(ParticipantError) as error:
        _update(person, **{field: value})
    assert error.value.field == field


def test_split_tags_trims_and_deduplicates():
    assert split_tags(" Rust,  figma ; rust ,, Big   Data") == ["Rust", "figma", "Big Data"]


def test_registration_create_then_profile_keeps_default_visibility(event):
    user = UserFactory()
    _register(event, user)
    assert Profile.objects.get(user=user).visibility == ProfileVisibility.PARTICIPANTS


def test_registered_helper_builds_profile(event):
    registration = registered(event, visibility=ProfileVisibility.PUBLIC)
    assert registration.user.profile.visibility == ProfileVisibility.PUBLIC
    assert registration.code_of_conduct_accepted_at <= timezone.now()


# --- organisers: roles and the skill list ----------------------------------------------------


def test_registration_role_set_refuses_a_team_member(event, organiser):
    from participants import services
    from tests.factories import TeamFactory

    registration = RegistrationFactory(event=event)
    add_member(TeamFactory(event=event, name="Team Rakete"), registration.user)

    with pytest.raises(services.ParticipantError, match="Team Rakete") as error:
        services.registration_role_set(
            registration=registration, actor=organiser, role=EventRole.MENTOR
        )

    assert error.value.field == "role"
    registration.refresh_from_db()
    assert registration.role == EventRole.PARTICIPANT


def test_registration_role_set_refuses_people_who_are_not_organisers(event):
    from participants import services

    registration = RegistrationFactory(event=event)

    with pytest.raises(services.ParticipantError):
        services.registration_role_set(
            registration=registration, actor=registration.user, role=EventRole.ORGANISER
        )

    registration.refresh_from_db()
    assert registration.role == EventRole.PARTICIPANT


def test_registration_role_set_by_a_registered_organiser_of_the_event(event):
    from participants import services

    registration = RegistrationFactory(event=event)
    organiser_there = RegistrationFactory(event=event, role=EventRole.ORGANISER).user

    services.registration_role_set(
        registration=registration, actor=organiser_there, role=EventRole.JUROR
    )

    assert AuditEntry.objects.get(action="participants.role_set").actor == organiser_there


def test_skills_set_curated_refuses_people_who_are_not_organisers():
    from participants import services

    skill = SkillFactory(is_curated=False)

    with pytest.raises(services.ParticipantError):
        services.skills_set_curated(skills=[skill], actor=UserFactory(), is_curated=True)

    skill.refresh_from_db()
    assert not skill.is_curated


def test_registration_cancel_withdraws_pending_join_requests(event, person, team):
    registration = RegistrationFactory(event=event, user=person)
    pending = JoinRequest.objects.create(team=team, user=person, message="Hallo")

    services.registration_cancel(registration=registration, actor=person)

    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.WITHDRAWN
    assert pending.decided_at is not None
    assert not Registration.objects.filter(pk=registration.pk).exists()


def test_registration_cancel_refused_keeps_requests(event, person, team, team_admin):
    registration = RegistrationFactory(event=event, user=person)
    add_member(TeamFactory(event=event), person)
    pending = JoinRequest.objects.create(team=team, user=person)

    with pytest.raises(services.ParticipantError):
        services.registration_cancel(registration=registration, actor=person)

    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.PENDING
