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


# --- one predicate for "organiser of this event"; caches that forget by themselves -----------


def test_is_event_organiser_for_the_group_and_the_events_registered_organisers(organiser):
    from tests.factories import RegistrationFactory

    event, other = EventFactory(), EventFactory()
    registered = RegistrationFactory(event=event, role="organiser").user
    participant = RegistrationFactory(event=event, role="participant").user

    assert rules.is_event_organiser(organiser, event)
    assert rules.is_event_organiser(registered, event)
    assert not rules.is_event_organiser(registered, other)
    assert not rules.is_event_organiser(participant, event)
    assert not rules.is_event_organiser(AnonymousUser(), event)


def test_is_event_organiser_not_for_a_deactivated_registered_organiser():
    from tests.factories import RegistrationFactory

    event = EventFactory()
    registered = RegistrationFactory(event=event, role="organiser").user
    registered.is_active = False

    assert not rules.is_event_organiser(registered, event)


def test_event_role_is_one_query_and_sees_a_changed_role(django_assert_num_queries):
    from tests.factories import RegistrationFactory

    event = EventFactory()
    registration = RegistrationFactory(event=event, role="participant")
    user = type(registration.user).objects.get(pk=registration.user_id)
    with django_assert_num_queries(1):
        assert rules.event_role(user, event) == "participant"
        assert not rules.is_registered_organiser(user, event)

    registration.role = "organiser"
    registration.save(update_fields=["role"])

    assert rules.is_registered_organiser(user, event)


def test_is_organiser_and_permissions_follow_an_appointment_on_the_same_object():
    from events.services import organiser_appoint

    user = UserFactory()
    assert not rules.is_organiser(user)
    assert not user.has_perm("events.change_event")

    organiser_appoint(user=user)

    assert rules.is_organiser(user)
    assert user.has_perm("events.change_event")


def test_is_organiser_follows_leaving_the_group():
    from django.contrib.auth.models import Group

    from tests.factories import OrganiserFactory

    organiser = OrganiserFactory()
    assert rules.is_organiser(organiser)

    organiser.groups.remove(Group.objects.get(name="Organisers"))

    assert not rules.is_organiser(organiser)
