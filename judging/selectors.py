"""Reads for judging: rounds, criteria, and the conflicts of interest of a juror; what an
assignment run reads (eligible projects with the version judged, the pool's conflicts in
bulk) and what the organisers' pages show (rounds, the juror pool, runs)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Lower
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from judging.enums import ReviewStatus, RoundEntry
from judging.models import (
    Assignment,
    AssignmentRun,
    Criterion,
    JudgingRound,
    Juror,
    ShortlistEntry,
)
from judging.rules import can_manage_round
from mentoring.models import HelpRequest
from projects.enums import ProjectStatus
from projects.models import Project, ProjectVersion, SubmissionExtension
from projects.selectors import submission_phase_end
from teams.models import Membership


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


# --- assignment runs (helper "runs") --------------------------------------------------------


def previous_round(*, round: JudgingRound) -> JudgingRound | None:
    """The event's round before this one, in order; None for the first."""
    return (
        JudgingRound.objects.filter(event_id=round.event_id, position__lt=round.position)
        .order_by("-position", "-pk")
        .first()
    )


def eligible_projects(*, round: JudgingRound) -> QuerySet[Project]:
    """The projects entering the round: the event's submitted projects, all of them, those
    the previous round shortlisted, or those whose team's challenge is in the round's topic
    field."""
    projects = Project.objects.filter(event_id=round.event_id, status=ProjectStatus.SUBMITTED)
    if round.entry == RoundEntry.SHORTLISTED:
        before = previous_round(round=round)
        if before is None:
            return projects.none()
        projects = projects.filter(
            pk__in=ShortlistEntry.objects.filter(round=before).values("project_id")
        )
    elif round.entry == RoundEntry.TOPIC:
        projects = projects.filter(team__challenge__topic_id=round.topic_id)
    return projects.order_by("pk")


@dataclass(frozen=True)
class EligibleProject:
    id: int
    title: str
    topic_id: int | None
    version_id: int | None  # None: nothing was submitted in time, so nothing to judge


def eligible_projects_for_assignment(*, round: JudgingRound) -> list[EligibleProject]:
    """The round's eligible projects with their topic field and the version jurors judge,
    in one query: the bulk form of projects.selectors.project_version_for_jurors (the
    latest version created at or before the team's deadline: the submission phase's end,
    or the team's extension when that is later)."""
    projects = eligible_projects(round=round)
    versions = ProjectVersion.objects.filter(project_id=OuterRef("pk"))
    phase_end = submission_phase_end(event_id=round.event_id)
    if phase_end is not None:
        projects = projects.annotate(
            deadline=Greatest(
                Value(phase_end),
                Coalesce(F("team__submission_extension__ends_at"), Value(phase_end)),
            )
        )
        versions = versions.filter(created_at__lte=OuterRef("deadline"))
    rows = projects.annotate(
        version_id=Subquery(versions.order_by("-number").values("pk")[:1]),
        topic_id=F("team__challenge__topic_id"),
    ).values_list("pk", "title", "topic_id", "version_id")
    return [EligibleProject(*row) for row in rows]


