"""Reads for the organisers' overview of the submissions: counts and the CSV export.

What the counts mean (also explained on the page):

- draft, submitted, withdrawn: the project's status.
- late: submitted after the event's general submission deadline, which only a team with
  an extension can do. Late projects are also counted as submitted.
- no project: teams with members that have not started a project (only in the totals:
  such a team has not chosen challenges for a project).

Per challenge, a project counts under each challenge it answers; one that has not
chosen any yet counts under its team's challenge. So the rows of the challenge table
can add up to more than the totals. Per topic field, a project counts once under each
topic field of those challenges.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from challenges.models import Challenge, Topic
from events.models import Event
from projects.enums import ProjectStatus
from projects.models import Project, ProjectVersion, SubmissionExtension
from projects.selectors import submission_phase_end
from teams.models import Membership, Team


@dataclass
class StatusCounts:
    draft: int = 0
    submitted: int = 0
    late: int = 0
    withdrawn: int = 0

    @property
    def total(self) -> int:
        return self.draft + self.submitted + self.withdrawn

    def add(self, status: str, late: bool) -> None:
        if status == ProjectStatus.DRAFT:
            self.draft += 1
        elif status == ProjectStatus.SUBMITTED:
            self.submitted += 1
            self.late += int(late)
        elif status == ProjectStatus.WITHDRAWN:
            self.withdrawn += 1


@dataclass
class CountRow:
    label: str
    counts: StatusCounts = field(default_factory=StatusCounts)
    number: int | None = None  # the challenge's number, for challenge rows


@dataclass
class SubmissionOverview:
    deadline: datetime | None
    totals: StatusCounts
    teams_without_project: int
    by_challenge: list[CountRow]
    by_topic: list[CountRow]
    no_topic: StatusCounts


def submission_overview(*, event: Event) -> SubmissionOverview:
    """The counts by status, per challenge and per topic field, in a constant number of queries."""
    deadline = submission_phase_end(event_id=event.pk)
    projects = list(
        Project.objects.filter(event=event).values(
            "pk", "status", "submitted_at", "team__challenge_id"
        )
    )
    chosen: dict[int, list[int]] = defaultdict(list)
    for project_id, challenge_id in Project.challenges.through.objects.filter(
        project__event=event
    ).values_list("project_id", "challenge_id"):
        chosen[project_id].append(challenge_id)
    challenge_ids = {c for ids in chosen.values() for c in ids} | {
        p["team__challenge_id"] for p in projects
    }
    challenges = {
        c.pk: c for c in Challenge.objects.filter(pk__in=challenge_ids).select_related("topic")
    }
    topics = {t.pk: t for t in Topic.objects.filter(event=event)}

    totals = StatusCounts()
    per_challenge: dict[int, StatusCounts] = defaultdict(StatusCounts)
    per_topic: dict[int, StatusCounts] = defaultdict(StatusCounts)
    no_topic = StatusCounts()
    for project in projects:
        late = bool(deadline and project["submitted_at"] and project["submitted_at"] > deadline)
        status = project["status"]
        totals.add(status, late)
        ids = chosen.get(project["pk"]) or [project["team__challenge_id"]]
        topic_ids = set()
        for challenge_id in ids:
            per_challenge[challenge_id].add(status, late)
            challenge = challenges.get(challenge_id)
            topic_ids.add(challenge.topic_id if challenge else None)
        for topic_id in topic_ids:
            if topic_id is None:
                no_topic.add(status, late)
            else:
                per_topic[topic_id].add(status, late)

    by_challenge = sorted(
        (
            CountRow(label=challenges[pk].title, counts=counts, number=challenges[pk].number)
            for pk, counts in per_challenge.items()
            if pk in challenges
        ),
        key=lambda row: (row.number is None, row.number or 0, row.label),
    )
    by_topic = [
        CountRow(label=topic.name, counts=per_topic[topic.pk])
        for topic in sorted(topics.values(), key=lambda t: (t.position, t.name))
    ]
    with_members = Team.objects.filter(event=event, member_count__gt=0)
    return SubmissionOverview(
        deadline=deadline,
        totals=totals,
        teams_without_project=with_members.filter(project__isnull=True).count(),
        by_challenge=by_challenge,
        by_topic=by_topic,
        no_topic=no_topic,
    )


def projects_for_export(*, event: Event) -> QuerySet[Project]:
    """Every project of the event (any status) with what the CSV export shows.

    Annotated: `latest_version`; `jurors_version`, the number of the version jurors judge
    (as projects.selectors.project_version_for_jurors: the latest one made by the team's
    deadline, extension included; only for submitted projects); `is_late`, submitted
    after the event's general deadline (with an extension). Three queries whatever the
    number of projects: projects, their challenges, the team members.
    """
    phase_end = submission_phase_end(event_id=event.pk)
    in_time = ProjectVersion.objects.filter(project_id=OuterRef("pk"))
    projects = Project.objects.filter(event=event)
    if phase_end is not None:
        extension_end = SubmissionExtension.objects.filter(team_id=OuterRef("team_id")).values(
            "ends_at"
        )[:1]
        projects = projects.annotate(
            team_deadline=Greatest(
                Coalesce(Subquery(extension_end), Value(phase_end)), Value(phase_end)
            )
        )
        in_time = in_time.filter(created_at__lte=OuterRef("team_deadline"))
    jurors_version = Subquery(in_time.order_by("-number").values("number")[:1])
    return (
        projects.select_related("team")
        .annotate(
            latest_version=Max("versions__number"),
            jurors_version=Case(
                When(status=ProjectStatus.SUBMITTED, then=jurors_version), default=None
            ),
            is_late=Value(False)
            if phase_end is None
            else Case(
                When(status=ProjectStatus.SUBMITTED, submitted_at__gt=phase_end, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .prefetch_related(
            Prefetch("challenges", queryset=Challenge.objects.only("pk", "number")),
            Prefetch(
                "team__memberships",
                queryset=Membership.objects.select_related("user").order_by("joined_at", "pk"),
            ),
        )
        .order_by("team__name", "pk")
    )
