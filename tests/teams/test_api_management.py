"""Managing a team through the API: removing members, handing the admin role on, closing
the team and its open roles, with the same rules as the web."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEntry
from notifications.models import Notification
from teams import services
from teams.enums import MemberRole, TeamStatus
from teams.models import Membership, OpenRole
from tests.factories import SkillFactory
from tests.teams.conftest import step_down_first
from tests.teams.test_api import TEAMS, errors

pytestmark = pytest.mark.django_db


def test_detail_and_join_requests_name_people_by_id(api, team, founder, joiner):
    api.force_authenticate(joiner)
    created = api.post(f"{TEAMS}{team.pk}/join-requests/", {"message": "Hallo"}, format="json")
    assert created.json()["user"] == joiner.pk

    api.force_authenticate(founder)
    members = api.get(f"{TEAMS}{team.pk}/").json()["members"]
    assert members == [
        {
            "user": founder.pk,
            "name": "Fenja Founder",
            "role": "admin",
            "joined_at": members[0]["joined_at"],
        }
    ]
    listed = api.get(f"{TEAMS}{team.pk}/join-requests/").json()
    assert [request["user"] for request in listed] == [joiner.pk]


def test_admin_removes_a_member_who_is_told(api, team, founder, member_user):
    api.force_authenticate(founder)

    response = api.delete(f"{TEAMS}{team.pk}/members/{member_user.pk}/")

    assert response.status_code == 204
    assert not Membership.objects.filter(team=team, user=member_user).exists()
    team.refresh_from_db()
    assert team.member_count == 1
    assert Notification.objects.filter(recipient=member_user, kind="team.member_removed").exists()


def test_plain_member_cannot_remove_and_stranger_gets_403(api, team, founder, member_user, joiner):
    for person in (member_user, joiner):
        api.force_authenticate(person)
        response = api.delete(f"{TEAMS}{team.pk}/members/{founder.pk}/")
        assert response.status_code == 403
    assert Membership.objects.filter(team=team, user=founder).exists()
    api.force_authenticate(founder)
    assert api.delete(f"{TEAMS}{team.pk}/members/{joiner.pk}/").status_code == 404
    assert api.delete(f"{TEAMS}{team.pk}/members/{founder.pk}/").status_code == 400  # leave


def test_a_user_id_no_column_holds_is_no_member(api, team, founder):
    api.force_authenticate(founder)
    huge = 2**70

    assert api.delete(f"{TEAMS}{team.pk}/members/{huge}/").status_code == 404
    response = api.post(f"{TEAMS}{team.pk}/admins/", {"user": huge}, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["user"]


def test_admin_hands_the_role_on_and_steps_down(api, team, founder, member_user):
    api.force_authenticate(founder)

    response = api.post(
        f"{TEAMS}{team.pk}/admins/", {"user": member_user.pk, "step_down": True}, format="json"
    )

    assert response.status_code == 200
    roles = {m["user"]: m["role"] for m in response.json()["members"]}
    assert roles == {founder.pk: MemberRole.MEMBER, member_user.pk: MemberRole.ADMIN}
    assert AuditEntry.objects.filter(action="team.admin_hand_over", actor=founder).exists()
    # Now a plain member, the founder may not do it again.
    again = api.post(f"{TEAMS}{team.pk}/admins/", {"user": founder.pk}, format="json")
    assert again.status_code == 403


def test_hand_over_to_a_non_member_names_the_field(api, team, founder, joiner):
    api.force_authenticate(founder)

    response = api.post(f"{TEAMS}{team.pk}/admins/", {"user": joiner.pk}, format="json")

    assert response.status_code == 400
    assert "user" in errors(response)


def test_admin_closes_the_team_and_members_are_told(api, team, founder, member_user):
    api.force_authenticate(member_user)
    assert api.post(f"{TEAMS}{team.pk}/close/").status_code == 403

    api.force_authenticate(founder)
    response = api.post(f"{TEAMS}{team.pk}/close/")

    assert response.status_code == 200
    assert response.json()["status"] == TeamStatus.CLOSED
    assert not Membership.objects.filter(team=team).exists()
    assert Notification.objects.filter(recipient=member_user, kind="team.closed").exists()
    # Closing dissolved the team: the founder is no longer its admin.
    assert api.post(f"{TEAMS}{team.pk}/close/").status_code == 403


def test_open_roles_are_added_changed_and_removed_by_admins(api, team, founder, member_user):
    python = SkillFactory(name="Python", slug="python", is_curated=True)
    ux = SkillFactory(name="UX", slug="ux", is_curated=True)
    api.force_authenticate(founder)

    created = api.post(
        f"{TEAMS}{team.pk}/open-roles/",
        {"title": "Backend", "skills": ["python"], "other_skills": ["FastAPI"]},
        format="json",
    )

    assert created.status_code == 201
    role = OpenRole.objects.get(pk=created.json()["id"])
    assert sorted(role.skills.values_list("name", flat=True)) == ["FastAPI", "Python"]
    changed = api.patch(
        f"{TEAMS}{team.pk}/open-roles/{role.pk}/",
        {"title": "Design", "skills": ["ux"]},
        format="json",
    )
    assert changed.status_code == 200
    role.refresh_from_db()
    assert role.title == "Design" and list(role.skills.all()) == [ux]
    renamed = api.patch(
        f"{TEAMS}{team.pk}/open-roles/{role.pk}/", {"title": "UX-Design"}, format="json"
    )
    assert renamed.json()["skills"] == ["ux"]  # skills kept when not given

    api.force_authenticate(member_user)
    assert api.delete(f"{TEAMS}{team.pk}/open-roles/{role.pk}/").status_code == 403
    api.force_authenticate(founder)
    assert api.delete(f"{TEAMS}{team.pk}/open-roles/{role.pk}/").status_code == 204
    assert not OpenRole.objects.filter(pk=role.pk).exists()
    assert python.open_roles.count() == 0


def test_open_role_errors_name_the_field(api, team, founder):
    api.force_authenticate(founder)

    unknown = api.post(
        f"{TEAMS}{team.pk}/open-roles/", {"title": "Backend", "skills": ["cobol"]}, format="json"
    )
    untitled = api.post(f"{TEAMS}{team.pk}/open-roles/", {"title": ""}, format="json")

    assert unknown.status_code == 400 and "skills" in errors(unknown)
    assert untitled.status_code == 400 and "title" in errors(untitled)
    assert not OpenRole.objects.filter(team=team).exists()


def test_renaming_a_role_keeps_its_free_skills_and_other_skills_adds_to_them(api, team, founder):
    python = SkillFactory(name="Python", slug="python", is_curated=True)
    api.force_authenticate(founder)
    created = api.post(
        f"{TEAMS}{team.pk}/open-roles/",
        {"title": "Backend", "skills": ["python"], "other_skills": ["FastAPI"]},
        format="json",
    ).json()
    url = f"{TEAMS}{team.pk}/open-roles/{created['id']}/"

    renamed = api.patch(url, {"title": "Backend-Entwicklung"}, format="json")
    assert renamed.status_code == 200, renamed.json()
    assert sorted(renamed.json()["skills"]) == sorted(created["skills"])

    echoed = api.patch(url, {"skills": created["skills"]}, format="json")  # as GET lists them
    assert echoed.status_code == 200, echoed.json()

    added = api.patch(url, {"other_skills": ["Redis"]}, format="json")
    role = OpenRole.objects.get(pk=created["id"])
    assert added.status_code == 200
    assert sorted(role.skills.values_list("name", flat=True)) == ["FastAPI", "Python", "Redis"]
    assert python in role.skills.all()


@pytest.mark.parametrize("field", ["title", "description"])
def test_open_role_longer_than_its_column_is_400_and_not_saved(api, team, founder, field):
    """The serializer allowed 120/1000 characters for columns of 80/300: a DataError (500)
    on PostgreSQL. Now the lengths come from the model fields."""
    limit = OpenRole._meta.get_field(field).max_length
    api.force_authenticate(founder)
    body = {"title": "Backend", field: "x" * (limit + 1)}

    created = api.post(f"{TEAMS}{team.pk}/open-roles/", body, format="json")
    role = OpenRole.objects.create(team=team, title="Backend")
    changed = api.patch(f"{TEAMS}{team.pk}/open-roles/{role.pk}/", body, format="json")

    assert created.status_code == 400 and changed.status_code == 400
    assert list(errors(created)) == [field] and list(errors(changed)) == [field]
    assert list(OpenRole.objects.filter(team=team)) == [role]
    role.refresh_from_db()
    assert getattr(role, field) != body[field]


def test_open_role_as_long_as_its_columns_is_saved(api, team, founder):
    api.force_authenticate(founder)

    created = api.post(
        f"{TEAMS}{team.pk}/open-roles/",
        {"title": "t" * 80, "description": "d" * 300},
        format="json",
    )

    assert created.status_code == 201, created.content
    role = OpenRole.objects.get(pk=created.json()["id"])
    assert (len(role.title), len(role.description)) == (80, 300)


def test_api_invitation_revoke_race_is_400(monkeypatch, team, founder, member_user):
    invitation = services.invitation_create(team=team, actor=founder)
    step_down_first(monkeypatch, "invitation_revoke", team, founder, member_user)
    api = APIClient()
    api.cookies["language"] = "en"
    api.force_authenticate(founder)

    response = api.delete(f"/api/v1/teams/{team.pk}/invitations/{invitation.pk}/")

    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == "Only the team's admins can revoke."