def conflict_pairs(*, round: JudgingRound) -> set[tuple[int, int]]:
    """Every (juror id, project id) of the round that is a conflict of interest, as
    conflicts_of defines it for one juror, for the whole pool in six queries however many jurors."""
    jurors = list(
        Juror.objects.filter(round=round).values_list("pk", "user_id", "conflict_organisations")
    )
    if not jurors:
        return set()
    project_of_team = dict(
        Project.objects.filter(event_id=round.event_id).values_list("team_id", "pk")
    )
    jurors_of_user: dict[int, list[int]] = {}
    jurors_of_name: dict[str, list[int]] = {}
    for juror_id, user_id, organisations in jurors:
        jurors_of_user.setdefault(user_id, []).append(juror_id)
        for line in organisations.splitlines():
            if line.strip():
                jurors_of_name.setdefault(line.strip().lower(), []).append(juror_id)

    team_pairs: set[tuple[int, int]] = set(
        Juror.conflict_teams.through.objects.filter(juror__round=round).values_list(
            "juror_id", "team_id"
        )
    )
    ties = chain(
        Membership.objects.filter(
            user_id__in=jurors_of_user, team__event_id=round.event_id
        ).values_list("user_id", "team_id"),
        HelpRequest.objects.filter(
            mentor_id__in=jurors_of_user, team__event_id=round.event_id
        ).values_list("mentor_id", "team_id"),
    )
    for user_id, team_id in ties:
        team_pairs.update((juror_id, team_id) for juror_id in jurors_of_user[user_id])
    pairs = {
        (juror_id, project_of_team[team_id])
        for juror_id, team_id in team_pairs
        if team_id in project_of_team
    }
    if jurors_of_name:
        names = list(jurors_of_name)
        rows = (
            Project.objects.filter(event_id=round.event_id)
            .annotate(
                team_organisation=Lower("team__challenge__organisation_name"),
                answered_organisation=Lower("challenges__organisation_name"),
            )
            .filter(Q(team_organisation__in=names) | Q(answered_organisation__in=names))
            .values_list("pk", "team_organisation", "answered_organisation")
        )
        for project_id, *organisations in rows:
            for name in organisations:
                pairs.update((juror_id, project_id) for juror_id in jurors_of_name.get(name, ()))
    return pairs


def latest_run(*, round: JudgingRound) -> AssignmentRun | None:
    return AssignmentRun.objects.filter(round=round).order_by("-created_at", "-pk").first()


