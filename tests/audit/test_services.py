"""audit.services: the one way services write down who did what to which object."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from audit.models import AuditEntry
from audit.services import audit_entries_for, audit_log
from events.models import Event
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_audit_log_writes_who_what_which_and_when():
    actor, event = UserFactory(), EventFactory()

    entry = audit_log(actor=actor, action="event.update", target=event, data={"fields": ["name"]})

    entry.refresh_from_db()
    assert entry.actor == actor
    assert entry.action == "event.update"
    assert (entry.target_type, entry.target_id) == (
        ContentType.objects.get_for_model(Event),
        event.pk,
    )
    assert entry.target == event
    assert entry.data == {"fields": ["name"]}
    assert entry.created_at is not None


@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_audit_log_without_a_person_has_no_actor(actor):
    entry = audit_log(actor=actor, action="challenge.import", target=EventFactory())

    assert entry.actor is None
    assert entry.data == {}


def test_audit_log_is_part_of_the_callers_transaction():
    from django.db import transaction

    event = EventFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_log(actor=None, action="event.update", target=event)
        raise RuntimeError("the service failed after writing the entry")

    assert not AuditEntry.objects.exists()


def test_audit_entries_for_lists_one_objects_entries_newest_first():
    first, second = EventFactory(), EventFactory()
    older = audit_log(actor=None, action="event.create", target=first)
    newer = audit_log(actor=UserFactory(), action="event.update", target=first)
    audit_log(actor=None, action="event.create", target=second)

    assert list(audit_entries_for(target=first)) == [newer, older]


def test_audit_entries_for_tells_models_apart_with_the_same_id():
    from challenges.models import Challenge

    event = EventFactory()
    audit_log(actor=None, action="event.create", target=event)

    assert audit_entries_for(target=Challenge(pk=event.pk)).count() == 0
    assert audit_entries_for(target=event).count() == 1


def test_entry_str_names_action_and_target():
    event = EventFactory()
    entry = audit_log(actor=None, action="event.create", target=event)

    assert str(entry) == f"event.create {entry.target_type_id}:{event.pk}"
