"""The projects API: the gallery's filters, the same rules as the web for the team's draft,
JSON errors naming the field, 409 after the deadline, a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from events.enums import PhaseKind
from projects.enums import ProjectCategory, ProjectStatus
from projects.models import Project, ProjectVersion
from tests.conftest import english_fixture
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
from tests.projects.gallery_helpers import add_image, bulk_submitted_projects

pytestmark = pytest.mark.django_db
_english = pytest.fixture(autouse=True)(english_fixture)
PROJECTS = "/api/v1/projects/"

COMPLETE = {
    "title": "Bettenradar",
    "pitch": "Freie Intensivbetten auf einen Blick.",
    "problem": "Leitstellen telefonieren Kliniken ab.",
    "solution": "Eine Karte mit freien Betten.",
    "target_group": "Leitstellen und Kliniken",
    "category": ProjectCategory.NEW_BUILD,
    "repository_url": "https://github.com/bettenradar/app",
}


@pytest.fixture
def api():
    client = APIClient()
    client.cookies["language"] = "en"  # the messages asserted are the English msgids
    return client


def errors(response) -> dict[str, list[str]]:
    """drf-standardized-errors' list as {field: [messages]}."""
    found: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        found.setdefault(error["attr"], []).append(error["detail"])
    return found


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [project["title"] for project in response.json()["results"]]


@pytest.fixture
def event(db):
    return EventFactory(slug="wirvsvirus", name="#WirVsVirus", is_public=True)


@pytest.fixture
def topic(event):
    return TopicFactory(event=event, name="Gesundheit", slug="gesundheit")


@pytest.fixture
def challenge(event, topic):
    return ChallengeFactory(event=event, title="Freie Intensivbetten finden", topic=topic)


@pytest.fixture
def team(event, challenge):
    return TeamFactory(event=event, challenge=challenge, name="Team Bettenradar")


@pytest.fixture
def member(team):
    user = UserFactory(display_name="Mia Mitglied")
    add_member(team, user, role="admin")
    return user


@pytest.fixture
def other_member(team):
    user = UserFactory(display_name="Otto Mitglied")
    add_member(team, user)
    return user


@pytest.fixture
def stranger(db):
    return UserFactory(display_name="Stella Fremd")


@pytest.fixture
def draft(event, team, challenge, member):
    return ProjectFactory(event=event, team=team, title="Bettenradar", challenges=[challenge])


@pytest.fixture
def project(event, team, challenge, member):
    """A submitted project with everything filled in."""
    return ProjectFactory(
        event=event, team=team, status=ProjectStatus.SUBMITTED, challenges=[challenge], **COMPLETE
    )


def submission_ends(event, ends_at):
    PhaseFactory(
        event=event,
        kind=PhaseKind.SUBMISSION,
        starts_at=ends_at - timedelta(days=2),
        ends_at=ends_at,
    )


def submitted(event, challenge=None, **fields):
    return ProjectFactory(
        event=event,
        team=TeamFactory(event=event, challenge=challenge or ChallengeFactory(event=event)),
        status=ProjectStatus.SUBMITTED,
        challenges=[challenge] if challenge else [],
        **fields,
    )


# --- the list --------------------------------------------------------------------------------


def test_list_shows_submitted_projects_of_public_events_only(api, event, project, challenge):
    ProjectFactory(event=event, title="Entwurf")
    ProjectFactory(event=event, title="Zurückgezogen", status=ProjectStatus.WITHDRAWN)
    submitted(EventFactory(is_public=False), title="Geheim")

    response = api.get(PROJECTS)

    assert titles(response) == ["Bettenradar"]
    data = response.json()["results"][0]
    assert data["team"]["name"] == "Team Bettenradar"
    assert data["team"]["url"] == f"http://testserver/teams/{project.team_id}/"
    assert data["url"] == f"http://testserver/projects/{project.pk}/"
    assert data["challenges"] == [
        {"number": challenge.number, "title": challenge.title, "topic": "gesundheit"}
    ]
    assert data["status"] == "submitted"


