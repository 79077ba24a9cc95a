"""The version history: for the team and organisers, each frozen version viewable."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import services
from tests.projects.conftest import image_bytes, make_project, upload

pytestmark = pytest.mark.usefixtures("open_deadline")


@pytest.fixture
def project(team, founder, challenge):
    project = make_project(team, founder, challenge, now=timezone.now())
    services.image_add(
        project=project, actor=founder, upload=upload(image_bytes()), alt_text="Erste Karte"
    )
    services.project_submit(project=project, actor=founder)
    services.project_update(project=project, actor=founder, data={"title": "Bettenradar 2"})
    services.project_submit(project=project, actor=founder)
    return project


def versions_url(project) -> str:
    return reverse("projects:versions", kwargs={"pk": project.pk})


def version_url(project, number: int) -> str:
    return reverse("projects:version", kwargs={"pk": project.pk, "number": number})


def test_versions_page_lists_every_version_for_members(client, project, member):
    client.force_login(member)

    response = client.get(versions_url(project))

    assert response.status_code == 200
    content = response.content.decode()
    assert version_url(project, 1) in content
    assert version_url(project, 2) in content
    assert "Fenja Founder" in content
    assert content.count("What the jury sees") == 1


def test_versions_pages_are_open_to_organisers(client, project, organiser):
    client.force_login(organiser)

    assert client.get(versions_url(project)).status_code == 200
    assert client.get(version_url(project, 1)).status_code == 200


def test_versions_pages_are_hidden_from_strangers(client, project, stranger):
    client.force_login(stranger)

    assert client.get(versions_url(project)).status_code == 404
    assert client.get(version_url(project, 1)).status_code == 404


def test_versions_pages_send_anonymous_people_to_log_in(client, project):
    assert client.get(versions_url(project)).status_code == 302


def test_version_page_shows_the_frozen_content(client, project, founder, challenge):
    image = project.images.get()
    services.image_remove(image=image, actor=founder)  # detached, still in the versions
    client.force_login(founder)

    content = client.get(version_url(project, 1)).content.decode()

    assert "<h1>Bettenradar</h1>" in content
    assert f"#{challenge.number} Freie Intensivbetten finden" in content
    assert image.thumbnail.url in content
    assert 'alt="Erste Karte"' in content
    assert "New build" in content
    assert "This is the version the jury sees" not in content
    assert (
        "This is the version the jury sees" in client.get(version_url(project, 2)).content.decode()
    )


def test_version_page_of_an_unknown_number_is_404(client, project, founder):
    client.force_login(founder)

    assert client.get(version_url(project, 3)).status_code == 404


def test_versions_page_without_submission(client, team, founder, challenge):
    project = make_project(team, founder, challenge, now=timezone.now())
    client.force_login(founder)

    response = client.get(versions_url(project))

    assert "has not been submitted yet" in response.content.decode()


def test_versions_page_query_count_does_not_grow_with_versions(client, project, founder):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(founder)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(versions_url(project)).status_code == 200
        return len(captured)

    with_two = queries()
    for _ in range(5):
        services.project_submit(project=project, actor=founder)
    assert queries() == with_two
