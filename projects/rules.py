"""Who may do what with a project; shared by the web views, the API and the services.

Every predicate takes a Project or a Team (the editor asks before the team has a
project). The team's deadline is looked up once per team object and cached on it, like
the members' roles (teams.rules.member_role), until a phase or an extension changes
(hackathon.rules_cache); services never rely on the cache: they compare the deadline
with their own `now` under a lock.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from events.rules import is_event_organiser
from hackathon.rules_cache import cached
from projects.enums import ProjectStatus
from teams.rules import member_role


def _team_of(obj):
    from projects.models import Project

    return obj.team if isinstance(obj, Project) else obj


def cached_deadline(team):
    """The team's deadline (or None), cached on the team object."""
    from projects.selectors import deadline_for_team

    return cached(team, "_submission_deadline", None, lambda: deadline_for_team(team=team))


@rules.predicate
def is_project_member(user, obj) -> bool:
    return obj is not None and member_role(user, _team_of(obj)) is not None


@rules.predicate
def is_before_deadline(user, obj) -> bool:
    """Before the team's deadline, to the second: at the deadline it is over."""
    if obj is None:
        return False
    deadline = cached_deadline(_team_of(obj))
    return deadline is None or timezone.now() < deadline


@rules.predicate
def is_public_submission(user, obj) -> bool:
    from projects.models import Project

    return (
        isinstance(obj, Project) and obj.status == ProjectStatus.SUBMITTED and obj.event.is_public
    )


@rules.predicate
def is_in_programme(user, obj) -> bool:
    """The implementation programme runs and the project was submitted: the team keeps
    improving its public page, while the versions jurors see stay frozen."""
    if obj is None:
        return False
    from projects.selectors import programme_open_for

    return programme_open_for(team=_team_of(obj))


@rules.predicate
def is_project_event_organiser(user, obj) -> bool:
    """Organiser of the event of the project (or team): the group, or its registered ones."""
    return obj is not None and bool(is_event_organiser(user, _team_of(obj).event))


@rules.predicate
def is_project_member_or_organiser(user, obj) -> bool:
    """A member of the project's team or an organiser of its event: who works on the
    project (and on a team's project before it exists). The one name for the pair; a
    test keeps it from being written out anywhere else."""
    return bool(is_project_member(user, obj)) or bool(is_project_event_organiser(user, obj))


can_edit_project = (
    is_project_member & (is_before_deadline | is_in_programme)
) | is_project_event_organiser
# Submitting and withdrawing end at the deadline for everyone: organisers who want a
# team to submit later grant it an extension.
can_submit_project = is_project_member_or_organiser & is_before_deadline
can_view_versions = is_project_member_or_organiser
can_view_project = is_public_submission | is_project_member_or_organiser

rules.add_perm("projects.edit_project_object", can_edit_project)
rules.add_perm("projects.submit_project_object", can_submit_project)
rules.add_perm("projects.view_project_versions", can_view_versions)
rules.add_perm("projects.see_project", can_view_project)
rules.add_perm("projects.work_on_project", is_project_member_or_organiser)

# The organisers' overview of the submissions and its CSV export (helper C).
can_see_submission_overview = is_event_organiser
rules.add_perm("projects.see_submission_overview", can_see_submission_overview)
