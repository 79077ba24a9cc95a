"""A project's reviews for the organisers (names, scores per criterion, both texts), the
scores CSV with the texts once per review, and the judged version's title and category
on the results pages and the public page (never the living page's)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.models import JudgingRound, ShortlistEntry
from judging.results import JudgedVersion, project_reviews, published_results, round_results
from judging.services import round_create
from projects.models import Project
from tests.conftest import english_client
from tests.factories import UserFactory, add_member
from tests.judging.results_data import close, judged_project, juror, review, set_status

TWO_CRITERIA = [
    {"name": "Wirkung", "scale_min": 1, "scale_max": 5, "weight": 3},
    {"name": "Machbarkeit", "scale_min": 1, "scale_max": 5, "weight": 1},
]


client = pytest.fixture(english_client)  # the pages' English messages


@pytest.fixture
def reviewed(event, organiser):
    """A closed round (k = 3): one project with two submitted reviews and a draft."""
    round = round_create(
        event=event,
        actor=organiser,
        name="Vorauswahl",
        reviews_per_project=3,
        criteria=TWO_CRITERIA,
    )
    project = judged_project(round, title="Nachbarschaftskarte", category="new_build")
    add_member(project.team, UserFactory(display_name="Mia Mitglied"))
    review(
        juror(round, display_name="Jana Jurorin"),
        project,
        [5, 1],
        comment='=HYPERLINK("http://evil") Bitte Datenschutz prüfen',
        feedback="Starke Idee, Datenschutz nachschärfen.",
    )
    review(
        juror(round, display_name="Jens Juror"),
        project,
        [3, 3],
        comment="Team wirkt überlastet.",
        feedback="Weiter so!",
    )
    review(
        juror(round, display_name="Dora Entwurf"),
        project,
        [1, 1],
        submitted=False,
        comment="Entwurf: noch unsicher",
        feedback="Entwurf für das Team",
    )
    return close(round), project


def _url(round, project):
    return reverse("judging:result_project", args=[round.pk, project.pk])


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- the reviews page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_organisers_read_the_comments_feedback_and_scores_before_publishing(
    client, organiser, reviewed
):
    round, project = reviewed
    client.force_login(organiser)

    response = client.get(_url(round, project))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Team wirkt überlastet." in content
    assert "Bitte Datenschutz prüfen" in content
    assert "Starke Idee, Datenschutz nachschärfen." in content and "Weiter so!" in content
    assert "Jana Jurorin" in content and "Jens Juror" in content
    assert reverse("projects:version", args=[project.pk, 1]) in content  # what was judged
    records = response.context["reviews"].reviews
    # Weighted: (3·5 + 1·1) / 4 = 4.00 and (3·3 + 1·3) / 4 = 3.00
    assert sorted((r.juror_name, r.score, r.values) for r in records) == [
        ("Jana Jurorin", 4.0, [5, 1]),
        ("Jens Juror", 3.0, [3, 3]),
    ]
    assert content.count('data-testid="review"') == 2
    assert content.count('data-testid="criterion-score"') == 4
    assert response.context["reviews"].mean == 3.5
    assert re.search(r'data-testid="project-mean">3[.,]50<', content)


@pytest.mark.django_db
def test_drafts_are_counted_but_not_shown(client, organiser, reviewed):
    round, project = reviewed
    client.force_login(organiser)

    response = client.get(_url(round, project))

    content = response.content.decode()
    assert response.context["reviews"].drafts == 1
    assert "1 draft not submitted yet" in content
    for secret in ("Dora Entwurf", "Entwurf: noch unsicher", "Entwurf für das Team"):
        assert secret not in content


@pytest.mark.django_db
def test_the_reviews_page_is_404_for_everyone_but_organisers(client, reviewed):
    round, project = reviewed
    member = project.team.memberships.get().user
    a_juror = round.jurors.get(user__display_name="Jana Jurorin").user
    for person in (member, a_juror, UserFactory()):
        client.force_login(person)
        assert client.get(_url(round, project)).status_code == 404
    client.logout()
    assert client.get(_url(round, project)).status_code == 302  # to the sign-in


@pytest.mark.django_db
def test_the_reviews_page_of_a_project_not_judged_in_the_round_is_404(
    client, organiser, event, reviewed
):
    round, project = reviewed
    other_round = round_create(event=event, actor=organiser, name="Finale")
    outsider = judged_project(other_round, title="Anderswo")
    client.force_login(organiser)

    assert client.get(_url(round, outsider)).status_code == 404
    assert client.get(_url(other_round, project)).status_code == 404
    assert client.get(reverse("judging:result_project", args=[round.pk, 999999])).status_code == 404


@pytest.mark.django_db
def test_each_row_of_the_results_links_to_the_project_reviews(client, organiser, reviewed):
    round, project = reviewed
    client.force_login(organiser)

    content = client.get(reverse("judging:results", args=[round.pk])).content.decode()

    # the overall, topic and category rankings
    assert content.count(f'href="{_url(round, project)}"') == 3


@pytest.mark.django_db
def test_the_reviews_page_queries_do_not_grow_with_reviews_and_criteria(client, organiser, event):
    pages = []
    for name, jurors, criteria in (("Klein", 5, 1), ("Groß", 50, 6)):
        round = round_create(
            event=event,
            actor=organiser,
            name=name,
            reviews_per_project=jurors,
            criteria=[
                {"name": f"Kriterium {i}", "scale_min": 1, "scale_max": 5, "weight": 1}
                for i in range(criteria)
            ],
        )
        project = judged_project(round)
        for i in range(jurors):
            review(juror(round), project, [1 + (i % 5)] * criteria, comment=f"Kommentar {i}")
        review(juror(round), project, [1] * criteria, submitted=False)
        pages.append((close(round), project, jurors))
    client.force_login(organiser)
    counts = []
    for round, project, jurors in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(round, project))
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="review"') == jurors
        counts.append(len(queries))

    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_project_reviews_reads_in_five_queries(reviewed, django_assert_num_queries):
    round, project = reviewed

    with django_assert_num_queries(5):
        result = project_reviews(round=round, project_pk=project.pk)
        [(record.juror_name, record.review.comment_for_organisers) for record in result.reviews]

    assert (result.assigned, len(result.reviews), result.drafts, result.not_started) == (3, 2, 1, 0)


# --- scores.csv ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scores_csv_has_the_texts_once_per_review_and_formula_safe(client, organiser, reviewed):
    round, _project = reviewed
    client.force_login(organiser)

    rows = _csv(client.get(reverse("judging:scores_csv", args=[round.pk])))

    assert len(rows) == 2  # one row per submitted review; the draft is left out
    by_juror = {row["juror"]: row for row in rows}
    jana = by_juror["Jana Jurorin"]
    assert jana["comment_for_organisers"] == '\'=HYPERLINK("http://evil") Bitte Datenschutz prüfen'
    assert jana["feedback_for_team"] == "Starke Idee, Datenschutz nachschärfen."
    assert (jana["Wirkung (weight 3)"], jana["Machbarkeit (weight 1)"], jana["score"]) == (
        "5",
        "1",
        "4.00",
    )
    assert by_juror["Jens Juror"]["comment_for_organisers"] == "Team wirkt überlastet."
    assert jana["version"] == "1"


# --- the judged version's title and category ----------------------------------------------------


def _change_living_page(project: Project, *, title: str, category: str) -> None:
    """What a team may do after the deadline: the frozen version stays as it was."""
    Project.objects.filter(pk=project.pk).update(title=title, category=category)


@pytest.fixture
def renamed(event, organiser):
    """A closed round of two projects; after judging, one renamed its living page and
    moved it to another category."""
    round = round_create(
        event=event,
        actor=organiser,
        name="Vorauswahl",
        reviews_per_project=1,
        criteria=TWO_CRITERIA,
    )
    renamed = judged_project(round, title="Bettenradar", category="new_build")
    other = judged_project(round, title="Einkaufshilfe", category="new_build")
    jana = juror(round, display_name="Jana Jurorin")
    review(jana, renamed, [5, 5])
    review(jana, other, [2, 2])
    _change_living_page(renamed, title="Bettenradar 2.0 (nach dem Hackathon)", category="extension")
    return close(round), renamed, other


@pytest.mark.django_db
def test_results_rank_under_the_judged_title_and_category(renamed):
    round, _renamed_project, _other = renamed

    results = round_results(round=round)

    assert [row.title for row in results.rows] == ["Bettenradar", "Einkaufshilfe"]
    assert [(group.key, [row.title for row in group.rows]) for group in results.by_category] == [
        ("new_build", ["Bettenradar", "Einkaufshilfe"])
    ]
    assert results.rows[0].category_rank == 1 and results.rows[1].category_rank == 2


@pytest.mark.django_db
def test_results_pages_and_csv_show_the_judged_title(client, organiser, renamed):
    round, renamed_project, _other = renamed
    client.force_login(organiser)

    page = client.get(reverse("judging:results", args=[round.pk])).content.decode()
    results_csv = _csv(client.get(reverse("judging:results_csv", args=[round.pk])))
    scores_csv = _csv(client.get(reverse("judging:scores_csv", args=[round.pk])))
    reviews = client.get(_url(round, renamed_project))

    assert "Bettenradar 2.0" not in page and "Bettenradar" in page
    assert [(row["project"], row["category"]) for row in results_csv] == [
        ("Bettenradar", "new_build"),
        ("Einkaufshilfe", "new_build"),
    ]
    assert {row["project"] for row in scores_csv} == {"Bettenradar", "Einkaufshilfe"}
    assert "Bettenradar 2.0" not in reviews.content.decode()
    assert reviews.context["reviews"].judged == JudgedVersion(1, "Bettenradar", "new_build")


@pytest.mark.django_db
def test_public_results_show_the_judged_title_and_category(client, event, organiser, renamed):
    round, renamed_project, _other = renamed
    ShortlistEntry.objects.create(round=round, project=renamed_project, added_by=organiser)
    set_status(round, "published")
    JudgingRound.objects.filter(pk=round.pk).update(published_by=organiser)

    [published] = published_results(event=event)
    content = client.get(reverse("judging:public_results", args=[event.slug])).content.decode()

    [group] = published.by_category
    assert (group.key, [item.title for item in group.rows]) == ("new_build", ["Bettenradar"])
    assert "Bettenradar 2.0" not in content and "Bettenradar" in content
    assert "New build" in content and "Extension" not in content
    assert renamed_project.get_absolute_url() in content  # the link goes to the living page


@pytest.mark.django_db
def test_a_snapshot_without_title_or_category_falls_back_to_the_living_project(organiser, event):
    round = round_create(event=event, actor=organiser, name="Alt", reviews_per_project=1)
    project = judged_project(round, title="Lebende Seite", category="extension")
    project.versions.update(snapshot={})
    review(juror(round), project, [3, 3, 3, 3, 3])

    [row] = round_results(round=round).rows

    assert (row.title, row.category, row.version) == ("Lebende Seite", "extension", 1)
