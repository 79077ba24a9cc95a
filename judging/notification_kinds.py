"""Notification kinds of judging, registered from JudgingConfig.ready(). Their templates
are in templates/notifications/{email,inapp}/<key>.*"""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import NotificationKind, register

JUDGING_QUEUE_READY = register(
    NotificationKind(
        key="judging.queue_ready",
        label=_("My reviews as a juror are ready"),
        description=_(
            "When projects were assigned to you to review, and when more were added later."
        ),
        required_context=("round_name", "event_name", "count", "closes_local", "url"),
    )
)
JUDGING_REVIEW_REMINDER = register(
    NotificationKind(
        key="judging.review_reminder",
        label=_("Reminders of open reviews"),
        description=_("24 hours before a round closes while some of your reviews are open."),
        required_context=("round_name", "event_name", "open_count", "closes_local", "url"),
    )
)
JUDGING_OUTCOME = register(
    NotificationKind(
        key="judging.outcome",
        label=_("Judging results for my team"),
        description=_("When the results of a round that judged your team's project are out."),
        required_context=("round_name", "event_name", "project_title", "outcome", "url"),
    )
)

# --- invitations (judging.services.invitations) ---
JUDGING_INVITATION = register(
    NotificationKind(
        key="judging.invitation",
        label=_("Invitations to a jury"),
        description=_("When organisers invite you to review the projects of a judging round."),
        required_context=("round_name", "event_name", "invited_by", "valid_until", "url"),
    )
)
