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
CHALLENGE_OWNER_ADDED = register(
    NotificationKind(
        key="challenge.owner_added",
        label=_("I was made owner of a challenge"),
        description=_("When the organisers ask you to look after a challenge and its questions."),
        required_context=("number", "title"),
    )
)
CHALLENGE_QUESTION_ASKED = register(
    NotificationKind(
        key="challenge.question_asked",
        label=_("Someone asked about a challenge I look after"),
        required_context=("number", "title", "question"),
    )
)
CHALLENGE_QUESTION_ANSWERED = register(
    NotificationKind(
        key="challenge.question_answered",
        label=_("My question about a challenge was answered"),
        required_context=("number", "title", "question", "answer"),
    )
)
