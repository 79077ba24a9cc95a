"""The public gallery (/projects/): only submitted projects of public events, searched,
filtered, sorted, paginated, htmx partials, a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.enums import ProjectCategory, ProjectStatus
from projects.selectors import projects_for_gallery
from tests.conftest import english_client, english_fixture
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    OrganiserFactory,
    ProjectFactory,
    TeamFactory,
    TopicFactory,
)
from tests.projects.gallery_helpers import bulk_submitted_projects

_english = pytest.fixture(autouse=True)(english_fixture)
client = pytest.fixture(english_client)

GALLERY = reverse("projects:gallery")


@pytest.fixture
def event(db):
    return EventFactory(slug="wirvsvirus", name="#WirVsVirus", is_public=True)


@pytest.fixture
def topic(event):
    return TopicFactory(event=event, name="Gesundheit", slug="gesundheit")


@pytest.fixture
def challenge(event, topic):
    return ChallengeFactory(event=event, title="Freie Intensivbetten finden", topic=topic)


def submitted(event, challenge=None, **fields):
    challenges = [challenge] if challenge is not None else []
    return ProjectFactory(
        event=event,
        team=TeamFactory(event=event, challenge=challenge or ChallengeFactory(event=event)),
        status=ProjectStatus.SUBMITTED,
        challenges=challenges,
        **fields,
    )


def titles(response) -> list[str]:
    return [project.title for project in response.context["page"].object_list]


# --- who sees what ---------------------------------------------------------------------------


def test_gallery_lists_submitted_projects_only(client, event, challenge):
    submitted(event, challenge, title="Bettenradar")
    ProjectFactory(event=event, title="Entwurf bleibt privat")
    ProjectFactory(event=event, title="Zurückgezogen", status=ProjectStatus.WITHDRAWN)

    response = client.get(GALLERY, {"event": event.slug})

    assert response.status_code == 200
    assert titles(response) == ["Bettenradar"]
    content = response.content.decode()
    assert "Bettenradar" in content
    assert "Entwurf bleibt privat" not in content
    assert "Zurückgezogen" not in content


def test_gallery_never_shows_projects_of_unpublished_events(client, event):
    hidden = EventFactory(slug="geheim", is_public=False)
    submitted(hidden, title="Geheimprojekt")

    response = client.get(GALLERY, {"event": "geheim"})

    assert response.status_code == 200
    assert response.context["event"] == event  # the unknown slug falls back to a public event
    assert "Geheimprojekt" not in response.content.decode()
    # Without an event, the selector lists public events only.
    assert not projects_for_gallery(event=None, params={}).filter(title="Geheimprojekt").exists()


def test_gallery_shows_unpublished_event_to_organiser_only_if_they_choose_it(client, event):
    hidden = EventFactory(slug="geheim", is_public=False)
    submitted(hidden, title="Geheimprojekt")
    client.force_login(OrganiserFactory())

    response = client.get(GALLERY, {"event": "geheim"})

    assert titles(response) == ["Geheimprojekt"]


def test_gallery_without_events_says_so(client, db):
    response = client.get(GALLERY)

    assert response.status_code == 200
    assert "There is no event with projects yet." in response.content.decode()


def test_gallery_card_links_to_project_and_shows_team_and_challenge(client, event, challenge):
    project = submitted(event, challenge, title="Bettenradar", category=ProjectCategory.EXTENSION)

    content = client.get(GALLERY).content.decode()

    assert f'href="{project.get_absolute_url()}"' in content
    assert project.team.name in content
    assert challenge.title in content
    assert "Extension of an existing solution" in content


def test_base_navigation_links_to_the_gallery(client, db):
    content = client.get(reverse("home")).content.decode()

    assert f'href="{GALLERY}"' in content


# --- filters, sort, search ---------------------------------------------------------------------


def test_gallery_filters_by_challenge_number(client, event, challenge):
    other = ChallengeFactory(event=event)
    submitted(event, challenge, title="Passt")
    submitted(event, other, title="Anderes")

    response = client.get(GALLERY, {"challenge": challenge.number})

    assert titles(response) == ["Passt"]


def test_gallery_filters_by_topic_of_a_challenge_once_per_project(client, event, topic, challenge):
    second_in_topic = ChallengeFactory(event=event, topic=topic)
    elsewhere = ChallengeFactory(event=event, topic=TopicFactory(event=event, slug="bildung"))
    both = submitted(event, challenge, title="Zwei Challenges")
    both.challenges.add(second_in_topic)
    submitted(event, elsewhere, title="Bildung")

    response = client.get(GALLERY, {"topic": "gesundheit"})

    assert titles(response) == ["Zwei Challenges"]  # once, though it answers two challenges


def test_gallery_filters_by_category(client, event, challenge):
    submitted(event, challenge, title="Neu", category=ProjectCategory.NEW_BUILD)
    submitted(event, challenge, title="Kommerziell", category=ProjectCategory.COMMERCIAL)

    response = client.get(GALLERY, {"category": "commercial"})

    assert titles(response) == ["Kommerziell"]


def test_gallery_filters_by_video_and_code(client, event, challenge):
    submitted(event, challenge, title="Beides", video_url="https://v.example/1",
              repository_url="https://git.example/a")  # fmt: skip
    submitted(event, challenge, title="Nur Video", video_url="https://v.example/2")
    submitted(event, challenge, title="Nichts")

    assert sorted(titles(client.get(GALLERY, {"has_video": "on"}))) == ["Beides", "Nur Video"]
    assert titles(client.get(GALLERY, {"has_video": "on", "has_code": "on"})) == ["Beides"]
    # An unticked box is no filter at all.
    assert len(titles(client.get(GALLERY, {"has_video": ""}))) == 3


def test_gallery_selector_false_means_without(event, challenge):
    submitted(event, challenge, title="Mit Code", repository_url="https://git.example/a")
    submitted(event, challenge, title="Ohne Code")

    projects = projects_for_gallery(event=event, params={"has_code": False})

    assert [p.title for p in projects] == ["Ohne Code"]


def test_gallery_sorts_newest_first_or_by_title(client, event, challenge):
    now = timezone.now()
    submitted(event, challenge, title="Bravo", submitted_at=now - timedelta(hours=2))
    submitted(event, challenge, title="alpha", submitted_at=now - timedelta(hours=1))
    submitted(event, challenge, title="Charlie", submitted_at=now - timedelta(hours=3))

    assert titles(client.get(GALLERY)) == ["alpha", "Bravo", "Charlie"]
    assert titles(client.get(GALLERY, {"sort": "newest"})) == ["alpha", "Bravo", "Charlie"]
    assert titles(client.get(GALLERY, {"sort": "title"})) == ["alpha", "Bravo", "Charlie"]
    submitted(event, challenge, title="Aaron", submitted_at=now - timedelta(hours=9))
    assert titles(client.get(GALLERY, {"sort": "title"}))[0] == "Aaron"


def test_gallery_ignores_invalid_filter_values(client, event, challenge):
    submitted(event, challenge, title="Bettenradar")

    response = client.get(
        GALLERY, {"challenge": "abc", "category": "nonsense", "sort": "drop table", "page": "x"}
    )

    assert response.status_code == 200
    assert titles(response) == ["Bettenradar"]
    assert response.context["filters"].errors  # the form says what was wrong


def test_gallery_search_fallback_matches_every_word(client, event, challenge, settings):
    settings.USING_POSTGRES = False  # the SQLite path, on any database
    submitted(event, challenge, title="Schulbus-Radar", pitch="Wo ist der Bus zur Schule?")
    submitted(event, challenge, title="Bettenradar", pitch="Freie Betten in Kliniken.")

    assert titles(client.get(GALLERY, {"q": "schule"})) == ["Schulbus-Radar"]
    assert titles(client.get(GALLERY, {"q": "radar BETTEN"})) == ["Bettenradar"]
    assert titles(client.get(GALLERY, {"q": "nirgendwo"})) == []


@pytest.mark.integration
def test_gallery_search_finds_german_word_stems_on_postgres(client, event, challenge):
    submitted(
        event,
        challenge,
        title="Digitale Schule",
        pitch="Unterricht zu Hause",
        solution="Lehrkräfte verteilen Aufgaben an Schülerinnen und Schüler.",
    )
    submitted(event, challenge, title="Bettenradar", pitch="Freie Betten in Kliniken finden.")

    # "Schulen" and "Schule" share the German stem; "Aufgabe" finds "Aufgaben" in the text.
    assert titles(client.get(GALLERY, {"q": "Schulen"})) == ["Digitale Schule"]
    assert titles(client.get(GALLERY, {"q": "Aufgabe"})) == ["Digitale Schule"]
    assert titles(client.get(GALLERY, {"q": "Klinik"})) == ["Bettenradar"]


# --- htmx, pagination, query count --------------------------------------------------------------


def test_gallery_htmx_request_gets_only_the_results(client, event, challenge):
    submitted(event, challenge, title="Bettenradar")

    page = client.get(GALLERY)
    partial = client.get(GALLERY, {"category": ""}, HTTP_HX_REQUEST="true")

    assert 'hx-push-url="true"' in page.content.decode()
    assert 'hx-target="#project-results"' in page.content.decode()
    assert "<html" not in partial.content.decode()
    assert "Bettenradar" in partial.content.decode()
    assert "HX-Request" in partial["Vary"]


def test_gallery_history_restore_gets_the_whole_page(client, event):
    response = client.get(GALLERY, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")

    assert "<html" in response.content.decode()


def test_gallery_paginates_by_twenty(client, event, challenge):
    bulk_submitted_projects(event=event, challenge=challenge, count=45)

    first = client.get(GALLERY)
    third = client.get(GALLERY, {"page": 3})

    assert len(titles(first)) == 20
    assert len(titles(third)) == 5
    assert "page=2" in first.content.decode()


def _gallery_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(GALLERY, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"challenge": "CHALLENGE", "topic": "gesundheit", "has_video": "on", "sort": "title"},
        {"q": "Massenprojekt"},
    ],
    ids=["plain", "filtered", "search"],
)
def test_gallery_query_count_is_constant_from_5_to_500_projects(client, event, challenge, params):
    params = {k: (challenge.number if v == "CHALLENGE" else v) for k, v in params.items()}
    bulk_submitted_projects(event=event, challenge=challenge, count=5)
    few = _gallery_queries(client, params)
    assert len(client.get(GALLERY, params).context["page"].object_list) == 5

    bulk_submitted_projects(event=event, challenge=challenge, count=495, start=5)
    many = _gallery_queries(client, params)

    assert few == many
    assert client.get(GALLERY, params).context["page"].paginator.count == 500


def test_gallery_query_count_is_constant_for_a_signed_in_person(client, event, challenge):
    client.force_login(OrganiserFactory())
    bulk_submitted_projects(event=event, challenge=challenge, count=5)
    few = _gallery_queries(client, {})
    bulk_submitted_projects(event=event, challenge=challenge, count=495, start=5)

    assert _gallery_queries(client, {}) == few
