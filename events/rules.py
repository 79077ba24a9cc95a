"""Permission predicates for events, shared by the web views, the API and the admin.

Organisers are the members of the "Organisers" group (superusers count as organisers
too). Unpublished events are visible to organisers and to staff who were given
the `events.view_event` model permission directly.

Organisers of one event are the organisers' group (for every event) and the people
registered for that event with the role "organiser": `is_event_organiser`, the one
predicate every app's rules about something of one event ask.

Answers are cached on the user object (hackathon.rules_cache), and forgotten by
themselves when groups or registrations change.
"""

from __future__ import annotations

import rules

from events.models import Event
from events.roles import ORGANISERS_GROUP
from hackathon.rules_cache import cached


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_organiser(user) -> bool:
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return cached(
        user,
        "_is_organiser",
        None,
        lambda: user.groups.filter(name=ORGANISERS_GROUP).exists(),
    )


@rules.predicate
def has_event_view_permission(user) -> bool:
    # Django's ModelBackend caches the permission set on the user object.
    return bool(user and user.is_authenticated and user.has_perm("events.view_event"))


@rules.predicate
def can_change_event(user, event=None) -> bool:
    """Organisers (through their group's model permission) and staff given it directly."""
    return bool(user and user.is_authenticated and user.has_perm("events.change_event"))


@rules.predicate
def is_public_event(user, event) -> bool:
    return event is not None and event.is_public


# The role a registration gives (participants.enums.EventRole.ORGANISER); this app is
# below participants, so it names the value and reaches the rows by their relation.
ORGANISER_ROLE = "organiser"


def _registrations():
    return Event._meta.get_field("registrations").related_model.objects


def organiser_registrations(user):
    """The registrations that make `user` an organiser of one event."""
    return _registrations().filter(user_id=user.pk, role=ORGANISER_ROLE)


def event_role(user, event) -> str | None:
    """The person's registration role for the event ("participant", "mentor", …) or None;
    one query per person and event however often a page asks."""
    if not (user and user.is_authenticated) or event is None or event.pk is None:
        return None
    return cached(
        user,
        "_event_roles",
        event.pk,
        lambda: _registrations()
        .filter(event_id=event.pk, user_id=user.pk)
        .values_list("role", flat=True)
        .first(),
    )


@rules.predicate
def is_registered_organiser(user, event) -> bool:
    """Registered as organiser of this event (who prepares it before it is published)."""
    return _signed_in(user) and event_role(user, event) == ORGANISER_ROLE


@rules.predicate
def is_event_organiser(user, event) -> bool:
    """In the organisers' group, or registered as an organiser of this event."""
    return bool(is_organiser(user)) or bool(is_registered_organiser(user, event))


can_view_unpublished_events = has_event_view_permission | is_organiser
can_view_event = is_public_event | can_view_unpublished_events | is_registered_organiser

# Named rules for templates ({% has_perm %}) and `user.has_perm(name, event)`.
# They deliberately use names that differ from Django's model permissions,
# which they build on.
rules.add_perm("events.see_event", can_view_event)
rules.add_perm("events.manage_event", can_change_event)
