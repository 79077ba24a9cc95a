"""The team pages through the client: who gets in, who is refused, without JS and with htmx."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone

from challenges.enums import ChallengeStatus
from teams import services
from teams.enums import JoinRequestStatus, MemberRole, TeamStatus
from teams.models import Invitation, JoinRequest, Membership, OpenRole, Team
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    LanguageFactory,
    SkillFactory,
    add_member,
)
from tests.teams.conftest import PITCH, participant, step_down_first, team_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(client):
    """The texts asserted here are the English msgids; German is the default language."""
    client.cookies["language"] = "en"


def url(name: str, *args) -> str:
    return reverse(f"teams:{name}", args=args)


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def hidden_team(db):
    event = EventFactory(is_public=False)
    founder = participant(event)
    return team_of(event, ChallengeFactory(event=event), founder, name="Geheimteam")


# --- the team page ---------------------------------------------------------------------------


def test_team_page_shows_pitch_members_roles_and_challenge(client, team, founder, member_user):
    python = SkillFactory(name="Python", slug="python", is_curated=True)
    role = OpenRole.objects.create(team=team, title="Backend", description="APIs bauen")
    role.skills.set([python])
    team.languages.set([LanguageFactory(code="de", name="Deutsch")])
    response = client.get(url("detail", team.pk))
    assert response.status_code == 200
    text = body(response)
    for expected in (PITCH, "Fenja Founder", "Mia Member", "Backend", "Python", "Deutsch"):
        assert expected in text
    assert team.challenge.title in text
    assert "founder@example.org" not in text and "mia@example.org" not in text


def test_team_page_lists_the_teams_own_working_languages(client, team):
    """The header's language switcher once overwrote the page's `languages` with the
    interface languages: every team seemed to work in "German, English"."""
    team.languages.set(
        [LanguageFactory(code="de", name="Deutsch"), LanguageFactory(code="tr", name="Türkçe")]
    )
    for language in ("en", "de"):
        client.cookies["language"] = language
        text = body(client.get(url("detail", team.pk)))
        assert "<dd>Deutsch, Türkçe</dd>" in text
        # The switcher still offers both interface languages.
        assert '<option value="en" lang="en"' in text and '<option value="de" lang="de"' in text


def test_team_page_chat_link_only_for_members_and_organisers(
    client, team, founder, member_user, joiner, organiser
):
    Team.objects.filter(pk=team.pk).update(chat_link="https://chat.example.org/bettenradar")
    link = "https://chat.example.org/bettenradar"
    assert link not in body(client.get(url("detail", team.pk)))
    client.force_login(joiner)
    assert link not in body(client.get(url("detail", team.pk)))
    for person in (member_user, founder, organiser):
        client.force_login(person)
        assert link in body(client.get(url("detail", team.pk)))


def test_team_page_of_hidden_event_is_404_for_stranger(client, hidden_team, stranger, organiser):
    assert client.get(url("detail", hidden_team.pk)).status_code == 404
    client.force_login(stranger)
    assert client.get(url("detail", hidden_team.pk)).status_code == 404
    client.force_login(organiser)
    assert client.get(url("detail", hidden_team.pk)).status_code == 200


def test_team_page_unknown_team_is_404(client, db):
    assert client.get(url("detail", 999999)).status_code == 404


def test_team_page_join_box_states(client, team, founder, joiner, stranger, member_user):
    text = body(client.get(url("detail", team.pk)))
    assert "Log in</a> to ask to join" in text
    client.force_login(joiner)
    assert "Ask to join" in body(client.get(url("detail", team.pk)))
    client.force_login(stranger)
    text = body(client.get(url("detail", team.pk)))
    assert "Register as a participant" in text and "Ask to join" not in text
    client.force_login(member_user)
    text = body(client.get(url("detail", team.pk)))
    assert "Leave the team" in text and "Manage requests" not in text
    client.force_login(founder)
    text = body(client.get(url("detail", team.pk)))
    assert "You are an admin of this team" in text and "Manage requests" in text


def test_team_page_full_team_offers_no_request(client, event, challenge, founder, joiner):
    full = team_of(event, challenge, founder, max_size=1)
    client.force_login(joiner)
    text = body(client.get(url("detail", full.pk)))
    assert "This team is full." in text and "Ask to join" not in text


def test_team_page_closed_team(client, team, founder, joiner):
    services.team_close(team=team, actor=founder)
    client.force_login(joiner)
    text = body(client.get(url("detail", team.pk)))
    assert "This team was closed" in text and "Ask to join" not in text


def test_team_page_query_count_independent_of_members(client, team, event, founder):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("detail", team.pk)).status_code == 200
        return len(queries)

    def add_member_and_role() -> None:
        add_member(team, participant(event))
        role = OpenRole.objects.create(team=team, title="Rolle")
        role.skills.set([SkillFactory()])

    client.force_login(founder)
    add_member_and_role()
    few = count()
    for _ in range(5):
        add_member_and_role()
    assert count() == few


# --- asking to join ---------------------------------------------------------------------------


def test_join_request_without_js_redirects(client, team, joiner, founder):
    client.force_login(joiner)
    response = client.post(url("request", team.pk), {"message": "Ich kann Karten bauen."})
    assert response.status_code == 302 and response.url == team.get_absolute_url()
    request = JoinRequest.objects.get(team=team, user=joiner)
    assert request.message == "Ich kann Karten bauen."
    text = body(client.get(team.get_absolute_url()))
    assert "Your request was sent" in text and "Withdraw my request" in text


def test_join_request_with_htmx_returns_join_box(client, team, joiner):
    client.force_login(joiner)
    response = client.post(url("request", team.pk), {"message": "Hallo"}, **HTMX)
    text = body(response)
    assert response.status_code == 200
    assert "<html" not in text and 'id="join-box"' in text
    assert "You asked to join this team" in text


def test_join_request_refused_with_htmx_shows_error(client, team, stranger):
    client.force_login(stranger)
    response = client.post(url("request", team.pk), {"message": "Hallo"}, **HTMX)
    assert 'role="alert"' in body(response)
    assert "registered as participants" in body(response)
    assert not JoinRequest.objects.exists()


def test_join_request_refused_without_js_shows_message(client, team, founder):
    client.force_login(founder)
    response = client.post(url("request", team.pk), {"message": ""}, follow=True)
    assert "You are already a member of this team." in body(response)


def test_join_request_anonymous_goes_to_login(client, team):
    response = client.post(url("request", team.pk), {"message": "Hallo"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not JoinRequest.objects.exists()


def test_join_request_hidden_team_is_404(client, hidden_team, stranger):
    client.force_login(stranger)
    assert client.post(url("request", hidden_team.pk), {"message": "x"}).status_code == 404


def test_join_request_message_too_long_is_refused(client, team, joiner):
    client.force_login(joiner)
    response = client.post(url("request", team.pk), {"message": "x" * 1001}, **HTMX)
    assert response.status_code == 200 and 'role="alert"' in body(response)
    assert not JoinRequest.objects.exists()


def test_join_request_withdraw_with_htmx(client, team, joiner):
    services.join_request_create(team=team, user=joiner)
    client.force_login(joiner)
    response = client.post(url("request_withdraw", team.pk), **HTMX)
    assert "Ask to join" in body(response)
    assert JoinRequest.objects.get().status == JoinRequestStatus.WITHDRAWN


def test_join_request_withdraw_without_request(client, team, joiner):
    client.force_login(joiner)
    response = client.post(url("request_withdraw", team.pk), follow=True)
    assert "You have no open request" in body(response)


def test_leave_without_js(client, team, member_user):
    client.force_login(member_user)
    response = client.post(url("leave", team.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=member_user).exists()


def test_leave_with_htmx_reloads_page(client, team, member_user):
    client.force_login(member_user)
    response = client.post(url("leave", team.pk), **HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == team.get_absolute_url()


def test_leave_by_non_member_is_404(client, team, joiner):
    client.force_login(joiner)
    assert client.post(url("leave", team.pk)).status_code == 404


# --- founding and editing -----------------------------------------------------------------------


def form_data(**overrides) -> dict:
    return {
        "name": "Lernbrücke",
        "pitch": "Eine Lernplattform für jede Schule, in zehn Minuten eingerichtet.",
        "chat_link": "https://discord.gg/lernbruecke",
        "max_size": "6",
        **overrides,
    }


def test_team_create_from_challenge_link(client, event, challenge, joiner):
    client.force_login(joiner)
    create = url("create", event.slug) + f"?challenge={challenge.number}"
    page = client.get(create)
    assert page.status_code == 200 and challenge.title in body(page)
    german = LanguageFactory(code="de", name="Deutsch")
    response = client.post(create, {**form_data(languages=["de"]), "challenge": challenge.number})
    team = Team.objects.get(name="Lernbrücke")
    assert response.status_code == 302 and response.url == url("edit", team.pk)
    assert (team.challenge, team.max_size, team.member_count) == (challenge, 6, 1)
    assert list(team.languages.all()) == [german]
    assert Membership.objects.get(team=team).role == MemberRole.ADMIN


def test_team_create_refuses_unregistered(client, event, challenge, stranger):
    client.force_login(stranger)
    create = url("create", event.slug) + f"?challenge={challenge.number}"
    assert "Only participants registered" in body(client.get(create))
    response = client.post(create, {**form_data(), "challenge": challenge.number})
    assert response.status_code == 200
    assert "Only participants registered" in body(response)
    assert not Team.objects.exists()


def test_team_create_refuses_taken_name_and_http_link(client, event, challenge, team, joiner):
    client.force_login(joiner)
    response = client.post(
        url("create", event.slug),
        {
            **form_data(name="bettenradar", chat_link="http://chat.example.org"),
            "challenge": challenge.number,
        },
    )
    text = body(response)
    assert "https://" in text and "Enter an https:// link." in text
    response = client.post(
        url("create", event.slug), {**form_data(name="bettenradar"), "challenge": challenge.number}
    )
    assert "There is already a team called" in body(response)
    assert Team.objects.count() == 1


def test_team_create_refuses_unpublished_or_missing_challenge(client, event, joiner):
    draft = ChallengeFactory(event=event, status=ChallengeStatus.DRAFT)
    client.force_login(joiner)
    for number in (draft.number, "", "abc"):
        response = client.post(url("create", event.slug), {**form_data(), "challenge": number})
        assert "Choose a published challenge" in body(response)
    assert not Team.objects.exists()


def test_team_create_anonymous_goes_to_login(client, event):
    assert "/accounts/login/" in client.get(url("create", event.slug)).url


def test_team_create_hidden_event_is_404(client, hidden_team, stranger):
    client.force_login(stranger)
    assert client.get(url("create", hidden_team.event.slug)).status_code == 404


def test_team_edit_by_admin(client, team, founder):
    client.force_login(founder)
    assert client.get(url("edit", team.pk)).status_code == 200
    response = client.post(url("edit", team.pk), form_data(name="Bettenkarte", max_size="10"))
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Bettenkarte"


def test_team_edit_refuses_max_size_below_members(client, team, founder, member_user):
    client.force_login(founder)
    response = client.post(url("edit", team.pk), form_data(max_size="1"))
    assert response.status_code == 200 and "max_size" in body(response)
    team.refresh_from_db()
    assert team.max_size == 10


@pytest.mark.parametrize("who", ["member_user", "joiner", "stranger"])
def test_team_edit_is_404_for_others(client, team, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("edit", team.pk)).status_code == 404
    assert client.post(url("edit", team.pk), form_data(name="Gekapert")).status_code == 404
    team.refresh_from_db()
    assert team.name == "Bettenradar"


def test_team_edit_by_organiser(client, team, organiser):
    client.force_login(organiser)
    assert client.get(url("edit", team.pk)).status_code == 200


def test_open_role_create_edit_delete(client, team, founder):
    python = SkillFactory(name="Python", slug="python", is_curated=True)
    client.force_login(founder)
    response = client.post(
        url("role_create", team.pk),
        {
            "role-title": "Backend",
            "role-description": "APIs",
            "role-skills": [python.pk],
            "role-other_skills": "FastAPI",
        },
    )
    assert response.status_code == 302
    role = OpenRole.objects.get(team=team)
    assert sorted(s.name for s in role.skills.all()) == ["FastAPI", "Python"]
    response = client.post(url("role_edit", team.pk, role.pk), {"title": "Backend (Django)"})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.title == "Backend (Django)" and not role.skills.exists()
    assert client.post(url("role_delete", team.pk, role.pk)).status_code == 302
    assert not OpenRole.objects.exists()


def test_open_role_create_invalid_is_400(client, team, founder):
    client.force_login(founder)
    response = client.post(url("role_create", team.pk), {"role-title": ""})
    assert response.status_code == 400 and not OpenRole.objects.exists()


def test_open_role_pages_are_404_for_members(client, team, member_user):
    role = OpenRole.objects.create(team=team, title="Backend")
    client.force_login(member_user)
    assert client.post(url("role_create", team.pk), {"role-title": "X"}).status_code == 404
    assert client.get(url("role_edit", team.pk, role.pk)).status_code == 404
    assert client.post(url("role_delete", team.pk, role.pk)).status_code == 404
    assert OpenRole.objects.count() == 1


def test_role_of_other_team_is_404(client, event, challenge, team, founder):
    other = team_of(event, challenge, participant(event), name="Anderes Team")
    role = OpenRole.objects.create(team=other, title="Fremd")
    client.force_login(founder)
    assert client.post(url("role_delete", team.pk, role.pk)).status_code == 404


def test_team_close_confirm_and_post(client, team, founder, member_user):
    client.force_login(founder)
    assert "This cannot be undone" in body(client.get(url("close", team.pk)))
    response = client.post(url("close", team.pk))
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.status == TeamStatus.CLOSED


def test_team_close_is_404_for_members(client, team, member_user):
    client.force_login(member_user)
    assert client.post(url("close", team.pk)).status_code == 404
    team.refresh_from_db()
    assert team.status == TeamStatus.OPEN


# --- the manage page ---------------------------------------------------------------------------


@pytest.fixture
def pending(team, joiner):
    return services.join_request_create(team=team, user=joiner, message="Ich kann React.")


def test_manage_page_lists_requests_for_admins(client, team, founder, pending):
    client.force_login(founder)
    response = client.get(url("manage", team.pk))
    text = body(response)
    assert response.status_code == 200
    assert "Jo Joiner" in text and "Ich kann React." in text
    assert "joiner@example.org" not in text


@pytest.mark.parametrize("who", ["member_user", "joiner", "stranger"])
def test_manage_page_is_404_for_others(client, team, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("manage", team.pk)).status_code == 404


def test_manage_page_anonymous_goes_to_login(client, team):
    assert "/accounts/login/" in client.get(url("manage", team.pk)).url


def test_manage_page_for_organiser(client, team, organiser, pending):
    client.force_login(organiser)
    assert "Jo Joiner" in body(client.get(url("manage", team.pk)))


def test_manage_page_query_count_constant(client, team, founder, event):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("manage", team.pk)).status_code == 200
        return len(queries)

    client.force_login(founder)
    services.join_request_create(team=team, user=participant(event))
    add_member(team, participant(event))
    services.invitation_create(team=team, actor=founder)
    few = count()
    for _ in range(4):
        services.join_request_create(team=team, user=participant(event))
        add_member(team, participant(event))
        services.invitation_create(team=team, actor=founder)
    assert count() == few


def test_accept_with_htmx_swaps_row_and_members(client, team, founder, pending, joiner):
    client.force_login(founder)
    response = client.post(url("request_accept", team.pk, pending.pk), **HTMX)
    text = body(response)
    assert response.status_code == 200 and "<html" not in text
    assert f'id="request-{pending.pk}"' in text
    assert "Jo Joiner is now a member of the team." in text
    assert 'id="team-members"' in text and 'hx-swap-oob="true"' in text
    assert Membership.objects.filter(team=team, user=joiner).exists()


def test_accept_without_js_redirects_to_manage(client, team, founder, pending):
    client.force_login(founder)
    response = client.post(url("request_accept", team.pk, pending.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("manage", team.pk)
    assert "Jo Joiner is now a member of the team." in body(response)


def test_accept_refused_with_htmx_keeps_buttons(client, event, challenge, founder, joiner):
    small = team_of(event, challenge, founder, max_size=2)
    request = services.join_request_create(team=small, user=joiner)
    add_member(small, participant(event))
    client.force_login(founder)
    text = body(client.post(url("request_accept", small.pk, request.pk), **HTMX))
    assert 'role="alert"' in text and "This team is full." in text
    assert "Accept" in text and "hx-swap-oob" not in text


def test_accept_by_member_is_404(client, team, member_user, pending):
    client.force_login(member_user)
    assert client.post(url("request_accept", team.pk, pending.pk)).status_code == 404
    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.PENDING


def test_accept_request_of_other_team_is_404(client, event, challenge, founder, joiner):
    mine = team_of(event, challenge, founder)
    other = team_of(event, challenge, participant(event), name="Anderes Team")
    request = services.join_request_create(team=other, user=joiner)
    client.force_login(founder)
    assert client.post(url("request_accept", mine.pk, request.pk)).status_code == 404


def test_decline_with_htmx(client, team, founder, pending):
    client.force_login(founder)
    text = body(client.post(url("request_decline", team.pk, pending.pk), **HTMX))
    assert "You declined the request of Jo Joiner." in text
    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.DECLINED


def test_decline_without_js(client, team, founder, pending):
    client.force_login(founder)
    response = client.post(url("request_decline", team.pk, pending.pk))
    assert response.status_code == 302


def test_remove_member_with_htmx(client, team, founder, member_user):
    client.force_login(founder)
    membership = Membership.objects.get(user=member_user)
    text = body(client.post(url("member_remove", team.pk, membership.pk), **HTMX))
    assert "Mia Member is no longer a member." in text and 'id="team-members"' in text
    assert not Membership.objects.filter(user=member_user).exists()


def test_remove_self_is_refused(client, team, founder):
    client.force_login(founder)
    membership = Membership.objects.get(user=founder)
    response = client.post(url("member_remove", team.pk, membership.pk), follow=True)
    assert "You cannot remove yourself" in body(response)


def test_remove_by_member_is_404(client, team, founder, member_user):
    client.force_login(member_user)
    membership = Membership.objects.get(user=founder)
    assert client.post(url("member_remove", team.pk, membership.pk)).status_code == 404


def test_make_admin_with_htmx(client, team, founder, member_user):
    client.force_login(founder)
    membership = Membership.objects.get(user=member_user)
    text = body(client.post(url("member_make_admin", team.pk, membership.pk), **HTMX))
    assert "Mia Member is now an admin of the team." in text
    membership.refresh_from_db()
    assert membership.role == MemberRole.ADMIN


def test_hand_over_and_step_down_leaves_manage_page(client, team, founder, member_user):
    client.force_login(founder)
    membership = Membership.objects.get(user=member_user)
    response = client.post(
        url("member_make_admin", team.pk, membership.pk), {"step_down": "on"}, **HTMX
    )
    assert response.status_code == 204 and response["HX-Redirect"] == team.get_absolute_url()
    assert Membership.objects.get(user=founder).role == MemberRole.MEMBER
    response = client.post(url("member_make_admin", team.pk, membership.pk), {"step_down": "on"})
    assert response.status_code == 404  # no longer an admin


def test_invitation_create_and_revoke_with_htmx(client, team, founder):
    client.force_login(founder)
    text = body(client.post(url("invitation_create", team.pk), {"valid_days": "3"}, **HTMX))
    invitation = Invitation.objects.get(team=team)
    assert f"/teams/join/{invitation.token}/" in text
    assert timezone.now() + timedelta(days=2) < invitation.expires_at
    text = body(client.post(url("invitation_revoke", team.pk, invitation.pk), **HTMX))
    assert invitation.token not in text
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_invitation_create_invalid_days(client, team, founder):
    client.force_login(founder)
    response = client.post(url("invitation_create", team.pk), {"valid_days": "99"}, follow=True)
    assert "valid for 1 to 60 days" in body(response)
    assert not Invitation.objects.exists()


def test_invitation_create_by_member_is_404(client, team, member_user):
    client.force_login(member_user)
    assert client.post(url("invitation_create", team.pk)).status_code == 404
    assert not Invitation.objects.exists()


# --- the invitation page ------------------------------------------------------------------------


@pytest.fixture
def invitation(team, founder):
    return services.invitation_create(team=team, actor=founder)


def test_invitation_page_anonymous_sees_team_and_login(client, invitation, team):
    text = body(client.get(url("invitation", invitation.token)))
    assert team.name in text and "Log in</a> or" in text and "Join the team</button>" not in text
    response = client.post(url("invitation", invitation.token))
    assert "/accounts/login/" in response.url


def test_invitation_page_joins(client, invitation, team, joiner):
    client.force_login(joiner)
    assert "Join the team</button>" in body(client.get(url("invitation", invitation.token)))
    response = client.post(url("invitation", invitation.token))
    assert response.status_code == 302 and response.url == team.get_absolute_url()
    assert Membership.objects.filter(team=team, user=joiner).exists()


def test_invitation_page_unregistered_gets_message(client, invitation, stranger):
    client.force_login(stranger)
    response = client.post(url("invitation", invitation.token))
    assert response.status_code == 200 and "registered as participants" in body(response)


def test_invitation_page_expired(client, invitation, joiner):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    client.force_login(joiner)
    text = body(client.get(url("invitation", invitation.token)))
    assert "This invitation has expired" in text and "Join the team</button>" not in text
    client.post(url("invitation", invitation.token))
    assert not Membership.objects.filter(user=joiner).exists()


def test_invitation_page_revoked(client, invitation, founder, joiner):
    services.invitation_revoke(invitation=invitation, actor=founder)
    client.force_login(joiner)
    assert "withdrawn by the team" in body(client.get(url("invitation", invitation.token)))


def test_invitation_page_unknown_token_is_404(client, db):
    response = client.get(url("invitation", "unknown-token"))
    assert response.status_code == 404 and "not valid" in body(response)


def test_invitation_page_for_member(client, invitation, founder):
    client.force_login(founder)
    assert "already a member" in body(client.get(url("invitation", invitation.token)))


def test_invitation_page_hidden_event_is_404(client, hidden_team, stranger):
    admin = hidden_team.memberships.get().user
    invitation = services.invitation_create(team=hidden_team, actor=admin)
    client.force_login(stranger)
    assert client.get(url("invitation", invitation.token)).status_code == 404


# --- my teams, the challenge page, navigation -----------------------------------------------------


def test_my_teams_lists_memberships(client, team, founder, event, challenge):
    other_event = EventFactory()
    other = team_of(
        other_event, ChallengeFactory(event=other_event), participant(other_event), name="Fremd"
    )
    client.force_login(founder)
    text = body(client.get(url("mine")))
    assert "Bettenradar" in text and other.name not in text
    assert url("manage", team.pk) in text


def test_my_teams_empty_and_anonymous(client, joiner):
    assert "/accounts/login/" in client.get(url("mine")).url
    client.force_login(joiner)
    assert "You are not in a team yet" in body(client.get(url("mine")))


def test_my_teams_query_count_constant(client, event, challenge):
    person = participant(event)
    client.force_login(person)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("mine")).status_code == 200
        return len(queries)

    event.teams_per_person = 10
    event.save()
    team_of(event, challenge, person, name="Team 1")
    few = count()
    for n in range(2, 6):
        team_of(event, challenge, person, name=f"Team {n}")
    assert count() == few


def test_challenge_page_lists_teams_and_start_link(client, team, challenge, event):
    closed = team_of(event, challenge, participant(event), name="Aufgelöst")
    services.team_close(team=closed, actor=closed.memberships.get().user)
    text = body(client.get(challenge.get_absolute_url()))
    assert "Teams working on it" in text and "Bettenradar" in text
    assert "Aufgelöst" not in text
    assert f"{url('create', event.slug)}?challenge={challenge.number}" in text


def test_navigation_has_my_teams(client, joiner):
    client.force_login(joiner)
    assert url("mine") in body(client.get(reverse("home")))


def test_bad_input_gives_form_errors_not_500(client, event, team, founder):
    big = "9" * 30
    client.force_login(founder)
    assert client.get(url("create", event.slug) + f"?challenge={big}").status_code == 200
    response = client.post(url("role_create", team.pk), {"role-title": "x", "role-skills": [big]})
    assert response.status_code == 400 and not OpenRole.objects.exists()
    response = client.post(
        url("edit", team.pk), {"name": "", "pitch": "", "max_size": big, "languages": ["zz"]}
    )
    assert response.status_code == 200
    assert client.get(url("detail", big)).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_join_route_with_nul_is_400(client, joiner, method):
    client.force_login(joiner)
    response = getattr(client, method)("/teams/join/%00/")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("token", ["ab$cd", "a" * 65, "abc.def", "%C3%A4"])
def test_join_route_only_takes_url_safe_tokens(client, token):
    assert client.get(f"/teams/join/{token}/").status_code == 404
    with pytest.raises(Resolver404):
        resolve(f"/teams/join/{token}/")


def test_join_route_takes_real_tokens(client, team, founder):
    invitation = services.invitation_create(team=team, actor=founder)
    assert resolve(f"/teams/join/{invitation.token}/").url_name == "invitation"
    assert client.get(f"/teams/join/{invitation.token}/").status_code == 200
    with pytest.raises(NoReverseMatch):
        reverse("teams:invitation", kwargs={"token": "a b"})


def test_open_role_delete_race_shows_message_not_500(
    client, monkeypatch, team, founder, member_user
):
    role = OpenRole.objects.create(team=team, title="Backend")
    step_down_first(monkeypatch, "open_role_delete", team, founder, member_user)
    client.force_login(founder)

    response = client.post(reverse("teams:role_delete", args=[team.pk, role.pk]), follow=True)

    assert response.status_code == 200
    assert "Only the team&#x27;s admins can edit it." in response.content.decode()
    assert OpenRole.objects.filter(pk=role.pk).exists()


def test_invitation_revoke_race_shows_message_not_500(
    client, monkeypatch, team, founder, member_user
):
    invitation = services.invitation_create(team=team, actor=founder)
    step_down_first(monkeypatch, "invitation_revoke", team, founder, member_user)
    client.force_login(founder)
    url = reverse("teams:invitation_revoke", args=[team.pk, invitation.pk])

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "Only the team&#x27;s admins can revoke." in response.content.decode()
    assert response.redirect_chain[-1][0] == team.get_absolute_url()
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_invitation_revoke_race_with_htmx_leaves_the_manage_page(
    client, monkeypatch, team, founder, member_user
):
    invitation = services.invitation_create(team=team, actor=founder)
    step_down_first(monkeypatch, "invitation_revoke", team, founder, member_user)
    client.force_login(founder)

    response = client.post(
        reverse("teams:invitation_revoke", args=[team.pk, invitation.pk]), **HTMX
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == team.get_absolute_url()
