"""The submission deadline: to the second in the event's time zone, extensions, and the
version jurors see.

"At the deadline" counts as after it: a request whose `now` equals the deadline is
refused, one a second earlier is accepted (phases run from `starts_at` inclusive to
`ends_at` exclusive everywhere in the schedule).
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from notifications.models import Notification
from projects import rules, selectors, services
from projects.enums import ProjectStatus
from projects.models import Project, ProjectVersion, SubmissionExtension
from tests.factories import EventFactory
from tests.projects.conftest import (
    BEFORE,
    DEADLINE,
    SECOND,
    make_project,
    participant,
    submission_phase,
)

AFTER = DEADLINE + timedelta(hours=1)


# --- the edge, to the second -------------------------------------------------------------------


def test_submit_one_second_before_the_deadline_is_accepted(deadline, team, founder, challenge):
    project = make_project(team, founder, challenge)

    version = services.project_submit(project=project, actor=founder, now=DEADLINE - SECOND)

    assert version.created_at == DEADLINE - SECOND


def test_submit_at_the_deadline_is_refused(deadline, team, founder, challenge):
    project = make_project(team, founder, challenge)

    with pytest.raises(services.ProjectError) as error:
        services.project_submit(project=project, actor=founder, now=DEADLINE)

    assert "2020-03-22 23:55:00 (Europe/Berlin)" in error.value.message
    assert "nothing was saved" in error.value.message
    assert not ProjectVersion.objects.exists()
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


@pytest.mark.parametrize(
    "service",
    [
        lambda project, actor, now: services.project_update(
            project=project, actor=actor, data={"title": "Zu spät"}, now=now
        ),
        lambda project, actor, now: services.project_submit(project=project, actor=actor, now=now),
    ],
    ids=["update", "submit"],
)
def test_deadline_edge_to_the_second(deadline, team, founder, challenge, service):
    project = make_project(team, founder, challenge)

    service(project, founder, DEADLINE - SECOND)  # accepted
    with pytest.raises(services.ProjectError):
        service(project, founder, DEADLINE)
    with pytest.raises(services.ProjectError):
        service(project, founder, DEADLINE + SECOND)


def test_deadline_is_the_instant_in_the_event_time_zone(db):
    """18:00 in New York is 23:00 in Berlin: a Berlin-minded server must not close early."""
    new_york = zoneinfo.ZoneInfo("America/New_York")
    event = EventFactory(time_zone="America/New_York")
    from tests.factories import ChallengeFactory

    challenge = ChallengeFactory(event=event)
    founder = participant(event)
    from teams.services import team_create

    team = team_create(
        event=event,
        challenge=challenge,
        founder=founder,
        data={"name": "Team NYC", "pitch": "Ein Team, das in New York arbeitet."},
    )
    ends_at = datetime(2020, 3, 22, 18, 0, tzinfo=new_york)
    submission_phase(event, ends_at)
    project = make_project(team, founder, challenge, now=ends_at - timedelta(days=1))
    berlin_18 = datetime(2020, 3, 22, 18, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))

    services.project_submit(project=project, actor=founder, now=berlin_18)
    services.project_submit(project=project, actor=founder, now=ends_at - SECOND)
    with pytest.raises(services.ProjectError, match=r"2020-03-22 18:00:00 \(America/New_York\)"):
        services.project_submit(project=project, actor=founder, now=ends_at)


def test_withdraw_after_the_deadline_is_refused(deadline, team, founder, challenge):
    project = make_project(team, founder, challenge)
    services.project_submit(project=project, actor=founder, now=BEFORE)

    with pytest.raises(services.ProjectError):
        services.project_withdraw(project=project, actor=founder, now=DEADLINE)
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED


def test_refused_update_keeps_the_draft_exactly_as_it_was(
    deadline, team, founder, member, challenge
):
    project = make_project(team, founder, challenge)
    before = Project.objects.get(pk=project.pk)
    tags = set(project.tags.values_list("name", flat=True))
    audits = AuditEntry.objects.count()

    with pytest.raises(services.ProjectError, match="deadline"):
        services.project_update(
            project=project,
            actor=member,
            data={"title": "Zu spät", "pitch": "Nach Mitternacht", "challenges": [], "tags": []},
            now=DEADLINE,
        )

    after = Project.objects.get(pk=project.pk)
    for field in ("title", "pitch", "updated_at", "status"):
        assert getattr(after, field) == getattr(before, field)
    assert list(after.challenges.all()) == [challenge]
    assert set(after.tags.values_list("name", flat=True)) == tags
    assert AuditEntry.objects.count() == audits


def test_members_cannot_create_a_project_after_the_deadline(deadline, team, founder):
    with pytest.raises(services.ProjectError, match="deadline"):
        services.project_create_or_get(team=team, actor=founder, now=DEADLINE)
    assert not Project.objects.exists()


def test_organisers_edit_after_the_deadline_but_cannot_submit(
    deadline, team, founder, organiser, challenge
):
    project = make_project(team, founder, challenge)

    services.project_update(
        project=project, actor=organiser, data={"title": "Korrigiert"}, now=AFTER
    )
    with pytest.raises(services.ProjectError, match="deadline"):
        services.project_submit(project=project, actor=organiser, now=AFTER)

    project.refresh_from_db()
    assert project.title == "Korrigiert"


def test_without_a_submission_phase_there_is_no_deadline(team, founder, challenge):
    project = make_project(team, founder, challenge, now=timezone.now())

    assert selectors.deadline_for_team(team=team) is None
    services.project_submit(project=project, actor=founder)
    project.refresh_from_db()
    assert selectors.project_version_for_jurors(project=project).number == 1


# --- extensions ------------------------------------------------------------------------------


def test_extension_lets_exactly_that_team_submit_after_the_deadline(
    deadline, team, other_team, founder, organiser, challenge
):
    project = make_project(team, founder, challenge)
    other_founder = other_team.memberships.get().user
    other = make_project(other_team, other_founder, challenge, title="Anderes Projekt")

    services.extension_grant(
        team=team, actor=organiser, ends_at=DEADLINE + timedelta(hours=2), reason="Serverausfall"
    )

    services.project_submit(project=project, actor=founder, now=AFTER)
    with pytest.raises(services.ProjectError, match="deadline"):
        services.project_submit(project=other, actor=other_founder, now=AFTER)
    with pytest.raises(services.ProjectError, match=r"2020-03-23 01:55:00"):
        services.project_update(
            project=project,
            actor=founder,
            data={"title": "Zu spät"},
            now=DEADLINE + timedelta(hours=2),
        )
    assert selectors.deadline_for_team(team=team) == DEADLINE + timedelta(hours=2)
    assert selectors.deadline_for_team(team=other_team) == DEADLINE


def test_extension_grant_writes_audit_and_tells_the_team(
    deadline, team, founder, member, organiser
):
    extension = services.extension_grant(
        team=team, actor=organiser, ends_at=DEADLINE + timedelta(hours=1), reason="Stromausfall"
    )

    assert extension.granted_by == organiser
    assert AuditEntry.objects.filter(action="project.extension_grant", target_id=team.pk).exists()
    told = Notification.objects.filter(kind="project.extension_granted")
    assert {n.recipient for n in told} == {founder, member}
    assert told[0].context["ends_local"] == "2020-03-23 00:55 (Europe/Berlin)"


def test_extension_grant_again_replaces_the_end(deadline, team, organiser):
    services.extension_grant(team=team, actor=organiser, ends_at=DEADLINE + timedelta(hours=1))
    services.extension_grant(team=team, actor=organiser, ends_at=DEADLINE + timedelta(hours=3))

    assert SubmissionExtension.objects.get().ends_at == DEADLINE + timedelta(hours=3)


@pytest.mark.parametrize("ends_at", [DEADLINE, DEADLINE - timedelta(hours=1)])
def test_extension_must_end_after_the_deadline(deadline, team, organiser, ends_at):
    with pytest.raises(services.ProjectError, match="after the deadline") as error:
        services.extension_grant(team=team, actor=organiser, ends_at=ends_at)
    assert error.value.field == "ends_at"
    assert not SubmissionExtension.objects.exists()


def test_extension_needs_a_submission_phase(team, organiser):
    with pytest.raises(services.ProjectError, match="no submission phase"):
        services.extension_grant(team=team, actor=organiser, ends_at=timezone.now())


def test_extension_only_by_organisers(deadline, team, founder):
    with pytest.raises(services.ProjectError, match="Only organisers"):
        services.extension_grant(team=team, actor=founder, ends_at=AFTER)
    assert not SubmissionExtension.objects.exists()


# --- what jurors see -------------------------------------------------------------------------


def test_version_submitted_at_the_deadline_is_what_jurors_see(
    deadline, team, founder, organiser, challenge
):
    project = make_project(team, founder, challenge)
    services.project_submit(project=project, actor=founder, now=DEADLINE - timedelta(minutes=5))
    services.project_update(
        project=project, actor=founder, data={"title": "Letzte Fassung"}, now=DEADLINE - SECOND
    )
    final = services.project_submit(project=project, actor=founder, now=DEADLINE - SECOND)

    # Afterwards the living page changes (organisers, or during the programme) ...
    services.project_update(
        project=project, actor=organiser, data={"title": "Im Programm weiterentwickelt"}, now=AFTER
    )
    with pytest.raises(services.ProjectError):
        services.project_submit(project=project, actor=founder, now=AFTER)

    # ... but jurors see the version of the deadline.
    project.refresh_from_db()
    seen = selectors.project_version_for_jurors(project=project)
    assert seen.pk == final.pk
    assert seen.snapshot["title"] == "Letzte Fassung"
    assert project.title == "Im Programm weiterentwickelt"


def test_jurors_see_nothing_of_a_draft_or_a_withdrawn_project(deadline, team, founder, challenge):
    project = make_project(team, founder, challenge)
    assert selectors.project_version_for_jurors(project=project) is None

    services.project_submit(project=project, actor=founder, now=BEFORE)
    services.project_withdraw(project=project, actor=founder, now=BEFORE)

    project.refresh_from_db()
    assert selectors.project_version_for_jurors(project=project) is None


def test_jurors_see_the_version_submitted_during_an_extension(
    deadline, team, founder, organiser, challenge
):
    project = make_project(team, founder, challenge)
    services.project_submit(project=project, actor=founder, now=BEFORE)
    services.extension_grant(team=team, actor=organiser, ends_at=DEADLINE + timedelta(hours=2))

    late = services.project_submit(project=project, actor=founder, now=AFTER)

    project.refresh_from_db()
    assert selectors.project_version_for_jurors(project=project).pk == late.pk


def test_jurors_never_see_a_version_made_after_the_deadline(deadline, team, founder, challenge):
    project = make_project(team, founder, challenge)
    first = services.project_submit(project=project, actor=founder, now=BEFORE)
    # A version written after the deadline by other means (data fix, import) does not count.
    ProjectVersion.objects.create(project=project, number=2, snapshot={"title": "Spät"})

    project.refresh_from_db()
    assert selectors.project_version_for_jurors(project=project).pk == first.pk


# --- the rules (at the real time) --------------------------------------------------------------


def test_rules_before_the_deadline(open_deadline, team, founder, stranger, organiser, challenge):
    project = make_project(team, founder, challenge, now=timezone.now())

    assert rules.can_edit_project(founder, project)
    assert rules.can_submit_project(founder, project)
    assert rules.can_view_versions(founder, project)
    assert not rules.can_edit_project(stranger, project)
    assert not rules.can_submit_project(stranger, project)
    assert not rules.can_view_versions(stranger, project)
    assert rules.can_edit_project(organiser, team)


def test_rules_after_the_deadline(event, team, founder, organiser, challenge):
    project = make_project(team, founder, challenge, now=timezone.now())
    submission_phase(event, timezone.now() - timedelta(seconds=1))

    project = Project.objects.select_related("team", "event").get(pk=project.pk)
    assert not rules.can_edit_project(founder, project)
    assert not rules.can_submit_project(founder, project)
    assert rules.can_view_versions(founder, project)
    assert rules.can_edit_project(organiser, project)
    assert not rules.can_submit_project(organiser, project)


def test_rules_with_an_extension(passed_deadline, team, founder, organiser):
    assert not rules.can_edit_project(founder, team)
    services.extension_grant(
        team=team, actor=organiser, ends_at=timezone.now() + timedelta(hours=1)
    )

    assert rules.can_edit_project(founder, team)  # the service forgot the cached deadline
