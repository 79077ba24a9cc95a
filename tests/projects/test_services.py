"""The project services: the draft, required fields, versions, withdrawing, permissions."""

from __future__ import annotations

import pytest
from django.db import connection

from audit.models import AuditEntry
from challenges.enums import ChallengeStatus
from notifications.models import Notification
from projects import selectors, services
from projects.enums import ProjectStatus
from projects.models import Project, ProjectVersion
from tests.factories import ChallengeFactory, EventFactory
from tests.projects.conftest import BEFORE, complete_data, image_bytes, make_project, upload
from tests.races import race

pytestmark = pytest.mark.usefixtures("deadline")

REQUIRED = [
    ("title", ""),
    ("pitch", ""),
    ("problem", "   "),
    ("solution", ""),
    ("target_group", ""),
    ("category", ""),
]


# --- creating and editing the draft ------------------------------------------------------------


def test_project_create_makes_a_draft_for_a_member(team, founder, challenge):
    project = make_project(team, founder, challenge)

    assert project.status == ProjectStatus.DRAFT
    assert project.event_id == team.event_id
    assert list(project.challenges.all()) == [challenge]
    assert sorted(project.tags.values_list("name", flat=True)) == ["Gesundheit", "Open Data"]
    assert AuditEntry.objects.filter(action="project.create", target_id=project.pk).exists()


def test_project_create_refuses_people_outside_the_team(team, stranger, challenge):
    with pytest.raises(services.ProjectError, match="Only the team's members"):
        make_project(team, stranger, challenge)
    assert not Project.objects.exists()


def test_project_create_allows_organisers(team, organiser, challenge):
    assert make_project(team, organiser, challenge).team == team


def test_project_create_refuses_a_second_project_for_the_team(team, founder, member, challenge):
    make_project(team, founder, challenge)

    with pytest.raises(services.ProjectError) as error:
        make_project(team, member, challenge)
    assert error.value.field == "team"
    assert Project.objects.count() == 1


def test_project_create_or_get_returns_the_existing_project(team, founder, member, challenge):
    first = services.project_create_or_get(team=team, actor=founder, now=BEFORE)
    second = services.project_create_or_get(team=team, actor=member, now=BEFORE)

    assert first.pk == second.pk
    assert first.title == team.name  # a new draft starts with the team's name


def test_project_create_or_get_with_data_creates_or_updates(team, founder, challenge):
    created = services.project_create_or_get(
        team=team, actor=founder, data={"title": "Erste Fassung"}, now=BEFORE
    )
    updated = services.project_create_or_get(
        team=team, actor=founder, data={"title": "Zweite Fassung"}, now=BEFORE
    )

    assert created.pk == updated.pk
    assert Project.objects.get().title == "Zweite Fassung"


def test_project_update_changes_only_the_fields_given(team, founder, challenge):
    project = make_project(team, founder, challenge)

    services.project_update(project=project, actor=founder, data={"pitch": "Neu."}, now=BEFORE)

    project.refresh_from_db()
    assert project.pitch == "Neu."
    assert project.problem.startswith("Leitstellen")
    entry = AuditEntry.objects.filter(action="project.update").latest("pk")
    assert entry.data == {"fields": ["pitch"]}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "ab", "at least 3"),
        ("pitch", "x" * 281, "at most 280"),
        ("category", "space", "not a valid choice"),
        ("licence", "WTFPL", "not a valid choice"),
        ("repository_url", "not a link", "valid URL"),
    ],
)
def test_project_update_refuses_invalid_values(team, founder, challenge, field, value, message):
    project = make_project(team, founder, challenge)

    with pytest.raises(services.ProjectError, match=message) as error:
        services.project_update(project=project, actor=founder, data={field: value}, now=BEFORE)
    assert error.value.field == field


def test_project_update_refuses_challenges_that_are_unpublished_or_of_another_event(
    team, founder, challenge, event
):
    project = make_project(team, founder, challenge)
    draft = ChallengeFactory(event=event, status=ChallengeStatus.DRAFT)
    elsewhere = ChallengeFactory(event=EventFactory())

    for wrong in (draft, elsewhere):
        with pytest.raises(services.ProjectError) as error:
            services.project_update(
                project=project, actor=founder, data={"challenges": [wrong]}, now=BEFORE
            )
        assert error.value.field == "challenges"
    assert list(project.challenges.all()) == [challenge]


