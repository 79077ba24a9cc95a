"""Assignment runs on PostgreSQL: the Celery workflow from the organiser's request to the
saved assignments (invariants on generated data), infeasible rounds, re-runs that keep
started reviews, the claim, the stale sweep, and the queue notices and reminders, each
sent once. Also the selectors the run reads (eligible projects, conflicts in bulk)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from judging.enums import (
    JurorNoticeKind,
    ReviewStatus,
    RoundEntry,
    RoundStatus,
    RunStatus,
    RunTrigger,
)
from judging.errors import JudgingError
from judging.models import (
    Assignment,
    AssignmentRun,
    JudgingRound,
    Juror,
    JurorNotice,
    Review,
    ShortlistEntry,
)
from judging.selectors import (
    conflict_pairs,
    conflicts_of,
    eligible_projects,
    eligible_projects_for_assignment,
    latest_run,
)
from judging.services import conflict_declare, juror_add, round_create, round_update
from judging.services.rounds import round_close, round_open
from judging.services.runs import (
    REASON_CLOSED,
    REASON_TIME_UP,
    assignment_run_execute,
    assignment_run_start,
    assignment_runs_requeue_stale,
    review_reminders_send,
)
from notifications.models import Notification
from projects.models import ProjectVersion
from projects.selectors import project_version_for_jurors
from tests.factories import (
    ChallengeFactory,
    HelpRequestFactory,
    PhaseFactory,
    ProjectFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    add_member,
)
from tests.races import race

pytestmark = pytest.mark.django_db

TOPICS = 3


def make_projects(event, count: int, topics) -> list:
    challenges = [ChallengeFactory(event=event, topic=topic) for topic in topics]
    projects = []
    for i in range(count):
        team = TeamFactory(event=event, challenge=challenges[i % len(challenges)])
        project = ProjectFactory(event=event, team=team, status="submitted")
        ProjectVersion.objects.create(project=project, number=1, snapshot={"title": "v1"})
        projects.append(project)
    return projects


def make_jurors(round, count: int, topics, organiser) -> list[Juror]:
    return [
        juror_add(round=round, actor=organiser, user=UserFactory(), expertise=[topics[i % TOPICS]])
        for i in range(count)
    ]


@pytest.fixture
def topics(event):
    return [TopicFactory(event=event) for _ in range(TOPICS)]


@pytest.fixture
def small_round(judging_round, organiser):
    round_update(round=judging_round, actor=organiser, data={"reviews_per_project": 3})
    judging_round.refresh_from_db()
    return judging_round


def run_now(round, actor, django_capture_on_commit_callbacks, **kwargs) -> AssignmentRun:
    """Starts a run; its task runs on commit (Celery is eager in tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        run = assignment_run_start(round=round, actor=actor, **kwargs)
    run.refresh_from_db()
    return run


def assert_assignment_invariants(round, projects, jurors):
    k = round.reviews_per_project
    pairs = list(Assignment.objects.filter(round=round).values_list("juror_id", "project_id"))
    per_project = Counter(project_id for _juror, project_id in pairs)
    assert per_project == {project.pk: k for project in projects}
    for juror in jurors:
        forbidden = conflicts_of(juror)
        assert not {p for j, p in pairs if j == juror.pk} & forbidden
    loads = Counter(juror_id for juror_id, _project in pairs)
    counts = [loads.get(juror.pk, 0) for juror in jurors]
    assert max(counts) - min(counts) <= 1
    return pairs


def test_a_run_gives_every_project_k_reviews_without_conflicts_balanced_and_by_expertise(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks
):
    projects = make_projects(event, 30, topics)
    jurors = make_jurors(small_round, 12, topics, organiser)
    rng = random.Random(7)
    for juror in jurors[:4]:
        add_member(rng.choice(projects).team, juror.user)
    HelpRequestFactory(team=projects[3].team, mentor=jurors[5].user, status="claimed")
    conflict_declare(juror=jurors[6], actor=jurors[6].user, teams=[projects[4].team])

    run = run_now(small_round, organiser, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.DONE
    assert run.progress == 100
    assert run.started_at is not None and run.finished_at is not None
    pairs = assert_assignment_invariants(small_round, projects, jurors)
    topic_of = {p.pk: p.team.challenge.topic_id for p in projects}
    expertise = {j.pk: {t.pk for t in j.expertise.all()} for j in jurors}
    matched = sum(topic_of[p] in expertise[j] for j, p in pairs) / len(pairs)
    assert matched > 0.9  # each topic has four experts for its 30 reviews
    assert run.result["expertise_share"] == pytest.approx(matched, abs=1e-4)
    assert run.result["reviews_per_project"] == {"3": 30}
    assert run.result["spread"] <= 1
    assert sum(run.result["load"].values()) == 90
    assert run.result["added"] == 90 and run.result["kept"] == 0 and run.result["removed"] == 0
    versions = dict(ProjectVersion.objects.values_list("project_id", "pk"))
    assert all(
        a.version_id == versions[a.project_id] for a in Assignment.objects.filter(round=small_round)
    )


def test_an_infeasible_round_fails_with_its_reasons_and_saves_nothing(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks
):
    projects = make_projects(event, 4, topics)
    jurors = make_jurors(small_round, 3, topics, organiser)
    add_member(projects[0].team, jurors[0].user)

    run = run_now(small_round, organiser, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.FAILED
    assert not Assignment.objects.filter(round=small_round).exists()
    # The figures are stored, not a sentence in the worker's language.
    assert run.reasons == run.result["shortfalls"]
    assert run.result["shortfalls"] == [
        {
            "project_id": projects[0].pk,
            "title": projects[0].title,
            "available": 2,
            "reviews": 3,
            "by_capacity": False,
        }
    ]


def test_a_rerun_keeps_started_reviews_and_moves_only_what_must(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks
):
    projects = make_projects(event, 20, topics)
    jurors = make_jurors(small_round, 8, topics, organiser)
    run_now(small_round, organiser, django_capture_on_commit_callbacks)
    started = list(Assignment.objects.filter(round=small_round, juror__in=jurors[:3]))
    Review.objects.bulk_create([Review(assignment=a) for a in started])
    leaving = jurors[7]
    leaving_load = Assignment.objects.filter(juror=leaving).count()
    leaving.delete()
    newcomer = juror_add(round=small_round, actor=organiser, user=UserFactory())
    before = set(Assignment.objects.filter(round=small_round).values_list("pk", flat=True))

    run = run_now(small_round, organiser, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.DONE
    pool = [*jurors[:7], newcomer]
    assert_assignment_invariants(small_round, projects, pool)
    after = set(Assignment.objects.filter(round=small_round).values_list("pk", flat=True))
    assert {a.pk for a in started} <= after
    newcomer_load = Assignment.objects.filter(juror=newcomer).count()
    assert newcomer_load >= 7
    assert run.result["kept"] == len(started)
    assert run.result["added"] <= leaving_load + newcomer_load
    assert run.result["removed"] == run.result["added"] - leaving_load
    assert len(before - after) == run.result["removed"]


def test_a_duplicate_task_does_nothing(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks
):
    make_projects(event, 6, topics)
    make_jurors(small_round, 4, topics, organiser)
    run = run_now(small_round, organiser, django_capture_on_commit_callbacks)
    assignments = list(Assignment.objects.filter(round=small_round).values_list("pk", flat=True))

    assert assignment_run_execute(run_id=run.pk) == RunStatus.DONE
    assert assignment_run_execute(run_id=run.pk + 1000) == ""

    assert list(Assignment.objects.filter(round=small_round).values_list("pk", flat=True)) == (
        assignments
    )


def test_starting_while_a_run_waits_returns_that_run(small_round, organiser):
    waiting = assignment_run_start(round=small_round, actor=organiser)

    again = assignment_run_start(round=small_round, actor=organiser)

    assert again == waiting
    assert AssignmentRun.objects.filter(round=small_round).count() == 1
    assert latest_run(round=small_round) == waiting


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_organisers_starting_at_once_get_one_run(eager_celery):
    from judging.services import round_create
    from tests.factories import EventFactory, OrganiserFactory

    organiser = OrganiserFactory()
    round = round_create(event=EventFactory(), actor=organiser, name="Vorauswahl")

    results = race(
        lambda: assignment_run_start(round=round, actor=organiser).pk,
        lambda: assignment_run_start(round=round, actor=organiser).pk,
    )

    assert results[0] == results[1]
    assert AssignmentRun.objects.filter(round=round).count() == 1


def test_only_organisers_start_a_run_and_not_in_a_closed_round(small_round, organiser):
    juror = Juror.objects.create(round=small_round, user=UserFactory())
    with pytest.raises(JudgingError, match="Only organisers"):
        assignment_run_start(round=small_round, actor=juror.user)

    on_behalf = assignment_run_start(
        round=small_round, actor=juror.user, trigger=RunTrigger.CONFLICT
    )
    assert on_behalf.trigger == RunTrigger.CONFLICT

    small_round.status = RoundStatus.CLOSED
    small_round.save(update_fields=["status"])
    with pytest.raises(JudgingError, match="closed"):
        assignment_run_start(round=small_round, actor=organiser)


def test_the_sweep_requeues_stale_runs_and_leaves_fresh_ones(
    small_round, organiser, event, topics, second_round, django_capture_on_commit_callbacks
):
    make_projects(event, 3, topics)
    make_jurors(small_round, 3, topics, organiser)
    stale = AssignmentRun.objects.create(round=small_round)
    AssignmentRun.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(minutes=3)
    )
    dead = AssignmentRun.objects.create(
        round=second_round,
        status=RunStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=16),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert assignment_runs_requeue_stale() == 2
    stale.refresh_from_db()
    dead.refresh_from_db()
    assert stale.status == RunStatus.DONE
    assert dead.status == RunStatus.FAILED  # carried out again: a round without jurors
    fresh = AssignmentRun.objects.create(round=small_round)
    assert assignment_runs_requeue_stale() == 0
    fresh.refresh_from_db()
    assert fresh.status == RunStatus.PENDING


@pytest.fixture
def second_round(event, organiser):
    return round_create(event=event, actor=organiser, name="Themenjurys")


def _queue_notifications():
    return Notification.objects.filter(kind="judging.queue_ready")


def test_jurors_of_an_open_round_are_told_of_their_queue_once(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks
):
    make_projects(event, 6, topics)
    jurors = make_jurors(small_round, 4, topics, organiser)
    round_open(round=small_round, actor=organiser)

    run_now(small_round, organiser, django_capture_on_commit_callbacks)
    newcomer = juror_add(round=small_round, actor=organiser, user=UserFactory())
    run_now(small_round, organiser, django_capture_on_commit_callbacks)

    told = Counter(_queue_notifications().values_list("recipient_id", flat=True))
    assert told == {juror.user_id: 1 for juror in [*jurors, newcomer]}
    first = _queue_notifications().get(recipient=jurors[0].user)
    assert first.context["round_name"] == small_round.name
    assert first.context["event_name"] == event.name
    assert first.context["count"] >= 3
    assert first.context["url"] == reverse("judging:queue", args=[small_round.pk])
    assert JurorNotice.objects.filter(kind=JurorNoticeKind.QUEUE).count() == 5


def test_a_draft_round_tells_its_jurors_when_it_opens(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks
):
    make_projects(event, 4, topics)
    jurors = make_jurors(small_round, 4, topics, organiser)
    closes = timezone.now() + timedelta(days=3)
    round_update(round=small_round, actor=organiser, data={"closes_at": closes})
    run_now(small_round, organiser, django_capture_on_commit_callbacks)
    assert not _queue_notifications().exists()

    round_open(round=small_round, actor=organiser)
    round_close(round=small_round, actor=organiser)
    round_open(round=small_round, actor=organiser)

    assert _queue_notifications().count() == 4
    context = _queue_notifications().get(recipient=jurors[0].user).context
    local = event.localtime(closes)
    assert context["closes_local"] == f"{local:%Y-%m-%d %H:%M} (Europe/Berlin)"
    assert context["count"] == 3


def test_reminders_go_to_jurors_with_open_reviews_of_rounds_closing_within_a_day_once(
    small_round, organiser, event, topics, second_round
):
    projects = make_projects(event, 2, topics)
    busy, done, elsewhere = (
        Juror.objects.create(round=small_round, user=UserFactory()),
        Juror.objects.create(round=small_round, user=UserFactory()),
        Juror.objects.create(round=second_round, user=UserFactory()),
    )
    versions = {v.project_id: v for v in ProjectVersion.objects.all()}

    def assign(juror, project):
        return Assignment.objects.create(
            round=juror.round, juror=juror, project=project, version=versions[project.pk]
        )

    assign(busy, projects[0])
    Review.objects.create(assignment=assign(busy, projects[1]), status=ReviewStatus.DRAFT)
    Review.objects.create(
        assignment=assign(done, projects[0]),
        status=ReviewStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    assign(elsewhere, projects[0])
    for round, hours in ((small_round, 12), (second_round, 30)):
        round.closes_at = timezone.now() + timedelta(hours=hours)
        round.status = RoundStatus.OPEN
        round.save(update_fields=["closes_at", "status"])

    assert review_reminders_send() == 1
    assert review_reminders_send() == 0

    reminders = Notification.objects.filter(kind="judging.review_reminder")
    assert [(n.recipient_id, n.context["open_count"]) for n in reminders] == [(busy.user_id, 2)]
    assert JurorNotice.objects.get(kind=JurorNoticeKind.REMINDER).juror == busy


def test_reminders_take_a_constant_number_of_queries(
    small_round, organiser, event, topics, django_assert_max_num_queries
):
    projects = make_projects(event, 3, topics)
    versions = {v.project_id: v for v in ProjectVersion.objects.all()}
    for _ in range(20):
        juror = Juror.objects.create(round=small_round, user=UserFactory())
        for project in projects:
            Assignment.objects.create(
                round=small_round, juror=juror, project=project, version=versions[project.pk]
            )
    small_round.closes_at = timezone.now() + timedelta(hours=2)
    small_round.status = RoundStatus.OPEN
    small_round.save(update_fields=["closes_at", "status"])

    with django_assert_max_num_queries(12):
        assert review_reminders_send() == 20


def test_opening_needs_an_organiser_criteria_and_jurors(small_round, organiser):
    with pytest.raises(JudgingError, match="juror"):
        round_open(round=small_round, actor=organiser)
    juror = Juror.objects.create(round=small_round, user=UserFactory())
    with pytest.raises(JudgingError, match="Only organisers"):
        round_open(round=small_round, actor=juror.user)
    with pytest.raises(JudgingError, match="Only an open round"):
        round_close(round=small_round, actor=organiser)

    opened = round_open(round=small_round, actor=organiser)

    assert opened.status == RoundStatus.OPEN
    closed = round_close(round=small_round, actor=organiser)
    assert closed.status == RoundStatus.CLOSED


# --- what the run reads ---------------------------------------------------------------------


def test_eligible_projects_follow_the_rounds_entry(event, organiser, topics):
    projects = make_projects(event, 6, topics)
    ProjectFactory(event=event, status="draft")
    first = round_create(event=event, actor=organiser, name="Vorauswahl")
    ShortlistEntry.objects.create(round=first, project=projects[0])
    ShortlistEntry.objects.create(round=first, project=projects[4])
    shortlisted = round_create(
        event=event, actor=organiser, name="Finale", entry=RoundEntry.SHORTLISTED
    )
    by_topic = round_create(
        event=event, actor=organiser, name="Thema", entry=RoundEntry.TOPIC, topic=topics[1]
    )

    assert list(eligible_projects(round=first)) == projects
    assert list(eligible_projects(round=shortlisted)) == [projects[0], projects[4]]
    assert list(eligible_projects(round=by_topic)) == [projects[1], projects[4]]


def test_the_version_judged_is_the_one_submitted_by_the_deadline(event, organiser, topics):
    PhaseFactory(
        event=event,
        kind="submission",
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    on_time, late = make_projects(event, 2, topics)
    ProjectVersion.objects.filter(project=on_time).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    ProjectVersion.objects.create(project=on_time, number=2, snapshot={})  # after the deadline
    round = round_create(event=event, actor=organiser, name="Vorauswahl")

    rows = {row.id: row.version_id for row in eligible_projects_for_assignment(round=round)}

    expected = {
        p.pk: getattr(project_version_for_jurors(project=p), "pk", None) for p in (on_time, late)
    }
    assert rows == expected
    assert rows[late.pk] is None
    assert rows[on_time.pk] == ProjectVersion.objects.get(project=on_time, number=1).pk


def test_conflict_pairs_are_every_jurors_conflicts_in_a_few_queries(
    small_round, organiser, event, topics, django_assert_max_num_queries
):
    projects = make_projects(event, 8, topics)
    charite = ChallengeFactory(event=event, organisation_name="Charité Berlin")
    projects[5].challenges.add(charite)
    jurors = make_jurors(small_round, 5, topics, organiser)
    add_member(projects[0].team, jurors[0].user)
    HelpRequestFactory(team=projects[1].team, mentor=jurors[1].user, status="claimed")
    conflict_declare(juror=jurors[2], actor=organiser, teams=[projects[2].team])
    conflict_declare(juror=jurors[3], actor=organiser, organisations=["charité berlin"])
    other_round_juror = Juror.objects.create(
        round=round_create(event=event, actor=organiser, name="Andere"), user=jurors[4].user
    )
    add_member(projects[7].team, other_round_juror.user)

    with django_assert_max_num_queries(6):
        pairs = conflict_pairs(round=small_round)

    expected = {(j.pk, p) for j in Juror.objects.filter(round=small_round) for p in conflicts_of(j)}
    assert pairs == expected
    assert (jurors[3].pk, projects[5].pk) in pairs
    assert (jurors[4].pk, projects[7].pk) in pairs  # the same person, a member


def test_a_review_started_while_the_run_works_is_kept_and_the_run_works_it_out_again(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks, monkeypatch
):
    from judging.services import runs

    projects = make_projects(event, 9, topics)
    jurors = make_jurors(small_round, 4, topics, organiser)
    run_now(small_round, organiser, django_capture_on_commit_callbacks)
    newcomer = juror_add(round=small_round, actor=organiser, user=UserFactory())
    real_assign, calls, started = runs.solver.assign, [], []

    def assign_while_a_juror_starts_a_review(*args, **kwargs):
        result = real_assign(*args, **kwargs)
        calls.append(kwargs["kept"])
        if len(calls) == 1:  # the juror opens a project the run is about to move
            moving = next(
                a
                for a in Assignment.objects.filter(round=small_round)
                if (a.juror_id, a.project_id) not in result.pairs
            )
            started.append(Review.objects.create(assignment=moving).assignment_id)
        return result

    monkeypatch.setattr(runs.solver, "assign", assign_while_a_juror_starts_a_review)
    run = run_now(small_round, organiser, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.DONE
    assert len(calls) == 2 and calls[0] == set() and len(calls[1]) == 1
    assert Assignment.objects.filter(pk=started[0]).exists()
    assert_assignment_invariants(small_round, projects, [*jurors, newcomer])


def test_a_round_whose_closing_time_passed_does_not_open(small_round, organiser):
    Juror.objects.create(round=small_round, user=UserFactory())
    small_round.closes_at = timezone.now() - timedelta(minutes=1)
    small_round.save(update_fields=["closes_at"])

    with pytest.raises(JudgingError, match="closing time has passed"):
        round_open(round=small_round, actor=organiser)


@pytest.mark.parametrize("size", [5, 50])
def test_a_run_takes_a_constant_number_of_queries(
    size, small_round, organiser, event, topics, django_assert_max_num_queries
):
    JudgingRound.objects.filter(pk=small_round.pk).update(reviews_per_project=2)
    make_projects(event, size, topics)
    jurors = make_jurors(small_round, size, topics, organiser)
    for juror in jurors[::5]:
        conflict_declare(juror=juror, actor=organiser, organisations=["Charité"])
    round_open(round=small_round, actor=organiser)
    run = assignment_run_start(round=small_round, actor=organiser)

    # 32: with the jurors told before whose queue the run added to (none here: one query).
    with django_assert_max_num_queries(32):
        assert assignment_run_execute(run_id=run.pk) == RunStatus.DONE

    assert Notification.objects.filter(kind="judging.queue_ready").count() == size


def test_a_conflict_declared_while_the_run_works_is_worked_out_again(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks, monkeypatch
):
    from judging.services import runs

    projects = make_projects(event, 9, topics)
    jurors = make_jurors(small_round, 5, topics, organiser)
    run_now(small_round, organiser, django_capture_on_commit_callbacks)
    real_assign, calls = runs.solver.assign, []

    def assign_while_a_juror_declares_a_conflict(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # what judging.services.reviews.review_conflict_declare does
            taken = Assignment.objects.filter(round=small_round).first()
            conflict_declare(juror=taken.juror, actor=taken.juror.user, teams=[taken.project.team])
            taken.delete()
        return real_assign(*args, **kwargs)

    monkeypatch.setattr(runs.solver, "assign", assign_while_a_juror_declares_a_conflict)
    run = assignment_run_start(round=small_round, actor=organiser)
    assert assignment_run_execute(run_id=run.pk) == RunStatus.DONE

    assert len(calls) == 2
    assert_assignment_invariants(small_round, projects, jurors)


def test_a_failed_runs_reasons_are_worded_in_the_readers_language(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from judging.selectors import run_reasons

    projects = make_projects(event, 4, topics)
    jurors = make_jurors(small_round, 3, topics, organiser)
    add_member(projects[0].team, jurors[0].user)
    with translation.override("de"):  # the worker's language is not the reader's
        run = run_now(small_round, organiser, django_capture_on_commit_callbacks)

    with translation.override("en"):
        english = run_reasons(run=run)
    with translation.override("de"):
        german = run_reasons(run=run)

    title = projects[0].title
    assert english == [f"Project {title}: only 2 jurors without conflict for 3 reviews"]
    assert german[0].startswith(f"Projekt {title}: nur 2 ")
    stopped = AssignmentRun.objects.create(
        round=small_round, status=RunStatus.FAILED, reasons=[{"message": REASON_CLOSED}]
    )
    with translation.override("de"):
        assert run_reasons(run=stopped) == [
            "Die Runde ist geschlossen: Ihre Zuteilungen lassen sich nicht mehr ändern."
        ]


def test_an_open_round_whose_closing_time_passed_is_not_reassigned(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks
):
    make_projects(event, 3, topics)
    make_jurors(small_round, 3, topics, organiser)
    round_open(round=small_round, actor=organiser)
    waiting = assignment_run_start(round=small_round, actor=organiser)
    JudgingRound.objects.filter(pk=small_round.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    small_round.refresh_from_db()

    with pytest.raises(JudgingError, match="closing time has passed") as refused:
        assignment_run_start(round=small_round, actor=organiser, trigger=RunTrigger.CONFLICT)
    assert refused.value.conflict
    assert assignment_run_execute(run_id=waiting.pk) == RunStatus.FAILED
    waiting.refresh_from_db()
    assert waiting.reasons == [{"message": REASON_TIME_UP}]
    assert not Assignment.objects.filter(round=small_round).exists()


def test_a_rerun_moves_unstarted_assignments_to_the_version_submitted_since(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks
):
    projects = make_projects(event, 6, topics)
    make_jurors(small_round, 4, topics, organiser)
    run_now(small_round, organiser, django_capture_on_commit_callbacks)
    started = Assignment.objects.filter(round=small_round, project=projects[0]).first()
    Review.objects.create(assignment=started)
    first = started.version_id
    # No submission phase: the latest version is the one judged; the team resubmits.
    second = ProjectVersion.objects.create(project=projects[0], number=2, snapshot={})
    newcomer = juror_add(round=small_round, actor=organiser, user=UserFactory())

    run = run_now(small_round, organiser, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.DONE
    versions = set(
        Assignment.objects.filter(round=small_round, project=projects[0])
        .exclude(pk=started.pk)
        .values_list("version_id", flat=True)
    )
    assert versions == {second.pk}  # one version, whichever run assigned the juror
    started.refresh_from_db()
    assert started.version_id == first  # a review under way keeps what it judges
    assert (
        run.result["repointed"]
        == 3 - 1 - Assignment.objects.filter(juror=newcomer, project=projects[0]).count()
    )


def test_jurors_whose_account_is_deactivated_get_nothing_and_are_not_told(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks
):
    projects = make_projects(event, 6, topics)
    jurors = make_jurors(small_round, 5, topics, organiser)
    run_now(small_round, organiser, django_capture_on_commit_callbacks)
    gone = jurors[0]
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])

    run = run_now(small_round, organiser, django_capture_on_commit_callbacks)
    round_open(round=small_round, actor=organiser)

    assert run.status == RunStatus.DONE
    assert not Assignment.objects.filter(juror=gone).exists()
    assert_assignment_invariants(small_round, projects, jurors[1:])
    assert not _queue_notifications().filter(recipient=gone.user).exists()
    assert _queue_notifications().count() == 4


def test_jurors_told_before_hear_once_per_run_that_adds_to_their_queue(
    small_round, organiser, event, topics, django_capture_on_commit_callbacks
):
    from judging.services import juror_remove

    make_projects(event, 6, topics)
    jurors = make_jurors(small_round, 4, topics, organiser)
    round_open(round=small_round, actor=organiser)
    run_now(small_round, organiser, django_capture_on_commit_callbacks)
    assert _queue_notifications().count() == 4
    before = {
        j.pk: set(Assignment.objects.filter(juror=j).values_list("pk", flat=True)) for j in jurors
    }

    with django_capture_on_commit_callbacks(execute=True):
        juror_remove(juror=jurors[0], actor=organiser)  # their projects go to the others

    added_to = {
        j.user_id
        for j in jurors[1:]
        if set(Assignment.objects.filter(juror=j).values_list("pk", flat=True)) - before[j.pk]
    }
    assert added_to
    again = _queue_notifications().values_list("recipient_id", flat=True)
    assert Counter(again) == Counter(
        [j.user_id for j in jurors] + list(added_to)
    )  # one more each, nobody else
    run_now(small_round, organiser, django_capture_on_commit_callbacks)  # adds nothing
    assert _queue_notifications().count() == 4 + len(added_to)
