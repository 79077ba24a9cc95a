"""judging.services.results: shortlisting, publishing, telling the teams."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from judging.enums import RoundStatus
from judging.errors import JudgingError
from judging.models import ShortlistEntry, TeamOutcomeNotice
from judging.rules import can_review_assignment
from judging.services import round_create
from judging.services.results import (
    outcomes_notify,
    round_publish,
    shortlist_add,
    shortlist_remove,
    shortlist_top,
)
from notifications.models import Notification
from tests.factories import TopicFactory, UserFactory, add_member
from tests.judging.results_data import close, judged_project, juror, review, set_status

ONE_CRITERION = [{"name": "Gesamteindruck", "scale_min": 1, "scale_max": 5, "weight": 1}]


@pytest.fixture
def scored_round(event, organiser):
    """A closed round, one juror, six projects in two topic fields scored 5, 4, 4 (Health)
    and 5, 3, 1 (Mobility); each team has two members."""
    round = round_create(
        event=event,
        actor=organiser,
        name="Vorauswahl",
        reviews_per_project=1,
        criteria=ONE_CRITERION,
    )
    health = TopicFactory(event=event, name="Gesundheit")
    mobility = TopicFactory(event=event, name="Mobilität")
    j = juror(round)
    for title, topic, value in [
        ("H5", health, 5),
        ("H4a", health, 4),
        ("H4b", health, 4),
        ("M5", mobility, 5),
        ("M3", mobility, 3),
        ("M1", mobility, 1),
    ]:
        project = judged_project(round, title=title, topic=topic)
        add_member(project.team, UserFactory(language="de"))
        add_member(project.team, UserFactory(language="en"))
        review(j, project, [value])
    return close(round)


def _shortlist(round) -> set[str]:
    return set(ShortlistEntry.objects.filter(round=round).values_list("project__title", flat=True))


def _project(round, title):
    from projects.models import Project

    return Project.objects.get(event=round.event, title=title)


@pytest.mark.django_db
def test_shortlist_top_overall_includes_ties_at_the_cut(scored_round, organiser):
    # Ranks: H5 and M5 1, H4a and H4b 3, M3 5, M1 6. Top 3: the tie at 3 goes in whole.
    entries = shortlist_top(round=scored_round, actor=organiser, n=3)

    assert _shortlist(scored_round) == {"H5", "M5", "H4a", "H4b"}
    assert len(entries) == 4
    assert AuditEntry.objects.filter(action="judging.shortlist_top").count() == 1


@pytest.mark.django_db
def test_shortlist_top_per_topic_and_it_replaces_the_shortlist(scored_round, organiser):
    shortlist_add(round=scored_round, actor=organiser, project=_project(scored_round, "M1"))

    shortlist_top(round=scored_round, actor=organiser, n=1, per_topic=True)

    assert _shortlist(scored_round) == {"H5", "M5"}


@pytest.mark.django_db
def test_shortlist_by_hand_adds_and_removes_once(scored_round, organiser):
    project = _project(scored_round, "M1")

    shortlist_add(round=scored_round, actor=organiser, project=project)
    shortlist_add(round=scored_round, actor=organiser, project=project)
    assert _shortlist(scored_round) == {"M1"}

    shortlist_remove(round=scored_round, actor=organiser, project=project)
    assert _shortlist(scored_round) == set()
    actions = list(
        AuditEntry.objects.filter(action__startswith="judging.shortlist").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["judging.shortlist_added", "judging.shortlist_removed"]


@pytest.mark.django_db
def test_shortlist_refuses_a_project_not_judged_in_the_round(scored_round, organiser, event):
    from tests.factories import ProjectFactory

    with pytest.raises(JudgingError, match="not judged"):
        shortlist_add(round=scored_round, actor=organiser, project=ProjectFactory(event=event))


@pytest.mark.django_db
def test_only_organisers_shortlist_and_publish(scored_round):
    stranger = UserFactory()
    with pytest.raises(JudgingError, match="Only organisers"):
        shortlist_top(round=scored_round, actor=stranger, n=1)
    with pytest.raises(JudgingError, match="Only organisers"):
        shortlist_add(round=scored_round, actor=stranger, project=_project(scored_round, "M1"))
    with pytest.raises(JudgingError, match="Only organisers"):
        round_publish(round=scored_round, actor=stranger)
    assert ShortlistEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("status", [RoundStatus.DRAFT, RoundStatus.OPEN])
def test_shortlisting_and_publishing_wait_for_the_round_to_close(scored_round, organiser, status):
    set_status(scored_round, status)
    with pytest.raises(JudgingError, match="once the round is closed"):
        shortlist_top(round=scored_round, actor=organiser, n=1)
    with pytest.raises(JudgingError, match="closed round"):
        round_publish(round=scored_round, actor=organiser)


@pytest.mark.django_db
def test_publish_once_then_the_shortlist_is_fixed(
    scored_round, organiser, django_capture_on_commit_callbacks
):
    shortlist_top(round=scored_round, actor=organiser, n=1)
    with django_capture_on_commit_callbacks(execute=False):
        round = round_publish(round=scored_round, actor=organiser)

    scored_round.refresh_from_db()
    assert scored_round.status == RoundStatus.PUBLISHED
    assert scored_round.published_by == organiser and scored_round.published_at is not None
    assert round.status == RoundStatus.PUBLISHED
    assert TeamOutcomeNotice.objects.filter(round=round, sent_at__isnull=True).count() == 6
    assert AuditEntry.objects.filter(action="judging.round_published").count() == 1
    with pytest.raises(JudgingError, match="published already"):
        round_publish(round=scored_round, actor=organiser)
    with pytest.raises(JudgingError, match="no longer change"):
        shortlist_remove(round=scored_round, actor=organiser, project=_project(scored_round, "H5"))
    assert TeamOutcomeNotice.objects.count() == 6


@pytest.mark.django_db
def test_publishing_tells_every_member_once_even_when_the_task_runs_twice(
    scored_round, organiser, django_capture_on_commit_callbacks
):
    shortlist_top(round=scored_round, actor=organiser, n=1)  # H5 and M5

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        round_publish(round=scored_round, actor=organiser)  # eager: notify_outcomes runs
    again = outcomes_notify(round_id=scored_round.pk)

    assert len(callbacks) >= 1
    assert again == 0
    notifications = Notification.objects.filter(kind="judging.outcome")
    assert notifications.count() == 12  # six teams, two members each
    assert not TeamOutcomeNotice.objects.filter(sent_at__isnull=True).exists()
    outcomes = {(n.context["project_title"], n.context["outcome"]) for n in notifications}
    # The event's last round: the shortlisted are winners.
    assert ("H5", "winner") in outcomes and ("M5", "winner") in outcomes
    assert ("M1", "not_selected") in outcomes
    assert all(n.context["url"].endswith("/feedback/") for n in notifications)


@pytest.mark.django_db
def test_with_a_later_round_the_shortlisted_go_on(
    scored_round, organiser, event, django_capture_on_commit_callbacks
):
    round_create(event=event, actor=organiser, name="Finale")
    shortlist_top(round=scored_round, actor=organiser, n=1)
    with django_capture_on_commit_callbacks(execute=False):
        round_publish(round=scored_round, actor=organiser)

    assert outcomes_notify(round_id=scored_round.pk) == 6

    outcome = Notification.objects.filter(context__project_title="H5").values_list(
        "context__outcome", flat=True
    )
    assert set(outcome) == {"shortlisted"}


@pytest.mark.django_db
def test_outcomes_notify_tells_nobody_before_publishing(scored_round):
    TeamOutcomeNotice.objects.create(round=scored_round, team=_project(scored_round, "H5").team)

    assert outcomes_notify(round_id=scored_round.pk) == 0
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_outcomes_notify_queries_do_not_grow_with_team_size(
    scored_round, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        round_publish(round=scored_round, actor=organiser)
    notice = TeamOutcomeNotice.objects.filter(round=scored_round).first()
    TeamOutcomeNotice.objects.exclude(pk=notice.pk).update(sent_at="2026-01-01T00:00Z")
    with CaptureQueriesContext(connection) as small:
        outcomes_notify(round_id=scored_round.pk)
    for _ in range(5):
        add_member(notice.team, UserFactory())
    TeamOutcomeNotice.objects.filter(pk=notice.pk).update(sent_at=None)
    Notification.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        outcomes_notify(round_id=scored_round.pk)

    assert len(large) == len(small)
    assert Notification.objects.count() == 7


@pytest.mark.django_db
def test_scores_are_read_only_after_publishing(scored_round, organiser):
    from judging.models import Assignment

    assignment = (
        Assignment.objects.filter(round=scored_round).select_related("juror__user", "round").first()
    )
    set_status(scored_round, RoundStatus.OPEN)
    assignment.round.refresh_from_db()
    assert can_review_assignment(assignment.juror.user, assignment)
    close(scored_round)
    round_publish(round=scored_round, actor=organiser)
    assignment.round.refresh_from_db()

    assert not can_review_assignment(assignment.juror.user, assignment)
    from judging.services.reviews import review_save

    criterion = scored_round.criteria.get()
    with pytest.raises(JudgingError, match="can no longer be changed"):
        review_save(
            assignment=assignment,
            actor=assignment.juror.user,
            scores={criterion.pk: 1},
            comment_for_organisers="",
            feedback_for_team="",
            submit=True,
        )
    given = {"H5": 5, "H4a": 4, "H4b": 4, "M5": 5, "M3": 3, "M1": 1}[assignment.project.title]
    assert list(assignment.review.scores.values_list("value", flat=True)) == [given]


@pytest.mark.django_db(transaction=True)
def test_two_organisers_publishing_at_once_publish_once_and_two_workers_tell_each_team_once(
    event, organiser
):
    from tests.races import race

    round = round_create(
        event=event, actor=organiser, name="Wettlauf", reviews_per_project=1, criteria=ONE_CRITERION
    )
    j = juror(round)
    for index in range(4):
        project = judged_project(round, title=f"Projekt {index}")
        add_member(project.team, UserFactory())
        review(j, project, [index + 1])
    close(round)
    other = type(organiser).objects.get(pk=organiser.pk)

    from judging.tasks import notify_outcomes

    results = race(
        lambda: round_publish(round=round, actor=organiser),
        lambda: round_publish(round=round, actor=other),
    )
    refusals = [r for r in results if isinstance(r, JudgingError)]
    assert len(refusals) == 1
    assert TeamOutcomeNotice.objects.filter(round=round).count() == 4
    # The winner's on-commit task told the teams already; a second and third worker tell nobody.
    told = race(
        lambda: notify_outcomes.apply(kwargs={"round_id": round.pk}).get(),
        lambda: outcomes_notify(round_id=round.pk),
    )
    assert told == [0, 0]
    assert Notification.objects.filter(kind="judging.outcome").count() == 4
    assert AuditEntry.objects.filter(action="judging.round_published").count() == 1

    # As if the task had never arrived: two sweeps at once share the teams between them.
    TeamOutcomeNotice.objects.update(sent_at=None)
    Notification.objects.all().delete()
    told = race(
        lambda: outcomes_notify(round_id=round.pk), lambda: outcomes_notify(round_id=round.pk)
    )
    assert sum(told) == 4
    assert Notification.objects.filter(kind="judging.outcome").count() == 4


@pytest.mark.django_db
def test_the_sweep_enqueues_rounds_whose_teams_were_never_told(
    scored_round, organiser, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from judging.services.results import outcomes_requeue_pending

    with django_capture_on_commit_callbacks(execute=False):  # the task "never arrived"
        round_publish(round=scored_round, actor=organiser)
    assert outcomes_requeue_pending() == 0  # too fresh: the task may still come
    TeamOutcomeNotice.objects.update(created_at=timezone.now() - timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert outcomes_requeue_pending() == 1

    assert not TeamOutcomeNotice.objects.filter(sent_at__isnull=True).exists()
    assert Notification.objects.filter(kind="judging.outcome").count() == 12
    assert outcomes_requeue_pending() == 0
