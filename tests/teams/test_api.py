"""The teams API: the same rules as the web, JSON errors naming the field, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teams import services
from teams.enums import JoinRequestStatus, MemberRole
from teams.models import Invitation, JoinRequest, Membership, OpenRole, Team
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    LanguageFactory,
    SkillFactory,
    add_member,
)
from tests.teams.conftest import PITCH, participant, team_of

pytestmark = pytest.mark.django_db
TEAMS = "/api/v1/teams/"


def errors(response) -> dict[str, list[str]]:
    """drf-standardized-errors' list as {field: [messages]}."""
    found: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        found.setdefault(error["attr"], []).append(error["detail"])
    return found


# --- list and detail --------------------------------------------------------------------------


def test_list_needs_event(api, team):
    response = api.get(TEAMS)
    assert response.status_code == 400 and "event" in errors(response)
    response = api.get(TEAMS, {"event": "unknown"})
    assert response.status_code == 400 and errors(response) == {"event": ["Unknown event."]}


def test_list_shows_open_teams_of_event(api, event, challenge, team, founder):
    full = team_of(event, challenge, participant(event), name="Volles Team", max_size=1)
    other_event = EventFactory()
    team_of(other_event, ChallengeFactory(event=other_event), participant(other_event))
    response = api.get(TEAMS, {"event": event.slug})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["name"] for row in results] == ["Bettenradar"]
    row = results[0]
    assert row["challenge"] == challenge.number and row["open_places"] == 9
    assert "chat_link" not in row and "members" not in row
    assert full.pk not in [r["id"] for r in results]


def test_list_filters_like_finder(api, event, challenge, team):
    python = SkillFactory(name="Python", slug="python")
    other = team_of(event, challenge, participant(event), name="Lernbrücke")
    OpenRole.objects.create(team=other, title="Backend").skills.set([python])
    names = [
        r["name"]
        for r in api.get(TEAMS, {"event": event.slug, "skill": "python"}).json()["results"]
    ]
    assert names == ["Lernbrücke"]


def test_list_invalid_filter_names_field(api, event, team):
    response = api.get(TEAMS, {"event": event.slug, "challenge": "abc", "region": "XX"})
    assert response.status_code == 400
    assert {"challenge", "region"} <= set(errors(response))


def test_list_hidden_event_is_unknown(api, stranger):
    hidden = EventFactory(is_public=False)
    api.force_authenticate(stranger)
    assert api.get(TEAMS, {"event": hidden.slug}).status_code == 400


def _bulk_teams(event, count: int) -> None:
    german = LanguageFactory(code="de", name="Deutsch")
    skill = SkillFactory()
    challenge = ChallengeFactory(event=event)
    for n in range(count):
        team = Team.objects.create(
            event=event,
            challenge=challenge,
            name=f"Bulk {Team.objects.count()}-{n}",
            pitch=PITCH,
            max_size=10,
        )
        team.languages.set([german])
        OpenRole.objects.create(team=team, title="Rolle").skills.set([skill])


def test_list_query_count_constant(api, event):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(TEAMS, {"event": event.slug}).status_code == 200
        return len(queries)

    _bulk_teams(event, 5)
    few = count()
    _bulk_teams(event, 495)
    assert Team.objects.filter(event=event).count() == 500
    assert count() == few


def test_detail_members_without_email_and_chat_link_for_members(
    api, team, founder, member_user, joiner, organiser
):
    Team.objects.filter(pk=team.pk).update(chat_link="https://chat.example.org/x")
    data = api.get(f"{TEAMS}{team.pk}/").json()
    assert [m["name"] for m in data["members"]] == ["Fenja Founder", "Mia Member"]
    assert [m["role"] for m in data["members"]] == ["admin", "member"]
    assert data["chat_link"] is None and data["my_role"] is None
    assert "founder@example.org" not in str(data)
    api.force_authenticate(joiner)
    assert api.get(f"{TEAMS}{team.pk}/").json()["chat_link"] is None
    for person, role in ((member_user, "member"), (founder, "admin"), (organiser, None)):
        api.force_authenticate(person)
        data = api.get(f"{TEAMS}{team.pk}/").json()
        assert data["chat_link"] == "https://chat.example.org/x" and data["my_role"] == role


