"""Who may see a profile and who may use the people finder; shared by views, API and services.

Visibility levels build on each other:

- public: everyone, also people who are not signed in;
- participants: people registered for an event the person is registered for, and
  everyone the "team admins" level admits;
- team_admins: admins of a team the person asked to join (pending or decided request)
  or is a member of.

The person themselves and organisers always see a profile. E-mail addresses are
never part of a profile, whatever the level. What teams add (the "team admins" level,
team admins using the finder) they answer through participants.signals.

Organisers of an event are events.rules.is_event_organiser; a person's role in an
event is events.rules.event_role (both imported here for the apps that ask this module).
"""

from __future__ import annotations

import rules

from events.rules import event_role, is_event_organiser, is_organiser
from participants import signals
from participants.enums import EventRole, ProfileVisibility
from participants.models import Profile, Registration

__all__ = ["event_role", "is_event_organiser"]


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


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
    """The viewer is admin of a team the person asked to join or is a member of
    (answered by the teams app: participants.signals.profiles_opened_to)."""
    if not _signed_in(user):
        return False
    return any(
        rows.filter(user_id=profile.user_id).exists()
        for answer in signals.answers(signals.profiles_opened_to, viewer=user)
        for rows in answer
    )


@rules.predicate
def is_team_admin_in_event(user, event) -> bool:
    """Admin of a team of the event (answered by the teams app:
    participants.signals.people_finder_allowed)."""
    if not _signed_in(user) or event is None:
        return False
    return any(signals.answers(signals.people_finder_allowed, user=user, event=event))


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
