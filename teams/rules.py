"""Who may do what with a team; shared by the web views, the API and the services.

Predicates take the team (not a membership). A person's role in a team is looked up
once per team object and cached on it (hackathon.rules_cache), so a page asking several
questions about the same team costs one query; the cache forgets itself when a
membership changes, so nobody clears it by hand.
"""

from __future__ import annotations

import rules

from events.rules import can_view_event, is_event_organiser
from hackathon.rules_cache import cached
from teams.enums import MemberRole, TeamStatus


def member_role(user, team) -> str | None:
    """The person's role in the team ("admin", "member") or None; cached on the team object."""
    if not (user and user.is_authenticated) or team is None or team.pk is None:
        return None
    prefetched = getattr(team, "_prefetched_objects_cache", {}).get("memberships")
    if prefetched is not None:  # a list page loaded the members with the team: no query
        return next((m.role for m in prefetched if m.user_id == user.pk), None)
    from teams.models import Membership  # rules are imported by the models' neighbours

    return cached(
        team,
        "_member_roles",
        user.pk,
        lambda: (
            Membership.objects.filter(team_id=team.pk, user_id=user.pk)
            .values_list("role", flat=True)
            .first()
        ),
    )


@rules.predicate
def is_team_member(user, team) -> bool:
    return member_role(user, team) is not None


@rules.predicate
def is_team_admin(user, team) -> bool:
    return member_role(user, team) == MemberRole.ADMIN


@rules.predicate
def is_open_team(user, team) -> bool:
    return team is not None and team.status == TeamStatus.OPEN


@rules.predicate
def is_team_of_visible_event(user, team) -> bool:
    return team is not None and bool(can_view_event(user, team.event))


@rules.predicate
def is_team_event_organiser(user, team) -> bool:
    """Organiser of the team's event (the group, or registered as its organiser)."""
    return team is not None and bool(is_event_organiser(user, team.event))


can_view_team = is_team_of_visible_event
can_edit_team = (is_team_admin & is_open_team) | is_team_event_organiser
can_manage_requests = is_team_admin | is_team_event_organiser
can_manage_members = is_team_admin | is_team_event_organiser
can_close_team = is_team_admin | is_team_event_organiser
# "Member of the team or organiser of its event": the one name for the pair.
is_team_member_or_organiser = is_team_member | is_team_event_organiser
can_see_chat_link = is_team_member_or_organiser

rules.add_perm("teams.see_team", can_view_team)
rules.add_perm("teams.edit_team_object", can_edit_team)
rules.add_perm("teams.manage_team_requests", can_manage_requests)
rules.add_perm("teams.manage_team_members", can_manage_members)
