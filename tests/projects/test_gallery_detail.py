"""The public project page (/projects/<pk>/): who sees it, what it shows, OpenGraph tags
with absolute URLs, and nothing loaded from a third party."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from events.enums import PhaseKind
from projects.enums import Licence, ProjectCategory, ProjectStatus
from tests.conftest import english_client, english_fixture
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    OrganiserFactory,
    PhaseFactory,
    ProjectFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    add_member,
)
from tests.projects.gallery_helpers import add_image

_english = pytest.fixture(autouse=True)(english_fixture)
client = pytest.fixture(english_client)

SITE_URL = "https://hackathon.example.org"
LINKS = {
    "repository_url": "https://github.com/bettenradar/app",
    "video_url": "https://www.youtube.com/watch?v=abc123",
    "demo_url": "https://demo.bettenradar.example/",
    "slides_url": "https://slides.example.net/bettenradar",
}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def event(db):
    return EventFactory(slug="wirvsvirus", name="#WirVsVirus", is_public=True)


@pytest.fixture
def challenge(event):
    topic = TopicFactory(event=event, name="Gesundheit", slug="gesundheit")
    return ChallengeFactory(event=event, title="Freie Intensivbetten finden", topic=topic)


@pytest.fixture
def team(event, challenge):
    return TeamFactory(event=event, challenge=challenge, name="Team Bettenradar")


@pytest.fixture
def member(team):
    user = UserFactory(display_name="Mia Mitglied", email="mia@example.org")
    add_member(team, user, role="admin")
    return user


@pytest.fixture
def project(event, team, challenge, member):
    project = ProjectFactory(
        event=event,
        team=team,
        status=ProjectStatus.SUBMITTED,
        title="Bettenradar",
        pitch="Freie Intensivbetten auf einen Blick.",
        problem="Leitstellen telefonieren Kliniken ab.",
        solution="Eine Karte mit freien Betten.",
        category=ProjectCategory.NEW_BUILD,
        licence=Licence.MIT,
        challenges=[challenge],
        **LINKS,
    )
    project.credited_members.add(member)
    return project


def page(client, project):
    return client.get(project.get_absolute_url())


# --- who sees it ------------------------------------------------------------------------------


def test_project_page_is_public_when_submitted(client, project, challenge, member):
    response = page(client, project)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Bettenradar</h1>" in content
    assert "Freie Intensivbetten auf einen Blick." in content
    assert f'href="{project.team.get_absolute_url()}"' in content
    assert "Team Bettenradar" in content
    assert "Mia Mitglied" in content  # public name, credited and as a member
    assert "mia@example.org" not in content
    assert f'href="{challenge.get_absolute_url()}"' in content
    assert "Gesundheit" in content
    assert "MIT" in content
    assert "New build" in content
    assert 'data-testid="status-notice"' not in content


@pytest.mark.parametrize("status", [ProjectStatus.DRAFT, ProjectStatus.WITHDRAWN])
def test_project_page_hides_draft_and_withdrawn_from_the_public(client, project, status):
    project.status = status
    project.save(update_fields=["status"])
    client_stranger = client

    assert page(client_stranger, project).status_code == 404
    client_stranger.force_login(UserFactory())
    assert page(client_stranger, project).status_code == 404


@pytest.mark.parametrize("status", [ProjectStatus.DRAFT, ProjectStatus.WITHDRAWN])
def test_project_page_shows_draft_to_members_with_a_notice(client, project, member, status):
    project.status = status
    project.save(update_fields=["status"])
    client.force_login(member)

    response = page(client, project)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="status-notice"' in content
    assert 'name="robots" content="noindex"' in content
    assert 'rel="canonical"' not in content


def test_project_page_shows_draft_to_organisers(client, project):
    project.status = ProjectStatus.DRAFT
    project.save(update_fields=["status"])
    client.force_login(OrganiserFactory())

    response = page(client, project)

    assert response.status_code == 200
    assert 'data-testid="status-notice"' in response.content.decode()


def test_project_page_of_unpublished_event_is_404_for_the_public(client, project):
    project.event.is_public = False
    project.event.save(update_fields=["is_public"])

    assert page(client, project).status_code == 404
    client.force_login(OrganiserFactory())
    assert page(client, project).status_code == 200


def test_project_page_of_unknown_project_is_404(client, db):
    assert client.get("/projects/999999/").status_code == 404


def test_project_page_edit_link_only_for_members_before_the_deadline(client, project, member):
    edit = f'href="/projects/team/{project.team_id}/"'
    versions = f'href="/projects/{project.pk}/versions/"'
    content = page(client, project).content.decode()
    assert edit not in content and versions not in content
    client.force_login(UserFactory())
    assert edit not in page(client, project).content.decode()

    client.force_login(member)
    content = page(client, project).content.decode()
    assert edit in content and versions in content

    PhaseFactory(
        event=project.event,
        kind=PhaseKind.SUBMISSION,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(seconds=1),
    )
    content = page(client, project).content.decode()
    assert edit not in content and versions in content


# --- images, video, third parties ------------------------------------------------------------


def test_project_page_shows_thumbnails_linking_to_full_size_with_alt_text(client, project):
    image = add_image(project, alt_text="Die Karte auf dem Handy")
    detached = add_image(project, alt_text="Altes Bild", position=1)
    detached.detached_at = project.created_at
    detached.save(update_fields=["detached_at"])

    content = page(client, project).content.decode()

    assert f'<a href="{image.image.url}">' in content
    assert f'src="{image.thumbnail.url}" alt="Die Karte auf dem Handy"' in content
    assert "Altes Bild" not in content


def test_project_page_shows_video_as_plain_link_with_local_placeholder(client, project):
    content = page(client, project).content.decode()

    assert f'<a href="{LINKS["video_url"]}"' in content
    assert 'src="/static/img/video-placeholder.svg"' in content
    assert "youtube.com" in content  # the visitor is told where the link goes
    assert "<iframe" not in content
    assert "img.youtube.com" not in content and "ytimg" not in content


def test_video_link_uses_the_projects_own_first_image_as_thumbnail(client, project):
    image = add_image(project, alt_text="Screenshot")

    content = page(client, project).content.decode()

    video_link = content[content.index('data-testid="video-link"') :]
    video_link = video_link[: video_link.index("</a>")]
    assert f'src="{image.thumbnail.url}"' in video_link
    assert "video-placeholder.svg" not in video_link


class _Resources(HTMLParser):
    """Every URL the page refers to: (tag, attribute, value)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "data", "poster") and value:
                self.found.append((tag, name, value))


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return (not parts.scheme and not parts.netloc) or url.startswith(SITE_URL + "/")