def test_list_of_a_member_still_hides_their_draft_without_mine(api, draft, member):
    api.force_authenticate(member)

    assert titles(api.get(PROJECTS)) == []
    assert titles(api.get(PROJECTS, {"mine": "true"})) == ["Bettenradar"]


def test_list_mine_needs_signing_in(api, draft):
    response = api.get(PROJECTS, {"mine": "true"})

    assert response.status_code == 400
    assert "mine" in errors(response)


def test_list_filters_like_the_gallery(api, event, topic, challenge):
    elsewhere = ChallengeFactory(event=event, topic=TopicFactory(event=event, slug="bildung"))
    submitted(event, challenge, title="Video", video_url="https://v.example/1",
              category=ProjectCategory.COMMERCIAL)  # fmt: skip
    submitted(event, elsewhere, title="Code", repository_url="https://git.example/a")
    submitted(event, elsewhere, title="Nichts", pitch="Schulbus-Radar für Kinder")

    assert titles(api.get(PROJECTS, {"challenge": challenge.number})) == ["Video"]
    assert titles(api.get(PROJECTS, {"topic": "bildung", "sort": "title"})) == ["Code", "Nichts"]
    assert titles(api.get(PROJECTS, {"category": "commercial"})) == ["Video"]
    assert titles(api.get(PROJECTS, {"has_video": "true"})) == ["Video"]
    assert titles(api.get(PROJECTS, {"has_code": "false", "sort": "title"})) == ["Nichts", "Video"]
    assert titles(api.get(PROJECTS, {"event": "wirvsvirus", "search": "Schulbus"})) == ["Nichts"]
    assert len(titles(api.get(PROJECTS, {"has_video": ""}))) == 3  # blank: no filter


@pytest.mark.parametrize(
    "params, field",
    [
        ({"challenge": "abc"}, "challenge"),
        ({"challenge": "0"}, "challenge"),
        ({"category": "startup"}, "category"),
        ({"has_video": "vielleicht"}, "has_video"),
        ({"has_code": "2"}, "has_code"),
        ({"sort": "popular"}, "sort"),
        ({"topic": "kein slug!"}, "topic"),
        ({"search": "x" * 201}, "search"),
        ({"event": "gibt-es-nicht"}, "event"),
    ],
)
def test_list_bad_parameter_is_400_naming_it(api, project, params, field):
    response = api.get(PROJECTS, params)

    assert response.status_code == 400
    assert list(errors(response)) == [field]


def test_list_unpublished_event_is_unknown_to_the_public(api, db):
    hidden = EventFactory(slug="geheim", is_public=False)
    submitted(hidden, title="Geheim")

    response = api.get(PROJECTS, {"event": "geheim"})
    assert response.status_code == 400 and errors(response) == {"event": ["Unknown event."]}
    api.force_authenticate(OrganiserFactory())
    assert titles(api.get(PROJECTS, {"event": "geheim"})) == ["Geheim"]


