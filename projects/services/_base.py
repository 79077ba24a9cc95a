"""The shared part of the project services: the domain error, locks and deadline checks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils.translation import gettext as _

from events.rules import is_event_organiser
from hackathon.errors import DomainError
from projects import selectors
from projects.models import Project
from projects.rules import is_project_member_or_organiser
from teams.models import Membership, Team

MAX_TAGS = 10


class ProjectError(DomainError):
    """An action on a project that is not allowed now; the message says why.

    `field` names the form field it is about (or None); `missing` lists the fields a
    submission still needs. A refusal about neither is one of the project's state (the
    deadline has passed, the project is not submitted): a conflict.
    """

    def __init__(
        self, message: str, *, field: str | None = None, missing: Iterable[str] = ()
    ) -> None:
        missing = list(missing)
        super().__init__(
            message, field=field, missing=missing, conflict=field is None and not missing
        )


# --- helpers --------------------------------------------------------------------------------


def _deadline_text(team: Team, deadline: datetime) -> str:
    local = team.event.localtime(deadline)
    return f"{local:%Y-%m-%d %H:%M:%S} ({team.event.time_zone})"


def _require_before_deadline(team: Team, now: datetime) -> None:
    deadline = selectors.deadline_for_team(team=team)
    if deadline is not None and now >= deadline:
        raise ProjectError(
            _(
                "The submission deadline was %(deadline)s. The project cannot be changed "
                "any more; nothing was saved."
            )
            % {"deadline": _deadline_text(team, deadline)}
        )


def _require_editor(team: Team, actor, now: datetime) -> None:
    """Members before the deadline, and again on a submitted project once the event's
    implementation programme runs (the versions jurors see stay frozen); organisers always."""
    if not is_project_member_or_organiser(actor, team):
        raise ProjectError(_("Only the team's members can change its project."))
    if is_event_organiser(actor, team.event) or selectors.programme_open_for(team=team, now=now):
        return
    _require_before_deadline(team, now)


def _require_submitter(team: Team, actor, now: datetime) -> None:
    """Members and organisers, both only before the deadline."""
    if not is_project_member_or_organiser(actor, team):
        raise ProjectError(_("Only the team's members can submit or withdraw its project."))
    _require_before_deadline(team, now)


def _lock(project: Project) -> Project:
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("event", "team", "team__event")
        .get(pk=project.pk)
    )


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


def _member_users(team: Team) -> list:
    return [m.user for m in Membership.objects.filter(team_id=team.pk).select_related("user")]


def _editor_url(team: Team) -> str:
    from django.urls import reverse

    return reverse("projects:edit", kwargs={"team_pk": team.pk})