def test_project_page_loads_nothing_from_a_third_party(client, project):
    add_image(project)
    parser = _Resources()

    parser.feed(page(client, project).content.decode())

    external = [(tag, name, value) for tag, name, value in parser.found if not _is_local(value)]
    # Only plain links the visitor chooses to follow: the project's own links.
    assert sorted(external) == sorted(("a", "href", url) for url in LINKS.values())
    assert not [item for item in parser.found if item[0] in ("iframe", "embed", "object")]


# --- OpenGraph -------------------------------------------------------------------------------


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs["content"]


def _meta(response) -> dict[str, str]:
    parser = _Meta()
    parser.feed(response.content.decode())
    return parser.meta


def test_project_page_has_opengraph_tags_with_absolute_urls(client, project):
    image = add_image(project, alt_text="Die Karte auf dem Handy")

    meta = _meta(page(client, project))

    assert meta["og:title"] == "Bettenradar"
    assert meta["og:description"] == "Freie Intensivbetten auf einen Blick."
    assert meta["og:type"] == "website"
    assert meta["og:url"] == f"{SITE_URL}/projects/{project.pk}/"
    assert meta["og:image"] == f"{SITE_URL}{image.image.url}"
    assert meta["og:image:alt"] == "Die Karte auf dem Handy"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:title"] == "Bettenradar"
    assert meta["twitter:image"] == meta["og:image"]


def test_project_page_without_images_shares_the_site_default_image(client, project):
    meta = _meta(page(client, project))

    assert meta["og:image"] == f"{SITE_URL}/static/img/og-default.png"
    assert "og:image:alt" not in meta


def test_project_page_escapes_text_in_meta_tags(client, project):
    project.title = 'Quote " <script>'
    project.save(update_fields=["title"])

    response = page(client, project)

    assert _meta(response)["og:title"] == 'Quote " <script>'
    assert "<script>" not in response.content.decode().split("<body", 1)[0].replace(
        '<script src="', ""
    )


def test_project_page_query_count_does_not_grow_with_members_or_images(client, project, team):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert page(client, project).status_code == 200
        return len(captured)

    few = queries()
    for i in range(8):
        user = User.objects.create(email=f"m{i}@example.org", display_name=f"M {i}")
        add_member(team, user)
        project.credited_members.add(user)
    for position in range(4):
        add_image(project, position=position)

    assert queries() == few


def test_challenge_and_team_pages_link_the_submitted_project(client, project):
    challenge = project.challenges.first()
    assert challenge is not None

    challenge_page = client.get(challenge.get_absolute_url()).content.decode()
    team_page = client.get(project.team.get_absolute_url()).content.decode()

    assert project.get_absolute_url() in challenge_page
    assert project.get_absolute_url() in team_page