def _list_queries(api, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(PROJECTS, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params", [{}, {"event": "wirvsvirus", "has_video": "true", "topic": "gesundheit"}]
)
def test_list_query_count_is_constant_from_5_to_500_projects(api, event, challenge, params):
    projects = bulk_submitted_projects(event=event, challenge=challenge, count=5)
    for project in projects:
        project.tags.create(name=f"tag-{project.pk}")
    few = _list_queries(api, params)

    bulk_submitted_projects(event=event, challenge=challenge, count=495, start=5)
    many = _list_queries(api, params)

    assert few == many
    assert api.get(PROJECTS, params).json()["count"] == 500


def test_list_query_count_is_constant_for_mine(api, event, challenge, member, team):
    api.force_authenticate(member)
    ProjectFactory(event=event, team=team)
    few = _list_queries(api, {"mine": "true"})
    for project in bulk_submitted_projects(event=event, challenge=challenge, count=30):
        add_member(project.team, member)

    assert _list_queries(api, {"mine": "true"}) == few


# --- one project -----------------------------------------------------------------------------


def test_detail_of_submitted_project_is_public(api, project, member):
    project.credited_members.add(member)
    image = add_image(project, alt_text="Die Karte")

    response = api.get(f"{PROJECTS}{project.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Bettenradar"
    assert data["credited_members"] == [{"id": member.pk, "name": "Mia Mitglied"}]
    assert data["images"][0]["url"] == f"http://testserver{image.image.url}"
    assert data["images"][0]["alt_text"] == "Die Karte"
    assert "email" not in str(data)


@pytest.mark.parametrize("status", [ProjectStatus.DRAFT, ProjectStatus.WITHDRAWN])
def test_detail_of_draft_is_404_for_strangers_and_shown_to_team_and_organisers(
    api, draft, stranger, member, status
):
    draft.status = status
    draft.save(update_fields=["status"])
    url = f"{PROJECTS}{draft.pk}/"

    assert api.get(url).status_code == 404
    api.force_authenticate(stranger)
    assert api.get(url).status_code == 404
    api.force_authenticate(member)
    assert api.get(url).json()["status"] == status
    api.force_authenticate(OrganiserFactory())
    assert api.get(url).status_code == 200


# --- creating and changing the draft ---------------------------------------------------------


def test_member_creates_the_draft_with_the_web_defaults(api, team, member, other_member, challenge):
    api.force_authenticate(member)

    response = api.post(PROJECTS, {"team": team.pk}, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft"
    assert data["title"] == "Team Bettenradar"
    assert [c["number"] for c in data["challenges"]] == [challenge.number]
    assert {m["id"] for m in data["credited_members"]} == {member.pk, other_member.pk}
    assert Project.objects.get(team=team).status == ProjectStatus.DRAFT


def test_create_with_fields_and_tags(api, team, member):
    api.force_authenticate(member)

    response = api.post(
        PROJECTS, {"team": team.pk, **COMPLETE, "tags": ["gesundheit", "open data"]}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["pitch"] == COMPLETE["pitch"]
    assert sorted(response.json()["tags"]) == ["gesundheit", "open data"]


def test_create_refuses_non_members_and_anonymous(api, team, stranger):
    assert api.post(PROJECTS, {"team": team.pk}, format="json").status_code == 401
    api.force_authenticate(stranger)

    response = api.post(PROJECTS, {"team": team.pk}, format="json")

    assert response.status_code == 403
    assert not Project.objects.filter(team=team).exists()


@pytest.mark.parametrize(
    "body, message",
    [({}, "This field is required."), ({"team": "x"}, "A team id."), ({"team": 999999}, None)],
)
def test_create_names_a_missing_or_unknown_team(api, member, body, message):
    api.force_authenticate(member)

    response = api.post(PROJECTS, body, format="json")

    assert response.status_code == 400
    assert list(errors(response)) == ["team"]
    if message:
        assert errors(response)["team"] == [message]


@pytest.mark.parametrize("field", ["credited_members", "challenges"])
def test_create_refuses_an_id_no_database_holds(api, team, member, field):
    api.force_authenticate(member)

    response = api.post(PROJECTS, {"team": team.pk, field: [2**64]}, format="json")

    assert response.status_code == 400
    assert list(errors(response)) == [f"{field}.0"]
    assert not Project.objects.filter(team=team).exists()


def test_create_twice_is_refused_naming_the_team(api, team, member, draft):
    api.force_authenticate(member)

    response = api.post(PROJECTS, {"team": team.pk}, format="json")

    assert response.status_code == 400
    assert errors(response) == {"team": ["This team already has a project."]}


def test_member_patches_only_the_fields_sent(api, draft, member):
    draft.problem = "Unverändert"
    draft.save(update_fields=["problem"])
    api.force_authenticate(member)

    response = api.patch(f"{PROJECTS}{draft.pk}/", {"pitch": "Neu gepitcht."}, format="json")

    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.pitch == "Neu gepitcht."
    assert draft.problem == "Unverändert"
    assert draft.title == "Bettenradar"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"repository_url": "not a url"}, "repository_url"),
        ({"pitch": "x" * 281}, "pitch"),
        ({"title": ""}, "title"),
        ({"category": "startup"}, "category"),
        ({"licence": "WTFPL"}, "licence"),
        ({"challenges": [999999]}, "challenges"),
        ({"credited_members": [999999]}, "credited_members"),
    ],
)
def test_patch_with_bad_field_is_400_naming_it(api, draft, member, body, field):
    api.force_authenticate(member)

    response = api.patch(f"{PROJECTS}{draft.pk}/", body, format="json")

    assert response.status_code == 400
    assert field in errors(response)


