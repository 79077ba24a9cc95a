"""Who may see a profile and who may use the people finder; shared by views, API and services.

Visibility levels build on each other:

- public: everyone, also people who are not signed in;
- participants: people registered for an event the person is registered for, and
  everyone the "team admins" level admits;
- team_admins: admins of a team the person asked to join (pending or decided request)
  or is a member of.

The person themselves and organisers always see a profile. E-mail addresses are
never part of a profile, whatever the level.

Organisers of an event are the organisers' group (for every event) and the people
registered for that event with the role "organiser" (`is_event_organiser`); every app's
rules about something of one event ask this predicate.
"""

from __future__ import annotations

import rules

from events.rules import is_organiser
from participants.enums import EventRole, ProfileVisibility
from participants.models import Profile, Registration


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def event_role(user, event) -> str | None:
    """The person's registration role for the event ("participant", "mentor", …) or None.

    Cached on the user object per event, so a page asking several questions costs one
    query; forget_event_roles() after changing a registration's role on the same object.
    """
    if not (user and user.is_authenticated) or event is None:
        return None
    cache = user.__dict__.setdefault("_event_roles", {})
    if event.pk not in cache:
        cache[event.pk] = (
            Registration.objects.filter(event_id=event.pk, user_id=user.pk)
            .values_list("role", flat=True)
            .first()
        )
    return cache[event.pk]


def forget_event_roles(user) -> None:
    user.__dict__.pop("_event_roles", None)


@rules.predicate
def is_event_organiser(user, event) -> bool:
    """In the organisers' group, or registered as an organiser of this event."""
    return bool(is_organiser(user)) or event_role(user, event) == EventRole.ORGANISER


@rules.predicate
def is_profile_owner(user, profile: Profile) -> bool:
    return _signed_in(user) and profile.user_id == user.pk


@rules.predicate
def is_public_profile(user, profile: Profile) -> bool:
    return profile.visibility == ProfileVisibility.PUBLIC


@rules.predicate
def is_participants_profile(user, profile: Profile) -> bool:
    return profile.visibility == ProfileVisibility.PARTICIPANTS


@rules.predicate
def shares_an_event(user, profile: Profile) -> bool:
    """Both are registered for the same event (in any role)."""
    if not _signed_in(user):
        return False
    return Registration.objects.filter(
        user_id=profile.user_id, event__registrations__user=user
    ).exists()


@rules.predicate
def admins_a_team_they_approached(user, profile: Profile) -> bool:
    """The viewer is admin of a team the person asked to join or is a member of."""
    if not _signed_in(user):
        return False
    from teams.enums import JoinRequestStatus, MemberRole
    from teams.models import JoinRequest, Membership

    admin_teams = Membership.objects.filter(user=user, role=MemberRole.ADMIN).values("team_id")
    if Membership.objects.filter(user_id=profile.user_id, team_id__in=admin_teams).exists():
        return True
    return (
        JoinRequest.objects.filter(user_id=profile.user_id, team_id__in=admin_teams)
        .exclude(status=JoinRequestStatus.WITHDRAWN)
        .exists()
    )


@rules.predicate
def is_team_admin_in_event(user, event) -> bool:
    if not _signed_in(user) or event is None:
        return False
    from teams.enums import MemberRole
    from teams.models import Membership

    return Membership.objects.filter(event=event, user=user, role=MemberRole.ADMIN).exists()


@rules.predicate
def is_registration_owner(user, registration: Registration) -> bool:
    return _signed_in(user) and registration.user_id == user.pk


@rules.predicate
def organises_an_event_of(user, profile: Profile) -> bool:
    """Registered as organiser of an event the person is registered for."""
    if not _signed_in(user):
        return False
    return Registration.objects.filter(
        user_id=profile.user_id,
        event__registrations__user=user,
        event__registrations__role=EventRole.ORGANISER,
    ).exists()


can_view_profile = (
    is_profile_owner
    | is_organiser
    | organises_an_event_of
    | is_public_profile
    | (is_participants_profile & shares_an_event)
    | admins_a_team_they_approached
)


@rules.predicate
def is_organiser_of_registration_event(user, registration: Registration) -> bool:
    return bool(is_event_organiser(user, registration.event))


can_use_people_finder = is_event_organiser | is_team_admin_in_event
can_change_registration = is_registration_owner | is_organiser_of_registration_event

rules.add_perm("participants.view_profile_object", can_view_profile)
rules.add_perm("participants.use_people_finder", can_use_people_finder)
rules.add_perm("participants.change_registration_object", can_change_registration)
