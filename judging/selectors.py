"""Reads for judging: rounds, criteria, and the conflicts of interest of a juror."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from judging.models import Criterion, JudgingRound, Juror
from projects.models import Project


def rounds_of_event(*, event) -> QuerySet[JudgingRound]:
    return JudgingRound.objects.filter(event=event).order_by("position", "pk")


def criteria_of_round(*, round: JudgingRound) -> QuerySet[Criterion]:
    return Criterion.objects.filter(round=round).order_by("position", "pk")


def conflicts_of(juror: Juror) -> set[int]:
    """The ids of the projects of the round's event this juror may not judge.

    A conflict is a team the juror declared, a team the juror is a member of, a team the
    juror mentored (claimed one of its help requests), or a project whose challenge comes
    from an organisation the juror declared (names compared case-insensitively; the
    challenge of the team and the challenges the project answers both count). One query.
    """
    user_id = juror.user_id
    conflict = (
        Q(team__in=juror.conflict_teams.all())
        | Q(team__memberships__user_id=user_id)
        | Q(team__help_requests__mentor_id=user_id)
    )
    for name in juror.organisation_names:
        conflict |= Q(team__challenge__organisation_name__iexact=name)
        conflict |= Q(challenges__organisation_name__iexact=name)
    return set(
        Project.objects.filter(conflict, event_id=juror.round.event_id)
        .values_list("pk", flat=True)
        .distinct()
    )