def test_project_update_credits_members_only(team, founder, member, stranger, challenge):
    project = make_project(team, founder, challenge)

    with pytest.raises(services.ProjectError) as error:
        services.project_update(
            project=project, actor=founder, data={"credited_members": [stranger]}, now=BEFORE
        )
    assert error.value.field == "credited_members"

    services.project_update(
        project=project, actor=founder, data={"credited_members": [founder, member]}, now=BEFORE
    )
    assert set(project.credited_members.all()) == {founder, member}


def test_project_update_refuses_a_stranger(team, founder, stranger, challenge):
    project = make_project(team, founder, challenge)

    with pytest.raises(services.ProjectError):
        services.project_update(project=project, actor=stranger, data={"title": "X" * 5})
    project.refresh_from_db()
    assert project.title == "Bettenradar"


# --- submitting ------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "blank"), REQUIRED)
def test_project_submit_names_each_missing_required_field(team, founder, challenge, field, blank):
    project = make_project(team, founder, challenge)
    Project.objects.filter(pk=project.pk).update(**{field: blank})

    with pytest.raises(services.ProjectError) as error:
        services.project_submit(project=project, actor=founder, now=BEFORE)

    assert error.value.missing == [field]
    assert error.value.field == field
    label = str(selectors.missing_field_label(field))
    assert label in error.value.message
    assert not ProjectVersion.objects.exists()
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


def test_project_submit_needs_a_challenge(team, founder, challenge):
    project = make_project(team, founder, challenge, challenges=[])

    with pytest.raises(services.ProjectError, match="challenges answered") as error:
        services.project_submit(project=project, actor=founder, now=BEFORE)
    assert error.value.missing == ["challenges"]


def test_project_submit_needs_a_repository_or_a_demo(team, founder, challenge):
    project = make_project(team, founder, challenge, repository_url="")

    with pytest.raises(services.ProjectError, match="code repository or demo") as error:
        services.project_submit(project=project, actor=founder, now=BEFORE)
    assert error.value.missing == ["repository_url"]

    services.project_update(
        project=project, actor=founder, data={"demo_url": "https://demo.example.org"}, now=BEFORE
    )
    assert services.project_submit(project=project, actor=founder, now=BEFORE).number == 1


def test_project_submit_lists_all_missing_fields_of_a_fresh_draft(team, founder):
    project = services.project_create_or_get(team=team, actor=founder, now=BEFORE)

    with pytest.raises(services.ProjectError) as error:
        services.project_submit(project=project, actor=founder, now=BEFORE)

    assert error.value.missing == [
        "pitch",
        "problem",
        "solution",
        "target_group",
        "category",
        "challenges",
        "repository_url",
    ]


def test_project_submit_freezes_a_version(team, founder, member, challenge):
    project = make_project(team, founder, challenge)
    services.project_update(
        project=project, actor=founder, data={"credited_members": [founder, member]}, now=BEFORE
    )
    image = services.image_add(
        project=project,
        actor=founder,
        upload=upload(image_bytes()),
        alt_text="Die Karte",
        now=BEFORE,
    )

    version = services.project_submit(project=project, actor=member, now=BEFORE)

    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED
    assert project.submitted_at == BEFORE
    assert version.number == 1
    assert version.created_at == BEFORE
    assert version.created_by == member
    snapshot = version.snapshot
    assert snapshot["title"] == "Bettenradar"
    assert snapshot["challenges"] == [
        {"id": challenge.pk, "number": challenge.number, "title": "Freie Intensivbetten finden"}
    ]
    assert [m["name"] for m in snapshot["credited_members"]] == ["Fenja Founder", "Mo Member"]
    assert snapshot["images"][0]["token"] == image.token
    assert snapshot["images"][0]["image"] == image.image.name
    assert snapshot["images"][0]["thumbnail"] == image.thumbnail.name
    assert snapshot["tags"] == ["Gesundheit", "Open Data"]
    assert AuditEntry.objects.filter(action="project.submit", data={"version": 1}).exists()


