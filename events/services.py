"""Writes of the events app: every change to events, phases and the organisers' group."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.translation import gettext as _

from audit.services import audit_log
from events import rules
from events.enums import PhaseKind
from events.models import Event, Phase
from events.roles import ORGANISER_PERMISSIONS, ORGANISERS_GROUP
from events.schedule import utc
from hackathon.errors import DomainError

# What an organiser sets on an event (the slug too: it is the event's address).
EDITABLE_FIELDS = (
    "name",
    "slug",
    "tagline",
    "description",
    "is_public",
    "time_zone",
    "code_of_conduct",
    "team_max_size",
    "teams_per_person",
)


class EventError(DomainError):
    """An event change that is not allowed; the message can be shown to a person."""


def _permissions(*, names: Iterable[str], using: str) -> list[Permission]:
    """The Permission rows for "app_label.codename" names, created when missing.

    Django creates permissions in its own post_migrate handler, app by app; ours
    may run before that of a later app, so missing ones are created here the same way.
    """
    wanted = {tuple(name.split(".", 1)) for name in names}

    def lookup() -> dict[tuple[str, str], Permission]:
        rows = Permission.objects.using(using).select_related("content_type")
        rows = rows.filter(
            content_type__app_label__in={app_label for app_label, _ in wanted},
            codename__in={codename for _, codename in wanted},
        )
        return {(p.content_type.app_label, p.codename): p for p in rows}

    found = lookup()
    if wanted - found.keys():
        for app_label in {app_label for app_label, _ in wanted - found.keys()}:
            try:
                app_config = global_apps.get_app_config(app_label)
            except LookupError as exc:
                raise EventError(f"No installed app {app_label!r} for a permission.") from exc
            create_permissions(app_config, verbosity=0, using=using)
        found = lookup()
    if unknown := wanted - found.keys():
        names = ", ".join(sorted(".".join(name) for name in unknown))
        raise EventError(f"Unknown permissions for the organisers' group: {names}")
    return [found[name] for name in sorted(wanted)]


@transaction.atomic
def organisers_group_grant(*, permissions: Iterable[str], using: str = DEFAULT_DB_ALIAS) -> Group:
    """Create the organisers' group if needed and give it these permissions.

    Idempotent: permissions are only ever added, so those an administrator gave
    the group by hand stay. Side effects: may create the group and Permission rows.
    """
    group, _created = Group.objects.using(using).get_or_create(name=ORGANISERS_GROUP)
    group.permissions.add(*_permissions(names=permissions, using=using))
    return group


@transaction.atomic
def organiser_appoint(*, user, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make this person an organiser: member of the group and staff (for the admin).

    Side effects: adds the group membership, sets `is_staff`.
    """
    group = organisers_group_grant(permissions=ORGANISER_PERMISSIONS, using=using)
    user.groups.add(group)  # the permission caches on `user` forget themselves (events.apps)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@transaction.atomic
def event_upsert(
    *,
    slug: str,
    name: str,
    tagline: str = "",
    description: str = "",
    time_zone: str = "Europe/Berlin",
    is_public: bool = True,
    code_of_conduct: str = "",
    phases: dict[PhaseKind, tuple[datetime, datetime]],
) -> Event:
    """Create or update the event with this slug and set its schedule to exactly `phases`.

    Used by the demo seed and imports; organisers use the admin. Validates every
    row (time zone, end after start) before saving. Side effects: writes the
    event, creates/updates its phases and deletes phases not named in `phases`.
    """
    event = Event.objects.filter(slug=slug).first() or Event(slug=slug)
    event.name = name
    event.tagline = tagline
    event.description = description
    event.time_zone = time_zone
    event.is_public = is_public
    event.code_of_conduct = code_of_conduct
    event.full_clean()
    event.save()
    for kind, (starts_at, ends_at) in phases.items():
        phase = event.phases.filter(kind=kind).first() or Phase(event=event, kind=kind)
        phase.starts_at, phase.ends_at = starts_at, ends_at
        phase.full_clean()
        phase.save()
    event.phases.exclude(kind__in=[str(kind) for kind in phases]).delete()
    return event


# --- events and their schedule, as organisers change them ------------------------------------


def _require_organiser(actor, event: Event | None = None) -> None:
    if not rules.can_change_event(actor, event):
        raise EventError(_("Only organisers can change events."))


def _full_clean(obj, *, exclude: Iterable[str] = ()) -> None:
    """The model's own checks, as a readable EventError on the first field they name."""
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise EventError(messages[0], field=None if field == "__all__" else field) from None


def _phase_data(phase: Phase) -> dict:
    return {
        "kind": phase.kind,
        "starts_at": utc(phase.starts_at).isoformat(),
        "ends_at": utc(phase.ends_at).isoformat(),
    }


@transaction.atomic
def event_create(*, actor, data: dict) -> Event:
    """A new event with the fields of EDITABLE_FIELDS in `data`. Organisers only.

    Side effects: the event; an audit entry.
    """
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm("events.add_event"):
        raise EventError(_("Only organisers can change events."))
    event = Event(**{field: data[field] for field in EDITABLE_FIELDS if field in data})
    _full_clean(event)
    event.save()
    audit_log(actor=actor, action="event.create", target=event, data={"slug": event.slug})
    return event


