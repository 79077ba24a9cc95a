"""Pages for anonymous visitors come from the cache until what they show changes
(hackathon.pagecache); signed-in people, messages and the CSRF token are never shared."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User
from challenges.enums import ChallengeStatus
from challenges.models import Challenge
from events.enums import PhaseKind
from hackathon import pagecache
from projects.enums import ProjectStatus
from projects.models import Project
from teams.models import Team
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    PhaseFactory,
    ProjectFactory,
    UserFactory,
    add_member,
)
from tests.hackathon.pagecache_data import submitted_project

GALLERY = reverse("projects:gallery")
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


pytestmark = pytest.mark.usefixtures("page_cache")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what a block enqueues on commit, as the real commit would: the test's
    transaction never commits, and the versions are bumped on commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def event(db):
    return EventFactory(slug="wirvsvirus", name="#WirVsVirus")


@pytest.fixture
def project(event):
    return submitted_project(event, "Bettenradar")


def _gallery(client, event):
    return client.get(GALLERY, {"event": event.slug})


# --- served from the cache ----------------------------------------------------------------------


def test_anonymous_page_is_served_from_the_cache_without_queries(
    client, event, project, django_assert_num_queries
):
    first = _gallery(client, event)

    with django_assert_num_queries(0):
        second = _gallery(Client(), event)

    assert second.status_code == 200
    assert "Bettenradar" in second.content.decode()
    # The same page but for its CSRF token, which is the visitor's own.
    token = _CSRF_INPUT.search(first.content.decode()).group(1)
    other = _CSRF_INPUT.search(second.content.decode()).group(1)
    assert token != other
    assert second.content.decode().replace(other, token) == first.content.decode()


def test_cached_page_carries_the_visitors_own_working_csrf_token(client, event, project):
    _gallery(client, event)
    visitor = Client(enforce_csrf_checks=True)

    page = _gallery(visitor, event).content.decode()
    token = _CSRF_INPUT.search(page).group(1)
    assert "csrftoken" in visitor.cookies  # the hit set the visitor's cookie

    response = visitor.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_pages_are_kept_per_language(event, project):
    german = Client(HTTP_ACCEPT_LANGUAGE="de")
    english = Client(HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="de">' in _gallery(german, event).content.decode()
    assert '<html lang="en">' in _gallery(english, event).content.decode()
    assert '<html lang="de">' in _gallery(german, event).content.decode()


def test_htmx_partial_and_full_page_are_kept_apart(client, event, project):
    partial = client.get(GALLERY, {"event": event.slug}, HTTP_HX_REQUEST="true")
    full = _gallery(client, event)

    assert "<html" not in partial.content.decode()
    assert "<html" in full.content.decode()


# --- a change shows at once ---------------------------------------------------------------------


def test_saving_the_object_shows_on_the_next_request(client, event, project, committed):
    _gallery(client, event)

    with committed():
        project.title = "Bettenradar 2"
        project.save(update_fields=["title"])

    assert "Bettenradar 2" in _gallery(client, event).content.decode()


def test_queryset_updates_and_related_rows_show_too(client, event, project, committed):
    team_page = reverse("teams:detail", args=[project.team.pk])
    client.get(team_page)
    _gallery(client, event)

    with committed():
        Team.objects.filter(pk=project.team.pk).update(name="Umbenanntes Team")
    assert "Umbenanntes Team" in client.get(team_page).content.decode()
    assert "Umbenanntes Team" in _gallery(client, event).content.decode()

    with committed():
        add_member(project.team, UserFactory(display_name="Neue Person"))
    assert "Neue Person" in client.get(team_page).content.decode()

    with committed():
        User.objects.filter(display_name="Neue Person").update(display_name="Umbenannt")
    assert "Umbenannt" in client.get(team_page).content.decode()


def test_a_new_object_and_a_deleted_one_show(client, event, project, committed):
    assert "Zweites Projekt" not in _gallery(client, event).content.decode()

    with committed():
        second = ProjectFactory(event=event, title="Zweites Projekt", status="submitted")
    assert "Zweites Projekt" in _gallery(client, event).content.decode()

    with committed():
        second.delete()
    assert "Zweites Projekt" not in _gallery(client, event).content.decode()


def test_topic_counts_follow_new_challenges(client, event, committed):
    challenge = ChallengeFactory(event=event, topic=None)
    topic = challenge.event.topics.create(name="Gesundheit", slug="gesundheit")
    catalogue = reverse("challenges:list")
    Challenge.objects.filter(pk=challenge.pk).update(topic=topic)
    client.get(catalogue, {"event": event.slug})

    with committed():
        ChallengeFactory(event=event, topic=topic, status=ChallengeStatus.PUBLISHED)

    page = client.get(catalogue, {"event": event.slug}).content.decode()
    assert re.search(r"Gesundheit</a>\s*<span[^>]*>\(2\)", page)


def test_an_uncommitted_change_is_not_cached_under_the_new_version(client, event, project):
    """Versions change on commit: a request that read the old rows meanwhile stored them
    under the old version, which the commit makes outdated."""
    _gallery(client, event)
    project.title = "Noch nicht gespeichert"
    project.save(update_fields=["title"])  # in the test's transaction: not committed

    # Nothing was bumped yet, so the cached page is still served ...
    assert "Noch nicht gespeichert" not in _gallery(client, event).content.decode()
    # ... until the commit.
    pagecache.bump("projects")
    assert "Noch nicht gespeichert" in _gallery(client, event).content.decode()


def test_logins_do_not_invalidate_pages_but_names_do():
    assert pagecache.scopes_written('UPDATE "accounts_user" SET "last_login" = %s WHERE 1') == set()
    assert pagecache.scopes_written('INSERT INTO "accounts_user" ("email") VALUES (%s)') == set()
    assert pagecache.scopes_written(
        'UPDATE "accounts_user" SET "display_name" = %s WHERE "id" = %s'
    ) == {"people"}
    assert pagecache.scopes_written('DELETE FROM "accounts_user" WHERE "id" = %s') == {"people"}
    assert pagecache.scopes_written('SELECT * FROM "projects_project"') == set()
    assert pagecache.scopes_written('INSERT INTO "projects_project_tags" VALUES (1, 2)') == {
        "projects"
    }
    assert pagecache.scopes_written('INSERT INTO "notifications_notification" VALUES (1)') == set()


# --- never shared -------------------------------------------------------------------------------


def test_signed_in_pages_are_never_cached_nor_served_from_the_cache(event, project):
    person = UserFactory(display_name="Sina Signed-in")
    signed_in = Client()
    signed_in.force_login(person)
    anonymous = Client()
    _gallery(anonymous, event)

    page = _gallery(signed_in, event).content.decode()
    assert reverse("account_logout") in page  # not the anonymous copy

    page = _gallery(anonymous, event).content.decode()
    assert reverse("account_logout") not in page


def test_a_page_with_a_message_is_neither_served_from_nor_stored_in_the_cache(
    client, event, project
):
    person = UserFactory()
    client.force_login(person)
    client.post(reverse("account_logout"))  # "You have signed out." waits for the next page
    _gallery(Client(), event)

    with_message = _gallery(client, event).content.decode()
    assert 'class="messages"' in with_message

    assert 'class="messages"' not in _gallery(Client(), event).content.decode()


def test_errors_are_not_cached(client, event, project, committed):
    detail = reverse("projects:detail", args=[project.pk])
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.DRAFT)
    assert client.get(detail).status_code == 404

    with committed():
        Project.objects.filter(pk=project.pk).update(status=ProjectStatus.SUBMITTED)
    assert client.get(detail).status_code == 200


def test_a_page_on_the_clock_expires_with_the_next_phase(client, event):
    now = timezone.now()
    PhaseFactory(
        event=event,
        kind=PhaseKind.HACKING,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(seconds=30),
    )
    request = client.get(reverse("events:detail", args=[event.slug])).wsgi_request

    assert 0 < pagecache._timeout(request) <= 30


# --- the API ------------------------------------------------------------------------------------


def test_anonymous_api_list_is_cached_and_follows_changes(
    event, project, committed, django_assert_num_queries
):
    from rest_framework.test import APIClient

    url = reverse("project-list")
    first = APIClient().get(url, {"event": event.slug})

    with django_assert_num_queries(0):
        second = APIClient().get(url, {"event": event.slug})
    assert second.json() == first.json()
    assert second["Content-Type"] == "application/json"

    with committed():
        Project.objects.filter(pk=project.pk).update(title="Neuer Titel")
    assert APIClient().get(url, {"event": event.slug}).json()["results"][0]["title"] == (
        "Neuer Titel"
    )


def test_api_list_with_a_token_is_not_cached(event, project):
    from rest_framework.test import APIClient

    url = reverse("project-list")
    APIClient().get(url, {"event": event.slug})
    token = Token.objects.create(user=UserFactory())
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, {"event": event.slug})

    assert response.status_code == 200
    assert len(queries) > 0  # rendered for this caller, not the anonymous copy


# --- Redis down ---------------------------------------------------------------------------------


def test_with_redis_down_pages_are_rendered_every_time(
    settings, closed_port, event, project, committed
):
    settings.CACHES = {
        "default": {
            "BACKEND": "hackathon.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    client = Client()
    assert _gallery(client, event).status_code == 200

    with CaptureQueriesContext(connection) as queries:
        response = _gallery(client, event)
    assert response.status_code == 200
    assert len(queries) > 0  # nothing kept in this process's fallback

    with committed():
        Project.objects.filter(pk=project.pk).update(title="Geändert während des Ausfalls")
    assert "Geändert während des Ausfalls" in _gallery(client, event).content.decode()


# --- cards --------------------------------------------------------------------------------------


def test_cards_come_from_the_cache_for_signed_in_people_too_and_follow_changes(
    event, project, committed
):
    person = UserFactory()
    signed_in = Client()
    signed_in.force_login(person)
    finder = reverse("teams:finder")
    assert "Bettenradar-Team" in signed_in.get(finder, {"event": event.slug}).content.decode()

    with CaptureQueriesContext(connection) as queries:
        page = signed_in.get(finder, {"event": event.slug}).content.decode()
    assert "Bettenradar-Team" in page
    assert not any("teams_openrole" in query["sql"] for query in queries)  # the card's data

    with committed():
        Team.objects.filter(pk=project.team.pk).update(pitch="Ein ganz neuer Pitch für alle hier.")
    page = signed_in.get(finder, {"event": event.slug}).content.decode()
    assert "Ein ganz neuer Pitch" in page


def test_a_catalogue_card_says_supported_only_to_the_supporter(event, project):
    from challenges.models import ChallengeSupport

    challenge = project.challenges.get()
    supporter = UserFactory()
    ChallengeSupport.objects.create(challenge=challenge, user=supporter)
    catalogue = reverse("challenges:list")
    signed_in, other = Client(), Client()
    signed_in.force_login(supporter)
    other.force_login(UserFactory())
    for client in (signed_in, other):
        client.cookies["language"] = "en"

    for _ in range(2):
        assert "you support this" in signed_in.get(catalogue).content.decode()
        assert "you support this" not in other.get(catalogue).content.decode()


def test_the_write_watcher_outlives_execute_wrapper_blocks(db):
    """A connection opened inside `connection.execute_wrapper()` gets the watcher then;
    the block removes the last wrapper when it ends, which must be its own."""

    def other(execute, sql, params, many, context):
        return execute(sql, params, many, context)

    wrappers = connection.execute_wrappers
    with connection.execute_wrapper(other):
        wrappers.remove(pagecache._watch_writes)
        pagecache._watch_connection(sender=None, connection=connection)  # as on connecting

    assert pagecache._watch_writes in wrappers
    assert other not in wrappers
