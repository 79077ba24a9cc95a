"""Projects in the Django admin, for organisers: lists, frozen versions, extensions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from notifications.models import Notification
from projects import services
from projects.models import SubmissionExtension
from tests.factories import UserFactory
from tests.projects.conftest import BEFORE, DEADLINE, make_project

pytestmark = pytest.mark.usefixtures("deadline")


@pytest.fixture
def admin_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def submitted(team, founder, challenge):
    project = make_project(team, founder, challenge)
    services.project_submit(project=project, actor=founder, now=BEFORE)
    project.refresh_from_db()
    return project


def test_organisers_group_has_project_permissions(organiser):
    organiser = type(organiser).objects.get(pk=organiser.pk)
    assert organiser.has_perm("projects.change_project")
    assert organiser.has_perm("projects.add_submissionextension")
    assert organiser.has_perm("projects.view_projectversion")
    assert not organiser.has_perm("projects.change_projectversion")
    assert not organiser.has_perm("projects.delete_project")


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("project", "?status=submitted&category=new_build&q=Betten"),
        ("project", ""),
        ("projectversion", "?q=Betten"),
        ("submissionextension", ""),
        ("deadlinereminder", ""),
    ],
)
def test_changelists_open(admin_client, submitted, model, query):
    response = admin_client.get(reverse(f"admin:projects_{model}_changelist") + query)

    assert response.status_code == 200


def test_project_changelist_lists_the_project(admin_client, submitted):
    response = admin_client.get(reverse("admin:projects_project_changelist") + "?status=submitted")

    assert "Bettenradar" in response.content.decode()


def test_project_admin_change_is_audited(admin_client, submitted, challenge, founder):
    url = reverse("admin:projects_project_change", args=[submitted.pk])
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(
        url,
        {
            "title": "Bettenradar (korrigiert)",
            "pitch": submitted.pitch,
            "problem": submitted.problem,
            "solution": submitted.solution,
            "target_group": submitted.target_group,
            "how_it_works": submitted.how_it_works,
            "next_steps": submitted.next_steps,
            "category": submitted.category,
            "challenges": [challenge.pk],
            "tags": list(submitted.tags.values_list("pk", flat=True)),
            "credited_members": str(founder.pk),
            "licence": submitted.licence,
            "repository_url": submitted.repository_url,
            "video_url": "",
            "demo_url": "",
            "slides_url": "",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    submitted.refresh_from_db()
    assert submitted.title == "Bettenradar (korrigiert)"
    entry = AuditEntry.objects.get(action="project.update")
    assert "title" in entry.data["fields"]
    # The jury still sees what was submitted.
    assert submitted.versions.get().snapshot["title"] == "Bettenradar"


def test_version_admin_is_read_only(admin_client, submitted):
    version = submitted.versions.get()
    url = reverse("admin:projects_projectversion_change", args=[version.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert admin_client.post(url, {"number": "7"}).status_code == 403
    assert (
        admin_client.get(
            reverse("admin:projects_projectversion_delete", args=[version.pk])
        ).status_code
        == 403
    )


def _extension_post(admin_client, team, ends_local: str, reason: str = "Serverausfall"):
    date, time = ends_local.split(" ")
    return admin_client.post(
        reverse("admin:projects_submissionextension_add"),
        {"team": team.pk, "ends_at_0": date, "ends_at_1": time, "reason": reason},
    )


def test_extension_admin_grants_through_the_service(admin_client, team, organiser, founder):
    response = _extension_post(admin_client, team, "2020-03-23 01:00:00")

    assert response.status_code == 302
    extension = SubmissionExtension.objects.get()
    assert extension.team == team
    assert extension.ends_at == DEADLINE + timedelta(minutes=65)
    assert extension.granted_by == organiser
    assert AuditEntry.objects.filter(action="project.extension_grant").exists()
    assert Notification.objects.filter(kind="project.extension_granted", recipient=founder).exists()


def test_extension_admin_refuses_an_end_before_the_deadline(admin_client, team):
    response = _extension_post(admin_client, team, "2020-03-22 23:00:00")

    assert response.status_code == 200
    assert "must end after the deadline" in response.content.decode()
    assert not SubmissionExtension.objects.exists()


def test_project_admin_is_closed_to_staff_without_permissions(client, submitted):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:projects_project_changelist"))

    assert response.status_code == 403


def test_extension_admin_reads_the_time_in_the_event_time_zone(admin_client, team):
    """An event in New York: "01:00" is 01:00 there (05:00 UTC in March), not in Berlin."""
    import zoneinfo
    from datetime import datetime

    event = team.event
    event.time_zone = "America/New_York"
    event.save(update_fields=["time_zone"])
    new_york = zoneinfo.ZoneInfo("America/New_York")
    deadline = datetime(2020, 3, 22, 23, 55, tzinfo=new_york)
    event.phases.filter(kind="submission").update(ends_at=deadline)

    response = _extension_post(admin_client, team, "2020-03-23 01:00:00")

    assert response.status_code == 302, response.content.decode()[:3000]
    extension = SubmissionExtension.objects.get()
    assert extension.ends_at == datetime(2020, 3, 23, 1, 0, tzinfo=new_york)
    change = admin_client.get(
        reverse("admin:projects_submissionextension_change", args=[extension.pk])
    )
    assert 'value="01:00:00"' in change.content.decode()


# --- no side doors: every change through the services -------------------------------------


def test_extension_admin_refuses_staff_outside_the_organisers(client, team):
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="submissionextension"))
    client.force_login(staff)

    response = _extension_post(client, team, "2020-03-23 01:00:00")

    assert response.status_code == 200
    assert "Only organisers can extend a deadline." in response.content.decode()
    assert not SubmissionExtension.objects.exists()


def test_extension_admin_delete_goes_through_the_service(admin_client, team, organiser):
    _extension_post(admin_client, team, "2020-03-23 01:00:00")
    extension = SubmissionExtension.objects.get()

    response = admin_client.post(
        reverse("admin:projects_submissionextension_delete", args=[extension.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not SubmissionExtension.objects.exists()
    entry = AuditEntry.objects.get(action="project.extension_revoke")
    assert entry.actor == organiser and entry.target_id == team.pk


def test_project_admin_describes_an_image_through_the_service(
    admin_client, submitted, challenge, founder, organiser
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.projects.conftest import image_bytes

    image = services.image_add(
        project=submitted,
        actor=founder,
        upload=SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg"),
        alt_text="Ein Bild",
        now=BEFORE,
    )
    url = reverse("admin:projects_project_change", args=[submitted.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: form.initial.get(name) or ""
        for name in form.fields
        if name not in services.RELATION_FIELDS
    }
    data.update(
        {
            "challenges": [challenge.pk],
            "credited_members": str(founder.pk),
            "images-TOTAL_FORMS": "1",
            "images-INITIAL_FORMS": "1",
            "images-0-id": str(image.pk),
            "images-0-project": str(submitted.pk),
            "images-0-alt_text": "Die Karte mit freien Betten",
            "images-0-position": "9",  # read-only: the editor orders the images
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    image.refresh_from_db()
    assert image.alt_text == "Die Karte mit freien Betten"
    assert image.position == 0
    entry = AuditEntry.objects.get(action="project.image_describe")
    assert entry.actor == organiser and entry.data["image"] == image.pk


def test_deadline_reminders_and_projects_are_not_deleted_in_the_admin(client, team, submitted):
    from projects.enums import ReminderKind
    from projects.models import DeadlineReminder, Project

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    reminder = DeadlineReminder.objects.create(team=team, kind=ReminderKind.values[0])
    project = Project.objects.get(team=team)
    reminder_delete = reverse("admin:projects_deadlinereminder_delete", args=[reminder.pk])
    project_delete = reverse("admin:projects_project_delete", args=[project.pk])

    assert client.post(reminder_delete, {"post": "yes"}).status_code == 403
    assert client.post(project_delete, {"post": "yes"}).status_code == 403
    assert DeadlineReminder.objects.filter(pk=reminder.pk).exists()
    assert Project.objects.filter(pk=project.pk).exists()
