"""The project editor pages: who gets in, saving, the deadline, submitting, images."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.enums import ProjectStatus
from projects.images import MAX_UPLOAD_BYTES
from projects.models import MAX_IMAGES, Project, ProjectImage, ProjectVersion
from tests.projects.conftest import complete_data, image_bytes, make_project, upload


def edit_url(team) -> str:
    return reverse("projects:edit", kwargs={"team_pk": team.pk})


def form_data(challenge, **overrides) -> dict:
    data = complete_data(challenge)
    data["challenges"] = f"#{challenge.number}"
    data["tags"] = ", ".join(data["tags"])
    data.update(overrides)
    return data


def now_project(team, actor, challenge, **overrides):
    return make_project(team, actor, challenge, now=timezone.now(), **overrides)


def add_image(project, actor, alt_text="Die Karte"):
    return services.image_add(
        project=project, actor=actor, upload=upload(image_bytes()), alt_text=alt_text
    )


# --- who gets in ---------------------------------------------------------------------------


def test_editor_for_a_member_without_project_shows_the_team_defaults(
    client, open_deadline, team, founder, challenge
):
    client.force_login(founder)

    response = client.get(edit_url(team))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Bettenradar-Team"' in content
    assert f'value="#{challenge.number}"' in content
    assert "Europe/Berlin" in content
    assert "data-countdown-target" in content
    assert "Create the project" in content


def test_editor_is_hidden_from_strangers(client, open_deadline, team, stranger, founder, challenge):
    project = now_project(team, founder, challenge)
    client.force_login(stranger)

    assert client.get(edit_url(team)).status_code == 404
    assert client.post(edit_url(team), form_data(challenge, title="Gekapert")).status_code == 404
    for name in ("projects:submit", "projects:withdraw", "projects:image_add", "projects:versions"):
        method = client.get if name == "projects:versions" else client.post
        assert method(reverse(name, kwargs={"pk": project.pk})).status_code == 404
    project.refresh_from_db()
    assert project.title == "Bettenradar"
    assert not ProjectVersion.objects.exists()


def test_editor_sends_anonymous_people_to_log_in(client, open_deadline, team):
    response = client.get(edit_url(team))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_editor_is_open_to_organisers(client, open_deadline, team, organiser):
    client.force_login(organiser)

    assert client.get(edit_url(team)).status_code == 200


def test_editor_for_an_unknown_team_is_404(client, founder, db):
    client.force_login(founder)

    assert client.get(reverse("projects:edit", kwargs={"team_pk": 999999})).status_code == 404


def test_team_page_links_members_to_the_editor(client, team, founder, stranger):
    client.force_login(founder)
    assert edit_url(team) in client.get(team.get_absolute_url()).content.decode()

    client.force_login(stranger)
    assert edit_url(team) not in client.get(team.get_absolute_url()).content.decode()


# --- saving ---------------------------------------------------------------------------------


def test_editor_post_creates_the_project(client, open_deadline, team, founder, member, challenge):
    client.force_login(member)

    response = client.post(
        edit_url(team), form_data(challenge, credited_members=[founder.pk, member.pk])
    )

    assert response.status_code == 302
    project = Project.objects.get(team=team)
    assert project.title == "Bettenradar"
    assert project.status == ProjectStatus.DRAFT
    assert list(project.challenges.all()) == [challenge]
    assert set(project.tags.values_list("name", flat=True)) == {"Gesundheit", "Open Data"}
    assert set(project.credited_members.all()) == {founder, member}


def test_editor_shows_the_stored_values(client, open_deadline, team, founder, challenge):
    now_project(team, founder, challenge, demo_url="https://demo.example.org/")
    client.force_login(founder)

    content = client.get(edit_url(team)).content.decode()

    assert 'value="https://github.com/example/bettenradar"' in content
    assert 'value="https://demo.example.org/"' in content
    assert f'value="#{challenge.number}"' in content
    assert 'value="Gesundheit, Open Data"' in content
    assert 'value="new_build" id="id_category_0" checked' in content


def test_editor_post_updates_the_project(client, open_deadline, team, founder, challenge):
    project = now_project(team, founder, challenge)
    client.force_login(founder)

    response = client.post(edit_url(team), form_data(challenge, pitch="Kürzer und besser."))

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.pitch == "Kürzer und besser."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("challenges", "#12", "No published challenge of this event has the number #12"),
        ("challenges", "bettenradar", "is not a challenge number"),
        ("pitch", "x" * 281, "at most 280 characters"),
        ("repository_url", "kein link", "Enter a valid URL"),
        ("title", "", "This field is required"),
    ],
)
def test_editor_post_with_invalid_values_shows_errors(
    client, open_deadline, team, founder, challenge, field, value, message
):
    client.force_login(founder)

    response = client.post(edit_url(team), form_data(challenge, **{field: value}))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_editor_post_after_the_deadline_is_refused_and_changes_nothing(
    client, passed_deadline, team, founder, challenge
):
    project = make_project(team, founder, challenge, now=passed_deadline - timedelta(hours=1))
    stored = Project.objects.get(pk=project.pk)
    client.force_login(founder)

    response = client.post(
        edit_url(team), form_data(challenge, title="Nach der Frist", pitch="Noch schnell.")
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "The submission deadline was" in content
    assert "nothing was saved" in content
    assert 'value="Nach der Frist"' in content  # the sent text is still there to copy
    project.refresh_from_db()
    assert (project.title, project.pitch, project.updated_at) == (
        stored.title,
        stored.pitch,
        stored.updated_at,
    )


def test_editor_after_the_deadline_is_read_only(client, passed_deadline, team, founder, challenge):
    make_project(team, founder, challenge, now=passed_deadline - timedelta(hours=1))
    client.force_login(founder)

    content = client.get(edit_url(team)).content.decode()

    assert "can no longer be changed" in content
    assert 'name="title"' in content and "disabled" in content
    assert ">Save<" not in content
    assert "Submit the project" not in content


def test_editor_post_by_an_organiser_after_the_deadline_is_saved(
    client, passed_deadline, team, founder, organiser, challenge
):
    project = make_project(team, founder, challenge, now=passed_deadline - timedelta(hours=1))
    client.force_login(organiser)

    response = client.post(edit_url(team), form_data(challenge, title="Korrigiert"))

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Korrigiert"


# --- submitting -----------------------------------------------------------------------------


def test_editor_lists_the_missing_fields(client, open_deadline, team, founder, challenge):
    now_project(team, founder, challenge, problem="", repository_url="")
    client.force_login(founder)

    content = client.get(edit_url(team)).content.decode()

    assert 'data-testid="missing-fields"' in content
    assert "Problem" in content
    assert "Code repository or demo" in content


def test_submit_view_with_missing_fields_says_which(
    client, open_deadline, team, founder, challenge
):
    project = now_project(team, founder, challenge, solution="", category="")
    client.force_login(founder)

    response = client.post(reverse("projects:submit", kwargs={"pk": project.pk}), follow=True)

    content = response.content.decode()
    assert "Before submitting, please fill in: solution, category." in content
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


def test_submit_view_submits_and_withdraw_view_withdraws(
    client, open_deadline, team, founder, challenge
):
    project = now_project(team, founder, challenge)
    client.force_login(founder)

    response = client.post(reverse("projects:submit", kwargs={"pk": project.pk}), follow=True)
    assert "submitted as version 1" in response.content.decode()
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED

    response = client.post(reverse("projects:withdraw", kwargs={"pk": project.pk}), follow=True)
    assert "withdrawn" in response.content.decode()
    project.refresh_from_db()
    assert project.status == ProjectStatus.WITHDRAWN


def test_submit_view_after_the_deadline_is_refused(
    client, passed_deadline, team, founder, challenge
):
    project = make_project(team, founder, challenge, now=passed_deadline - timedelta(hours=1))
    client.force_login(founder)

    response = client.post(reverse("projects:submit", kwargs={"pk": project.pk}), follow=True)

    assert "The submission deadline was" in response.content.decode()
    assert not ProjectVersion.objects.exists()


def test_submit_view_needs_post(client, open_deadline, team, founder, challenge):
    project = now_project(team, founder, challenge)
    client.force_login(founder)

    assert client.get(reverse("projects:submit", kwargs={"pk": project.pk})).status_code == 405


def test_editor_says_when_the_page_changed_since_the_submission(
    client, open_deadline, team, founder, challenge
):
    project = now_project(team, founder, challenge)
    services.project_submit(project=project, actor=founder)
    client.force_login(founder)
    assert "changed the project since" not in client.get(edit_url(team)).content.decode()

    services.project_update(project=project, actor=founder, data={"pitch": "Neu."})

    assert "changed the project since" in client.get(edit_url(team)).content.decode()


# --- images ---------------------------------------------------------------------------------


def test_image_upload_through_the_form(client, open_deadline, team, founder, challenge):
    project = now_project(team, founder, challenge)
    client.force_login(founder)

    response = client.post(
        reverse("projects:image_add", kwargs={"pk": project.pk}),
        {"image": upload(image_bytes()), "alt_text": "Die Karte auf dem Handy"},
    )

    assert response.status_code == 302
    image = ProjectImage.objects.get(project=project)
    content = client.get(edit_url(team)).content.decode()
    assert image.thumbnail.url in content
    assert 'alt="Die Karte auf dem Handy"' in content


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an image at all", "This file is not an image we can use"),
        (b"\0" * (MAX_UPLOAD_BYTES + 1), "The file is too large"),
    ],
)
def test_image_upload_of_a_bad_file_shows_a_message(
    client, open_deadline, team, founder, challenge, content, message
):
    project = now_project(team, founder, challenge)
    client.force_login(founder)

    response = client.post(
        reverse("projects:image_add", kwargs={"pk": project.pk}),
        {"image": upload(content), "alt_text": "Ein Bild"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProjectImage.objects.exists()


def test_image_upload_of_a_sixth_image_shows_a_message(
    client, open_deadline, team, founder, challenge
):
    project = now_project(team, founder, challenge)
    for _ in range(MAX_IMAGES):
        add_image(project, founder)
    client.force_login(founder)

    response = client.post(
        reverse("projects:image_add", kwargs={"pk": project.pk}),
        {"image": upload(image_bytes()), "alt_text": "Noch eins"},
    )

    assert response.status_code == 200
    assert "A project has at most 5 images" in response.content.decode()
    assert ProjectImage.objects.count() == MAX_IMAGES


def test_image_upload_without_description_shows_a_message(
    client, open_deadline, team, founder, challenge
):
    project = now_project(team, founder, challenge)
    client.force_login(founder)

    response = client.post(
        reverse("projects:image_add", kwargs={"pk": project.pk}), {"image": upload(image_bytes())}
    )

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ProjectImage.objects.exists()


def test_image_remove_and_move_views(client, open_deadline, team, founder, stranger, challenge):
    project = now_project(team, founder, challenge)
    first, second = add_image(project, founder, "Eins"), add_image(project, founder, "Zwei")

    client.force_login(stranger)
    move_url = reverse("projects:image_move", kwargs={"pk": project.pk, "image_id": second.pk})
    remove_url = reverse("projects:image_remove", kwargs={"pk": project.pk, "image_id": first.pk})
    assert client.post(move_url, {"direction": "up"}).status_code == 404
    assert client.post(remove_url).status_code == 404

    client.force_login(founder)
    assert client.post(move_url, {"direction": "up"}).status_code == 302
    assert list(
        ProjectImage.objects.filter(project=project)
        .order_by("position")
        .values_list("alt_text", flat=True)
    ) == ["Zwei", "Eins"]

    assert client.post(remove_url).status_code == 302
    assert list(ProjectImage.objects.values_list("alt_text", flat=True)) == ["Zwei"]
    assert client.post(remove_url).status_code == 404  # gone


def test_image_views_of_another_project_are_404(
    client, open_deadline, team, other_team, founder, challenge
):
    project = now_project(team, founder, challenge)
    other_founder = other_team.memberships.get().user
    other = make_project(other_team, other_founder, challenge, now=timezone.now())
    foreign = add_image(other, other_founder)
    client.force_login(founder)

    url = reverse("projects:image_remove", kwargs={"pk": project.pk, "image_id": foreign.pk})
    assert client.post(url).status_code == 404
    assert ProjectImage.objects.filter(pk=foreign.pk).exists()


def test_editor_post_with_nul_in_tags_shows_an_error(
    client, open_deadline, team, founder, challenge
):
    client.force_login(founder)

    response = client.post(edit_url(team), form_data(challenge, tags="gut, a\x00b"))

    assert response.status_code == 200
    assert "tags" in response.context["form"].errors