def test_detail_hidden_event_is_404(api, stranger):
    event = EventFactory(is_public=False)
    hidden = team_of(event, ChallengeFactory(event=event), participant(event))
    api.force_authenticate(stranger)
    assert api.get(f"{TEAMS}{hidden.pk}/").status_code == 404


# --- founding and changing ----------------------------------------------------------------------


def payload(for_event, for_challenge, **overrides) -> dict:
    return {
        "event": for_event.slug,
        "challenge": for_challenge.number,
        "name": "Lernbrücke",
        "pitch": "Eine Lernplattform für jede Schule, in zehn Minuten eingerichtet.",
        "languages": ["de"],
        "chat_link": "https://discord.gg/lernbruecke",
        **overrides,
    }


def test_create_team(api, event, challenge, joiner):
    LanguageFactory(code="de", name="Deutsch")
    api.force_authenticate(joiner)
    response = api.post(TEAMS, payload(event, challenge, max_size=5), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["name"] == "Lernbrücke" and data["max_size"] == 5 and data["member_count"] == 1
    assert data["my_role"] == "admin" and data["languages"] == ["de"]
    assert data["chat_link"] == "https://discord.gg/lernbruecke"


def test_create_team_refusals_name_the_field(api, event, challenge, team, joiner, stranger):
    LanguageFactory(code="de", name="Deutsch")
    api.force_authenticate(joiner)
    cases = [
        ({"name": "BETTENRADAR"}, "name"),
        ({"chat_link": "http://chat.example.org"}, "chat_link"),
        ({"max_size": 11}, "max_size"),
        ({"languages": ["xx"]}, "languages"),
        ({"challenge": 999999}, "challenge"),
        ({"event": "nope"}, "event"),
        ({"pitch": "kurz"}, "pitch"),
    ]
    for overrides, field in cases:
        response = api.post(TEAMS, payload(event, challenge, **overrides), format="json")
        assert response.status_code == 400, overrides
        assert field in errors(response), (overrides, response.json())
    api.force_authenticate(stranger)
    response = api.post(TEAMS, payload(event, challenge), format="json")
    assert response.status_code == 400
    assert "registered as participants" in errors(response)["non_field_errors"][0]
    assert Team.objects.count() == 1


def test_create_team_anonymous_is_refused(api, event, challenge):
    response = api.post(TEAMS, payload(event, challenge), format="json")
    assert response.status_code == 401


def test_patch_by_admin(api, team, founder):
    api.force_authenticate(founder)
    response = api.patch(f"{TEAMS}{team.pk}/", {"pitch": PITCH + " Jetzt mit API."}, format="json")
    assert response.status_code == 200, response.json()
    team.refresh_from_db()
    assert team.pitch.endswith("Jetzt mit API.") and team.name == "Bettenradar"


def test_patch_refused_for_member_and_stranger(api, team, member_user, stranger):
    for person in (member_user, stranger):
        api.force_authenticate(person)
        response = api.patch(f"{TEAMS}{team.pk}/", {"name": "Gekapert"}, format="json")
        assert response.status_code == 403
    team.refresh_from_db()
    assert team.name == "Bettenradar"


def test_patch_invalid_names_field(api, team, founder, member_user):
    api.force_authenticate(founder)
    response = api.patch(f"{TEAMS}{team.pk}/", {"max_size": 1}, format="json")
    assert response.status_code == 400 and "max_size" in errors(response)


def test_put_is_refused(api, team, founder):
    api.force_authenticate(founder)
    response = api.put(f"{TEAMS}{team.pk}/", {"name": "X"}, format="json")
    assert response.status_code == 405


# --- join requests ----------------------------------------------------------------------------


def test_join_request_create_and_admin_list(api, team, founder, joiner):
    api.force_authenticate(joiner)
    response = api.post(f"{TEAMS}{team.pk}/join-requests/", {"message": "Hallo"}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "pending" and response.json()["name"] == "Jo Joiner"
    again = api.post(f"{TEAMS}{team.pk}/join-requests/", {"message": "Hallo"}, format="json")
    assert again.status_code == 400 and "already asked" in errors(again)["non_field_errors"][0]
    api.force_authenticate(founder)
    listed = api.get(f"{TEAMS}{team.pk}/join-requests/").json()
    assert [r["name"] for r in listed] == ["Jo Joiner"]
    assert "joiner@example.org" not in str(listed)


def test_join_request_list_non_admin_sees_only_own(api, team, joiner, event):
    services.join_request_create(team=team, user=participant(event))
    mine = services.join_request_create(team=team, user=joiner)
    api.force_authenticate(joiner)
    assert [r["id"] for r in api.get(f"{TEAMS}{team.pk}/join-requests/").json()] == [mine.pk]


def test_join_request_refused_for_unregistered(api, team, stranger):
    api.force_authenticate(stranger)
    response = api.post(f"{TEAMS}{team.pk}/join-requests/", {}, format="json")
    assert response.status_code == 400 and not JoinRequest.objects.exists()


def test_join_request_anonymous_refused(api, team):
    assert api.post(f"{TEAMS}{team.pk}/join-requests/", {}, format="json").status_code == 401


def test_accept_and_decline(api, team, founder, joiner, event):
    accept_me = services.join_request_create(team=team, user=joiner)
    decline_me = services.join_request_create(team=team, user=participant(event))
    api.force_authenticate(founder)
    response = api.post(f"{TEAMS}{team.pk}/join-requests/{accept_me.pk}/accept/")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert Membership.objects.filter(team=team, user=joiner).exists()
    response = api.post(f"{TEAMS}{team.pk}/join-requests/{decline_me.pk}/decline/")
    assert response.status_code == 200 and response.json()["status"] == "declined"
    again = api.post(f"{TEAMS}{team.pk}/join-requests/{decline_me.pk}/accept/")
    assert again.status_code == 400


def test_accept_refused_for_member_and_unknown_request(api, team, member_user, joiner):
    request = services.join_request_create(team=team, user=joiner)
    api.force_authenticate(member_user)
    assert api.post(f"{TEAMS}{team.pk}/join-requests/{request.pk}/accept/").status_code == 403
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.PENDING
    api.force_authenticate(team.memberships.get(role=MemberRole.ADMIN).user)
    assert api.post(f"{TEAMS}{team.pk}/join-requests/999999/accept/").status_code == 404


def test_withdraw_own_request_only(api, team, joiner, founder):
    request = services.join_request_create(team=team, user=joiner)
    api.force_authenticate(founder)
    assert api.post(f"{TEAMS}{team.pk}/join-requests/{request.pk}/withdraw/").status_code == 404
    api.force_authenticate(joiner)
    response = api.post(f"{TEAMS}{team.pk}/join-requests/{request.pk}/withdraw/")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


# --- invitations ------------------------------------------------------------------------------


def test_invitations_for_admins(api, team, founder, joiner):
    api.force_authenticate(founder)
    response = api.post(f"{TEAMS}{team.pk}/invitations/", {"valid_days": 3}, format="json")
    assert response.status_code == 201
    token = response.json()["token"]
    assert response.json()["link"].endswith(f"/teams/join/{token}/")
    assert [i["token"] for i in api.get(f"{TEAMS}{team.pk}/invitations/").json()] == [token]

    api.force_authenticate(joiner)
    preview = api.get(f"/api/v1/invitations/{token}/").json()
    assert preview["is_valid"] is True and preview["team"]["name"] == "Bettenradar"
    response = api.post(f"/api/v1/invitations/{token}/accept/")
    assert response.status_code == 200 and response.json()["my_role"] == "member"

    api.force_authenticate(founder)
    invitation = Invitation.objects.get(token=token)
    response = api.delete(f"{TEAMS}{team.pk}/invitations/{invitation.pk}/")
    assert response.status_code == 204
    assert api.get(f"{TEAMS}{team.pk}/invitations/").json() == []


def test_invitations_refused_for_member(api, team, member_user, founder):
    invitation = services.invitation_create(team=team, actor=founder)
    api.force_authenticate(member_user)
    assert api.get(f"{TEAMS}{team.pk}/invitations/").status_code == 403
    assert api.post(f"{TEAMS}{team.pk}/invitations/", {}, format="json").status_code == 403
    response = api.delete(f"{TEAMS}{team.pk}/invitations/{invitation.pk}/")
    assert response.status_code == 403


def test_invitation_create_invalid_days(api, team, founder):
    api.force_authenticate(founder)
    response = api.post(f"{TEAMS}{team.pk}/invitations/", {"valid_days": 0}, format="json")
    assert response.status_code == 400 and "valid_days" in errors(response)


def test_invitation_accept_refusals(api, team, founder, stranger, joiner):
    invitation = services.invitation_create(team=team, actor=founder)
    assert api.post(f"/api/v1/invitations/{invitation.token}/accept/").status_code == 401
    api.force_authenticate(stranger)
    response = api.post(f"/api/v1/invitations/{invitation.token}/accept/")
    assert response.status_code == 400
    services.invitation_revoke(invitation=invitation, actor=founder)
    api.force_authenticate(joiner)
    response = api.post(f"/api/v1/invitations/{invitation.token}/accept/")
    assert response.status_code == 400 and "withdrawn" in errors(response)["non_field_errors"][0]
    preview = api.get(f"/api/v1/invitations/{invitation.token}/").json()
    assert preview["is_valid"] is False and "withdrawn" in preview["problem"]
    assert api.get("/api/v1/invitations/unknown/").status_code == 404


# --- leaving, my teams -------------------------------------------------------------------------


def test_leave(api, team, member_user, joiner):
    api.force_authenticate(joiner)
    assert api.post(f"{TEAMS}{team.pk}/leave/").status_code == 400
    api.force_authenticate(member_user)
    assert api.post(f"{TEAMS}{team.pk}/leave/").status_code == 204
    assert not Membership.objects.filter(user=member_user).exists()


def test_my_teams(api, team, founder, joiner):
    assert api.get("/api/v1/me/teams/").status_code == 401
    api.force_authenticate(joiner)
    assert api.get("/api/v1/me/teams/").json()["results"] == []
    api.force_authenticate(founder)
    results = api.get("/api/v1/me/teams/").json()["results"]
    assert [(t["name"], t["my_role"]) for t in results] == [("Bettenradar", "admin")]


def test_my_teams_query_count_constant(api, event, challenge):
    person = participant(event)
    event.teams_per_person = 10
    event.save()
    api.force_authenticate(person)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/me/teams/").status_code == 200
        return len(queries)

    team = team_of(event, challenge, person, name="Team 1")
    OpenRole.objects.create(team=team, title="Rolle").skills.set([SkillFactory()])
    few = count()
    for n in range(2, 7):
        team = team_of(event, challenge, person, name=f"Team {n}")
        add_member(team, participant(event))
        OpenRole.objects.create(team=team, title="Rolle").skills.set([SkillFactory()])
    assert count() == few


def test_bad_input_gives_400_not_500(api, event, challenge, team, founder):
    big = "9" * 30
    api.force_authenticate(founder)
    assert api.get(f"{TEAMS}{big}/").status_code == 404
    response = api.post(TEAMS, payload(event, challenge, challenge=big), format="json")
    assert response.status_code == 400
    response = api.post(TEAMS, payload(event, challenge, languages="de"), format="json")
    assert response.status_code == 400 and "languages" in errors(response)
    response = api.patch(f"{TEAMS}{team.pk}/", {"max_size": "abc"}, format="json")
    assert response.status_code == 400 and "max_size" in errors(response)
    response = api.get(f"{TEAMS}{team.pk}/join-requests/", {"status": "bogus"})
    assert response.status_code == 400 and "status" in errors(response)
    response = api.post(TEAMS, "not json", content_type="application/json")
    assert response.status_code == 400


def test_api_path_with_nul_is_400_json(client):
    response = client.get("/api/v1/invitations/ab%00cd/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "null_characters_not_allowed"


def test_refusals_in_the_readers_language(api, team, member_user):
    """The API's own refusals are translated like the rest: German by default."""
    api.force_authenticate(member_user)
    english = api.patch(f"{TEAMS}{team.pk}/", {"name": "Gekapert"}, format="json")
    api.cookies["language"] = "de"
    german = api.patch(f"{TEAMS}{team.pk}/", {"name": "Gekapert"}, format="json")
    put = api.put(f"{TEAMS}{team.pk}/", {"name": "Gekapert"}, format="json")
    assert (english.status_code, german.status_code) == (403, 403)
    assert english.json()["errors"][0]["detail"] == "Only the team's admins can change it."
    assert german.json()["errors"][0]["detail"] == "Nur die Admins des Teams können es ändern."
    assert put.status_code == 405  # a team changes field by field (PATCH), never as a whole
