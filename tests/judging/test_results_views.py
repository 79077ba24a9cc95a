"""The results pages: the organisers' ranking, shortlist and publishing, the CSV exports,
the public results, the team's feedback (and who must not get in)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.enums import RoundStatus
from judging.models import ShortlistEntry
from judging.services import round_create
from judging.services.results import round_publish, shortlist_add
from tests.conftest import english_client
from tests.factories import TopicFactory, UserFactory, add_member
from tests.judging.results_data import close, judged_project, juror, many_judged_projects, review

ONE_CRITERION = [{"name": "Gesamteindruck", "scale_min": 1, "scale_max": 5, "weight": 1}]


client = pytest.fixture(english_client)  # the pages' English messages


@pytest.fixture
def scored_round(event, organiser):
    """A closed round (k = 2) with three projects reviewed by two named jurors."""
    round = round_create(
        event=event,
        actor=organiser,
        name="Vorauswahl",
        reviews_per_project=2,
        criteria=ONE_CRITERION,
    )
    topic = TopicFactory(event=event, name="Gesundheit")
    first = juror(round, display_name="Jana Jurorin")
    second = juror(round, display_name="Jens Juror")
    for title, values, category in [
        ("Nachbarschaftskarte", (5, 4), "new_build"),
        ("=HYPERLINK(evil)", (3, 3), "extension"),
        ("Einkaufshilfe", (2, None), "new_build"),
    ]:
        project = judged_project(round, title=title, topic=topic, category=category)
        add_member(project.team, UserFactory(display_name=f"Mitglied {title}"))
        review(first, project, [values[0]], feedback=f"Stark: {title}")
        if values[1] is not None:
            review(second, project, [values[1]], feedback=f"Weiter so: {title}")
    return close(round)


def _project(round, title):
    from projects.models import Project

    return Project.objects.get(event=round.event, title=title)


def _publish(round, organiser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        round_publish(round=round, actor=organiser)
    round.refresh_from_db()


# --- the organisers' page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_results_page_shows_the_ranking_with_flags_and_forms(client, organiser, scored_round):
    client.force_login(organiser)

    response = client.get(reverse("judging:results", args=[scored_round.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nachbarschaftskarte" in content
    assert "1/2" in content and "too few" in content  # Einkaufshilfe: one review of two
    assert 'data-testid="shortlist-top-form"' in content
    assert reverse("judging:publish", args=[scored_round.pk]) in content
    rows = response.context["results"].rows
    assert rows[0].project.title == "Nachbarschaftskarte"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["judging:results", "judging:results_csv", "judging:scores_csv", "judging:publish"]
)
def test_participants_get_404_on_the_organisers_pages(client, scored_round, name):
    member = _project(scored_round, "Nachbarschaftskarte").team.memberships.get().user
    client.force_login(member)

    assert client.get(reverse(name, args=[scored_round.pk])).status_code == 404
    assert client.post(reverse("judging:publish", args=[scored_round.pk])).status_code == 404
    assert scored_round.status == RoundStatus.CLOSED


@pytest.mark.django_db
def test_participants_cannot_shortlist(client, scored_round):
    client.force_login(UserFactory())
    project = _project(scored_round, "Einkaufshilfe")

    response = client.post(
        reverse("judging:shortlist_add", args=[scored_round.pk]), {"project": project.pk}
    )

    assert response.status_code == 404
    assert not ShortlistEntry.objects.exists()


@pytest.mark.django_db
def test_shortlist_top_form_and_the_buttons_per_row(client, organiser, scored_round):
    client.force_login(organiser)

    response = client.post(
        reverse("judging:shortlist_top", args=[scored_round.pk]), {"n": "1"}, follow=True
    )
    assert response.status_code == 200
    assert set(ShortlistEntry.objects.values_list("project__title", flat=True)) == {
        "Nachbarschaftskarte"
    }
    project = _project(scored_round, "Einkaufshilfe")
    client.post(reverse("judging:shortlist_add", args=[scored_round.pk]), {"project": project.pk})
    assert ShortlistEntry.objects.count() == 2
    client.post(
        reverse("judging:shortlist_remove", args=[scored_round.pk]), {"project": project.pk}
    )
    assert ShortlistEntry.objects.count() == 1


@pytest.mark.django_db
def test_shortlist_top_with_bad_input_says_so_and_keeps_it(client, organiser, scored_round):
    client.force_login(organiser)

    response = client.post(reverse("judging:shortlist_top", args=[scored_round.pk]), {"n": "0"})

    assert response.status_code == 400
    assert response.context["form"].errors["n"]
    assert 'value="0"' in response.content.decode()
    assert not ShortlistEntry.objects.exists()


@pytest.mark.django_db
def test_publish_asks_first_then_publishes_once(client, organiser, scored_round):
    client.force_login(organiser)
    url = reverse("judging:publish", args=[scored_round.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200 and 'data-testid="publish"' in confirm.content.decode()
    scored_round.refresh_from_db()
    assert scored_round.status == RoundStatus.CLOSED

    assert client.post(url).status_code == 302
    scored_round.refresh_from_db()
    assert scored_round.status == RoundStatus.PUBLISHED
    again = client.post(url)
    assert again.status_code == 409
    assert "published already" in again.content.decode()


@pytest.mark.django_db
def test_results_page_queries_do_not_grow_from_5_to_500_projects(client, organiser, event):
    small = round_create(event=event, actor=organiser, name="Klein")
    many_judged_projects(small, 5)
    large = round_create(event=event, actor=organiser, name="Groß")
    many_judged_projects(large, 500)
    client.force_login(organiser)
    counts = []
    for round in (small, large):
        close(round)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("judging:results", args=[round.pk]))
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert response.content.decode().count('data-testid="result-row"') == 1500  # 3 rankings


# --- CSV ----------------------------------------------------------------------------------------


def _csv(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_results_csv_has_a_row_per_project_and_escapes_formulas(client, organiser, scored_round):
    client.force_login(organiser)

    response = client.get(reverse("judging:results_csv", args=[scored_round.pk]))

    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert [row["project"] for row in rows] == [
        "Nachbarschaftskarte",
        "'=HYPERLINK(evil)",
        "Einkaufshilfe",
    ]
    first = rows[0]
    assert (first["rank"], first["mean"], first["reviews"], first["reviews_asked"]) == (
        "1",
        "4.50",
        "2",
        "2",
    )
    assert rows[2]["too_few_reviews"] == "yes"


@pytest.mark.django_db
def test_scores_csv_has_a_row_per_review_with_the_jurors(client, organiser, scored_round):
    client.force_login(organiser)

    rows = _csv(client.get(reverse("judging:scores_csv", args=[scored_round.pk])))

    assert len(rows) == 5  # five submitted reviews
    assert {row["juror"] for row in rows} == {"Jana Jurorin", "Jens Juror"}
    assert {row["Gesamteindruck (weight 1)"] for row in rows} == {"5", "4", "3", "2"}
    assert all(row["submitted_at"].endswith("+01:00") for row in rows)  # Berlin in winter
    assert "'=HYPERLINK(evil)" in {row["project"] for row in rows}


# --- the public page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_results_are_empty_before_publishing(client, event, scored_round):
    response = client.get(reverse("judging:public_results", args=[event.slug]))

    assert response.status_code == 200
    assert 'data-testid="no-results"' in response.content.decode()


@pytest.mark.django_db
def test_public_results_show_the_winners_without_scores_or_names(
    client, event, organiser, scored_round, django_capture_on_commit_callbacks
):
    shortlist_add(
        round=scored_round, actor=organiser, project=_project(scored_round, "Nachbarschaftskarte")
    )
    _publish(scored_round, organiser, django_capture_on_commit_callbacks)

    content = client.get(reverse("judging:public_results", args=[event.slug])).content.decode()

    assert "Nachbarschaftskarte" in content and "Winners" in content
    assert "New build" in content
    assert "Einkaufshilfe" not in content
    for secret in ("Jana Jurorin", "Jens Juror", "4.50", "Stark:"):
        assert secret not in content
    event_page = client.get(event.get_absolute_url()).content.decode()
    assert 'data-testid="results-link"' in event_page


@pytest.mark.django_db
def test_public_results_of_an_unknown_event_are_404(client):
    assert client.get(reverse("judging:public_results", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_public_results_from_the_page_cache_change_on_publishing(
    client, event, organiser, scored_round, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = True
    url = reverse("judging:public_results", args=[event.slug])
    assert "no-results" in client.get(url).content.decode()
    assert "no-results" in client.get(url).content.decode()  # from the cache now
    with django_capture_on_commit_callbacks(execute=True):
        shortlist_add(
            round=scored_round, actor=organiser, project=_project(scored_round, "Einkaufshilfe")
        )
        round_publish(round=scored_round, actor=organiser)

    content = client.get(url).content.decode()

    assert "no-results" not in content and "Einkaufshilfe" in content


@pytest.mark.django_db
def test_public_results_queries_do_not_grow_from_5_to_500_projects(client, organiser, event):
    from judging.models import ShortlistEntry as Entry

    counts = []
    for name, count in (("Klein", 5), ("Groß", 500)):
        round = round_create(event=event, actor=organiser, name=name)
        projects = many_judged_projects(round, count, jurors=1)
        Entry.objects.bulk_create(Entry(round=round, project=p) for p in projects)
        close(round)
        round.status = RoundStatus.PUBLISHED
        round.save(update_fields=["status"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("judging:public_results", args=[event.slug]))
        assert response.status_code == 200
        counts.append(len(queries))
        round.status = RoundStatus.CLOSED  # the next round's count reads only its own
        round.save(update_fields=["status"])

    assert counts[0] == counts[1]


# --- the team's feedback ------------------------------------------------------------------------


@pytest.mark.django_db
def test_feedback_only_for_members_and_only_after_publishing(
    client, organiser, scored_round, django_capture_on_commit_callbacks
):
    project = _project(scored_round, "Nachbarschaftskarte")
    member = project.team.memberships.get().user
    url = reverse("judging:feedback", args=[project.pk])
    client.force_login(member)
    assert client.get(url).status_code == 404  # not published yet
    assert (
        'data-testid="feedback-link"' not in client.get(project.get_absolute_url()).content.decode()
    )

    _publish(scored_round, organiser, django_capture_on_commit_callbacks)
    response = client.get(url)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Stark: Nachbarschaftskarte" in content and "Weiter so: Nachbarschaftskarte" in content
    assert "Einkaufshilfe" not in content  # another team's feedback
    for name in ("Jana Jurorin", "Jens Juror"):
        assert name not in content
    texts = response.context["rounds"][0].texts
    assert len(texts) == 2
    assert client.get(url).context["rounds"][0].texts == texts  # the same order every time
    assert 'data-testid="feedback-link"' in client.get(project.get_absolute_url()).content.decode()

    for outsider in (UserFactory(), organiser):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_shortlisting_a_project_not_of_the_round_is_404(client, organiser, scored_round, value):
    client.force_login(organiser)

    response = client.post(
        reverse("judging:shortlist_add", args=[scored_round.pk]), {"project": value}
    )

    assert response.status_code == 404
    assert not ShortlistEntry.objects.exists()
