"""The juror's pages: their rounds, a round's queue, one review (no-JS form and htmx
drafts), read-only after closing, conflicts; 404 for everyone but the juror."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from judging.enums import ReviewStatus, RoundStatus, RunTrigger
from judging.models import Assignment, AssignmentRun, Criterion, JudgingRound, Review, Score
from projects.models import Project
from tests.conftest import english_client
from tests.factories import UserFactory
from tests.judging.conftest import AssignmentFactory, JurorFactory
from tests.judging.test_juror_selectors import bulk_queue

pytestmark = pytest.mark.django_db

client = pytest.fixture(english_client)


@pytest.fixture
def open_round(judging_round):
    JudgingRound.objects.filter(pk=judging_round.pk).update(
        status=RoundStatus.OPEN, closes_at=datetime(2099, 12, 3, 17, 0, tzinfo=UTC)
    )
    judging_round.refresh_from_db()
    return judging_round


@pytest.fixture
def criteria(open_round):
    return list(Criterion.objects.filter(round=open_round).order_by("position", "pk"))


@pytest.fixture
def juror(open_round):
    return JurorFactory(
        round=open_round, user=UserFactory(language="en", display_name="Jana Jurorin")
    )


@pytest.fixture
def assignment(juror):
    return AssignmentFactory(juror=juror, project__title="Nachbarschaftskarte")


@pytest.fixture
def signed_in(client, juror):
    client.force_login(juror.user)
    return client


def review_url(assignment, name="judging:review") -> str:
    return reverse(name, kwargs={"pk": assignment.pk})


def form_data(criteria, values, **extra) -> dict:
    data = {f"score_{c.pk}": str(v) for c, v in zip(criteria, values, strict=True) if v is not None}
    return {"comment_for_organisers": "", "feedback_for_team": "", **data, **extra}


def scores_of(assignment) -> dict[int, int]:
    return dict(
        Score.objects.filter(review__assignment=assignment).values_list("criterion_id", "value")
    )


# --- my rounds and the queue ---------------------------------------------------------------


def test_my_reviews_lists_my_rounds_with_counts(signed_in, assignment, open_round):
    AssignmentFactory(juror=assignment.juror)

    response = signed_in.get(reverse("judging:my_reviews"))

    assert response.status_code == 200
    assert open_round.name in response.text
    assert reverse("judging:queue", kwargs={"pk": open_round.pk}) in response.text
    assert "0 / 2" in response.text


def test_my_reviews_asks_the_anonymous_to_sign_in(client):
    response = client.get(reverse("judging:my_reviews"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_user_menu_links_to_my_reviews(signed_in):
    response = signed_in.get(reverse("judging:my_reviews"))

    assert f'href="{reverse("judging:my_reviews")}"' in response.text


def test_the_queue_shows_to_do_done_and_the_closing_time_in_the_event_zone(
    signed_in, juror, criteria
):
    todo = AssignmentFactory(juror=juror, project__title="Offenes Projekt")
    done = AssignmentFactory(juror=juror, project__title="Fertiges Projekt")
    Review.objects.create(
        assignment=done, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now()
    )

    response = signed_in.get(reverse("judging:queue", kwargs={"pk": juror.round_id}))

    assert response.status_code == 200
    text = response.text
    assert text.index("Offenes Projekt") < text.index("Fertiges Projekt")
    assert review_url(todo) in text and review_url(done) in text
    assert "1 of 2 submitted" in text
    assert "18:00" in text and "Europe/Berlin" in text  # 17:00 UTC in Berlin in December
    assert reverse("judging:juror_profile", args=[juror.round_id]) in text


def test_the_queue_is_404_for_anyone_but_its_jurors(client, juror, organiser):
    url = reverse("judging:queue", kwargs={"pk": juror.round_id})
    for person in (UserFactory(), organiser):
        client.force_login(person)
        assert client.get(url).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queue_page_costs_the_same_for_5_and_500(client, open_round, django_assert_num_queries):
    small, large = JurorFactory(round=open_round), JurorFactory(round=open_round)
    bulk_queue(small, 5)
    bulk_queue(large, 500)
    client.force_login(small.user)
    expected = _queries(client, reverse("judging:queue", kwargs={"pk": open_round.pk}))
    client.force_login(large.user)

    with django_assert_num_queries(expected):
        response = client.get(reverse("judging:queue", kwargs={"pk": open_round.pk}))

    assert response.text.count('href="/judging/assignments/') == 500


def test_the_review_page_costs_the_same_for_5_and_500(
    client, open_round, criteria, django_assert_num_queries
):
    JudgingRound.objects.filter(pk=open_round.pk).update(jurors_see_others_after_submitting=True)
    small, large = JurorFactory(round=open_round), JurorFactory(round=open_round)
    small_queue, large_queue = bulk_queue(small, 5), bulk_queue(large, 500)
    client.force_login(small.user)
    submitted = _queries(client, review_url(small_queue[0]))  # every third one is submitted
    to_do = _queries(client, review_url(small_queue[1]))
    client.force_login(large.user)

    with django_assert_num_queries(submitted):
        assert client.get(review_url(large_queue[249])).status_code == 200
    with django_assert_num_queries(to_do):
        assert client.get(review_url(large_queue[250])).status_code == 200


# --- the review page --------------------------------------------------------------------------


def test_the_review_page_shows_the_frozen_version_and_the_form(signed_in, assignment, criteria):
    Project.objects.filter(pk=assignment.project_id).update(title="Lebendige Seite")

    response = signed_in.get(review_url(assignment))

    assert response.status_code == 200
    text = response.text
    assert "Nachbarschaftskarte" in text
    assert "Lebendige Seite" not in text
    for criterion in criteria:
        assert f"<legend>{criterion.name}" in text
        assert criterion.guidance in text
        for value in range(1, 6):
            assert f'name="score_{criterion.pk}" value="{value}"' in text
    assert 'name="draft"' in text and 'name="submit"' in text
    assert f'hx-post="{review_url(assignment, "judging:review_draft")}"' in text
    assert "without your name" in text
    assert review_url(assignment, "judging:review_conflict") in text


def test_the_review_page_never_names_the_other_reviewers(signed_in, assignment, criteria):
    other = JurorFactory(
        round=assignment.round, user=UserFactory(display_name="Otto Obergutachter")
    )
    theirs = AssignmentFactory(juror=other, project=assignment.project)
    Review.objects.create(
        assignment=theirs, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now()
    )

    response = signed_in.get(review_url(assignment))

    assert "Otto Obergutachter" not in response.text
    assert other.user.email not in response.text
    assert "other jurors" not in response.text


@pytest.mark.parametrize("who", ["other_juror", "organiser", "stranger"])
def test_the_review_is_404_for_anyone_but_its_juror(client, assignment, criteria, organiser, who):
    person = {
        "other_juror": lambda: JurorFactory(round=assignment.round).user,
        "organiser": lambda: organiser,
        "stranger": UserFactory,
    }[who]()
    client.force_login(person)

    for name in ("judging:review", "judging:review_draft", "judging:review_conflict"):
        assert client.get(review_url(assignment, name)).status_code in (404, 405)
        data = form_data(criteria, [5] * 5, submit="1")
        assert client.post(review_url(assignment, name), data).status_code == 404

    assert not Review.objects.filter(assignment=assignment).exists()
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_the_anonymous_are_sent_to_sign_in(client, assignment):
    response = client.get(review_url(assignment))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_saving_a_draft_without_javascript(signed_in, assignment, criteria):
    data = form_data(criteria, [4, None, 2, None, None], comment_for_organisers="Gut.", draft="1")

    response = signed_in.post(review_url(assignment), data)

    assert response.status_code == 302
    assert response["Location"] == review_url(assignment)
    review = Review.objects.get(assignment=assignment)
    assert review.status == ReviewStatus.DRAFT
    assert review.comment_for_organisers == "Gut."
    assert scores_of(assignment) == {criteria[0].pk: 4, criteria[2].pk: 2}
    page = signed_in.get(review_url(assignment)).text
    assert f'name="score_{criteria[0].pk}" value="4" required' not in page  # optional
    assert f'value="4" id="id_score_{criteria[0].pk}_3" checked' in page


def test_submitting_with_missing_scores_names_them_and_keeps_what_was_typed(
    signed_in, assignment, criteria
):
    data = form_data(
        criteria,
        [4, None, 2, None, 5],
        comment_for_organisers="Mein langer Kommentar",
        feedback_for_team="Tolles Team",
        submit="1",
    )

    response = signed_in.post(review_url(assignment), data)

    assert response.status_code == 400
    text = response.text
    assert criteria[1].name in text and criteria[3].name in text
    assert text.count("Please choose a score.") == 2
    assert "Mein langer Kommentar" in text and "Tolles Team" in text
    assert f'value="4" id="id_score_{criteria[0].pk}_3" checked' in text
    assert not Review.objects.filter(assignment=assignment).exists()


def test_submitting_goes_on_to_the_next_review_to_do(signed_in, assignment, criteria):
    following = AssignmentFactory(juror=assignment.juror)

    response = signed_in.post(review_url(assignment), form_data(criteria, [3] * 5, submit="1"))

    assert response.status_code == 302
    assert response["Location"] == review_url(following)
    review = Review.objects.get(assignment=assignment)
    assert review.status == ReviewStatus.SUBMITTED


def test_submitting_the_last_one_goes_back_to_the_queue(signed_in, assignment, criteria):
    response = signed_in.post(review_url(assignment), form_data(criteria, [3] * 5, submit="1"))

    assert response["Location"] == reverse("judging:queue", kwargs={"pk": assignment.round_id})


def test_a_submitted_review_can_be_changed_on_its_page(signed_in, assignment, criteria):
    signed_in.post(review_url(assignment), form_data(criteria, [3] * 5, submit="1"))
    page = signed_in.get(review_url(assignment)).text
    assert "Save changes" in page and 'name="draft"' not in page
    assert "hx-post" not in page.split('class="form review-form"')[1].split(">")[0]

    signed_in.post(review_url(assignment), form_data(criteria, [5, 3, 3, 3, 3], submit="1"))

    assert scores_of(assignment)[criteria[0].pk] == 5
    assert Review.objects.get(assignment=assignment).status == ReviewStatus.SUBMITTED


def test_a_score_outside_the_scale_is_a_form_error(signed_in, assignment, criteria):
    data = form_data(criteria, [9, 3, 3, 3, 3], comment_for_organisers="behalten", submit="1")

    response = signed_in.post(review_url(assignment), data)

    assert response.status_code == 400
    assert "behalten" in response.text
    assert not Review.objects.filter(assignment=assignment).exists()


# --- htmx drafts -------------------------------------------------------------------------------


def test_htmx_saves_the_draft_and_says_when(signed_in, assignment, criteria):
    data = form_data(criteria, [2, None, None, None, None], feedback_for_team="Weiter so")

    response = signed_in.post(
        review_url(assignment, "judging:review_draft"), data, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    review = Review.objects.get(assignment=assignment)
    local = timezone.localtime(review.updated_at, assignment.round.event.tzinfo)
    assert f"Draft saved at {local:%H:%M}" in response.text
    assert 'id="draft-status"' in response.text
    assert "<html" not in response.text
    assert review.feedback_for_team == "Weiter so"
    assert scores_of(assignment) == {criteria[0].pk: 2}


def test_htmx_draft_refusal_is_shown_in_the_status_line(signed_in, assignment, criteria):
    response = signed_in.post(
        review_url(assignment, "judging:review_draft"),
        form_data(criteria, [7, None, None, None, None]),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Not saved" in response.text
    assert not Review.objects.filter(assignment=assignment).exists()


def test_the_draft_address_without_htmx_saves_like_the_form(signed_in, assignment, criteria):
    response = signed_in.post(
        review_url(assignment, "judging:review_draft"), form_data(criteria, [1] + [None] * 4)
    )

    assert response.status_code == 302
    assert scores_of(assignment) == {criteria[0].pk: 1}


# --- after closing -------------------------------------------------------------------------------


def test_after_closing_the_review_is_read_only(signed_in, assignment, criteria):
    signed_in.post(
        review_url(assignment),
        form_data(criteria, [4, 3, 2, 1, 5], feedback_for_team="Schön", submit="1"),
    )
    JudgingRound.objects.filter(pk=assignment.round_id).update(status=RoundStatus.CLOSED)

    page = signed_in.get(review_url(assignment)).text
    response = signed_in.post(review_url(assignment), form_data(criteria, [5] * 5, submit="1"))
    htmx = signed_in.post(
        review_url(assignment, "judging:review_draft"),
        form_data(criteria, [5] * 5),
        headers={"HX-Request": "true"},
    )

    assert "<form" not in page.split('id="review"')[1].split("</section>")[0]
    assert "4 / 5" in page and "Schön" in page
    assert "read-only" in page
    assert response.status_code == 302
    assert "Not saved" in htmx.text
    assert scores_of(assignment)[criteria[0].pk] == 4


# --- the others' scores ---------------------------------------------------------------------------


def test_others_scores_appear_after_submitting_where_allowed_without_names(
    signed_in, assignment, criteria
):
    JudgingRound.objects.filter(pk=assignment.round_id).update(
        jurors_see_others_after_submitting=True
    )
    other = JurorFactory(
        round=assignment.round, user=UserFactory(display_name="Otto Obergutachter")
    )
    theirs = AssignmentFactory(juror=other, project=assignment.project)
    review = Review.objects.create(
        assignment=theirs, status=ReviewStatus.SUBMITTED, submitted_at=timezone.now()
    )
    Score.objects.bulk_create(Score(review=review, criterion=c, value=1) for c in criteria)

    before = signed_in.get(review_url(assignment)).text
    signed_in.post(review_url(assignment), form_data(criteria, [5] * 5, submit="1"))
    after = signed_in.get(review_url(assignment)).text

    assert 'id="others-heading"' not in before
    assert 'id="others-heading"' in after
    assert "From 1 other submitted review" in after
    assert "Otto Obergutachter" not in after


def test_where_the_others_scores_show_the_page_says_submitting_is_final(
    signed_in, assignment, criteria
):
    JudgingRound.objects.filter(pk=assignment.round_id).update(
        jurors_see_others_after_submitting=True
    )

    page = signed_in.get(review_url(assignment)).text

    assert 'aria-describedby="submit-is-final"' in page
    assert 'id="submit-is-final"' in page
    assert "Submitting is final" in page


def test_without_the_others_scores_submitting_is_not_final(signed_in, assignment, criteria):
    page = signed_in.get(review_url(assignment)).text

    assert "Submitting is final" not in page
    assert "You can change your review until the round closes" in page


def test_a_final_review_is_read_only_and_refuses_changes(signed_in, assignment, criteria):
    JudgingRound.objects.filter(pk=assignment.round_id).update(
        jurors_see_others_after_submitting=True
    )
    submitted = signed_in.post(review_url(assignment), form_data(criteria, [4] * 5, submit="1"))
    assert "submitted and final" in signed_in.get(submitted.url).text

    page = signed_in.get(review_url(assignment)).text
    response = signed_in.post(review_url(assignment), form_data(criteria, [1] * 5, submit="1"))
    htmx = signed_in.post(
        review_url(assignment, "judging:review_draft"),
        form_data(criteria, [1] * 5),
        headers={"HX-Request": "true"},
    )

    section = page.split('id="review"')[1].split("</section>")[0]
    assert "<form" not in section
    assert "submitted and final" in section
    assert 'id="others-heading"' in page
    assert review_url(assignment, "judging:review_conflict") in page
    assert response.status_code == 302
    assert "can no longer change" in signed_in.get(response.url).text
    assert "Not saved" in htmx.text
    assert scores_of(assignment) == {criterion.pk: 4 for criterion in criteria}


# --- conflicts -------------------------------------------------------------------------------------


def test_declaring_a_conflict_asks_first_then_takes_the_project(signed_in, assignment):
    url = review_url(assignment, "judging:review_conflict")

    confirm = signed_in.get(url)
    assert confirm.status_code == 200
    assert "Declare the conflict" in confirm.text
    assert Assignment.objects.filter(pk=assignment.pk).exists()

    response = signed_in.post(url, follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "judging:queue", kwargs={"pk": assignment.round_id}
    )
    assert "another juror will review it" in response.text
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert list(assignment.juror.conflict_teams.all()) == [assignment.project.team]
    assert AssignmentRun.objects.get(round=assignment.round).trigger == RunTrigger.CONFLICT


def test_no_conflict_after_closing(signed_in, assignment):
    JudgingRound.objects.filter(pk=assignment.round_id).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    url = review_url(assignment, "judging:review_conflict")

    assert "conflicts can no longer be declared" in signed_in.get(url).text
    response = signed_in.post(url)

    assert response["Location"] == review_url(assignment)
    assert Assignment.objects.filter(pk=assignment.pk).exists()
