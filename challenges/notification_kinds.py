from django.utils.translation import gettext_lazy as _

from notifications.kinds import NotificationKind, register

CHALLENGE_SUBMITTED = register(
    NotificationKind(
        key="challenge.submitted",
        label=_("My challenge was received"),
        description=_("A confirmation when you submit a challenge."),
        required_context=("number", "title"),
    )
)
CHALLENGE_PUBLISHED = register(
    NotificationKind(
        key="challenge.published",
        label=_("My challenge was published"),
        required_context=("number", "title"),
    )
)
CHALLENGE_REJECTED = register(
    NotificationKind(
        key="challenge.rejected",
        label=_("My challenge was not accepted"),
        required_context=("number", "title", "reason"),
    )
)
CHALLENGE_MERGED = register(
    NotificationKind(
        key="challenge.merged",
        label=_("My challenge was merged with a similar one"),
        required_context=("number", "title", "into_number", "into_title"),
    )
)
