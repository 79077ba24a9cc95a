"""During the implementation programme a team improves its public page again; what jurors
see stays the version submitted at the deadline."""

from datetime import timedelta

import pytest

from events.enums import PhaseKind
from projects import rules, services
from projects.selectors import project_version_for_jurors
from tests.factories import PhaseFactory
from tests.projects.conftest import BEFORE, DEADLINE, make_project, submission_phase

pytestmark = pytest.mark.django_db
AFTER = DEADLINE + timedelta(days=1)
IN_PROGRAMME = DEADLINE + timedelta(days=20)


@pytest.fixture
def submitted(event, team, founder, challenge):
    submission_phase(event, DEADLINE)
    PhaseFactory(
        event=event,
        kind=PhaseKind.PROGRAMME,
        starts_at=DEADLINE + timedelta(days=14),
        ends_at=DEADLINE + timedelta(days=200),
    )
    project = make_project(team, founder, challenge)
    services.project_submit(project=project, actor=founder, now=BEFORE)
    project.refresh_from_db()
    return project


def test_members_cannot_edit_between_deadline_and_programme(submitted, founder):
    with pytest.raises(services.ProjectError, match="deadline"):
        services.project_update(
            project=submitted, actor=founder, data={"title": "Zu spät"}, now=AFTER
        )


def test_members_edit_the_public_page_in_the_programme_but_jurors_keep_the_frozen_version(
    submitted, founder
):
    frozen = project_version_for_jurors(project=submitted)
    assert frozen is not None
    services.project_update(
        project=submitted, actor=founder, data={"title": "Bettenradar 2.0"}, now=IN_PROGRAMME
    )
    submitted.refresh_from_db()
    assert submitted.title == "Bettenradar 2.0"
    assert project_version_for_jurors(project=submitted) == frozen
    assert frozen.snapshot["title"] == "Bettenradar"
    with pytest.raises(services.ProjectError):
        services.project_submit(project=submitted, actor=founder, now=IN_PROGRAMME)


def test_a_draft_stays_closed_in_the_programme(event, team, founder, challenge):
    submission_phase(event, DEADLINE)
    PhaseFactory(
        event=event,
        kind=PhaseKind.PROGRAMME,
        starts_at=DEADLINE + timedelta(days=14),
        ends_at=DEADLINE + timedelta(days=200),
    )
    draft = make_project(team, founder, challenge)
    with pytest.raises(services.ProjectError):
        services.project_update(project=draft, actor=founder, data={"title": "X"}, now=IN_PROGRAMME)


def test_rule_follows_the_programme_phase(event, team, founder, challenge, stranger):
    from django.utils import timezone

    submission_phase(event, timezone.now() - timedelta(days=20))
    PhaseFactory(
        event=event,
        kind=PhaseKind.PROGRAMME,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=100),
    )
    project = make_project(team, founder, challenge, now=timezone.now() - timedelta(days=21))
    services.project_submit(project=project, actor=founder, now=timezone.now() - timedelta(days=21))
    assert rules.can_edit_project(founder, project)
    assert not rules.can_edit_project(stranger, project)