def runs_of_round(*, round: JudgingRound, limit: int = 5) -> list[AssignmentRun]:
    """The round's latest assignment runs, newest first."""
    return list(
        AssignmentRun.objects.filter(round=round)
        .select_related("requested_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def round_for_organiser(*, pk: int, user) -> JudgingRound:
    """The round if this person manages it; 404 otherwise, as if there were none."""
    round = (
        JudgingRound.objects.select_related("event", "topic", "published_by").filter(pk=pk).first()
    )
    if round is None or not can_manage_round(user, round):
        raise Http404("No such round.")
    return round


def run_for_organiser(*, pk: int, user) -> AssignmentRun:
    """The assignment run if this person manages its round; 404 otherwise."""
    run = AssignmentRun.objects.select_related("round__event", "requested_by").filter(pk=pk).first()
    if run is None or not can_manage_round(user, run.round):
        raise Http404("No such assignment run.")
    return run


def _count(queryset) -> Subquery:
    return Subquery(queryset.order_by().values("round_id").annotate(n=Count("pk")).values("n")[:1])


def rounds_for_organiser_page(*, event) -> QuerySet[JudgingRound]:
    """The event's rounds with their pool, assignments and submitted reviews counted (one
    query; counted apart, since joining jurors with assignments would multiply them)."""
    rounds = OuterRef("pk")
    return rounds_of_event(event=event).annotate(
        juror_count=Coalesce(_count(Juror.objects.filter(round=rounds)), 0),
        assignment_count=Coalesce(_count(Assignment.objects.filter(round=rounds)), 0),
        submitted_count=Coalesce(
            _count(Assignment.objects.filter(round=rounds, review__status=ReviewStatus.SUBMITTED)),
            0,
        ),
    )


def juror_pool(*, round: JudgingRound) -> QuerySet[Juror]:
    """The round's jurors with their expertise, declared team conflicts, assignments and
    submitted reviews counted (two queries however many jurors)."""
    return (
        Juror.objects.filter(round=round)
        .select_related("user")
        .prefetch_related("expertise")
        .annotate(
            declared_team_count=Count("conflict_teams", distinct=True),
            assignment_count=Count("assignments", distinct=True),
            submitted_count=Count(
                "assignments__review",
                filter=Q(assignments__review__status=ReviewStatus.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("user__display_name", "pk")
    )


def jurors_by_id(*, ids) -> dict[int, Juror]:
    return {juror.pk: juror for juror in Juror.objects.filter(pk__in=ids).select_related("user")}


# --- what the API reads (judging.api) ---------------------------------------------------------


def rounds_with_criteria(*, event) -> QuerySet[JudgingRound]:
    """The event's rounds in order, each with its event, topic field and criteria (in
    their order, Criterion.Meta): three queries for any number of rounds."""
    return (
        rounds_of_event(event=event).select_related("event", "topic").prefetch_related("criteria")
    )


def round_with_criteria(*, pk: int) -> JudgingRound | None:
    """The round with its event, topic field and criteria, or None; whether the person
    may see it is for the rules to say (judging.rules.can_manage_round)."""
    return (
        JudgingRound.objects.filter(pk=pk)
        .select_related("event", "topic")
        .prefetch_related("criteria")
        .first()
    )


def criterion_of_round(*, round: JudgingRound, pk: int) -> Criterion | None:
    return Criterion.objects.filter(round=round, pk=pk).first()


@dataclass
class RunFigures:
    """What a finished run's page shows: the load per juror (with their names), how many
    projects got how many reviews, the flagged projects and, for a failed run, the
    projects that fall short."""

    loads: list[tuple[Juror | None, int]]
    reviews_per_project: list[tuple[int, int]]
    flagged: list[Project]
    shortfalls: list[dict]


def run_result_rows(*, run: AssignmentRun) -> RunFigures:
    """A run's stored figures with the jurors and projects they name (two queries)."""
    result = run.result or {}
    load = {int(juror_id): n for juror_id, n in (result.get("load") or {}).items()}
    jurors = jurors_by_id(ids=load) if load else {}
    flagged_ids = result.get("flagged") or []
    return RunFigures(
        loads=sorted(
            ((jurors.get(juror_id), n) for juror_id, n in load.items()),
            key=lambda row: (-row[1], row[0].user.public_name if row[0] else ""),
        ),
        reviews_per_project=sorted(
            (int(k), count) for k, count in (result.get("reviews_per_project") or {}).items()
        ),
        flagged=list(Project.objects.filter(pk__in=flagged_ids).order_by("title"))
        if flagged_ids
        else [],
        shortfalls=result.get("shortfalls") or [],
    )


def run_reasons(*, run: AssignmentRun) -> list[str]:
    """Why a failed run was not possible, in the active language: its stored messages
    (English source) translated, its projects' shortfalls worded from their figures as
    judging.assignment.Shortfall words them, named by title."""
    from judging.assignment import Shortfall

    reasons = []
    for reason in run.reasons or []:
        if isinstance(reason, str):  # a run failed before reasons were stored as figures
            reasons.append(reason)
        elif "message" in reason:
            reasons.append(_(reason["message"]))
        else:
            reasons.append(
                Shortfall(
                    # The sentence names the project: by its title where there is one.
                    project_id=reason.get("title") or reason["project_id"],
                    available=reason["available"],
                    reviews=reason["reviews"],
                    by_capacity=reason.get("by_capacity", False),
                ).reason
            )
    return reasons


def resubmission_open(*, round: JudgingRound, now=None) -> bool:
    """Whether a team of the round's event may still submit a new version: the submission
    phase has not ended, some team's extension runs on, or the event has no submission
    deadline at all. Jurors judge the version submitted by the deadline, so a review
    started before it may judge one that is later replaced (two queries)."""
    now = now or timezone.now()
    phase_end = submission_phase_end(event_id=round.event_id)
    if phase_end is None or phase_end > now:
        return True
    return SubmissionExtension.objects.filter(
        team__event_id=round.event_id, ends_at__gt=now
    ).exists()


def user_by_email(*, email: str):
    """The account with this e-mail address (case-insensitive), or None."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=email.strip()).first()
