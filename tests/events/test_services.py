from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command

from events.apps import _ensure_organisers_group
from events.enums import PhaseKind
from events.models import Event
from events.roles import ORGANISER_PERMISSIONS, ORGANISERS_GROUP
from events.services import EventError, event_upsert, organiser_appoint, organisers_group_grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2031, 3, 19, 17, 0, tzinfo=UTC)


def permission_names(group: Group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_organisers_group_exists_after_migrate_with_its_permissions():
    group = Group.objects.get(name=ORGANISERS_GROUP)

    assert permission_names(group) >= set(ORGANISER_PERMISSIONS)
    assert {
        "events.add_event",
        "events.change_event",
        "events.view_event",
        "events.change_phase",
        "notifications.view_notification",
    } <= permission_names(group)


def test_organisers_group_post_migrate_is_idempotent():
    group = Group.objects.get(name=ORGANISERS_GROUP)
    manual = Permission.objects.get(codename="view_user")
    group.permissions.add(manual)  # given by an administrator by hand

    _ensure_organisers_group(apps.get_app_config("events"), using="default")
    after_first = permission_names(Group.objects.get(name=ORGANISERS_GROUP))
    _ensure_organisers_group(apps.get_app_config("events"), using="default")

    assert Group.objects.filter(name=ORGANISERS_GROUP).count() == 1
    after_second = permission_names(Group.objects.get(name=ORGANISERS_GROUP))
    assert after_second == after_first
    # Other apps add their own organiser permissions; the manual one stays.
    assert after_second >= set(ORGANISER_PERMISSIONS) | {"accounts.view_user"}


def test_organisers_group_is_recreated_by_migrate_when_deleted():
    Group.objects.filter(name=ORGANISERS_GROUP).delete()

    call_command("migrate", verbosity=0)

    assert permission_names(Group.objects.get(name=ORGANISERS_GROUP)) >= set(ORGANISER_PERMISSIONS)


def test_organisers_group_grant_creates_missing_permission_rows():
    Permission.objects.filter(codename="view_notification").delete()

    group = organisers_group_grant(permissions=["notifications.view_notification"])

    assert "notifications.view_notification" in permission_names(group)


def test_organisers_group_grant_rejects_unknown_permissions():
    with pytest.raises(EventError, match=r"events\.fly_event"):
        organisers_group_grant(permissions=["events.fly_event"])
    with pytest.raises(EventError, match="nosuchapp"):
        organisers_group_grant(permissions=["nosuchapp.view_thing"])


def test_organiser_appoint_makes_a_staff_member_of_the_group():
    user = UserFactory()
    assert not user.has_perm("events.change_event")

    organiser_appoint(user=user)
    organiser_appoint(user=user)

    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [ORGANISERS_GROUP]
    assert user.has_perm("events.change_event")


def test_event_upsert_creates_then_updates_the_same_rows():
    phases = {
        PhaseKind.HACKING: (T0, T0 + timedelta(hours=48)),
        PhaseKind.JUDGING: (T0 + timedelta(hours=48), T0 + timedelta(days=9)),
    }
    first = event_upsert(slug="ud", name="UD", phases=phases)

    second = event_upsert(
        slug="ud",
        name="UpdateDeutschland",
        time_zone="Europe/Berlin",
        phases={PhaseKind.HACKING: (T0, T0 + timedelta(hours=47))},
    )

    assert first.pk == second.pk
    assert Event.objects.get().name == "UpdateDeutschland"
    assert [(p.kind, p.ends_at) for p in second.phases.all()] == [
        ("hacking", T0 + timedelta(hours=47))
    ]


def test_event_upsert_validates_times_and_time_zone():
    with pytest.raises(ValidationError):
        event_upsert(slug="x", name="X", phases={PhaseKind.HACKING: (T0, T0)})
    with pytest.raises(ValidationError):
        event_upsert(slug="y", name="Y", time_zone="Mars/Base", phases={})


# --- events and phases changed by organisers ------------------------------------------------


@pytest.fixture
def organiser(db):
    from tests.factories import OrganiserFactory

    return OrganiserFactory()


@pytest.fixture
def english():
    """For the tests that read a message: the English msgids."""
    from django.utils import translation

    with translation.override("en"):
        yield


def _actions(event: Event) -> list[str]:
    from audit.services import audit_entries_for

    return [entry.action for entry in audit_entries_for(target=event).order_by("pk")]


def test_event_create_by_organiser_is_audited(organiser):
    from events.services import event_create

    event = event_create(actor=organiser, data={"name": "Neu", "slug": "neu"})

    assert event.pk and event.time_zone == "Europe/Berlin"
    assert _actions(event) == ["event.create"]


def test_event_update_refuses_people_who_are_not_organisers(english):
    from events.services import event_update
    from tests.factories import EventFactory

    event = EventFactory(name="Alt")
    with pytest.raises(EventError, match="Only organisers can change events"):
        event_update(event=event, actor=UserFactory(), data={"name": "Neu"})
    event.refresh_from_db()
    assert event.name == "Alt"
    assert _actions(event) == []


def test_event_update_refuses_an_unknown_time_zone(organiser):
    from events.services import event_update
    from tests.factories import EventFactory

    event = EventFactory()
    with pytest.raises(EventError) as error:
        event_update(event=event, actor=organiser, data={"time_zone": "Mars/Olympus"})
    assert error.value.field == "time_zone"


def test_phase_create_refuses_a_second_phase_of_a_kind(organiser):
    from events.services import phase_create
    from tests.factories import EventFactory

    event = EventFactory()
    phase_create(
        event=event,
        actor=organiser,
        kind=PhaseKind.HACKING,
        starts_at=T0,
        ends_at=T0 + timedelta(days=1),
    )

    with pytest.raises(EventError) as error:
        phase_create(
            event=event,
            actor=organiser,
            kind=PhaseKind.HACKING,
            starts_at=T0,
            ends_at=T0 + timedelta(days=2),
        )

    assert error.value.field == "kind"
    assert event.phases.count() == 1


def test_phase_update_refuses_an_end_before_the_start(organiser, english):
    from events.services import phase_update
    from tests.factories import EventFactory, PhaseFactory

    phase = PhaseFactory(event=EventFactory(), starts_at=T0, ends_at=T0 + timedelta(days=1))

    with pytest.raises(EventError, match="The end must be after the start") as error:
        phase_update(
            phase=phase,
            actor=organiser,
            kind=phase.kind,
            starts_at=T0,
            ends_at=T0 - timedelta(hours=1),
        )

    assert error.value.field == "ends_at"


def test_phase_update_of_the_submission_end_says_every_deadline_moved(organiser):
    from events.services import phase_update
    from tests.factories import EventFactory, PhaseFactory

    event = EventFactory()
    phase = PhaseFactory(
        event=event, kind=PhaseKind.SUBMISSION, starts_at=T0, ends_at=T0 + timedelta(days=1)
    )

    phase_update(
        phase=phase, actor=organiser, kind=phase.kind, starts_at=T0, ends_at=T0 + timedelta(days=2)
    )
    phase_update(
        phase=phase, actor=organiser, kind=phase.kind, starts_at=T0, ends_at=T0 + timedelta(days=2)
    )

    assert _actions(event) == ["event.submission_deadline_move"]  # the second changed nothing


def test_phase_delete_refuses_people_who_are_not_organisers():
    from events.services import phase_delete
    from tests.factories import PhaseFactory

    phase = PhaseFactory()
    with pytest.raises(EventError):
        phase_delete(phase=phase, actor=UserFactory())
    assert type(phase).objects.filter(pk=phase.pk).exists()
