"""Who may see a profile and who may use the people finder; shared by views, API and services.

Visibility levels build on each other:

- public: everyone, also people who are not signed in;
- participants: people registered for an event the person is registered for, and
  everyone the "team admins" level admits;
- team_admins: admins of a team the person asked to join (pending or decided request)
  or is a member of.

The person themselves and organisers always see a profile. E-mail addresses are
never part of a profile, whatever the level.
"""

from __future__ import annotations

import rules

from events.rules import is_organiser
from participants.enums import ProfileVisibility
from participants.models import Profile, Registration


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


can_view_profile = (
    is_profile_owner
    | is_organiser
    | is_public_profile
    | (is_participants_profile & shares_an_event)
    | admins_a_team_they_approached
)
can_use_people_finder = is_organiser | is_team_admin_in_event
can_change_registration = is_registration_owner | is_organiser

rules.add_perm("participants.view_profile_object", can_view_profile)
rules.add_perm("participants.use_people_finder", can_use_people_finder)
rules.add_perm("participants.change_registration_object", can_change_registration)
