from django.utils.translation import gettext_lazy as _

from notifications.kinds import NotificationKind, register

TEAM_JOIN_REQUEST_RECEIVED = register(
    NotificationKind(
        key="team.join_request_received",
        label=_("Someone asks to join my team"),
        description=_("Sent to the admins of a team."),
        required_context=("team_name", "person_name"),
    )
)
TEAM_JOIN_REQUEST_ACCEPTED = register(
    NotificationKind(
        key="team.join_request_accepted",
        label=_("My request to join a team was accepted"),
        required_context=("team_name",),
    )
)
TEAM_JOIN_REQUEST_DECLINED = register(
    NotificationKind(
        key="team.join_request_declined",
        label=_("My request to join a team was declined"),
        required_context=("team_name",),
    )
)
TEAM_INVITATION_USED = register(
    NotificationKind(
        key="team.invitation_used",
        label=_("Someone joined my team through an invitation link"),
        description=_("Sent to the admins of a team."),
        required_context=("team_name", "person_name"),
    )
)
TEAM_MEMBER_LEFT = register(
    NotificationKind(
        key="team.member_left",
        label=_("A member left my team"),
        description=_("Sent to the admins of a team."),
        required_context=("team_name", "person_name"),
    )
)
TEAM_MEMBER_REMOVED = register(
    NotificationKind(
        key="team.member_removed",
        label=_("I was removed from a team"),
        required_context=("team_name",),
    )
)
TEAM_CLOSED = register(
    NotificationKind(
        key="team.closed",
        label=_("A team I am in was closed"),
        required_context=("team_name",),
    )
)
TEAM_INVITATION = register(
    NotificationKind(
        key="team.invitation",
        label=_("A team invites me to join"),
        description=_("Sent when a team's admin invites you personally."),
        required_context=("team_name", "inviter_name", "url"),
    )
)
TEAM_ADMIN_PROMOTED = register(
    NotificationKind(
        key="team.admin_promoted",
        label=_("I became an admin of my team"),
        description=_("Sent when the last admin left and you are the longest member."),
        required_context=("team_name",),
    )
)
