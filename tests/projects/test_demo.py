"""The demo projects: most demo teams submitted (with frozen versions), one draft, one
team with an extension; seeded idempotently."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from projects.enums import ProjectStatus
from projects.models import Project, ProjectImage, ProjectVersion, SubmissionExtension
from projects.selectors import deadline_for_team, project_missing_fields, project_version_for_jurors
from teams.enums import TeamStatus
from teams.models import Team

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        # Times follow the clock of each run, so they are left out.
        sorted(Project.objects.values_list("team__name", "status", "title")),
        sorted(ProjectVersion.objects.values_list("project__team__name", "number")),
        sorted(SubmissionExtension.objects.values_list("team__name", "reason")),
        sorted(ProjectImage.objects.values_list("project__team__name", "token", "detached_at")),
    )


def test_seed_demo_projects_in_every_state_idempotently():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "1 extension" in out.getvalue()
    first = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == first

    teams = Team.objects.filter(event__slug="wirvsvirus-demo", status=TeamStatus.OPEN)
    projects = Project.objects.filter(event__slug="wirvsvirus-demo")
    submitted = projects.filter(status=ProjectStatus.SUBMITTED)
    assert submitted.count() > teams.count() / 2  # most teams
    assert projects.filter(status=ProjectStatus.DRAFT).count() == 1
    for project in submitted:
        # Complete, and frozen: jurors see a version submitted before the deadline.
        assert project_missing_fields(project=project) == []
        version = project_version_for_jurors(project=project)
        assert version is not None and version.snapshot["title"] == project.title
        assert project.submitted_at < deadline_for_team(team=project.team)
        assert set(project.credited_members.all()) <= {
            m.user for m in project.team.memberships.all()
        }
        assert all(c.event_id == project.event_id for c in project.challenges.all())

    extension = SubmissionExtension.objects.get()
    assert deadline_for_team(team=extension.team) == extension.ends_at
    assert extension.granted_by.email == "orga@example.org"

    image = ProjectImage.objects.get()
    assert image.project.status == ProjectStatus.SUBMITTED and image.alt_text
    assert image.image.storage.exists(image.image.name)
    assert image.width > 0 and image.thumbnail.name
    # The closed team without members has no project.
    assert not projects.filter(team__status=TeamStatus.CLOSED).exists()