def test_project_submit_again_numbers_the_versions(team, founder, challenge):
    project = make_project(team, founder, challenge)
    services.project_submit(project=project, actor=founder, now=BEFORE)
    services.project_update(project=project, actor=founder, data={"title": "Neu"}, now=BEFORE)

    version = services.project_submit(project=project, actor=founder, now=BEFORE)

    assert version.number == 2
    assert [v.snapshot["title"] for v in project.versions.order_by("number")] == [
        "Bettenradar",
        "Neu",
    ]


def test_project_submit_sends_every_member_a_receipt(team, founder, member, challenge):
    project = make_project(team, founder, challenge)

    services.project_submit(project=project, actor=founder, now=BEFORE)

    receipts = Notification.objects.filter(kind="project.submitted")
    assert {n.recipient for n in receipts} == {founder, member}
    assert receipts[0].context["version"] == 1
    assert receipts[0].context["submitted_local"] == "2020-03-22 20:55:00 (Europe/Berlin)"


def test_project_submit_refuses_a_stranger(team, founder, stranger, challenge):
    project = make_project(team, founder, challenge)

    with pytest.raises(services.ProjectError):
        services.project_submit(project=project, actor=stranger, now=BEFORE)
    assert not ProjectVersion.objects.exists()


def test_project_withdraw_then_submit_again(team, founder, challenge):
    project = make_project(team, founder, challenge)
    services.project_submit(project=project, actor=founder, now=BEFORE)

    services.project_withdraw(project=project, actor=founder, now=BEFORE)
    project.refresh_from_db()
    assert project.status == ProjectStatus.WITHDRAWN
    assert project.withdrawn_at == BEFORE
    assert selectors.project_version_for_jurors(project=project) is None

    services.project_submit(project=project, actor=founder, now=BEFORE)
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED
    assert project.withdrawn_at is None
    assert selectors.project_version_for_jurors(project=project).number == 2


def test_project_withdraw_refuses_a_draft(team, founder, challenge):
    project = make_project(team, founder, challenge)

    with pytest.raises(services.ProjectError, match="not submitted"):
        services.project_withdraw(project=project, actor=founder, now=BEFORE)


def test_project_snapshot_data_matches_the_form_fields(team, founder, challenge):
    project = make_project(team, founder, challenge)
    snapshot = selectors.project_snapshot(project=project)
    for field in services.TEXT_FIELDS:
        assert snapshot[field] == complete_data(challenge)[field]


# --- races (PostgreSQL) ------------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_project_create_or_get_racing_members_share_one_project(team, founder, member):
    results = race(
        *[
            (lambda actor=actor: services.project_create_or_get(team=team, actor=actor, now=BEFORE))
            for actor in [founder, member] * 4
        ]
    )

    assert all(isinstance(result, Project) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert Project.objects.count() == 1


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_project_submit_racing_submissions_get_distinct_numbers(team, founder, member, challenge):
    project = make_project(team, founder, challenge)

    results = race(
        *[
            (lambda actor=actor: services.project_submit(project=project, actor=actor, now=BEFORE))
            for actor in [founder, member] * 3
        ]
    )

    assert all(isinstance(result, ProjectVersion) for result in results), results
    assert sorted(result.number for result in results) == [1, 2, 3, 4, 5, 6]


def test_search_document_is_kept_by_the_trigger_on_postgres(team, founder, challenge):
    if connection.vendor != "postgresql":
        pytest.skip("the search document is a PostgreSQL feature (migration 0002)")
    project = make_project(team, founder, challenge)
    services.project_update(
        project=project,
        actor=founder,
        data={"how_it_works": "Sensoren in Krankenhäusern"},
        now=BEFORE,
    )

    from django.contrib.postgres.search import SearchQuery

    query = SearchQuery("Krankenhaus", config="german")
    found = Project.objects.filter(search_document=query).values_list("pk", flat=True)
    assert list(found) == [project.pk]
