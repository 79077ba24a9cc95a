"""The organisers' overview of the submissions and the CSV export: the counts, who gets
in (organisers only; everyone else a 404), and a constant number of queries."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.enums import PhaseKind
from projects.enums import ProjectStatus
from projects.models import ProjectVersion, SubmissionExtension
from projects.selectors import project_version_for_jurors
from tests.conftest import english_client, english_fixture
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    OrganiserFactory,
    PhaseFactory,
    ProjectFactory,
    RegistrationFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    add_member,
)

pytestmark = pytest.mark.django_db

_english = pytest.fixture(autouse=True)(english_fixture)
client = pytest.fixture(english_client)


@pytest.fixture
def deadline():
    return timezone.now() - timedelta(hours=1)


@pytest.fixture
def event(deadline):
    event = EventFactory(slug="wirvsvirus", name="#WirVsVirus", time_zone="Europe/Berlin")
    PhaseFactory(
        event=event,
        kind=PhaseKind.SUBMISSION,
        starts_at=deadline - timedelta(days=2),
        ends_at=deadline,
    )
    return event


@pytest.fixture
def organiser():
    return OrganiserFactory(email="orga@example.org")


@pytest.fixture
def world(event, deadline):
    """Two topic fields, three challenges (one without a topic) and six teams:
    a draft, one submitted in time (two challenges), one submitted late thanks to an
    extension, a withdrawn one, one without any challenge chosen, one without a project."""
    health, school = (
        TopicFactory(event=event, name="Gesundheit"),
        TopicFactory(event=event, name="Bildung", position=1),
    )
    beds = ChallengeFactory(event=event, topic=health, title="Freie Betten finden")
    learning = ChallengeFactory(event=event, topic=school, title="Lernen zu Hause")
    other = ChallengeFactory(event=event, topic=None, title="Ohne Themenfeld")

    def team(name, challenge, *people):
        team = TeamFactory(event=event, challenge=challenge, name=name)
        for person in people:
            add_member(team, person)
        return team

    ProjectFactory(event=event, team=team("Entwurf", beds, UserFactory()), challenges=[beds])
    in_time = ProjectFactory(
        event=event,
        team=team(
            "Rechtzeitig",
            beds,
            UserFactory(display_name="Ada"),
            UserFactory(display_name="=cmd|' /C calc'!A0"),
        ),
        title='=HYPERLINK("https://evil.example")',
        status=ProjectStatus.SUBMITTED,
        submitted_at=deadline - timedelta(minutes=5),
        challenges=[beds, learning],
        repository_url="https://github.com/example/rechtzeitig",
        licence="MIT",
        category="new_build",
    )
    for number in (1, 2):
        ProjectVersion.objects.create(project=in_time, number=number, snapshot={})
    late_team = team("Verspätet", learning, UserFactory())
    SubmissionExtension.objects.create(team=late_team, ends_at=deadline + timedelta(hours=3))
    ProjectFactory(
        event=event,
        team=late_team,
        status=ProjectStatus.SUBMITTED,
        submitted_at=deadline + timedelta(hours=2),
        challenges=[learning],
    )
    ProjectFactory(
        event=event,
        team=team("Zurückgezogen", other, UserFactory()),
        status=ProjectStatus.WITHDRAWN,
        challenges=[other],
    )
    ProjectFactory(event=event, team=team("Noch ohne Wahl", other, UserFactory()))
    team("Ohne Projekt", beds, UserFactory())
    return {"beds": beds, "learning": learning, "other": other, "in_time": in_time}


def overview_url(event) -> str:
    return reverse("projects:organiser", kwargs={"event_slug": event.slug})


def export_url(event) -> str:
    return reverse("projects:organiser_export", kwargs={"event_slug": event.slug})


def counts(row) -> tuple[int, int, int, int]:
    c = row.counts
    return (c.draft, c.submitted, c.late, c.withdrawn)


def test_organiser_overview_counts_per_challenge_and_topic(client, organiser, event, world):
    client.force_login(organiser)

    response = client.get(overview_url(event))

    assert response.status_code == 200
    overview = response.context["overview"]
    assert (overview.totals.draft, overview.totals.submitted) == (2, 2)
    assert (overview.totals.late, overview.totals.withdrawn) == (1, 1)
    assert overview.teams_without_project == 1
    by_challenge = {row.label: counts(row) for row in overview.by_challenge}
    assert by_challenge == {
        "Freie Betten finden": (1, 1, 0, 0),
        "Lernen zu Hause": (0, 2, 1, 0),
        # the withdrawn one, and the draft without a choice under its team's challenge
        "Ohne Themenfeld": (1, 0, 0, 1),
    }
    assert [row.label for row in overview.by_topic] == ["Gesundheit", "Bildung"]
    # The project in time answers challenges of both topics: counted once in each.
    assert [counts(row) for row in overview.by_topic] == [(1, 1, 0, 0), (0, 2, 1, 0)]
    assert (overview.no_topic.draft, overview.no_topic.withdrawn) == (1, 1)
    html = response.content.decode()
    assert 'data-testid="total-late">1<' in html
    assert export_url(event) in html


def test_organiser_overview_without_projects_or_schedule(client, organiser):
    event = EventFactory(slug="leer")
    client.force_login(organiser)

    response = client.get(overview_url(event))

    assert response.status_code == 200
    assert "no submission phase" in response.content.decode()
    assert response.context["overview"].totals.total == 0


@pytest.mark.parametrize("who", ["participant", "team_member", "staff"])
def test_organiser_pages_are_404_for_everyone_else(client, event, world, who):
    if who == "participant":
        user = RegistrationFactory(event=event).user
    elif who == "team_member":
        user = world["in_time"].team.memberships.first().user
    else:
        user = UserFactory(is_staff=True)
    client.force_login(user)

    assert client.get(overview_url(event)).status_code == 404
    assert client.get(export_url(event)).status_code == 404


def test_organiser_pages_send_anonymous_visitors_to_log_in(client, event):
    for url in (overview_url(event), export_url(event)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_organiser_pages_of_an_unknown_event_are_404(client, organiser):
    client.force_login(organiser)
    assert client.get(reverse("projects:organiser", args=["gibt-es-nicht"])).status_code == 404


def test_organiser_sees_a_hidden_event(client, organiser, event):
    event.is_public = False
    event.save(update_fields=["is_public"])
    client.force_login(organiser)
    assert client.get(overview_url(event)).status_code == 200


def _rows(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_organiser_export_has_a_row_per_project_escaped(client, organiser, event, world):
    client.force_login(organiser)

    response = client.get(export_url(event))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="projects-wirvsvirus-' in response["Content-Disposition"]
    rows = _rows(response)
    assert [row["team"] for row in rows] == [
        "Entwurf",
        "Noch ohne Wahl",
        "Rechtzeitig",
        "Verspätet",
        "Zurückgezogen",
    ]
    row = rows[2]
    in_time, beds, learning = world["in_time"], world["beds"], world["learning"]
    # Spreadsheet formulas are neutralised with a leading apostrophe.
    assert row["title"] == '\'=HYPERLINK("https://evil.example")'
    assert row["members"] == "Ada|=cmd|' /C calc'!A0"  # starts with a name: no formula
    assert row["challenges"] == f"{beds.number}|{learning.number}"
    assert row["status"] == "submitted"
    assert row["category"] == "new_build"
    assert row["licence"] == "MIT"
    assert row["repository_url"] == "https://github.com/example/rechtzeitig"
    assert row["latest_version"] == "2"
    assert row["submitted_at"] == event.localtime(in_time.submitted_at).isoformat()
    assert row["submitted_at"].endswith(("+01:00", "+02:00"))  # in the event's time zone
    assert row["url"].endswith(f"/projects/{in_time.pk}/")
    assert rows[0]["latest_version"] == "" and rows[0]["submitted_at"] == ""


def test_organiser_export_names_the_version_jurors_judge_and_late_submissions(
    client, organiser, event, deadline
):
    """Versions made after a team's deadline (organisers' edits) are not what jurors see."""

    def submitted(name, *, at, versions, extension=None):
        team = TeamFactory(event=event, name=name)
        add_member(team, UserFactory())
        if extension:
            SubmissionExtension.objects.create(team=team, ends_at=extension)
        project = ProjectFactory(
            event=event, team=team, status=ProjectStatus.SUBMITTED, submitted_at=at
        )
        for number, made in enumerate(versions, start=1):
            version = ProjectVersion.objects.create(project=project, number=number, snapshot={})
            ProjectVersion.objects.filter(pk=version.pk).update(created_at=made)
        return project

    in_time = submitted(
        "A: rechtzeitig",
        at=deadline - timedelta(minutes=10),
        versions=[
            deadline - timedelta(hours=5),
            deadline - timedelta(minutes=10),
            deadline + timedelta(minutes=30),
        ],
    )
    extended = submitted(
        "B: verlängert",
        at=deadline + timedelta(minutes=40),
        versions=[deadline + timedelta(minutes=40)],
        extension=deadline + timedelta(hours=1),
    )
    too_late = submitted(
        "C: nach allem",
        at=deadline - timedelta(hours=2),
        versions=[deadline + timedelta(minutes=5)],
    )
    client.force_login(organiser)

    rows = {row["team"]: row for row in _rows(client.get(export_url(event)))}

    assert (rows["A: rechtzeitig"]["jurors_version"], rows["A: rechtzeitig"]["latest_version"]) == (
        "2",
        "3",
    )
    assert rows["A: rechtzeitig"]["late"] == "no"
    assert rows["B: verlängert"]["jurors_version"] == "1"
    assert rows["B: verlängert"]["late"] == "yes"
    assert rows["C: nach allem"]["jurors_version"] == ""
    for project in (in_time, extended, too_late):
        jurors = project_version_for_jurors(project=project)
        expected = str(jurors.number) if jurors else ""
        assert rows[project.team.name]["jurors_version"] == expected


def test_organiser_export_escapes_a_members_cell_that_starts_a_formula(client, organiser, event):
    team = TeamFactory(event=event, name="Formel")
    add_member(team, UserFactory(display_name="@SUM(A1:A9)"))
    ProjectFactory(event=event, team=team, title="-2+3")
    client.force_login(organiser)

    row = _rows(client.get(export_url(event)))[0]

    assert row["members"] == "'@SUM(A1:A9)"
    assert row["title"] == "'-2+3"


def _add_projects(event, count: int) -> None:
    challenge = ChallengeFactory(event=event, topic=TopicFactory(event=event))
    for _ in range(count):
        team = TeamFactory(event=event, challenge=challenge)
        add_member(team, UserFactory())
        add_member(team, UserFactory())
        project = ProjectFactory(
            event=event, team=team, status=ProjectStatus.SUBMITTED, challenges=[challenge]
        )
        ProjectVersion.objects.create(project=project, number=1, snapshot={})


@pytest.mark.parametrize("url", [overview_url, export_url])
def test_organiser_pages_keep_a_constant_query_count(client, organiser, event, url):
    client.force_login(organiser)
    _add_projects(event, 2)
    client.get(url(event))  # warm up the session and the organiser lookup
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(event)).status_code == 200
    _add_projects(event, 12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(event)).status_code == 200

    assert len(many) == len(few)


def test_event_page_links_organisers_to_the_overview(client, organiser, event):
    participant = RegistrationFactory(event=event).user
    client.force_login(participant)
    assert overview_url(event) not in client.get(event.get_absolute_url()).content.decode()

    client.force_login(organiser)
    assert overview_url(event) in client.get(event.get_absolute_url()).content.decode()
