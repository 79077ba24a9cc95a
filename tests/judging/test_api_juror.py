"""/api/v1/judging/assignments/ and /reviews/: a juror's queue and their own reviews, with
the rules of the review page (judging.juror_selectors, judging.services.reviews)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from judging.enums import ReviewStatus, RoundStatus, RunTrigger
from judging.models import Assignment, AssignmentRun, Criterion, JudgingRound, Review, Score
from tests.factories import UserFactory
from tests.judging.conftest import AssignmentFactory, JurorFactory
from tests.judging.results_data import judged_project
from tests.judging.results_data import review as review_row

pytestmark = pytest.mark.django_db
ASSIGNMENTS = "/api/v1/judging/assignments/"
REVIEWS = "/api/v1/judging/reviews/"


def errors(response) -> set[tuple[str, str | None]]:
    return {(error["code"], error["attr"]) for error in response.json()["errors"]}


def set_status(round: JudgingRound, status: str) -> None:
    JudgingRound.objects.filter(pk=round.pk).update(status=status)


@pytest.fixture
def open_round(judging_round):
    set_status(judging_round, RoundStatus.OPEN)
    judging_round.refresh_from_db()
    return judging_round


@pytest.fixture
def criteria(open_round) -> list[Criterion]:
    return list(Criterion.objects.filter(round=open_round).order_by("position", "pk"))


@pytest.fixture
def juror(open_round):
    return JurorFactory(round=open_round, user=UserFactory(display_name="Jule Jurorin"))


@pytest.fixture
def assignment(juror):
    return AssignmentFactory(juror=juror)


@pytest.fixture
def other_assignment(open_round):
    """Another juror's assignment of the round."""
    return AssignmentFactory(juror=JurorFactory(round=open_round))


@pytest.fixture
def api(juror) -> APIClient:
    client = APIClient()
    client.force_authenticate(juror.user)
    return client


def _scores(criteria, value=3) -> list[dict]:
    return [{"criterion": criterion.pk, "value": value} for criterion in criteria]


# --- the queue -------------------------------------------------------------------------------


def test_a_juror_lists_their_queue_only(
    api, juror, assignment, other_assignment, django_assert_max_num_queries
):
    second = AssignmentFactory(juror=juror)
    Review.objects.create(assignment=assignment, status=ReviewStatus.DRAFT)

    with django_assert_max_num_queries(5):
        response = api.get(ASSIGNMENTS)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [assignment.pk, second.pk]
    assert rows[0]["review_status"] == "draft"
    assert rows[1]["review_status"] is None
    assert rows[0]["title"] == assignment.project.title
    assert rows[0]["version_number"] == 1
    assert "juror" not in rows[0]


def test_the_queues_query_count_does_not_grow(api, juror, django_assert_max_num_queries):
    for _ in range(12):
        AssignmentFactory(juror=juror)

    with django_assert_max_num_queries(5):
        response = api.get(ASSIGNMENTS, {"round": juror.round_id})

    assert response.json()["count"] == 12


def test_the_queue_of_a_round_one_does_not_judge_is_400_naming_it(api, judging_round, event):
    from judging.services import round_create

    other = round_create(event=event, actor=UserFactory(is_superuser=True), name="Andere")

    response = api.get(ASSIGNMENTS, {"round": other.pk})

    assert errors(response) == {("invalid", "round")}


def test_the_queue_names_an_unknown_parameter(api):
    response = api.get(ASSIGNMENTS, {"sort": "title"})

    assert errors(response) == {("unknown_field", "sort")}


def test_anonymous_people_get_401(assignment):
    client = APIClient()

    assert client.get(ASSIGNMENTS).status_code == 401
    assert client.get(f"{ASSIGNMENTS}{assignment.pk}/").status_code == 401
    assert client.get(REVIEWS).status_code == 401
    assert client.post(REVIEWS, {"assignment": assignment.pk}, format="json").status_code == 401