def test_patch_cannot_credit_a_stranger(api, draft, member, stranger):
    api.force_authenticate(member)

    response = api.patch(
        f"{PROJECTS}{draft.pk}/", {"credited_members": [stranger.pk]}, format="json"
    )

    assert response.status_code == 400
    assert "credited_members" in errors(response)


def test_put_is_not_offered(api, draft, member):
    api.force_authenticate(member)

    assert api.put(f"{PROJECTS}{draft.pk}/", {}, format="json").status_code == 405


def test_non_member_gets_403_patching_a_public_project(api, project, stranger):
    api.force_authenticate(stranger)
    project_url = f"{PROJECTS}{project.pk}/"

    assert api.patch(project_url, {"pitch": "Gekapert"}, format="json").status_code == 403
    project.refresh_from_db()
    assert project.pitch == COMPLETE["pitch"]


@pytest.fixture
def draft_of_other_team(event, challenge):
    team = TeamFactory(event=event, challenge=challenge, name="Anderes Team")
    add_member(team, UserFactory())
    return ProjectFactory(event=event, team=team, title="Fremder Entwurf")


def test_non_member_gets_404_for_a_draft(api, draft_of_other_team, member):
    api.force_authenticate(member)  # a member of another team
    url = f"{PROJECTS}{draft_of_other_team.pk}/"

    assert api.patch(url, {"pitch": "Gekapert"}, format="json").status_code == 404
    assert api.post(f"{url}submit/").status_code == 404
    assert api.post(f"{url}withdraw/").status_code == 404
    assert api.get(f"{url}versions/").status_code == 404
    draft_of_other_team.refresh_from_db()
    assert draft_of_other_team.pitch != "Gekapert"


# --- submitting, withdrawing, versions -------------------------------------------------------


def test_submit_names_every_missing_field(api, draft, member):
    draft.challenges.clear()
    draft.pitch = ""
    draft.save(update_fields=["pitch"])
    api.force_authenticate(member)

    response = api.post(f"{PROJECTS}{draft.pk}/submit/")

    assert response.status_code == 400
    found = errors(response)
    for field in ("pitch", "problem", "solution", "target_group", "category", "challenges",
                  "repository_url"):  # fmt: skip
        assert found[field] == ["Required for submitting."]
    assert "Before submitting, please fill in" in found["non_field_errors"][0]
    draft.refresh_from_db()
    assert draft.status == ProjectStatus.DRAFT
    assert not ProjectVersion.objects.filter(project=draft).exists()


