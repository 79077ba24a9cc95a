"""Judged projects and reviews written directly as rows, for the results tests (the
scoring services are built elsewhere; these tests need only what they leave behind)."""

from __future__ import annotations

from django.utils import timezone

from judging.enums import ReviewStatus, RoundStatus
from judging.models import Assignment, Criterion, JudgingRound, Juror, Review, Score
from projects.models import Project, ProjectVersion
from teams.models import Team
from tests.factories import ChallengeFactory, ProjectFactory, TeamFactory, UserFactory


def set_status(round: JudgingRound, status: str) -> JudgingRound:
    JudgingRound.objects.filter(pk=round.pk).update(status=status)
    round.refresh_from_db()
    return round


def close(round: JudgingRound) -> JudgingRound:
    return set_status(round, RoundStatus.CLOSED)


def judged_project(round: JudgingRound, *, title=None, topic=None, category="", challenge=None):
    """A submitted project of the round's event with its frozen version (whose snapshot
    holds the title and category, as projects.selectors.project_snapshot writes them)."""
    challenge = challenge or ChallengeFactory(event=round.event, topic=topic)
    team = TeamFactory(event=round.event, challenge=challenge)
    fields = {"title": title} if title else {}
    project = ProjectFactory(
        event=round.event, team=team, status="submitted", category=category, **fields
    )
    ProjectVersion.objects.create(
        project=project,
        number=1,
        snapshot={"title": project.title, "category": project.category},
    )
    return project


def juror(round: JudgingRound, **user_fields) -> Juror:
    return Juror.objects.create(round=round, user=UserFactory(**user_fields))


def review(
    juror: Juror, project: Project, values, *, submitted=True, feedback="", comment=""
) -> Review:
    """The juror's review of the project: `values` are the values of the round's
    criteria in their order (or {criterion: value})."""
    round = juror.round
    if not isinstance(values, dict):
        values = dict(
            zip(
                Criterion.objects.filter(round=round).order_by("position", "pk"),
                values,
                strict=True,
            )
        )
    assignment = Assignment.objects.create(
        round=round, juror=juror, project=project, version=project.versions.first()
    )
    result = Review.objects.create(
        assignment=assignment,
        status=ReviewStatus.SUBMITTED if submitted else ReviewStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
        feedback_for_team=feedback,
        comment_for_organisers=comment,
    )
    Score.objects.bulk_create(
        Score(review=result, criterion=criterion, value=value)
        for criterion, value in values.items()
    )
    return result


def many_judged_projects(round: JudgingRound, count: int, *, jurors: int = 5) -> list[Project]:
    """`count` projects, each reviewed by `jurors` jurors on every criterion, in bulk."""
    challenge = ChallengeFactory(event=round.event)
    start = Team.objects.count()
    teams = Team.objects.bulk_create(
        Team(
            event=round.event,
            challenge=challenge,
            name=f"Bulk team {start + i}",
            pitch="Wir bauen gemeinsam eine Lösung, die wirklich hilft.",
            max_size=round.event.team_max_size,
        )
        for i in range(count)
    )
    projects = Project.objects.bulk_create(
        Project(
            event=round.event,
            team=team,
            title=f"Bulk project {i}",
            status="submitted",
            submitted_at=timezone.now(),
            category=["new_build", "extension", ""][i % 3],
        )
        for i, team in enumerate(teams)
    )
    versions = ProjectVersion.objects.bulk_create(
        ProjectVersion(
            project=project,
            number=1,
            snapshot={"title": project.title, "category": project.category},
        )
        for project in projects
    )
    pool = Juror.objects.bulk_create(Juror(round=round, user=UserFactory()) for _ in range(jurors))
    assignments = Assignment.objects.bulk_create(
        Assignment(round=round, juror=j, project=project, version=version)
        for project, version in zip(projects, versions, strict=True)
        for j in pool
    )
    now = timezone.now()
    reviews = Review.objects.bulk_create(
        Review(
            assignment=a, status=ReviewStatus.SUBMITTED, submitted_at=now, feedback_for_team="Gut"
        )
        for a in assignments
    )
    criteria = list(Criterion.objects.filter(round=round))
    Score.objects.bulk_create(
        (
            Score(review=r, criterion=c, value=1 + (i + c.pk) % 5)
            for i, r in enumerate(reviews)
            for c in criteria
        ),
        batch_size=5000,
    )
    return projects
