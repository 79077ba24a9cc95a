"""The organisers' judging API beyond a round's settings: opening and closing it, its
assignment runs (…/runs/) and its results (…/results/); and the public results of an
event (/api/v1/judging/results/)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from judging.enums import RoundStatus, RunStatus
from judging.models import AssignmentRun, JudgingRound, ShortlistEntry
from judging.services.runs import assignment_run_execute
from projects.models import Project
from tests.factories import EventFactory, RegistrationFactory, UserFactory
from tests.judging.conftest import JurorFactory
from tests.judging.results_data import judged_project, juror, review, set_status

pytestmark = pytest.mark.django_db
ROUNDS = "/api/v1/judging/rounds/"
RESULTS = "/api/v1/judging/results/"


def errors(response) -> set[tuple[str, str | None]]:
    return {(error["code"], error["attr"]) for error in response.json()["errors"]}


@pytest.fixture
def as_organiser(organiser) -> APIClient:
    client = APIClient()
    client.force_authenticate(organiser)
    return client


@pytest.fixture
def participant(event):
    return RegistrationFactory(event=event, user=UserFactory()).user


@pytest.fixture
def small_round(judging_round):
    """Two submitted projects and three jurors, two reviews each."""
    JudgingRound.objects.filter(pk=judging_round.pk).update(reviews_per_project=2)
    judging_round.refresh_from_db()
    for _ in range(2):
        judged_project(judging_round)
    for _ in range(3):
        JurorFactory(round=judging_round)
    return judging_round


# --- opening and closing ---------------------------------------------------------------------


def test_an_organiser_opens_and_closes_a_round(as_organiser, small_round):
    opened = as_organiser.post(f"{ROUNDS}{small_round.pk}/open/")
    closed = as_organiser.post(f"{ROUNDS}{small_round.pk}/close/")
    again = as_organiser.post(f"{ROUNDS}{small_round.pk}/close/")

    assert opened.status_code == 200, opened.content
    assert opened.json()["status"] == "open"
    assert closed.json()["status"] == "closed"
    assert again.status_code == 409


def test_a_round_without_jurors_does_not_open(as_organiser, judging_round):
    response = as_organiser.post(f"{ROUNDS}{judging_round.pk}/open/")

    assert errors(response) == {("invalid", "non_field_errors")}
    judging_round.refresh_from_db()
    assert judging_round.status == RoundStatus.DRAFT


def test_a_participant_cannot_open_a_round(participant, small_round):
    client = APIClient()
    client.force_authenticate(participant)

    assert client.post(f"{ROUNDS}{small_round.pk}/open/").status_code == 404
    small_round.refresh_from_db()
    assert small_round.status == RoundStatus.DRAFT


# --- assignment runs -------------------------------------------------------------------------


def test_an_organiser_starts_a_run_and_reads_its_progress_and_result(
    as_organiser, small_round, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        started = as_organiser.post(f"{ROUNDS}{small_round.pk}/runs/")
    again = as_organiser.post(f"{ROUNDS}{small_round.pk}/runs/")

    assert started.status_code == 202, started.content
    run = started.json()
    assert run["status"] == "pending"
    assert run["progress"] == 0
    assert run["stage"] == "Waiting for a worker"
    assert again.json()["id"] == run["id"]  # the one under way, not a second one

    assignment_run_execute(run_id=run["id"])
    done = as_organiser.get(f"{ROUNDS}{small_round.pk}/runs/{run['id']}/")
    listed = as_organiser.get(f"{ROUNDS}{small_round.pk}/runs/")

    assert done.json()["status"] == "done"
    assert done.json()["progress"] == 100
    assert sorted(done.json()["result"]["load"].values()) == [1, 1, 2]
    assert done.json()["reasons"] == []
    assert [row["id"] for row in listed.json()] == [run["id"]]


def test_an_infeasible_run_reports_its_reasons(as_organiser, judging_round):
    judged_project(judging_round)  # five reviews needed, no jurors
    started = as_organiser.post(f"{ROUNDS}{judging_round.pk}/runs/").json()

    assignment_run_execute(run_id=started["id"])
    run = as_organiser.get(f"{ROUNDS}{judging_round.pk}/runs/{started['id']}/").json()

    assert run["status"] == "failed"
    assert run["reasons"] and all(isinstance(reason, str) for reason in run["reasons"])
    title = Project.objects.get(event=judging_round.event).title
    assert title in run["reasons"][0] and "0" in run["reasons"][0], run["reasons"]


def test_a_closed_round_cannot_be_assigned(as_organiser, small_round):
    set_status(small_round, RoundStatus.CLOSED)

    response = as_organiser.post(f"{ROUNDS}{small_round.pk}/runs/")

    assert response.status_code == 409
    assert not AssignmentRun.objects.exists()


def test_runs_are_404_for_participants_and_for_another_rounds_path(
    as_organiser, participant, event, organiser, small_round
):
    from judging.services import round_create

    run = AssignmentRun.objects.create(round=small_round, status=RunStatus.DONE, progress=100)
    other = round_create(event=event, actor=organiser, name="Finale")
    client = APIClient()
    client.force_authenticate(participant)

    assert client.get(f"{ROUNDS}{small_round.pk}/runs/").status_code == 404
    assert client.post(f"{ROUNDS}{small_round.pk}/runs/").status_code == 404
    assert client.get(f"{ROUNDS}{small_round.pk}/runs/{run.pk}/").status_code == 404
    assert as_organiser.get(f"{ROUNDS}{other.pk}/runs/{run.pk}/").status_code == 404
    assert APIClient().get(f"{ROUNDS}{small_round.pk}/runs/").status_code == 401


def test_the_run_list_names_an_unknown_parameter(as_organiser, small_round):
    response = as_organiser.get(f"{ROUNDS}{small_round.pk}/runs/", {"status": "done"})

    assert errors(response) == {("unknown_field", "status")}


# --- results ---------------------------------------------------------------------------------


def test_organisers_read_a_rounds_results_without_jurors_names(
    as_organiser, judging_round, django_assert_max_num_queries
):
    good, weak = judged_project(judging_round, title="Gut"), judged_project(judging_round)
    pool = [juror(judging_round, display_name=f"Geheim {n}") for n in range(2)]
    for person in pool:
        review(person, good, [5, 5, 5, 5, 5])
        review(person, weak, [2, 2, 2, 2, 2])

    with django_assert_max_num_queries(12):
        response = as_organiser.get(f"{ROUNDS}{judging_round.pk}/results/")

    assert response.status_code == 200
    data = response.json()
    assert data["reviews_per_project"] == 5
    assert [row["project"] for row in data["rows"]] == [good.pk, weak.pk]
    assert data["rows"][0]["mean"] == 5.0
    assert data["rows"][0]["rank"] == 1
    assert data["rows"][0]["flagged"] is True  # two of five reviews
    assert data["flagged_count"] == 2
    assert "Geheim" not in response.content.decode()


def test_results_are_404_for_a_participant_and_401_for_the_anonymous(participant, judging_round):
    client = APIClient()
    client.force_authenticate(participant)

    assert client.get(f"{ROUNDS}{judging_round.pk}/results/").status_code == 404
    assert APIClient().get(f"{ROUNDS}{judging_round.pk}/results/").status_code == 401


def test_everyone_reads_the_published_results_without_scores_or_names(event, judging_round):
    winner = judged_project(judging_round, title="Bettenradar", category="new_build")
    judged_project(judging_round, title="Nicht dabei")
    review(juror(judging_round, display_name="Geheim"), winner, [5, 5, 5, 5, 5])
    ShortlistEntry.objects.create(round=judging_round, project=winner)
    draft = JudgingRound.objects.create(event=event, name="Entwurf", position=9)

    before = APIClient().get(RESULTS, {"event": event.slug})
    set_status(judging_round, RoundStatus.PUBLISHED)
    after = APIClient().get(RESULTS, {"event": event.slug})

    assert before.status_code == 200
    assert before.json() == []
    rounds = after.json()
    assert [row["round"] for row in rounds] == [judging_round.pk]
    assert draft.pk not in [row["round"] for row in rounds]
    assert rounds[0]["outcome"] == "shortlisted"  # a later round follows
    assert rounds[0]["categories"] == [
        {
            "category": "new_build",
            "label": "New build",
            "projects": [{"id": winner.pk, "title": "Bettenradar"}],
        }
    ]
    text = after.content.decode()
    assert "Geheim" not in text and "mean" not in text and "Nicht dabei" not in text


def test_the_public_results_name_an_unknown_or_hidden_event(event):
    hidden = EventFactory(is_public=False)

    missing = APIClient().get(RESULTS)
    unknown = APIClient().get(RESULTS, {"event": hidden.slug, "page": 2, "colour": "x"})

    assert errors(missing) == {("required", "event")}
    assert errors(unknown) == {("invalid", "event"), ("unknown_field", "colour")}


def test_an_organiser_shortlists_the_top_and_publishes(
    as_organiser, event, judging_round, django_capture_on_commit_callbacks
):
    good, weak = judged_project(judging_round, title="Gut"), judged_project(judging_round)
    person = juror(judging_round)
    review(person, good, [5, 5, 5, 5, 5])
    review(person, weak, [1, 1, 1, 1, 1])
    path = f"{ROUNDS}{judging_round.pk}"

    too_early = as_organiser.post(f"{path}/shortlist/", {"n": 1}, format="json")
    set_status(judging_round, RoundStatus.CLOSED)
    none = as_organiser.post(f"{path}/shortlist/", {"n": 0}, format="json")
    shortlisted = as_organiser.post(f"{path}/shortlist/", {"n": 1}, format="json")
    with django_capture_on_commit_callbacks(execute=False):
        published = as_organiser.post(f"{path}/publish/")
    twice = as_organiser.post(f"{path}/publish/")

    assert too_early.status_code == 409
    assert errors(none) == {("min_value", "n")}
    assert shortlisted.status_code == 200, shortlisted.content
    assert [row["project"] for row in shortlisted.json()["rows"] if row["shortlisted"]] == [good.pk]
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert published.json()["published_at"]
    assert twice.status_code == 409
    public = APIClient().get(RESULTS, {"event": event.slug}).json()
    assert public[0]["outcome"] == "winner"
    assert public[0]["categories"][0]["projects"] == [{"id": good.pk, "title": "Gut"}]


def test_a_participant_cannot_shortlist_or_publish(participant, judging_round):
    set_status(judging_round, RoundStatus.CLOSED)
    client = APIClient()
    client.force_authenticate(participant)

    shortlist = client.post(f"{ROUNDS}{judging_round.pk}/shortlist/", {"n": 1}, format="json")
    publish = client.post(f"{ROUNDS}{judging_round.pk}/publish/")

    assert shortlist.status_code == publish.status_code == 404
    judging_round.refresh_from_db()
    assert judging_round.status == RoundStatus.CLOSED


def test_the_public_vote_changes_only_while_a_draft(as_organiser, judging_round):
    set_status(judging_round, RoundStatus.OPEN)

    response = as_organiser.patch(
        f"{ROUNDS}{judging_round.pk}/", {"public_vote": True}, format="json"
    )

    assert response.status_code == 409
    judging_round.refresh_from_db()
    assert judging_round.public_vote is False
