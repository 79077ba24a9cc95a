"""People registered as organisers of one event (not in the organisers' group) organise
that event everywhere: teams, the people finder and profiles, projects and deadlines,
mentoring figures. They have no say in any other event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.enums import PhaseKind
from participants import rules as participant_rules
from participants.enums import ProfileVisibility
from projects import rules as project_rules
from projects.services import ProjectError, extension_grant
from teams import rules as team_rules
from tests.factories import (
    EventFactory,
    PhaseFactory,
    ProfileFactory,
    RegistrationFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(db):
    own = EventFactory(slug="eigenes", is_public=True)
    other = EventFactory(slug="fremdes", is_public=True)
    for event in (own, other):
        PhaseFactory(
            event=event,
            kind=PhaseKind.SUBMISSION,
            starts_at=timezone.now() - timedelta(days=1),
            ends_at=timezone.now() + timedelta(hours=1),
        )
    return own, other


@pytest.fixture
def event_organiser(events):
    person = UserFactory(display_name="Eva Eventorga")
    RegistrationFactory(event=events[0], user=person, role="organiser", looking_for_team=False)
    return person


def test_team_rules_follow_the_event(events, event_organiser):
    own, other = events
    own_team, other_team = TeamFactory(event=own), TeamFactory(event=other)

    for predicate in (
        team_rules.can_edit_team,
        team_rules.can_manage_requests,
        team_rules.can_manage_members,
        team_rules.can_close_team,
        team_rules.can_see_chat_link,
    ):
        assert predicate(event_organiser, own_team), predicate
        assert not predicate(event_organiser, other_team), predicate


def test_people_finder_and_private_profiles_in_their_event_only(client, events, event_organiser):
    own, other = events
    private = ProfileFactory(visibility=ProfileVisibility.TEAM_ADMINS).user
    RegistrationFactory(event=own, user=private)
    elsewhere = ProfileFactory(visibility=ProfileVisibility.TEAM_ADMINS).user
    RegistrationFactory(event=other, user=elsewhere)

    assert participant_rules.can_use_people_finder(event_organiser, own)
    assert not participant_rules.can_use_people_finder(event_organiser, other)
    assert participant_rules.can_view_profile(event_organiser, private.profile)
    assert not participant_rules.can_view_profile(event_organiser, elsewhere.profile)
    client.force_login(event_organiser)
    assert client.get(reverse("participants:finder", args=[own.slug])).status_code == 200
    assert client.get(reverse("participants:detail", args=[private.pk])).status_code == 200
    assert client.get(reverse("participants:detail", args=[elsewhere.pk])).status_code == 404


def test_project_overview_and_extensions_in_their_event_only(client, events, event_organiser):
    own, other = events
    client.force_login(event_organiser)

    assert client.get(reverse("projects:organiser", args=[own.slug])).status_code == 200
    assert client.get(reverse("projects:organiser", args=[other.slug])).status_code == 404
    own_team, other_team = TeamFactory(event=own), TeamFactory(event=other)
    later = timezone.now() + timedelta(days=1)
    extension = extension_grant(team=own_team, actor=event_organiser, ends_at=later)
    assert extension.ends_at == later
    with pytest.raises(ProjectError, match="Only organisers"):
        extension_grant(team=other_team, actor=event_organiser, ends_at=later)
    assert project_rules.can_view_versions(event_organiser, own_team)
    assert not project_rules.can_view_versions(event_organiser, other_team)


def test_mentoring_figures_in_their_event_only(client, events, event_organiser):
    own, other = events
    client.force_login(event_organiser)

    assert client.get(reverse("mentoring:stats", args=[own.slug])).status_code == 200
    assert client.get(reverse("mentoring:stats", args=[other.slug])).status_code == 404


def test_they_see_and_prepare_their_unpublished_event(client, event_organiser):
    draft = EventFactory(slug="in-vorbereitung", is_public=False)
    RegistrationFactory(event=draft, user=event_organiser, role="organiser")
    elsewhere = EventFactory(slug="geheim", is_public=False)
    team = TeamFactory(event=draft)
    client.force_login(event_organiser)

    assert client.get(reverse("events:detail", args=[draft.slug])).status_code == 200
    assert client.get(reverse("events:detail", args=[elsewhere.slug])).status_code == 404
    assert client.get(reverse("projects:organiser", args=[draft.slug])).status_code == 200
    assert team_rules.can_view_team(event_organiser, team)
    assert not team_rules.can_view_team(UserFactory(), team)


def test_a_participant_of_the_event_is_no_organiser(events):
    own, _other = events
    person = RegistrationFactory(event=own).user
    assert not participant_rules.is_event_organiser(person, own)
    assert not team_rules.can_edit_team(person, TeamFactory(event=own))
