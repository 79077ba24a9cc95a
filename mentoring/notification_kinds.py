from django.utils.translation import gettext_lazy as _

from notifications.kinds import NotificationKind, register

HELP_CLAIMED = register(
    NotificationKind(
        key="help.claimed",
        label=_("A mentor took my team's help request"),
        required_context=("team", "question", "mentor"),
    )
)
HELP_RELEASED = register(
    NotificationKind(
        key="help.released",
        label=_("A mentor gave my team's help request back"),
        description=_("It is open again for other mentors."),
        required_context=("team", "question", "mentor"),
    )
)
HELP_CLOSED = register(
    NotificationKind(
        key="help.closed",
        label=_("A help request I am part of was closed"),
        required_context=("team", "question", "closed_by"),
    )
)
