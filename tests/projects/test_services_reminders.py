"""Deadline reminders: 24 and 2 hours before each team's deadline, to teams whose project
is not submitted, each member in their language, and each reminder only once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation

from events.enums import PhaseKind
from notifications.models import Notification, NotificationPreference
from notifications.rendering import render_email, render_inapp_text
from projects.enums import ProjectStatus, ReminderKind
from projects.models import DeadlineReminder, SubmissionExtension
from projects.services import deadline_reminders_send
from projects.tasks import send_deadline_reminders
from tests.conftest import english_fixture
from tests.factories import (
    EventFactory,
    PhaseFactory,
    ProjectFactory,
    TeamFactory,
    UserFactory,
    add_member,
)
from tests.races import race

KIND = "project.deadline_reminder"
SUBJECT = 'Reminder: the project of "%(team)s" is not submitted yet'

_english = pytest.fixture(autouse=True)(english_fixture)


def event_with_deadline(deadline, **fields):
    event = EventFactory(name="#WirVsVirus", time_zone="Europe/Berlin", **fields)
    PhaseFactory(
        event=event,
        kind=PhaseKind.SUBMISSION,
        starts_at=deadline - timedelta(days=2),
        ends_at=deadline,
    )
    return event


def team_with_members(event, *languages, name=None):
    team = TeamFactory(event=event, **({"name": name} if name else {}))
    for language in languages:
        add_member(team, UserFactory(language=language))
    return team


def reminded(kind=KIND) -> list[tuple[str, int]]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("context__team_name", "recipient_id")
    )


@pytest.fixture
def now():
    return timezone.now()


@pytest.mark.django_db
def test_reminders_go_out_once(now, django_capture_on_commit_callbacks):
    event = event_with_deadline(now + timedelta(hours=20))
    team = team_with_members(event, "de", "en", name="Bettenradar")
    ProjectFactory(event=event, team=team)

    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_send(now=now) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_send(now=now + timedelta(minutes=5)) == 0
        assert deadline_reminders_send(now=now + timedelta(minutes=10)) == 0

    members = sorted(team.memberships.values_list("user_id", flat=True))
    assert reminded() == [("Bettenradar", pk) for pk in members]
    assert list(DeadlineReminder.objects.values_list("team", "kind")) == [
        (team.pk, ReminderKind.HOURS_24)
    ]
    assert len(mail.outbox) == 2
    # The team showed up late for the 24-hour reminder: it is told what is really left.
    assert {n.context["hours"] for n in Notification.objects.filter(kind=KIND)} == {20}
    english = next(m for m in mail.outbox if m.extra_headers["Content-Language"] == "en")
    assert "in about 20 hours" in english.body


@pytest.mark.django_db
def test_reminders_not_to_submitted_teams(now):
    event = event_with_deadline(now + timedelta(hours=20))
    submitted = team_with_members(event, "de", name="Fertig")
    ProjectFactory(event=event, team=submitted, status=ProjectStatus.SUBMITTED)
    draft = team_with_members(event, "de", name="Entwurf")
    ProjectFactory(event=event, team=draft)
    withdrawn = team_with_members(event, "de", name="Zurückgezogen")
    ProjectFactory(event=event, team=withdrawn, status=ProjectStatus.WITHDRAWN)
    no_project = team_with_members(event, "de", name="Ohne Projekt")
    TeamFactory(event=event, name="Ohne Mitglieder")  # nobody to remind

    assert deadline_reminders_send(now=now) == 3

    teams = {name for name, _recipient in reminded()}
    assert teams == {draft.name, withdrawn.name, no_project.name}
    assert not DeadlineReminder.objects.filter(team=submitted).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hours_left", "expected"),
    [
        (25, None),
        (24, ReminderKind.HOURS_24),  # exactly 24 hours before: due
        (23.9, ReminderKind.HOURS_24),
        (2.01, ReminderKind.HOURS_24),
        (2, ReminderKind.HOURS_2),  # exactly 2 hours before: the 2-hour one, not both
        (0.5, ReminderKind.HOURS_2),
        (0, None),  # the deadline is now: too late
        (-1, None),
    ],
)
def test_reminders_24h_and_2h_windows(now, hours_left, expected):
    event = event_with_deadline(now + timedelta(hours=hours_left))
    team_with_members(event, "de")

    deadline_reminders_send(now=now)

    kinds = list(DeadlineReminder.objects.values_list("kind", flat=True))
    assert kinds == ([expected] if expected else [])
    assert Notification.objects.filter(kind=KIND).count() == (1 if expected else 0)


@pytest.mark.django_db
def test_reminders_24h_then_2h_as_the_deadline_approaches(now):
    deadline = now + timedelta(hours=30)
    event = event_with_deadline(deadline)
    team_with_members(event, "de", "en")

    sent = [
        deadline_reminders_send(now=deadline - timedelta(hours=hours))
        for hours in (28, 24, 23, 12, 2.5, 2, 1, 0.1)
    ]

    assert sent == [0, 1, 0, 0, 0, 1, 0, 0]
    hours = sorted(Notification.objects.filter(kind=KIND).values_list("context__hours", flat=True))
    assert hours == [2, 2, 24, 24]


@pytest.mark.django_db
def test_reminders_use_the_teams_extension(now):
    event = event_with_deadline(now - timedelta(hours=1))  # the general deadline is over
    extended = team_with_members(event, "de", name="Verlängert")
    ProjectFactory(event=event, team=extended)
    SubmissionExtension.objects.create(team=extended, ends_at=now + timedelta(hours=1))
    team_with_members(event, "de", name="Ohne Verlängerung")
    later = team_with_members(event, "de", name="Morgen")
    SubmissionExtension.objects.create(team=later, ends_at=now + timedelta(hours=20))

    assert deadline_reminders_send(now=now) == 2

    assert sorted(DeadlineReminder.objects.values_list("team__name", "kind")) == [
        ("Morgen", ReminderKind.HOURS_24),
        ("Verlängert", ReminderKind.HOURS_2),
    ]
    notification = Notification.objects.get(kind=KIND, context__team_name="Verlängert")
    local = event.localtime(now + timedelta(hours=1))
    assert notification.context["deadline"] == local.isoformat()
    assert notification.context["deadline_local"] == f"{local:%Y-%m-%d %H:%M} (Europe/Berlin)"


@pytest.mark.django_db
def test_reminders_in_each_members_language(now):
    event = event_with_deadline(now + timedelta(hours=2))
    team = team_with_members(event, "de", "en", name="Bettenradar")

    deadline_reminders_send(now=now)

    by_language = {n.recipient.language: n for n in Notification.objects.filter(kind=KIND)}
    english = render_email(by_language["en"])
    assert english.subject == (
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + SUBJECT % {"team": "Bettenradar"}
    )
    assert english.extra_headers["Content-Language"] == "en"
    assert english.body.startswith("Hello ")
    assert "in about 2 hours" in english.body
    assert f"/projects/team/{team.pk}/" in english.body  # the editor
    german = render_email(by_language["de"])
    with translation.override("de"):
        expected = translation.gettext(SUBJECT) % {"team": "Bettenradar"}
    assert german.subject == settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + expected
    assert german.extra_headers["Content-Language"] == "de"
    assert german.body.startswith("Hallo ")
    assert "Bettenradar" in render_inapp_text(by_language["en"])


@pytest.mark.django_db
def test_reminders_skip_events_without_a_submission_phase(now):
    event = EventFactory()
    PhaseFactory(
        event=event, kind=PhaseKind.HACKING, starts_at=now, ends_at=now + timedelta(hours=5)
    )
    team_with_members(event, "de")

    assert deadline_reminders_send(now=now) == 0
    assert not DeadlineReminder.objects.exists()


@pytest.mark.django_db
def test_reminder_task_is_scheduled_and_idempotent():
    event = event_with_deadline(timezone.now() + timedelta(hours=10))
    team_with_members(event, "de")
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "projects.send_deadline_reminders" in schedule

    assert send_deadline_reminders.delay().get() == 1
    assert send_deadline_reminders.delay().get() == 0
    assert Notification.objects.filter(kind=KIND).count() == 1


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_reminders_once_when_runs_overlap():
    """Two beat runs at the same moment (a slow run overlapping the next): every member
    gets each reminder once, whichever run wrote the DeadlineReminder row first."""
    now = timezone.now()
    event = event_with_deadline(now + timedelta(hours=12))
    teams = [team_with_members(event, "de", "en") for _ in range(8)]
    # No e-mail, so nothing is queued for a worker that does not run here.
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user_id=m.user_id, kind=KIND, email_enabled=False)
        for team in teams
        for m in team.memberships.all()
    )
    results = race(*(lambda: deadline_reminders_send(now=now) for _ in range(4)))

    assert sum(results) == len(teams), results
    assert DeadlineReminder.objects.count() == len(teams)
    recipients = list(Notification.objects.filter(kind=KIND).values_list("recipient", flat=True))
    assert len(recipients) == len(set(recipients)) == 2 * len(teams)
