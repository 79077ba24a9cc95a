"""What teams answer when participants ask (participants.signals): participants sits
below teams and never imports this app, so it asks, and these receivers reply.

Connected in TeamsConfig.ready.
"""

from __future__ import annotations

from django.db.models import F, QuerySet

from teams.enums import JoinRequestStatus, MemberRole
from teams.models import JoinRequest, Membership


def people_in_teams(sender, *, event, **kwargs) -> QuerySet:
    """Everyone in a team of the event, with the team."""
    return Membership.objects.filter(event=event).values(
        "user_id", "team_id", team_name=F("team__name")
    )


def profiles_opened_to(sender, *, viewer, **kwargs) -> list[QuerySet]:
    """The "team admins" visibility level: the members of the teams the viewer admins,
    and the people who asked to join one (a withdrawn request no longer counts)."""
    admin_teams = Membership.objects.filter(user_id=viewer.pk, role=MemberRole.ADMIN).values(
        "team_id"
    )
    return [
        Membership.objects.filter(team_id__in=admin_teams).values("user_id"),
        JoinRequest.objects.filter(team_id__in=admin_teams)
        .exclude(status=JoinRequestStatus.WITHDRAWN)
        .values("user_id"),
    ]


def people_finder_allowed(sender, *, user, event, **kwargs) -> bool:
    """Team admins look for people for their team."""
    return Membership.objects.filter(event=event, user_id=user.pk, role=MemberRole.ADMIN).exists()


def people_finder_context(sender, *, user, event, **kwargs) -> dict:
    """Each card of the finder gets an "Invite to my team" button for the viewer's teams."""
    from teams.selectors import teams_admined_by

    invite_teams = teams_admined_by(user=user, event=event)
    return {
        "invite_teams": invite_teams,
        "person_actions_template": "teams/_invite_button.html" if invite_teams else "",
    }
