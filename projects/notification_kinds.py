"""Notification kinds of projects, registered from ProjectsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import NotificationKind, register

PROJECT_DEADLINE_REMINDER = register(
    NotificationKind(
        key="project.deadline_reminder",
        label=_("Reminders before the project submission deadline"),
        description=_(
            "Sent 24 hours and 2 hours before the deadline while your team's project "
            "is not submitted."
        ),
        required_context=("deadline", "deadline_local", "hours", "event_name", "team_name", "url"),
    )
)

# --- helper A: receipts of the team's own actions --------------------------------------------

PROJECT_SUBMITTED = register(
    NotificationKind(
        key="project.submitted",
        label=_("My team's project was submitted"),
        description=_("A receipt for every member whenever the project is submitted."),
        required_context=("project_title", "team_name", "version", "submitted_local", "url"),
    )
)
PROJECT_EXTENSION_GRANTED = register(
    NotificationKind(
        key="project.extension_granted",
        label=_("My team's submission deadline was extended"),
        required_context=("team_name", "event_name", "ends_local", "url"),
    )
)
