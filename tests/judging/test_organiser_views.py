"""The organisers' judging pages through the client: who gets in (anonymous → log in,
everybody else → 404), the round's settings, criteria, juror pool, opening and closing,
and an assignment run from the organiser's POST to a done run (Celery eager) with its
progress fragment; constant query counts at 5 and 50 jurors and projects."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from judging.enums import RoundStatus, RunStatus
from judging.models import AssignmentRun, Criterion, JudgingRound, Juror, Review
from judging.services import juror_add
from judging.services.runs import assignment_run_start
from projects.models import ProjectVersion
from tests.conftest import english_client
from tests.factories import ChallengeFactory, ProjectFactory, TeamFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


client = pytest.fixture(english_client)


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def make_pool(round, organiser, jurors: int, projects: int) -> None:
    topic = TopicFactory(event=round.event)
    challenge = ChallengeFactory(event=round.event, topic=topic)
    for _ in range(projects):
        project = ProjectFactory(
            event=round.event,
            team=TeamFactory(event=round.event, challenge=challenge),
            status="submitted",
        )
        ProjectVersion.objects.create(project=project, number=1, snapshot={})
    for i in range(jurors):
        juror_add(
            round=round, actor=organiser, user=UserFactory(), expertise=[topic] if i % 2 else []
        )


def pages(round, run):
    return [
        reverse("judging:rounds", args=[round.event.slug]),
        reverse("judging:round", args=[round.pk]),
        reverse("judging:run", args=[run.pk]),
        reverse("judging:run_progress", args=[run.pk]),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, judging_round, organiser):
    run = assignment_run_start(round=judging_round, actor=organiser)
    for url in pages(judging_round, run):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_participants_and_jurors_get_404(client, judging_round, organiser):
    run = assignment_run_start(round=judging_round, actor=organiser)
    juror = Juror.objects.create(round=judging_round, user=UserFactory())
    for person in (UserFactory(), juror.user):
        client.force_login(person)
        for url in pages(judging_round, run):
            assert client.get(url).status_code == 404
        response = client.post(reverse("judging:run_start", args=[judging_round.pk]))
        assert response.status_code == 404
        response = client.post(reverse("judging:round_open", args=[judging_round.pk]))
        assert response.status_code == 404
    assert AssignmentRun.objects.count() == 1


def test_an_organiser_creates_a_round_on_the_events_clock(organiser_client, event):
    response = organiser_client.post(
        reverse("judging:rounds", args=[event.slug]),
        {
            "name": "Vorauswahl",
            "entry": "all_submitted",
            "reviews_per_project": "4",
            "opens_at": "2026-12-10T09:00",
            "closes_at": "2026-12-12T18:00",
        },
    )

    round = JudgingRound.objects.get(event=event)
    assert response.status_code == 302
    assert response["Location"] == reverse("judging:round", args=[round.pk])
    assert round.reviews_per_project == 4
    assert round.opens_at == datetime(2026, 12, 10, 9, 0, tzinfo=event.tzinfo)
    assert Criterion.objects.filter(round=round).count() == 5
    page = organiser_client.get(reverse("judging:round", args=[round.pk]))
    assert 'value="2026-12-10T09:00"' in page.content.decode()


def test_a_refused_round_comes_back_with_the_message_and_what_was_typed(organiser_client, event):
    response = organiser_client.post(
        reverse("judging:rounds", args=[event.slug]),
        {
            "name": "Finale der Themenjurys",
            "entry": "all_submitted",
            "reviews_per_project": "3",
            "opens_at": "2026-12-12T09:00",
            "closes_at": "2026-12-10T09:00",
        },
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "The round must close after it opens." in content
    assert 'value="Finale der Themenjurys"' in content
    assert not JudgingRound.objects.exists()


def test_the_settings_change_through_the_service(organiser_client, judging_round):
    response = organiser_client.post(
        reverse("judging:round_settings", args=[judging_round.pk]),
        {"name": "Vorauswahl 2", "entry": "all_submitted", "reviews_per_project": "2"},
    )

    assert response.status_code == 302
    judging_round.refresh_from_db()
    assert (judging_round.name, judging_round.reviews_per_project) == ("Vorauswahl 2", 2)


def test_an_open_rounds_fixed_settings_are_shown_disabled_and_kept(organiser_client, judging_round):
    JudgingRound.objects.filter(pk=judging_round.pk).update(status=RoundStatus.OPEN)
    page = organiser_client.get(reverse("judging:round", args=[judging_round.pk])).text
    assert re.search(r'<select name="entry"[^>]*disabled', page)
    assert re.search(r'<input type="number" name="reviews_per_project"[^>]*disabled', page)
    assert not re.search(r'<input type="text" name="name"[^>]*disabled', page)

    # A browser sends no disabled field; a crafted post's values for them are ignored.
    response = organiser_client.post(
        reverse("judging:round_settings", args=[judging_round.pk]),
        {"name": "Vorauswahl 2", "reviews_per_project": "9"},
    )

    assert response.status_code == 302
    judging_round.refresh_from_db()
    assert judging_round.name == "Vorauswahl 2"
    assert judging_round.reviews_per_project == 5


def test_criteria_change_while_a_draft_only(organiser_client, judging_round, organiser):
    criterion = judging_round.criteria.first()
    url = reverse("judging:criterion_update", args=[judging_round.pk, criterion.pk])
    data = {
        f"criterion-{criterion.pk}-name": "Gesellschaftlicher Nutzen",
        f"criterion-{criterion.pk}-guidance": "Wem hilft es?",
        f"criterion-{criterion.pk}-scale_min": "1",
        f"criterion-{criterion.pk}-scale_max": "7",
        f"criterion-{criterion.pk}-weight": "2",
    }
    assert organiser_client.post(url, data).status_code == 302
    criterion.refresh_from_db()
    assert (criterion.name, criterion.scale_max, criterion.weight) == (
        "Gesellschaftlicher Nutzen",
        7,
        2,
    )

    added = organiser_client.post(
        reverse("judging:criterion_add", args=[judging_round.pk]),
        {
            "new-name": "Barrierefreiheit",
            "new-scale_min": "1",
            "new-scale_max": "5",
            "new-weight": "1",
        },
    )
    assert added.status_code == 302
    assert judging_round.criteria.filter(name="Barrierefreiheit").exists()
    bad = organiser_client.post(
        reverse("judging:criterion_add", args=[judging_round.pk]),
        {"new-name": "Kaputt", "new-scale_min": "5", "new-scale_max": "1", "new-weight": "1"},
    )
    assert bad.status_code == 400
    assert "The highest score must be above the lowest." in bad.content.decode()

    JudgingRound.objects.filter(pk=judging_round.pk).update(status=RoundStatus.OPEN)
    refused = organiser_client.post(url, data, follow=False)
    assert refused.status_code == 409
    removed = organiser_client.post(
        reverse("judging:criterion_remove", args=[judging_round.pk, criterion.pk]), follow=True
    )
    assert "only be changed while the round is a draft" in removed.content.decode()
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_a_person_with_an_account_joins_the_pool_by_email(organiser_client, judging_round, event):
    person = UserFactory(email="Expertin@Example.org")
    topic = TopicFactory(event=event)
    url = reverse("judging:juror_add", args=[judging_round.pk])

    response = organiser_client.post(
        url, {"email": "expertin@example.org", "expertise": [topic.pk]}
    )

    assert response.status_code == 302
    juror = Juror.objects.get(round=judging_round)
    assert juror.user == person and list(juror.expertise.all()) == [topic]
    again = organiser_client.post(url, {"email": "expertin@example.org"})
    assert again.status_code == 400
    assert "a juror of the round already" in again.content.decode()
    unknown = organiser_client.post(url, {"email": "niemand@example.org"})
    assert unknown.status_code == 400
    assert "invite them by e-mail instead" in unknown.content.decode()
    assert 'value="niemand@example.org"' in unknown.content.decode()


def test_an_organiser_opens_and_closes_a_round(organiser_client, judging_round, organiser):
    open_url = reverse("judging:round_open", args=[judging_round.pk])
    refused = organiser_client.post(open_url, follow=True)
    assert "at least one juror" in refused.content.decode()
    Juror.objects.create(round=judging_round, user=UserFactory())

    organiser_client.post(open_url)
    judging_round.refresh_from_db()
    assert judging_round.status == RoundStatus.OPEN
    organiser_client.post(reverse("judging:round_close", args=[judging_round.pk]))
    judging_round.refresh_from_db()
    assert judging_round.status == RoundStatus.CLOSED


def test_the_organisers_post_runs_the_assignment_to_a_done_run(
    organiser_client, judging_round, organiser, django_capture_on_commit_callbacks
):
    JudgingRound.objects.filter(pk=judging_round.pk).update(reviews_per_project=2)
    make_pool(judging_round, organiser, jurors=4, projects=6)

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(reverse("judging:run_start", args=[judging_round.pk]))

    run = AssignmentRun.objects.get(round=judging_round)
    assert response["Location"] == reverse("judging:run", args=[run.pk])
    assert run.status == RunStatus.DONE
    page = organiser_client.get(response["Location"]).content.decode()
    assert 'data-testid="load-per-juror"' in page
    assert "3–3" in page  # 12 reviews over 4 jurors
    assert "hx-trigger" not in page and "http-equiv" not in page


def test_a_waiting_run_polls_its_progress(organiser_client, judging_round, organiser):
    run = assignment_run_start(round=judging_round, actor=organiser)
    AssignmentRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, progress=60, stage="Working out the assignment"
    )

    page = organiser_client.get(reverse("judging:run", args=[run.pk])).content.decode()
    fragment = organiser_client.get(
        reverse("judging:run_progress", args=[run.pk]), headers={"HX-Request": "true"}
    ).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page  # inside <noscript>
    assert 'hx-trigger="every 2s"' in fragment
    assert 'value="60"' in fragment and "Working out the assignment" in fragment
    assert "<html" not in fragment


def test_a_failed_run_names_the_projects_that_fall_short(
    organiser_client, judging_round, organiser, django_capture_on_commit_callbacks
):
    make_pool(judging_round, organiser, jurors=2, projects=1)
    with django_capture_on_commit_callbacks(execute=True):
        run = assignment_run_start(round=judging_round, actor=organiser)

    page = organiser_client.get(reverse("judging:run", args=[run.pk])).content.decode()

    assert "Why the assignment is not possible" in page
    title = judging_round.event.projects.get().title
    assert title in page


@pytest.mark.parametrize("size", [5, 50])
def test_the_round_and_run_pages_take_a_constant_number_of_queries(
    size, organiser_client, judging_round, organiser, django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    JudgingRound.objects.filter(pk=judging_round.pk).update(reviews_per_project=2)
    make_pool(judging_round, organiser, jurors=size, projects=size)
    with django_capture_on_commit_callbacks(execute=True):
        run = assignment_run_start(round=judging_round, actor=organiser)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE

    # 13: the submission deadline and the teams' extensions (whether teams may resubmit).
    with django_assert_max_num_queries(13):
        assert (
            organiser_client.get(reverse("judging:round", args=[judging_round.pk])).status_code
            == 200
        )
    with django_assert_max_num_queries(6):
        assert organiser_client.get(reverse("judging:run", args=[run.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        response = organiser_client.get(reverse("judging:rounds", args=[judging_round.event.slug]))
        assert response.status_code == 200


def test_the_event_page_links_organisers_to_judging(organiser_client, event):
    page = organiser_client.get(reverse("events:detail", args=[event.slug])).content.decode()

    assert reverse("judging:rounds", args=[event.slug]) in page


def test_the_rounds_page_counts_jurors_assignments_and_submitted_reviews(
    organiser_client, judging_round, organiser, django_capture_on_commit_callbacks
):
    JudgingRound.objects.filter(pk=judging_round.pk).update(reviews_per_project=2)
    make_pool(judging_round, organiser, jurors=3, projects=3)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_run_start(round=judging_round, actor=organiser)
    first = judging_round.assignments.first()
    Review.objects.create(assignment=first, status="submitted", submitted_at=timezone.now())

    [row] = organiser_client.get(
        reverse("judging:rounds", args=[judging_round.event.slug])
    ).context["rounds"]

    assert (row.juror_count, row.assignment_count, row.submitted_count) == (3, 6, 1)


# --- bounds, stages, the version judged, reasons ----------------------------------------


def test_numbers_past_the_bounds_are_a_form_error_not_a_500(organiser_client, judging_round):
    settings = organiser_client.post(
        reverse("judging:round_settings", args=[judging_round.pk]),
        {"name": "Vorauswahl", "entry": "all_submitted", "reviews_per_project": "99999999999"},
    )
    criterion = organiser_client.post(
        reverse("judging:criterion_add", args=[judging_round.pk]),
        {"new-name": "Tiefe", "new-scale_min": "1", "new-scale_max": "99999", "new-weight": "1"},
    )
    weight = organiser_client.post(
        reverse("judging:criterion_add", args=[judging_round.pk]),
        {"new-name": "Tiefe", "new-scale_min": "1", "new-scale_max": "5", "new-weight": "40000"},
    )
    steps = organiser_client.post(
        reverse("judging:criterion_add", args=[judging_round.pk]),
        {"new-name": "Tiefe", "new-scale_min": "0", "new-scale_max": "50", "new-weight": "1"},
    )

    assert settings.status_code == 400
    assert 'max="50"' in settings.content.decode()  # the browser knows the bound too
    assert criterion.status_code == 400 and weight.status_code == 400
    assert steps.status_code == 400
    assert "at most 20 steps" in steps.content.decode()
    assert not judging_round.criteria.filter(name="Tiefe").exists()


def test_the_round_page_warns_while_teams_may_still_resubmit(
    organiser_client, judging_round, event
):
    from projects.models import SubmissionExtension
    from tests.factories import PhaseFactory

    now = timezone.now()
    url = reverse("judging:round", args=[judging_round.pk])
    phase = PhaseFactory(
        event=event,
        kind="submission",
        starts_at=now - timedelta(days=2),
        ends_at=now + timedelta(hours=1),
    )
    assert 'data-testid="resubmission-open"' in organiser_client.get(url).content.decode()

    phase.ends_at = now - timedelta(hours=1)
    phase.save(update_fields=["ends_at"])
    assert 'data-testid="resubmission-open"' not in organiser_client.get(url).content.decode()

    SubmissionExtension.objects.create(
        team=TeamFactory(event=event), ends_at=now + timedelta(hours=2)
    )
    page = organiser_client.get(url).content.decode()
    assert "teams may still resubmit" in page


def test_a_failed_runs_messages_are_shown_from_their_source(organiser_client, judging_round):
    from judging.services.runs import REASON_TIME_UP

    run = AssignmentRun.objects.create(
        round=judging_round, status=RunStatus.FAILED, reasons=[{"message": REASON_TIME_UP}]
    )

    page = organiser_client.get(reverse("judging:run", args=[run.pk])).content.decode()

    assert "closing time has passed" in page
    assert "{" not in page.split('data-testid="run-reasons"')[1].split("</section>")[0]
