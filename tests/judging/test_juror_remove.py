"""A juror drops out of a round (judging.services.juror_remove): their submitted reviews
stay and count, the rest goes to other jurors in a run; the organiser's confirm page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_entries_for
from judging.enums import ReviewStatus, RoundStatus, RunStatus
from judging.errors import JudgingError
from judging.models import Assignment, AssignmentRun, JudgingRound, Juror, Review
from judging.services import juror_add, juror_remove, round_open, round_update
from judging.services.runs import assignment_run_start
from notifications.models import Notification
from projects.models import ProjectVersion
from tests.conftest import english_client
from tests.factories import ProjectFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

client = pytest.fixture(english_client)


@pytest.fixture
def assigned(judging_round, organiser, event, django_capture_on_commit_callbacks):
    """Six projects, five jurors, two reviews each: assigned."""
    round_update(round=judging_round, actor=organiser, data={"reviews_per_project": 2})
    projects = []
    for _ in range(6):
        project = ProjectFactory(event=event, team=TeamFactory(event=event), status="submitted")
        ProjectVersion.objects.create(project=project, number=1, snapshot={})
        projects.append(project)
    jurors = [juror_add(round=judging_round, actor=organiser, user=UserFactory()) for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        assignment_run_start(round=judging_round, actor=organiser)
    judging_round.refresh_from_db()
    return judging_round, projects, jurors


def _per_project(round) -> dict[int, int]:
    counts: dict[int, int] = {}
    for project_id in Assignment.objects.filter(round=round).values_list("project_id", flat=True):
        counts[project_id] = counts.get(project_id, 0) + 1
    return counts


def test_a_juror_with_submitted_reviews_is_deactivated_and_the_rest_moves(
    assigned, organiser, django_capture_on_commit_callbacks
):
    round, projects, jurors = assigned
    leaving = jurors[0]
    mine = list(Assignment.objects.filter(juror=leaving).order_by("pk"))
    assert len(mine) >= 2
    done = Review.objects.create(
        assignment=mine[0], status=ReviewStatus.SUBMITTED, submitted_at=timezone.now()
    )
    Review.objects.create(assignment=mine[1])  # a draft: never to be submitted now

    with django_capture_on_commit_callbacks(execute=True):
        run = juror_remove(juror=leaving, actor=organiser)

    leaving.refresh_from_db()
    assert not leaving.active
    assert list(Assignment.objects.filter(juror=leaving)) == [mine[0]]
    assert Review.objects.filter(pk=done.pk).exists()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    # The submitted review still counts: every project has its two, none a third.
    assert _per_project(round) == {project.pk: 2 for project in projects}
    assert run.result["spread"] <= 1
    entry = audit_entries_for(target=round).get(action="judging.juror_removed")
    assert entry.data["freed"] == len(mine) - 1 and entry.data["submitted_kept"] == 1

    # A later run gives them nothing either; an opened round tells only the pool.
    with django_capture_on_commit_callbacks(execute=True):
        round_open(round=round, actor=organiser)
    assert Assignment.objects.filter(juror=leaving).count() == 1
    told = Notification.objects.filter(kind="judging.queue_ready")
    assert not told.filter(recipient=leaving.user).exists()
    assert told.count() == 4


def test_a_juror_without_reviews_is_deleted_and_their_projects_reassigned(
    assigned, organiser, django_capture_on_commit_callbacks
):
    round, projects, jurors = assigned

    with django_capture_on_commit_callbacks(execute=True):
        run = juror_remove(juror=jurors[1], actor=organiser)

    assert not Juror.objects.filter(pk=jurors[1].pk).exists()
    assert run is not None
    assert _per_project(round) == {project.pk: 2 for project in projects}


def test_a_juror_without_assignments_leaves_without_a_run(judging_round, organiser):
    juror = juror_add(round=judging_round, actor=organiser, user=UserFactory())

    assert juror_remove(juror=juror, actor=organiser) is None
    assert not AssignmentRun.objects.filter(round=judging_round).exists()


def test_only_organisers_remove_jurors_and_only_while_the_round_is_draft_or_open(
    assigned, organiser
):
    round, _projects, jurors = assigned
    with pytest.raises(JudgingError, match="Only organisers"):
        juror_remove(juror=jurors[0], actor=jurors[1].user)
    JudgingRound.objects.filter(pk=round.pk).update(status=RoundStatus.CLOSED)
    with pytest.raises(JudgingError) as refused:
        juror_remove(juror=jurors[0], actor=organiser)
    assert refused.value.conflict
    assert Assignment.objects.filter(juror=jurors[0]).exists()


def test_a_juror_who_left_comes_back_when_added_again(assigned, organiser):
    round, _projects, jurors = assigned
    mine = Assignment.objects.filter(juror=jurors[0]).first()
    Review.objects.create(
        assignment=mine, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now()
    )
    juror_remove(juror=jurors[0], actor=organiser)
    with pytest.raises(JudgingError, match="left the round already"):
        juror_remove(juror=jurors[0], actor=organiser)

    again = juror_add(round=round, actor=organiser, user=jurors[0].user)

    assert again.pk == jurors[0].pk and again.active


def test_the_organiser_confirms_before_a_juror_is_removed(
    client, assigned, organiser, django_capture_on_commit_callbacks
):
    round, _projects, jurors = assigned
    client.force_login(organiser)
    url = reverse("judging:juror_remove", args=[round.pk, jurors[2].pk])

    round_page = client.get(reverse("judging:round", args=[round.pk])).content.decode()
    confirm = client.get(url)
    assert Juror.objects.filter(pk=jurors[2].pk).exists()  # asking changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert url in round_page
    assert confirm.status_code == 200
    assert 'data-testid="juror-remove-form"' in confirm.content.decode()
    assert 'method="post"' in confirm.content.decode()
    assert f"“{round.name}”" in confirm.content.decode()  # the round is named
    run = AssignmentRun.objects.filter(round=round).latest("pk")
    assert response["Location"] == reverse("judging:run", args=[run.pk])
    assert not Juror.objects.filter(pk=jurors[2].pk).exists()


def test_nobody_else_reaches_the_remove_page(client, assigned):
    round, _projects, jurors = assigned
    client.force_login(jurors[0].user)
    url = reverse("judging:juror_remove", args=[round.pk, jurors[1].pk])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Juror.objects.filter(pk=jurors[1].pk).exists()


def test_the_pool_shows_a_juror_who_left_without_a_remove_link(client, assigned, organiser):
    round, _projects, jurors = assigned
    mine = Assignment.objects.filter(juror=jurors[0]).first()
    Review.objects.create(
        assignment=mine, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now()
    )
    juror_remove(juror=jurors[0], actor=organiser)
    client.force_login(organiser)

    page = client.get(reverse("judging:round", args=[round.pk])).content.decode()
    gone = reverse("judging:juror_remove", args=[round.pk, jurors[0].pk])

    assert page.count('data-testid="juror-left"') == 1
    assert gone not in page
    assert client.get(gone).status_code == 404
    assert reverse("judging:juror_remove", args=[round.pk, jurors[1].pk]) in page


def test_a_juror_who_left_can_no_longer_change_their_submitted_review(
    assigned, organiser, django_capture_on_commit_callbacks
):
    from judging.services.reviews import review_save

    round, _projects, jurors = assigned
    round_open(round=round, actor=organiser)
    leaving = jurors[0]
    mine = Assignment.objects.filter(juror=leaving).select_related("round", "juror").first()
    criteria = list(round.criteria.all())
    scores = {criterion.pk: criterion.scale_min for criterion in criteria}
    review_save(
        assignment=mine,
        actor=leaving.user,
        scores=scores,
        comment_for_organisers="",
        feedback_for_team="",
        submit=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        juror_remove(juror=leaving, actor=organiser)
    mine = Assignment.objects.select_related("round", "juror").get(pk=mine.pk)

    with pytest.raises(JudgingError):
        review_save(
            assignment=mine,
            actor=leaving.user,
            scores={pk: value + 1 for pk, value in scores.items()},
            comment_for_organisers="",
            feedback_for_team="",
            submit=True,
        )
    assert set(mine.review.scores.values_list("value", flat=True)) == {
        criterion.scale_min for criterion in criteria
    }