def test_submit_then_versions_for_team_only(api, draft, member, stranger):
    api.force_authenticate(member)
    api.patch(f"{PROJECTS}{draft.pk}/", COMPLETE, format="json")

    response = api.post(f"{PROJECTS}{draft.pk}/submit/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    versions = api.get(f"{PROJECTS}{draft.pk}/versions/")
    assert versions.status_code == 200
    [version] = versions.json()
    assert version["number"] == 1
    assert version["for_jurors"] is True
    assert version["created_by"] == "Mia Mitglied"
    assert version["snapshot"]["title"] == "Bettenradar"
    # Now public, but its versions are not.
    api.force_authenticate(stranger)
    assert api.get(f"{PROJECTS}{draft.pk}/").status_code == 200
    assert api.get(f"{PROJECTS}{draft.pk}/versions/").status_code == 404
    api.force_authenticate(None)
    assert api.get(f"{PROJECTS}{draft.pk}/versions/").status_code == 404
    api.force_authenticate(OrganiserFactory())
    assert api.get(f"{PROJECTS}{draft.pk}/versions/").status_code == 200


def test_non_member_cannot_submit_or_withdraw_a_public_project(api, project, stranger):
    api.force_authenticate(stranger)

    assert api.post(f"{PROJECTS}{project.pk}/submit/").status_code == 403
    assert api.post(f"{PROJECTS}{project.pk}/withdraw/").status_code == 403
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED


def test_anonymous_cannot_submit(api, project):
    assert api.post(f"{PROJECTS}{project.pk}/submit/").status_code == 401


def test_member_withdraws_and_a_draft_cannot_be_withdrawn(api, project, member):
    api.force_authenticate(member)

    response = api.post(f"{PROJECTS}{project.pk}/withdraw/")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    again = api.post(f"{PROJECTS}{project.pk}/withdraw/")
    assert again.status_code == 409
    assert again.json()["errors"][0]["detail"] == "The project is not submitted."


# --- the deadline ----------------------------------------------------------------------------


def test_after_the_deadline_members_are_refused_with_409_and_nothing_changes(
    api, event, draft, member
):
    submission_ends(event, timezone.now() - timedelta(minutes=1))
    api.force_authenticate(member)
    url = f"{PROJECTS}{draft.pk}/"

    patch = api.patch(url, {**COMPLETE, "title": "Zu spät"}, format="json")
    submit = api.post(f"{url}submit/")

    for response in (patch, submit):
        assert response.status_code == 409
        detail = response.json()["errors"][0]["detail"]
        assert "The submission deadline was" in detail
        assert "(Europe/Berlin)" in detail
    draft.refresh_from_db()
    assert draft.title == "Bettenradar"
    assert draft.status == ProjectStatus.DRAFT


def test_after_the_deadline_no_new_draft_and_no_withdrawal(api, event, team, member, project):
    submission_ends(event, timezone.now() - timedelta(seconds=1))
    api.force_authenticate(member)

    withdraw = api.post(f"{PROJECTS}{project.pk}/withdraw/")
    assert withdraw.status_code == 409
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED

    other = TeamFactory(event=event, challenge=team.challenge, name="Spätes Team")
    add_member(other, member)
    create = api.post(PROJECTS, {"team": other.pk}, format="json")
    assert create.status_code == 409
    assert not Project.objects.filter(team=other).exists()


def test_before_the_deadline_members_may_change(api, event, draft, member):
    submission_ends(event, timezone.now() + timedelta(minutes=1))
    api.force_authenticate(member)

    response = api.patch(f"{PROJECTS}{draft.pk}/", {"pitch": "Rechtzeitig."}, format="json")

    assert response.status_code == 200


def test_after_the_deadline_organisers_may_still_edit_the_page(api, event, project):
    submission_ends(event, timezone.now() - timedelta(hours=1))
    api.force_authenticate(OrganiserFactory())

    response = api.patch(
        f"{PROJECTS}{project.pk}/", {"pitch": "Tippfehler behoben."}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["pitch"] == "Tippfehler behoben."


def test_errors_are_in_german_for_german_readers(api, team, stranger, settings):
    settings.LANGUAGE_CODE = "de"
    api.force_authenticate(stranger)
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    unknown = api.post(PROJECTS, {"team": 2**31 - 1}, format="json")
    outsider = api.post(PROJECTS, {"team": team.pk}, format="json")

    assert (unknown.status_code, unknown.json()["errors"][0]["detail"]) == (
        400,
        "Unbekanntes Team.",
    )
    assert (outsider.status_code, outsider.json()["errors"][0]["detail"]) == (
        403,
        "Nur die Mitglieder des Teams können sein Projekt anlegen.",
    )


def test_the_editors_refusals_are_documented_with_their_code(api, draft, member, stranger):
    """The editor's form refuses a person who is not in the team as "invalid": the schema
    names that code for every field the form checks (schemathesis found it missing)."""
    from drf_spectacular.generators import SchemaGenerator

    api.force_authenticate(member)
    response = api.patch(
        f"/api/v1/projects/{draft.pk}/", {"credited_members": [stranger.pk]}, format="json"
    )
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [
        ("credited_members", "invalid")
    ]
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    for action in ("ProjectsPartialUpdate", "ProjectsCreate"):
        for field in ("CreditedMembers", "Challenges", "Tags", "Category", "Licence"):
            codes = components[f"{action}{field}ErrorComponent"]["properties"]["code"]["enum"]
            assert "invalid" in codes, (action, field)
