"""Extensions of the submission deadline for one team, granted by organisers."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from events.rules import is_event_organiser
from notifications.services import notify_many
from projects import selectors
from projects.models import SubmissionExtension
from projects.notification_kinds import PROJECT_EXTENSION_GRANTED
from projects.services._base import (
    ProjectError,
    _deadline_text,
    _editor_url,
    _member_users,
    _user_or_none,
)
from teams.models import Team


@transaction.atomic
def extension_grant(
    *, team: Team, actor, ends_at: datetime, reason: str = ""
) -> SubmissionExtension:
    """Lets one team change and submit its project until `ends_at`. Organisers only.

    `ends_at` must be after the event's submission deadline. Granting again replaces the
    team's extension. Side effects: the SubmissionExtension, an audit entry, the team's
    members are notified.
    """
    if not is_event_organiser(actor, team.event):
        raise ProjectError(_("Only organisers can extend a deadline."))
    if timezone.is_naive(ends_at):
        raise ProjectError(_("Give the end with its time zone."), field="ends_at")
    team = Team.objects.select_for_update().select_related("event").get(pk=team.pk)
    phase_end = selectors.submission_phase_end(event_id=team.event_id)
    if phase_end is None:
        raise ProjectError(
            _("The event has no submission phase, so there is no deadline to extend."),
            field="ends_at",
        )
    if ends_at <= phase_end:
        raise ProjectError(
            _("The extension must end after the deadline, %(deadline)s.")
            % {"deadline": _deadline_text(team, phase_end)},
            field="ends_at",
        )
    extension, _created = SubmissionExtension.objects.update_or_create(
        team=team,
        defaults={"ends_at": ends_at, "reason": reason or "", "granted_by": _user_or_none(actor)},
    )
    audit_log(
        actor=actor,
        action="project.extension_grant",
        target=team,
        data={"ends_at": ends_at.isoformat(), "reason": reason or ""},
    )
    local = team.event.localtime(ends_at)
    notify_many(
        recipients=_member_users(team),
        kind=PROJECT_EXTENSION_GRANTED,
        context={
            "team_name": team.name,
            "event_name": team.event.name,
            "ends_local": f"{local:%Y-%m-%d %H:%M} ({team.event.time_zone})",
            "url": _editor_url(team),
        },
    )
    return extension


@transaction.atomic
def extension_revoke(*, extension: SubmissionExtension, actor) -> None:
    """Takes a team's extension back: its deadline is the event's again. Organisers only.

    Side effects: the SubmissionExtension deleted; an audit entry.
    """
    team = Team.objects.select_for_update().select_related("event").get(pk=extension.team_id)
    if not is_event_organiser(actor, team.event):
        raise ProjectError(_("Only organisers can extend a deadline."))
    deleted, _details = SubmissionExtension.objects.filter(pk=extension.pk).delete()
    if deleted:
        audit_log(
            actor=actor,
            action="project.extension_revoke",
            target=team,
            data={"ends_at": extension.ends_at.isoformat()},
        )