@transaction.atomic
def event_update(*, event: Event, actor, data: dict) -> Event:
    """Changes the fields of EDITABLE_FIELDS named in `data`. Organisers only.

    A smaller team size applies to teams founded or resized later; existing teams keep
    theirs. Side effects: the event; an audit entry naming the changed fields.
    """
    _require_organiser(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    changed = [field for field in EDITABLE_FIELDS if field in data]
    for field in changed:
        setattr(event, field, data[field])
    _full_clean(event)
    event.save(update_fields=[*changed, "updated_at"])
    audit_log(actor=actor, action="event.update", target=event, data={"fields": changed})
    return event


# What people brought to an event; an event with any of them is never deleted (the reverse
# relations of the later apps, named here so that events imports none of them).
_PEOPLES_WORK = ("registrations", "teams", "challenges")


@transaction.atomic
def event_delete(*, event: Event, actor) -> None:
    """Deletes an event nobody has taken part in yet (a test or a mistake), with its
    phases and topic fields. Organisers with the permission to delete events only.

    Refused while the event has registrations, teams or challenges: those belong to
    people, and deleting the event would take them along. Such an event is taken off
    the site by unpublishing it. Side effects: the event deleted; an audit entry with its
    slug and name, which outlives it.
    """
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm("events.delete_event"):
        raise EventError(_("Only organisers can change events."))
    _require_organiser(actor, event)
    event = Event.objects.select_for_update().filter(pk=event.pk).first()
    if event is None:
        return  # deleted meanwhile
    if any(getattr(event, relation).exists() for relation in _PEOPLES_WORK):
        raise EventError(
            _(
                "%(event)s already has registrations, teams or challenges, so it cannot be "
                "deleted. To take it off the site, unpublish it."
            )
            % {"event": event.name}
        )
    audit_log(
        actor=actor,
        action="event.delete",
        target=event,
        data={"slug": event.slug, "name": event.name},
    )
    event.delete()


def _deadline_move(previous: dict | None, phase: Phase | None) -> dict:
    """Extra audit data when the submission phase's end moves: that is every team's
    deadline (projects.selectors.deadline_for_team), so the log says from when to when."""
    before = previous["ends_at"] if previous and previous["kind"] == PhaseKind.SUBMISSION else None
    after = _phase_data(phase)["ends_at"] if phase and phase.kind == PhaseKind.SUBMISSION else None
    if before == after:
        return {}
    return {"submission_deadline": {"from": before, "to": after}}


def _phase_audit(*, actor, event: Event, action: str, previous, phase) -> None:
    moved = _deadline_move(previous, phase)
    audit_log(
        actor=actor,
        action="event.submission_deadline_move" if moved else action,
        target=event,
        data={
            "phase": _phase_data(phase) if phase else None,
            "previous": previous,
            **moved,
        },
    )


@transaction.atomic
def phase_create(
    *, event: Event, actor, kind: str, starts_at: datetime, ends_at: datetime
) -> Phase:
    """Adds a phase (one of each kind) to the event's schedule. Organisers only.

    Side effects: the phase; an audit entry (event.submission_deadline_move for the
    submission phase, which sets every team's deadline).
    """
    _require_organiser(actor, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.phases.filter(kind=kind).exists():
        raise EventError(_("The event already has this phase."), field="kind")
    phase = Phase(event=event, kind=kind, starts_at=starts_at, ends_at=ends_at)
    _full_clean(phase, exclude=["event"])
    phase.save()
    _phase_audit(actor=actor, event=event, action="event.phase_create", previous=None, phase=phase)
    return phase


@transaction.atomic
def phase_update(
    *, phase: Phase, actor, kind: str, starts_at: datetime, ends_at: datetime
) -> Phase:
    """Changes a phase of the schedule. Organisers only.

    Side effects: the phase; an audit entry with the times before and after
    (event.submission_deadline_move when the end of the submission phase moves: every
    team's deadline moves with it).
    """
    _require_organiser(actor, phase.event)
    event = Event.objects.select_for_update().get(pk=phase.event_id)
    phase = Phase.objects.get(pk=phase.pk)
    previous = _phase_data(phase)
    if kind != phase.kind and event.phases.filter(kind=kind).exists():
        raise EventError(_("The event already has this phase."), field="kind")
    phase.kind, phase.starts_at, phase.ends_at = kind, starts_at, ends_at
    _full_clean(phase, exclude=["event"])
    if _phase_data(phase) == previous:
        return phase
    phase.save(update_fields=["kind", "starts_at", "ends_at"])
    _phase_audit(
        actor=actor, event=event, action="event.phase_update", previous=previous, phase=phase
    )
    return phase


@transaction.atomic
def phase_delete(*, phase: Phase, actor) -> None:
    """Takes a phase off the schedule. Organisers only. Without a submission phase the
    teams have no deadline. Side effects: the phase deleted; an audit entry."""
    _require_organiser(actor, phase.event)
    event = Event.objects.select_for_update().get(pk=phase.event_id)
    phase = Phase.objects.filter(pk=phase.pk).first()
    if phase is None:
        return  # deleted meanwhile
    previous = _phase_data(phase)
    phase.delete()
    _phase_audit(
        actor=actor, event=event, action="event.phase_delete", previous=previous, phase=None
    )
