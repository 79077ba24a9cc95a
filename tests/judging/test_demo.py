"""The demo's judging: a pre-screening in the finished edition, an open round in the
running one, and the juror login printed; seeded idempotently."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from events.demo import DEMO_EVENT_SLUG, DEMO_PASSWORD, ORGANISER, PAST_EVENT_SLUG
from judging.demo import JUROR, PAST_PROJECTS, ROUND_NAME
from judging.enums import ReviewStatus, RoundStatus
from judging.models import (
    Assignment,
    AssignmentRun,
    Criterion,
    JudgingRound,
    Juror,
    Review,
    Score,
    ShortlistEntry,
    TeamOutcomeNotice,
)
from judging.selectors import conflicts_of
from judging.services import DEFAULT_CRITERIA
from notifications.enums import EmailStatus
from notifications.models import Notification
from projects.enums import ProjectStatus
from projects.models import Project
from projects.selectors import project_version_for_jurors

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def judging_rows() -> list:
    return [
        sorted(JudgingRound.objects.values_list("pk", "event__slug", "name", "status")),
        sorted(Criterion.objects.values_list("pk", "round__event__slug", "name", "weight")),
        sorted(Juror.objects.values_list("pk", "round__event__slug", "user__email")),
        sorted(Project.objects.filter(event__slug=PAST_EVENT_SLUG).values_list("pk", "title")),
        sorted(Assignment.objects.values_list("pk", "juror_id", "project_id", "version_id")),
        sorted(Review.objects.values_list("pk", "assignment_id", "status")),
        sorted(Score.objects.values_list("pk", "review_id", "criterion_id", "value")),
        sorted(ShortlistEntry.objects.values_list("pk", "project_id")),
        sorted(AssignmentRun.objects.values_list("pk", "status")),
    ]


def test_demo_judging_rounds_jurors_and_login_idempotently():
    output = seed()
    first = judging_rows()
    seed()
    assert judging_rows() == first

    past = JudgingRound.objects.get(event__slug=PAST_EVENT_SLUG, name=ROUND_NAME)
    current = JudgingRound.objects.get(event__slug=DEMO_EVENT_SLUG, name=ROUND_NAME)
    # The five default criteria, in German (the demo's language), 1–5, equal weights.
    assert list(past.criteria.values_list("scale_min", "scale_max", "weight")) == [(1, 5, 1)] * 5
    assert past.criteria.count() == len(DEFAULT_CRITERIA)
    assert past.criteria.first().name == "Gesellschaftlicher Nutzen"

    # The juror login: printed, verified, the demo password, in both pools.
    juror = User.objects.get(email=JUROR[0])
    assert juror.check_password(DEMO_PASSWORD)
    assert juror.emailaddress_set.filter(email=JUROR[0], verified=True, primary=True).exists()
    assert re.search(rf"{re.escape(JUROR[0])} +{DEMO_PASSWORD} +\(Juror\)", output)
    assert Juror.objects.filter(round=past, user=juror).exists()
    assert Juror.objects.filter(round=current, user=juror).exists()
    assert past.jurors.count() >= 6

    # The finished edition has projects to judge, on versions frozen before its deadline.
    projects = Project.objects.filter(event=past.event, status=ProjectStatus.SUBMITTED)
    assert projects.count() == len(PAST_PROJECTS)
    for project in projects:
        assert project_version_for_jurors(project=project) is not None

    # A declared conflict (an organisation) is respected by the platform's own check.
    declaring = past.jurors.exclude(conflict_organisations="").get()
    assert conflicts_of(declaring), "the declared organisation has projects in the round"


def test_demo_finished_round_assigned_reviewed_and_published():
    seed()
    past = JudgingRound.objects.get(event__slug=PAST_EVENT_SLUG, name=ROUND_NAME)
    assert past.status == RoundStatus.PUBLISHED
    assert past.published_at.year == 2021 and past.closes_at < past.published_at

    # The real assignment run: every project exactly k reviews, no conflict, loads
    # within one.
    run = AssignmentRun.objects.get(round=past)
    assert run.result["spread"] <= 1
    assignments = Assignment.objects.filter(round=past).select_related("juror")
    per_project = {}
    for assignment in assignments:
        per_project.setdefault(assignment.project_id, []).append(assignment.juror_id)
        assert assignment.project_id not in conflicts_of(assignment.juror)
    assert sorted(map(len, per_project.values())) == [past.reviews_per_project] * len(PAST_PROJECTS)

    # Most reviews submitted with every criterion scored, a few left open.
    reviews = Review.objects.filter(assignment__round=past)
    submitted = reviews.filter(status=ReviewStatus.SUBMITTED)
    assert 0.8 * assignments.count() <= submitted.count() < assignments.count()
    assert reviews.filter(status=ReviewStatus.DRAFT).exists()
    for review in submitted:
        assert review.scores.count() == past.criteria.count()
        assert review.submitted_at.year == 2021
    assert submitted.exclude(feedback_for_team="").exists()

    # Shortlisted, published, every judged team told once; the seed itself mails nobody.
    assert ShortlistEntry.objects.filter(round=past).count() >= 3
    notices = TeamOutcomeNotice.objects.filter(round=past)
    assert notices.count() == len(PAST_PROJECTS)
    assert not notices.filter(sent_at__isnull=True).exists()
    outcome = Notification.objects.filter(kind="judging.outcome")
    assert outcome.exists()
    # News of 2021, long read: nobody's notification centre is full of it.
    assert all(n.created_at.year == 2021 and n.read_at for n in outcome)
    assert not Notification.objects.filter(email_status=EmailStatus.PENDING).exists()


def test_demo_running_round_open_with_a_queue_for_the_juror_login():
    seed()
    current = JudgingRound.objects.get(event__slug=DEMO_EVENT_SLUG, name=ROUND_NAME)
    assert current.status == RoundStatus.OPEN
    assert current.opens_at <= timezone.now() < current.closes_at
    queue = Assignment.objects.filter(round=current, juror__user__email=JUROR[0])
    assert queue.exists()
    # Their queue is theirs to score: nothing in it was started for them.
    assert not Review.objects.filter(assignment__in=queue).exists()
    # Others did some work, so the organiser's progress shows something.
    assert Review.objects.filter(assignment__round=current, status=ReviewStatus.SUBMITTED).exists()
    assert Notification.objects.filter(
        kind="judging.queue_ready", recipient__email=JUROR[0]
    ).exists()


def test_demo_judging_pages_show_the_seeded_state(client):
    seed()
    past = JudgingRound.objects.get(event__slug=PAST_EVENT_SLUG, name=ROUND_NAME)
    current = JudgingRound.objects.get(event__slug=DEMO_EVENT_SLUG, name=ROUND_NAME)

    # Anyone: the finished edition's public results name its shortlisted projects.
    page = client.get(reverse("judging:public_results", args=[PAST_EVENT_SLUG]))
    assert page.status_code == 200
    for entry in ShortlistEntry.objects.filter(round=past).select_related("project"):
        assert entry.project.title in page.content.decode()

    # A team of the finished edition reads the jurors' feedback, without names.
    project = ShortlistEntry.objects.filter(round=past).first().project
    member = project.team.memberships.first().user
    client.force_login(member)
    page = client.get(reverse("judging:feedback", args=[project.pk]))
    assert page.status_code == 200
    feedback = Review.objects.filter(
        assignment__round=past, assignment__project=project, status=ReviewStatus.SUBMITTED
    ).exclude(feedback_for_team="")
    assert feedback.exists()
    assert feedback.first().feedback_for_team in page.content.decode()

    # The juror login's queue in the running edition lists their projects to do.
    client.force_login(User.objects.get(email=JUROR[0]))
    page = client.get(reverse("judging:queue", args=[current.pk]))
    assert page.status_code == 200
    for assignment in Assignment.objects.filter(round=current, juror__user__email=JUROR[0]):
        assert reverse("judging:review", args=[assignment.pk]) in page.content.decode()

    # The organiser's pages of both rounds.
    client.force_login(User.objects.get(email=ORGANISER[0]))
    for name, round in (("round", current), ("results", past), ("round", past)):
        assert client.get(reverse(f"judging:{name}", args=[round.pk])).status_code == 200
