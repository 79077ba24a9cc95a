"""Reminders before the submission deadline: the service the Celery beat task
`projects.send_deadline_reminders` (projects/tasks.py, every five minutes) calls.

Two reminders per team: 24 hours and 2 hours before the team's own deadline (the
event's submission deadline, or the end of the team's extension when that is later).
Each goes to every member of a team whose project is missing, still a draft or
withdrawn, in the member's own language (the notifications app renders each e-mail
in its recipient's language).

The windows do not overlap: the 24-hour reminder is due while the deadline is more
than 2 and at most 24 hours away, the 2-hour one while it is at most 2 hours away.
So a team that only appears late (an event whose deadline was set close, a team
founded on the last day) gets the one reminder that fits, never two at once.

"Sent once" is kept by the database: the DeadlineReminder row (unique per team and
kind) is written first, in the same transaction as the notifications; a run that
finds the row already there sends nothing, also when two runs overlap. Once sent, a
reminder is not sent again for a moved deadline or a later extension.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from events.enums import PhaseKind
from events.models import Phase
from notifications.services import notify_many
from projects.enums import ProjectStatus, ReminderKind
from projects.models import DeadlineReminder
from projects.notification_kinds import PROJECT_DEADLINE_REMINDER
from projects.selectors import deadline_for_team
from teams.models import Membership, Team

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderWindow:
    kind: str
    # The reminder is due while now + after < deadline <= now + until.
    after: timedelta
    until: timedelta


# Most urgent first: a run sends the 2-hour reminders before the 24-hour ones.
WINDOWS = (
    ReminderWindow(ReminderKind.HOURS_2, timedelta(0), timedelta(hours=2)),
    ReminderWindow(ReminderKind.HOURS_24, timedelta(hours=2), timedelta(hours=24)),
)


def teams_due_for_reminder(*, window: ReminderWindow, now: datetime) -> QuerySet[Team]:
    """Teams with members whose deadline falls in the window, not submitted, not yet reminded.

    The deadline is computed in SQL here to find the few candidates among all teams;
    the caller checks each against projects.selectors.deadline_for_team, the one
    definition of a team's deadline.
    """
    general = Subquery(
        Phase.objects.filter(event=OuterRef("event"), kind=PhaseKind.SUBMISSION).values("ends_at")[
            :1
        ]
    )
    return (
        Team.objects.filter(member_count__gt=0)
        .annotate(general_deadline=general)
        .filter(general_deadline__isnull=False)
        .annotate(
            team_deadline=Greatest(
                F("general_deadline"),
                Coalesce(F("submission_extension__ends_at"), F("general_deadline")),
            )
        )
        .filter(team_deadline__gt=now + window.after, team_deadline__lte=now + window.until)
        .exclude(project__status=ProjectStatus.SUBMITTED)
        .exclude(Q(deadline_reminders__kind=window.kind))
        .select_related("event")
        .order_by("pk")
    )


def _context(*, team: Team, deadline: datetime, now: datetime) -> dict:
    local = team.event.localtime(deadline)
    return {
        "deadline": local.isoformat(),
        # Numeric and zone-named, so it reads the same in every language.
        "deadline_local": f"{local:%Y-%m-%d %H:%M} ({team.event.time_zone})",
        # What is really left: a team that shows up late learns the truth, not "24".
        "hours": max(1, round((deadline - now).total_seconds() / 3600)),
        "event_name": team.event.name,
        "team_name": team.name,
        "url": reverse("projects:edit", kwargs={"team_pk": team.pk}),
    }


@transaction.atomic
def deadline_reminder_send(
    *, team: Team, window: ReminderWindow, deadline: datetime, now: datetime
) -> bool:
    """Reminds the members of one team, once per kind; returns whether it sent anything.

    Side effects: writes the DeadlineReminder row first (a row already there, also one
    a concurrent run is writing, means sent: nothing happens); then one notification
    per member, whose e-mails are enqueued when the transaction commits.
    """
    _reminder, created = DeadlineReminder.objects.get_or_create(team=team, kind=window.kind)
    if not created:
        return False
    members = [
        membership.user
        for membership in Membership.objects.filter(team=team).select_related("user")
        if membership.user.is_active
    ]
    notify_many(
        recipients=members,
        kind=PROJECT_DEADLINE_REMINDER,
        context=_context(team=team, deadline=deadline, now=now),
    )
    return True


def deadline_reminders_send(*, now: datetime | None = None) -> int:
    """Sends every reminder that is due; returns to how many teams. Idempotent.

    Each team is its own transaction, so one failure (logged) neither loses nor
    repeats the reminders of the others; the failed team is tried again next run.
    Side effects: as deadline_reminder_send, for each team due.
    """
    now = now or timezone.now()
    sent = 0
    for window in WINDOWS:
        for team in teams_due_for_reminder(window=window, now=now):
            deadline = deadline_for_team(team=team)
            if deadline is None or not (now + window.after < deadline <= now + window.until):
                continue
            try:
                if deadline_reminder_send(team=team, window=window, deadline=deadline, now=now):
                    sent += 1
            except Exception:
                logger.exception("Deadline reminder %s for team %s failed", window.kind, team.pk)
    return sent
