"""Who may see a profile: the same matrix through the rule, the web page, the API detail
and the API list."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIClient

from participants import rules
from participants.enums import ProfileVisibility
from teams.enums import JoinRequestStatus
from teams.models import JoinRequest
from tests.factories import EventFactory, OrganiserFactory, TeamFactory, UserFactory, add_member
from tests.participants.conftest import open_registration, registered

pytestmark = pytest.mark.django_db

PUBLIC = ProfileVisibility.PUBLIC
PARTICIPANTS = ProfileVisibility.PARTICIPANTS
TEAM_ADMINS = ProfileVisibility.TEAM_ADMINS

# viewer → (sees public, sees participants, sees team_admins)
MATRIX = {
    "anonymous": (True, False, False),
    "self": (True, True, True),
    "organiser": (True, True, True),
    "same_event": (True, True, False),
    "other_event": (True, False, False),
    "admin_asked": (True, True, True),
    "admin_declined": (True, True, True),
    "admin_of_member": (True, True, True),
    "admin_withdrawn": (True, False, False),
    "member_of_asked_team": (True, False, False),
}
LEVELS = [PUBLIC, PARTICIPANTS, TEAM_ADMINS]
CASES = [
    (viewer, level, expected[i])
    for viewer, expected in MATRIX.items()
    for i, level in enumerate(LEVELS)
]


def _admin_of_team_with_request(event, other_event, target, status):
    # The admin's team is in another event, so only the request relates them.
    team = TeamFactory(event=other_event)
    admin = UserFactory()
    add_member(team, admin, role="admin")
    JoinRequest.objects.create(team=team, user=target, status=status)
    return admin


@pytest.fixture
def world(event):
    other_event = EventFactory(slug="anderes")
    open_registration(other_event)
    target_registration = registered(event, visibility=PUBLIC)
    target = target_registration.user
    viewers = {
        "anonymous": None,
        "self": target,
        "organiser": OrganiserFactory(),
        "same_event": registered(event).user,
        "other_event": registered(other_event).user,
        "admin_asked": _admin_of_team_with_request(
            event, other_event, target, JoinRequestStatus.PENDING
        ),
        "admin_declined": _admin_of_team_with_request(
            event, other_event, target, JoinRequestStatus.DECLINED
        ),
        "admin_withdrawn": _admin_of_team_with_request(
            event, other_event, target, JoinRequestStatus.WITHDRAWN
        ),
    }
    team_with_target = TeamFactory(event=other_event)
    admin_of_member = UserFactory()
    add_member(team_with_target, admin_of_member, role="admin")
    add_member(team_with_target, target, role="member")
    viewers["admin_of_member"] = admin_of_member
    asked_team = TeamFactory(event=other_event)
    member = UserFactory()
    add_member(asked_team, member, role="member")
    JoinRequest.objects.create(team=asked_team, user=target)
    viewers["member_of_asked_team"] = member
    return {"event": event, "target": target, "viewers": viewers}


def _set_visibility(target, level):
    target.profile.visibility = level
    target.profile.save(update_fields=["visibility"])


@pytest.mark.parametrize(("viewer", "level", "expected"), CASES)
def test_rule_can_view_profile_matrix(world, viewer, level, expected):
    target = world["target"]
    _set_visibility(target, level)
    user = world["viewers"][viewer] or AnonymousUser()
    assert rules.can_view_profile(user, target.profile) is expected


@pytest.mark.parametrize(("viewer", "level", "expected"), CASES)
def test_web_profile_page_matrix(client, world, viewer, level, expected):
    target = world["target"]
    _set_visibility(target, level)
    if world["viewers"][viewer] is not None:
        client.force_login(world["viewers"][viewer])
    response = client.get(f"/participants/{target.pk}/", {"event": world["event"].slug})
    assert response.status_code == (200 if expected else 404)
    if expected:
        assert target.display_name in response.content.decode()
    assert target.email not in response.content.decode()


@pytest.mark.parametrize(("viewer", "level", "expected"), CASES)
def test_api_profile_detail_and_list_matrix(world, viewer, level, expected):
    target = world["target"]
    _set_visibility(target, level)
    api = APIClient()
    if world["viewers"][viewer] is not None:
        api.force_authenticate(world["viewers"][viewer])
    detail = api.get(f"/api/v1/participants/{target.pk}/", {"event": world["event"].slug})
    assert detail.status_code == (200 if expected else 404)
    listed = api.get("/api/v1/participants/", {"event": world["event"].slug})
    assert listed.status_code == 200
    assert (target.pk in {p["id"] for p in listed.json()["results"]}) is expected
    assert target.email not in detail.content.decode() + listed.content.decode()


def test_profile_without_saved_profile_is_seen_like_participants_level(event):
    registration = registered(event, profile=False)
    same_event = registered(event).user
    api = APIClient()
    api.force_authenticate(same_event)
    assert api.get(f"/api/v1/participants/{registration.user.pk}/").status_code == 200
    listed = api.get("/api/v1/participants/", {"event": event.slug}).json()["results"]
    assert registration.user.pk in {p["id"] for p in listed}
    api.force_authenticate(UserFactory())
    assert api.get(f"/api/v1/participants/{registration.user.pk}/").status_code == 404


def test_inactive_person_is_never_shown(client, event):
    registration = registered(event, visibility=PUBLIC)
    registration.user.is_active = False
    registration.user.save(update_fields=["is_active"])
    assert client.get(f"/participants/{registration.user.pk}/").status_code == 404
