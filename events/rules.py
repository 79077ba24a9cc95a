"""Permission predicates for events, shared by the web views, the API and the admin.

Organisers are the members of the "Organisers" group (superusers count as organisers
too). Unpublished events are visible to organisers and to staff who were given
the `events.view_event` model permission directly.
"""

from __future__ import annotations

import rules

from events.models import Event
from events.roles import ORGANISERS_GROUP


@rules.predicate
def is_organiser(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    # Cached on the user object like Django's permission cache (a page asks many
    # times per request); reload the user after changing their groups.
    if not hasattr(user, "_is_organiser_cache"):
        user._is_organiser_cache = user.groups.filter(name=ORGANISERS_GROUP).exists()
    return user._is_organiser_cache


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


def organiser_registrations(user):
    """The registrations that make `user` an organiser of one event."""
    registration_model = Event._meta.get_field("registrations").related_model
    return registration_model.objects.filter(user_id=user.pk, role=ORGANISER_ROLE)


@rules.predicate
def is_registered_organiser(user, event) -> bool:
    """Registered as organiser of this event (who prepares it before it is published)."""
    if not (user and user.is_authenticated and user.is_active) or event is None:
        return False
    return organiser_registrations(user).filter(event_id=event.pk).exists()


can_view_unpublished_events = has_event_view_permission | is_organiser
can_view_event = is_public_event | can_view_unpublished_events | is_registered_organiser

# Named rules for templates ({% has_perm %}) and `user.has_perm(name, event)`.
# They deliberately use names that differ from Django's model permissions,
# which they build on.
rules.add_perm("events.see_event", can_view_event)
rules.add_perm("events.manage_event", can_change_event)
