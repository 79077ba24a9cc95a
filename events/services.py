"""Writes of the events app: every change to events, phases and the organisers' group."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, transaction

from events.enums import PhaseKind
from events.models import Event, Phase
from events.roles import ORGANISER_PERMISSIONS, ORGANISERS_GROUP


class EventError(Exception):
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
    user.groups.add(group)
    # Like Django's permission cache, our organiser cache would be stale now.
    for cached in ("_is_organiser_cache", "_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cached, None)
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
