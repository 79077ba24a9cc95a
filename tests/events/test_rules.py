from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from events import rules
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_is_organiser_for_group_members_and_superusers(organiser):
    assert rules.is_organiser(organiser)
    assert rules.is_organiser(UserFactory(is_superuser=True))


def test_is_organiser_not_for_others(participant):
    assert not rules.is_organiser(AnonymousUser())
    assert not rules.is_organiser(participant)
    assert not rules.is_organiser(UserFactory(is_staff=True))


def test_is_organiser_not_for_deactivated_members(organiser):
    organiser.is_active = False

    assert not rules.is_organiser(organiser)


def test_can_view_event_public_for_everyone(participant):
    event = EventFactory(is_public=True)

    assert rules.can_view_event(AnonymousUser(), event)
    assert rules.can_view_event(participant, event)


def test_can_view_event_unpublished_only_for_organisers_and_permitted_staff(participant, organiser):
    event = EventFactory(is_public=False)
    staff = UserFactory(is_staff=True)

    assert not rules.can_view_event(AnonymousUser(), event)
    assert not rules.can_view_event(participant, event)
    assert not rules.can_view_event(staff, event)
    assert rules.can_view_event(organiser, event)
    staff.user_permissions.add(Permission.objects.get(codename="view_event"))
    staff = type(staff).objects.get(pk=staff.pk)  # fresh permission cache
    assert rules.can_view_event(staff, event)


def test_can_change_event_for_organisers_only(participant, organiser):
    event = EventFactory()

    assert rules.can_change_event(organiser, event)
    assert not rules.can_change_event(participant, event)
    assert not rules.can_change_event(AnonymousUser(), event)


def test_named_rules_work_through_has_perm(participant, organiser):
    event = EventFactory(is_public=False)

    assert organiser.has_perm("events.see_event", event)
    assert organiser.has_perm("events.manage_event", event)
    assert not participant.has_perm("events.see_event", event)
    assert not participant.has_perm("events.manage_event", event)