def test_one_assignment_shows_the_frozen_version_and_the_criteria(api, assignment, criteria):
    response = api.get(f"{ASSIGNMENTS}{assignment.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert data["version"]["number"] == 1
    assert data["version"]["snapshot"]["title"] == assignment.project.title
    assert [c["id"] for c in data["criteria"]] == [c.pk for c in criteria]
    assert data["criteria"][0]["guidance"]
    assert data["review"] is None
    assert data["can_review"] is True
    assert data["others_scores"] is None


@pytest.mark.parametrize("who", ["other juror", "organiser", "participant"])
def test_someone_elses_assignment_is_404(other_assignment, organiser, juror, who):
    person = {"other juror": juror.user, "organiser": organiser, "participant": UserFactory()}
    client = APIClient()
    client.force_authenticate(person[who])

    response = client.get(f"{ASSIGNMENTS}{other_assignment.pk}/")

    assert response.status_code == 404


def test_others_scores_only_after_ones_own_submission_where_the_round_allows(
    api, open_round, juror, criteria
):
    JudgingRound.objects.filter(pk=open_round.pk).update(jurors_see_others_after_submitting=True)
    project = judged_project(open_round)
    other = JurorFactory(round=open_round, user=UserFactory(display_name="Otto Geheim"))
    review_row(other, project, [5, 4, 3, 2, 1])
    own = review_row(juror, project, [3, 3, 3, 3, 3], submitted=False)
    path = f"{ASSIGNMENTS}{own.assignment_id}/"

    before = api.get(path).json()
    Review.objects.filter(pk=own.pk).update(
        status=ReviewStatus.SUBMITTED, submitted_at=own.updated_at
    )
    after = api.get(path)

    assert before["others_scores"] is None
    others = after.json()["others_scores"]
    assert others["reviews"] == 1
    assert [row["values"] for row in others["criteria"]] == [[5], [4], [3], [2], [1]]
    assert "Otto" not in after.content.decode()


# --- reviews ---------------------------------------------------------------------------------


def test_a_juror_saves_a_draft_then_submits_it(api, assignment, criteria):
    created = api.post(
        REVIEWS,
        {
            "assignment": assignment.pk,
            "scores": [{"criterion": criteria[0].pk, "value": 4}],
            "comment_for_organisers": "Stark im Problem, schwach im Plan.",
        },
        format="json",
    )

    assert created.status_code == 201, created.content
    review_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert created.json()["scores"] == [{"criterion": criteria[0].pk, "value": 4}]

    submitted = api.patch(
        f"{REVIEWS}{review_id}/",
        {"scores": _scores(criteria[1:], 2), "submit": True, "feedback_for_team": "Weiter so!"},
        format="json",
    )

    assert submitted.status_code == 200, submitted.content
    data = submitted.json()
    assert data["status"] == "submitted"
    assert data["submitted_at"]
    # Scores given replace their criteria's; the first one stays; so does the comment.
    assert [s["value"] for s in data["scores"]] == [4, 2, 2, 2, 2]
    assert data["comment_for_organisers"] == "Stark im Problem, schwach im Plan."
    assert data["feedback_for_team"] == "Weiter so!"


def test_posting_again_saves_the_same_review(api, assignment, criteria):
    first = api.post(REVIEWS, {"assignment": assignment.pk}, format="json")
    again = api.post(
        REVIEWS, {"assignment": assignment.pk, "scores": _scores(criteria[:1], 5)}, format="json"
    )

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Review.objects.filter(assignment=assignment).count() == 1


def test_a_juror_lists_only_their_own_reviews(
    api, assignment, other_assignment, django_assert_max_num_queries
):
    own = Review.objects.create(assignment=assignment)
    Review.objects.create(assignment=other_assignment)

    with django_assert_max_num_queries(6):
        response = api.get(REVIEWS)

    assert [row["id"] for row in response.json()["results"]] == [own.pk]


def test_submitting_without_every_score_names_each_missing_one(api, assignment, criteria):
    response = api.post(
        REVIEWS,
        {"assignment": assignment.pk, "scores": _scores(criteria[:3]), "submit": True},
        format="json",
    )

    assert response.status_code == 400
    assert errors(response) == {
        ("required", f"score_{criteria[3].pk}"),
        ("required", f"score_{criteria[4].pk}"),
        ("incomplete", "non_field_errors"),
    }
    assert not Review.objects.filter(assignment=assignment).exists()


def test_a_score_outside_the_scale_names_its_criterion(api, assignment, criteria):
    response = api.post(
        REVIEWS,
        {"assignment": assignment.pk, "scores": [{"criterion": criteria[1].pk, "value": 9}]},
        format="json",
    )

    assert errors(response) == {("invalid", f"score_{criteria[1].pk}")}


def test_another_jurors_assignment_cannot_be_reviewed(api, other_assignment):
    response = api.post(REVIEWS, {"assignment": other_assignment.pk}, format="json")

    assert errors(response) == {("invalid", "assignment")}
    assert not Review.objects.filter(assignment=other_assignment).exists()


@pytest.mark.parametrize("who", ["other juror", "organiser"])
def test_someone_elses_review_is_404_to_read_and_to_change(other_assignment, organiser, juror, who):
    review = Review.objects.create(assignment=other_assignment, comment_for_organisers="Geheim")
    client = APIClient()
    client.force_authenticate(juror.user if who == "other juror" else organiser)

    read = client.get(f"{REVIEWS}{review.pk}/")
    changed = client.patch(f"{REVIEWS}{review.pk}/", {"comment_for_organisers": "x"}, format="json")

    assert read.status_code == changed.status_code == 404
    review.refresh_from_db()
    assert review.comment_for_organisers == "Geheim"


def test_a_closed_round_is_409_and_nothing_changes(api, open_round, assignment, criteria):
    review = Review.objects.create(assignment=assignment)
    set_status(open_round, RoundStatus.CLOSED)

    response = api.patch(f"{REVIEWS}{review.pk}/", {"scores": _scores(criteria)}, format="json")

    assert response.status_code == 409
    assert errors(response) == {("conflict", None)}
    assert not Score.objects.filter(review=review).exists()


def test_unknown_fields_and_a_named_assignment_on_patch_are_refused(api, assignment):
    review = Review.objects.create(assignment=assignment)

    created = api.post(REVIEWS, {"assignment": assignment.pk, "juror": 1}, format="json")
    patched = api.patch(f"{REVIEWS}{review.pk}/", {"assignment": 1, "status": "x"}, format="json")
    nested = api.post(
        REVIEWS,
        {"assignment": assignment.pk, "scores": [{"criterion": 1, "value": 1, "weight": 2}]},
        format="json",
    )

    assert errors(created) == {("unknown_field", "juror")}
    assert errors(patched) == {("read_only", "assignment"), ("unknown_field", "status")}
    assert errors(nested) == {("unknown_field", "scores.0.weight")}


def test_a_juror_declares_a_conflict_and_the_project_is_taken_from_them(
    api, juror, assignment, django_capture_on_commit_callbacks
):
    Review.objects.create(assignment=assignment)

    with django_capture_on_commit_callbacks(execute=False):
        response = api.post(f"{ASSIGNMENTS}{assignment.pk}/conflict/")

    assert response.status_code == 204
    assert not juror.assignments.filter(pk=assignment.pk).exists()
    assert list(juror.conflict_teams.all()) == [assignment.project.team]
    assert AssignmentRun.objects.filter(round=juror.round, trigger=RunTrigger.CONFLICT).exists()
    assert api.get(f"{ASSIGNMENTS}{assignment.pk}/").status_code == 404


def test_a_conflict_cannot_be_declared_for_someone_else_nor_once_closed(
    api, open_round, assignment, other_assignment
):
    others = api.post(f"{ASSIGNMENTS}{other_assignment.pk}/conflict/")
    set_status(open_round, RoundStatus.CLOSED)
    closed = api.post(f"{ASSIGNMENTS}{assignment.pk}/conflict/")

    assert others.status_code == 404
    assert closed.status_code == 409
    assert Assignment.objects.filter(pk__in=[assignment.pk, other_assignment.pk]).count() == 2


def _queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_queue_and_the_reviews_cost_the_same_for_5_and_50(api, juror):
    counts = {}
    for total in (5, 50):
        while juror.assignments.count() < total:
            assignment = AssignmentFactory(juror=juror)
            Review.objects.create(assignment=assignment)
        counts[total] = (_queries(api, ASSIGNMENTS), _queries(api, REVIEWS))

    assert counts[5] == counts[50]
    assert counts[5][0] <= 4 and counts[5][1] <= 5


def test_a_form_body_is_415_not_a_silently_dropped_list_of_scores(api, assignment):
    response = api.post(
        REVIEWS,
        f"assignment={assignment.pk}&scores=1",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 415
    assert not Review.objects.filter(assignment=assignment).exists()


def test_the_frozen_versions_images_come_with_their_addresses(api, assignment):
    version = assignment.version
    version.snapshot = {
        **version.snapshot,
        "images": [{"image": "projects/1/abc.jpg", "thumbnail": "projects/1/abc-t.jpg"}],
    }
    version.save(update_fields=["snapshot"])

    image = api.get(f"{ASSIGNMENTS}{assignment.pk}/").json()["version"]["snapshot"]["images"][0]

    assert image["image_url"].endswith("/projects/1/abc.jpg")
    assert image["thumbnail_url"].endswith("/projects/1/abc-t.jpg")


def test_a_final_review_cannot_be_changed_says_the_assignment(api, assignment, criteria):
    JudgingRound.objects.filter(pk=assignment.round_id).update(
        jurors_see_others_after_submitting=True
    )
    from django.utils import timezone

    Review.objects.create(
        assignment=assignment, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now()
    )

    data = api.get(f"{ASSIGNMENTS}{assignment.pk}/").json()

    assert data["review_status"] == ReviewStatus.SUBMITTED
    assert data["can_review"] is False
