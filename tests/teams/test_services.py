"""Every rule of teams.services, including the people who must be refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation

from audit.services import audit_entries_for
from challenges.enums import ChallengeStatus
from notifications.models import Notification
from notifications.rendering import render_email, render_inapp_text
from participants import services as participant_services
from participants.enums import EventRole
from participants.models import Registration
from teams import rules, services
from teams.enums import JoinRequestStatus, MemberRole, TeamStatus
from teams.models import Invitation, JoinRequest, Membership, Team
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    LanguageFactory,
    RegistrationFactory,
    SkillFactory,
    add_member,
)
from tests.teams.conftest import PITCH, participant, team_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages asserted here are the English msgids; German is the default language."""
    with translation.override("en"):
        yield


def kinds_for(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def actions_for(team) -> list[str]:
    return sorted(entry.action for entry in audit_entries_for(target=team))


def member(team, event):
    """A fresh participant who joined the team through an accepted request."""
    user = participant(event)
    request = services.join_request_create(team=team, user=user, message="Hallo")
    admin = Membership.objects.filter(team=team, role=MemberRole.ADMIN).first().user
    services.join_request_accept(join_request=request, actor=admin)
    team.refresh_from_db()
    return user


# --- founding -----------------------------------------------------------------------------------


def test_team_create_makes_founder_admin(event, challenge, founder):
    german = LanguageFactory(code="de", name="Deutsch")
    team = team_of(
        event, challenge, founder, languages=[german], chat_link="https://chat.example.org"
    )
    assert team.member_count == 1
    assert team.max_size == event.team_max_size == 10
    assert team.status == TeamStatus.OPEN
    assert list(team.languages.all()) == [german]
    membership = Membership.objects.get(team=team)
    assert (membership.user, membership.role, membership.event) == (founder, "admin", event)
    assert actions_for(team) == ["team.create"]


def test_team_create_accepts_smaller_max_size(event, challenge, founder):
    team = team_of(event, challenge, founder, max_size=4)
    assert team.max_size == 4


def test_team_create_refuses_max_size_above_event_limit(event, challenge, founder):
    with pytest.raises(services.TeamError) as error:
        team_of(event, challenge, founder, max_size=11)
    assert error.value.field == "max_size"


def test_team_create_refuses_unregistered_person(event, challenge, stranger):
    with pytest.raises(services.TeamError, match="registered as participants"):
        team_of(event, challenge, stranger)
    assert not Team.objects.exists()


def test_team_create_refuses_mentor(event, challenge):
    mentor = RegistrationFactory(event=event, role=EventRole.MENTOR).user
    with pytest.raises(services.TeamError):
        team_of(event, challenge, mentor)


def test_team_create_refuses_anonymous(event, challenge):
    with pytest.raises(services.TeamError, match="log in"):
        team_of(event, challenge, AnonymousUser())


def test_team_create_refuses_unpublished_challenge(event, founder):
    draft = ChallengeFactory(event=event, status=ChallengeStatus.SUBMITTED)
    with pytest.raises(services.TeamError) as error:
        team_of(event, draft, founder)
    assert error.value.field == "challenge"


def test_team_create_refuses_challenge_of_other_event(event, founder):
    other = ChallengeFactory(event=EventFactory())
    with pytest.raises(services.TeamError, match="another event"):
        team_of(event, other, founder)


def test_team_create_refuses_taken_name_case_insensitively(event, challenge, team):
    other = participant(event)
    with pytest.raises(services.TeamError, match="already a team called") as error:
        team_of(event, challenge, other, name="  BETTENRADAR ")
    assert error.value.field == "name"


def test_team_create_same_name_in_other_event_is_fine(event, challenge, team):
    other_event = EventFactory()
    other_challenge = ChallengeFactory(event=other_event)
    other = participant(other_event)
    assert team_of(other_event, other_challenge, other).name == "Bettenradar"


def test_team_create_refuses_founder_already_in_a_team(event, challenge, founder, team):
    with pytest.raises(services.TeamError, match="already in a team"):
        team_of(event, challenge, founder, name="Zweites Team")


def test_team_create_second_team_when_event_allows(event, challenge, founder, team):
    event.teams_per_person = 2
    event.save()
    second = team_of(event, challenge, founder, name="Zweites Team")
    assert second.member_count == 1


def test_team_create_withdraws_founders_pending_requests(event, challenge, team, joiner):
    request = services.join_request_create(team=team, user=joiner)
    team_of(event, challenge, joiner, name="Eigenes Team")
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.WITHDRAWN


# --- editing and closing ------------------------------------------------------------------------


def test_team_update_by_admin(team, founder):
    services.team_update(team=team, actor=founder, data={"name": "Bettenkarte", "max_size": 5})
    team.refresh_from_db()
    assert (team.name, team.max_size) == ("Bettenkarte", 5)
    assert "team.update" in actions_for(team)


def test_team_update_refuses_plain_member(team, event):
    plain = member(team, event)
    with pytest.raises(services.TeamError, match="Only the team's admins"):
        services.team_update(team=team, actor=plain, data={"name": "Gekapert"})


def test_team_update_refuses_stranger(team, stranger):
    with pytest.raises(services.TeamError):
        services.team_update(team=team, actor=stranger, data={"pitch": PITCH + " Neu."})


def test_team_update_by_organiser(team, organiser):
    services.team_update(team=team, actor=organiser, data={"pitch": PITCH + " Geprüft."})
    team.refresh_from_db()
    assert team.pitch.endswith("Geprüft.")


def test_team_update_refuses_taken_name(event, challenge, team, founder):
    team_of(event, challenge, participant(event), name="Lernbrücke")
    with pytest.raises(services.TeamError) as error:
        services.team_update(team=team, actor=founder, data={"name": "lernbrücke"})
    assert error.value.field == "name"


def test_team_update_refuses_max_size_below_member_count(team, founder, event):
    member(team, event)
    with pytest.raises(services.TeamError) as error:
        services.team_update(team=team, actor=founder, data={"max_size": 1})
    assert error.value.field == "max_size"


def test_team_close_dissolves_team(team, founder, event, joiner):
    plain = member(team, event)
    pending = services.join_request_create(team=team, user=joiner)
    invitation = services.invitation_create(team=team, actor=founder)
    services.team_close(team=team, actor=founder)
    team.refresh_from_db()
    assert team.status == TeamStatus.CLOSED and team.closed_at is not None
    assert team.member_count == 0 and not team.memberships.exists()
    pending.refresh_from_db()
    invitation.refresh_from_db()
    assert pending.status == JoinRequestStatus.DECLINED
    assert invitation.revoked_at is not None
    assert "team.closed" in kinds_for(plain)
    assert "team.closed" not in kinds_for(founder)
    assert "team.close" in actions_for(team)


def test_team_close_frees_members_for_other_teams(team, founder, event, challenge):
    plain = member(team, event)
    services.team_close(team=team, actor=founder)
    assert team_of(event, challenge, plain, name="Neustart").member_count == 1


def test_team_close_refuses_plain_member(team, event):
    plain = member(team, event)
    with pytest.raises(services.TeamError):
        services.team_close(team=team, actor=plain)
    team.refresh_from_db()
    assert team.status == TeamStatus.OPEN


def test_team_close_by_organiser(team, organiser, founder):
    services.team_close(team=team, actor=organiser)
    assert "team.closed" in kinds_for(founder)


def test_team_close_twice_refused(team, founder):
    services.team_close(team=team, actor=founder)
    with pytest.raises(services.TeamError, match="closed"):
        services.team_close(team=team, actor=founder)


# --- open roles -------------------------------------------------------------------------------


def test_open_role_create_with_skills(team, founder):
    python = SkillFactory(name="Python", slug="python", is_curated=True)
    role = services.open_role_create(
        team=team, actor=founder, title="Backend", description="APIs", skills=[python]
    )
    assert list(role.skills.all()) == [python]
    services.open_role_update(role=role, actor=founder, title="Backend (Django)", skills=[])
    role.refresh_from_db()
    assert role.title == "Backend (Django)" and not role.skills.exists()
    services.open_role_delete(role=role, actor=founder)
    assert not team.open_roles.exists()


def test_open_role_create_refuses_plain_member(team, event):
    plain = member(team, event)
    with pytest.raises(services.TeamError):
        services.open_role_create(team=team, actor=plain, title="Chef")


def test_open_role_create_refuses_empty_title(team, founder):
    with pytest.raises(services.TeamError) as error:
        services.open_role_create(team=team, actor=founder, title="  ")
    assert error.value.field == "title"


# --- join requests ----------------------------------------------------------------------------


def test_join_request_create_notifies_admins(team, founder, joiner):
    request = services.join_request_create(team=team, user=joiner, message=" Ich kann Python. ")
    assert request.status == JoinRequestStatus.PENDING
    assert request.message == "Ich kann Python."
    notification = Notification.objects.get(recipient=founder)
    assert notification.kind == "team.join_request_received"
    assert notification.context["person_name"] == "Jo Joiner"
    assert notification.context["url"] == f"/teams/{team.pk}/manage/"
    assert "joiner@example.org" not in str(notification.context)


def test_join_request_create_refuses_unregistered(team, stranger):
    with pytest.raises(services.TeamError, match="registered as participants"):
        services.join_request_create(team=team, user=stranger)


def test_join_request_create_refuses_anonymous(team):
    with pytest.raises(services.TeamError, match="log in"):
        services.join_request_create(team=team, user=AnonymousUser())


def test_join_request_create_refuses_member(team, founder):
    with pytest.raises(services.TeamError, match="already a member"):
        services.join_request_create(team=team, user=founder)


def test_join_request_create_refuses_closed_team(team, founder, joiner):
    services.team_close(team=team, actor=founder)
    with pytest.raises(services.TeamError, match="closed"):
        services.join_request_create(team=team, user=joiner)


def test_join_request_create_refuses_full_team(event, challenge, founder, joiner):
    team = team_of(event, challenge, founder, max_size=1)
    with pytest.raises(services.TeamError, match="full"):
        services.join_request_create(team=team, user=joiner)


def test_join_request_create_refuses_person_in_another_team(event, challenge, team, joiner):
    team_of(event, challenge, joiner, name="Eigenes Team")
    with pytest.raises(services.TeamError, match="already in a team"):
        services.join_request_create(team=team, user=joiner)


def test_join_request_create_one_pending_per_team(team, joiner):
    services.join_request_create(team=team, user=joiner)
    with pytest.raises(services.TeamError, match="already asked"):
        services.join_request_create(team=team, user=joiner)
    assert JoinRequest.objects.filter(team=team, user=joiner).count() == 1


def test_join_request_again_after_decline(team, founder, joiner):
    first = services.join_request_create(team=team, user=joiner)
    services.join_request_decline(join_request=first, actor=founder)
    second = services.join_request_create(team=team, user=joiner)
    assert second.pk != first.pk


def test_join_request_withdraw_by_requester(team, joiner):
    request = services.join_request_create(team=team, user=joiner)
    services.join_request_withdraw(join_request=request, user=joiner)
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.WITHDRAWN
    with pytest.raises(services.TeamError, match="already answered"):
        services.join_request_withdraw(join_request=request, user=joiner)


def test_join_request_withdraw_refuses_others(team, joiner, founder):
    request = services.join_request_create(team=team, user=joiner)
    with pytest.raises(services.TeamError, match="not your request"):
        services.join_request_withdraw(join_request=request, user=founder)


def test_join_request_accept_adds_member(team, founder, joiner):
    request = services.join_request_create(team=team, user=joiner)
    membership = services.join_request_accept(join_request=request, actor=founder)
    team.refresh_from_db()
    request.refresh_from_db()
    assert (membership.user, membership.role) == (joiner, MemberRole.MEMBER)
    assert team.member_count == 2
    assert request.status == JoinRequestStatus.ACCEPTED
    assert request.decided_by == founder and request.decided_at is not None
    assert "team.join_request_accepted" in kinds_for(joiner)


def test_join_request_accept_withdraws_other_pending_requests(event, challenge, team, joiner):
    other_team = team_of(event, challenge, participant(event), name="Anderes Team")
    other_request = services.join_request_create(team=other_team, user=joiner)
    request = services.join_request_create(team=team, user=joiner)
    services.join_request_accept(join_request=request, actor=team.memberships.get().user)
    other_request.refresh_from_db()
    assert other_request.status == JoinRequestStatus.WITHDRAWN


def test_join_request_accept_refuses_plain_member(team, event, joiner):
    plain = member(team, event)
    request = services.join_request_create(team=team, user=joiner)
    with pytest.raises(services.TeamError, match="Only the team's admins"):
        services.join_request_accept(join_request=request, actor=plain)
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.PENDING


def test_join_request_accept_refuses_stranger(team, joiner, stranger):
    request = services.join_request_create(team=team, user=joiner)
    with pytest.raises(services.TeamError):
        services.join_request_accept(join_request=request, actor=stranger)


def test_join_request_accept_by_organiser(team, joiner, organiser):
    request = services.join_request_create(team=team, user=joiner)
    services.join_request_accept(join_request=request, actor=organiser)
    assert team.memberships.filter(user=joiner).exists()


def test_join_request_accept_refuses_person_who_joined_another_team(
    event, challenge, team, founder, joiner
):
    request = services.join_request_create(team=team, user=joiner)
    other_team = team_of(event, challenge, participant(event), name="Schnelleres Team")
    invitation = services.invitation_create(
        team=other_team, actor=other_team.memberships.get().user
    )
    services.invitation_accept(token=invitation.token, user=joiner)
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.WITHDRAWN  # settled people's requests go
    # Even a request still pending (e.g. when the event allowed more teams before) is refused.
    JoinRequest.objects.filter(pk=request.pk).update(status=JoinRequestStatus.PENDING)
    with pytest.raises(services.TeamError, match="Jo Joiner has meanwhile joined another team"):
        services.join_request_accept(join_request=request, actor=founder)
    team.refresh_from_db()
    assert team.member_count == 1


def test_join_request_accept_refuses_when_full(event, challenge, founder, joiner):
    team = team_of(event, challenge, founder, max_size=2)
    first = services.join_request_create(team=team, user=joiner)
    late = participant(event)
    second = services.join_request_create(team=team, user=late)
    services.join_request_accept(join_request=first, actor=founder)
    with pytest.raises(services.TeamError, match="full"):
        services.join_request_accept(join_request=second, actor=founder)
    team.refresh_from_db()
    assert team.member_count == 2


def test_join_request_accept_refuses_answered_request(team, founder, joiner):
    request = services.join_request_create(team=team, user=joiner)
    services.join_request_decline(join_request=request, actor=founder)
    with pytest.raises(services.TeamError, match="already answered"):
        services.join_request_accept(join_request=request, actor=founder)


def test_join_request_decline_notifies(team, founder, joiner):
    request = services.join_request_create(team=team, user=joiner)
    services.join_request_decline(join_request=request, actor=founder)
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.DECLINED
    assert "team.join_request_declined" in kinds_for(joiner)


def test_join_request_decline_refuses_plain_member(team, event, joiner):
    plain = member(team, event)
    request = services.join_request_create(team=team, user=joiner)
    with pytest.raises(services.TeamError):
        services.join_request_decline(join_request=request, actor=plain)


# --- invitations ------------------------------------------------------------------------------


def test_invitation_create_expires_in_a_week(team, founder):
    invitation = services.invitation_create(team=team, actor=founder)
    assert len(invitation.token) >= 40
    delta = invitation.expires_at - timezone.now()
    assert timedelta(days=6, hours=23) < delta <= timedelta(days=7)


def test_invitation_create_refuses_plain_member(team, event):
    plain = member(team, event)
    with pytest.raises(services.TeamError):
        services.invitation_create(team=team, actor=plain)


def test_invitation_create_refuses_closed_team(team, founder):
    services.team_close(team=team, actor=founder)
    with pytest.raises(services.TeamError, match="closed"):
        services.invitation_create(team=team, actor=founder)


def test_invitation_accept_joins_and_tells_admins(team, founder, joiner):
    pending = services.join_request_create(team=team, user=joiner)
    invitation = services.invitation_create(team=team, actor=founder)
    services.invitation_accept(token=invitation.token, user=joiner)
    team.refresh_from_db()
    invitation.refresh_from_db()
    pending.refresh_from_db()
    assert team.member_count == 2 and team.memberships.filter(user=joiner).exists()
    assert invitation.uses == 1
    assert pending.status == JoinRequestStatus.ACCEPTED
    used = Notification.objects.get(recipient=founder, kind="team.invitation_used")
    assert used.context["person_name"] == "Jo Joiner"


def test_invitation_accept_refuses_expired(team, founder, joiner):
    invitation = services.invitation_create(team=team, actor=founder)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(services.TeamError, match="expired"):
        services.invitation_accept(token=invitation.token, user=joiner)


def test_invitation_accept_refuses_revoked(team, founder, joiner):
    invitation = services.invitation_create(team=team, actor=founder)
    services.invitation_revoke(invitation=invitation, actor=founder)
    with pytest.raises(services.TeamError, match="withdrawn"):
        services.invitation_accept(token=invitation.token, user=joiner)


def test_invitation_accept_refuses_unknown_token(team, joiner):
    with pytest.raises(services.TeamError, match="not valid"):
        services.invitation_accept(token="nope", user=joiner)


def test_invitation_accept_refuses_unregistered(team, founder, stranger):
    invitation = services.invitation_create(team=team, actor=founder)
    with pytest.raises(services.TeamError, match="registered as participants"):
        services.invitation_accept(token=invitation.token, user=stranger)


def test_invitation_accept_refuses_member(team, founder):
    invitation = services.invitation_create(team=team, actor=founder)
    with pytest.raises(services.TeamError, match="already a member"):
        services.invitation_accept(token=invitation.token, user=founder)


def test_invitation_accept_refuses_full_team(event, challenge, founder, joiner):
    team = team_of(event, challenge, founder, max_size=1)
    invitation = services.invitation_create(team=team, actor=founder)
    with pytest.raises(services.TeamError, match="full"):
        services.invitation_accept(token=invitation.token, user=joiner)
    assert Invitation.objects.get(pk=invitation.pk).uses == 0


def test_invitation_accept_refuses_person_in_another_team(event, challenge, team, founder):
    other = participant(event)
    team_of(event, challenge, other, name="Anderes Team")
    invitation = services.invitation_create(team=team, actor=founder)
    with pytest.raises(services.TeamError, match="already in a team"):
        services.invitation_accept(token=invitation.token, user=other)


def test_invitation_revoke_refuses_plain_member(team, founder, event):
    plain = member(team, event)
    invitation = services.invitation_create(team=team, actor=founder)
    with pytest.raises(services.TeamError):
        services.invitation_revoke(invitation=invitation, actor=plain)


# --- leaving, removing, admins --------------------------------------------------------------------


def test_membership_leave_tells_admins(team, founder, event):
    plain = member(team, event)
    services.membership_leave(team=team, user=plain)
    team.refresh_from_db()
    assert team.member_count == 1
    assert not team.memberships.filter(user=plain).exists()
    left = Notification.objects.get(recipient=founder, kind="team.member_left")
    assert left.context["person_name"] == plain.public_name


def test_membership_leave_refuses_non_member(team, stranger):
    with pytest.raises(services.TeamError, match="not a member"):
        services.membership_leave(team=team, user=stranger)


def test_last_admin_leaving_promotes_longest_member(team, founder, event):
    first = member(team, event)
    member(team, event)
    services.membership_leave(team=team, user=founder)
    assert Membership.objects.get(team=team, user=first).role == MemberRole.ADMIN
    assert Membership.objects.filter(team=team, role=MemberRole.ADMIN).count() == 1
    assert "team.admin_hand_over" in actions_for(team)
    assert "team.member_left" in kinds_for(first)


def test_last_member_leaving_closes_team(team, founder):
    services.membership_leave(team=team, user=founder)
    team.refresh_from_db()
    assert team.status == TeamStatus.CLOSED and team.closed_at is not None
    assert team.member_count == 0
    assert "team.close" in actions_for(team)


def test_membership_remove_by_admin(team, founder, event):
    plain = member(team, event)
    services.membership_remove(membership=team.memberships.get(user=plain), actor=founder)
    team.refresh_from_db()
    assert team.member_count == 1
    assert "team.member_removed" in kinds_for(plain)
    assert "team.member_remove" in actions_for(team)


def test_membership_remove_refuses_self(team, founder):
    with pytest.raises(services.TeamError, match="cannot remove yourself"):
        services.membership_remove(membership=team.memberships.get(user=founder), actor=founder)


def test_membership_remove_refuses_plain_member(team, founder, event):
    plain = member(team, event)
    with pytest.raises(services.TeamError):
        services.membership_remove(membership=team.memberships.get(user=founder), actor=plain)
    team.refresh_from_db()
    assert team.member_count == 2


def test_membership_remove_by_organiser_of_last_admin_promotes(team, founder, event, organiser):
    plain = member(team, event)
    services.membership_remove(membership=team.memberships.get(user=founder), actor=organiser)
    assert Membership.objects.get(team=team, user=plain).role == MemberRole.ADMIN


def test_admin_hand_over_and_step_down(team, founder, event):
    plain = member(team, event)
    services.admin_hand_over(team=team, actor=founder, to_user=plain, step_down=True)
    roles = dict(team.memberships.values_list("user_id", "role"))
    assert roles == {founder.pk: MemberRole.MEMBER, plain.pk: MemberRole.ADMIN}
    assert "team.admin_hand_over" in actions_for(team)


def test_admin_hand_over_keeps_both_admins(team, founder, event):
    plain = member(team, event)
    services.admin_hand_over(team=team, actor=founder, to_user=plain)
    assert team.memberships.filter(role=MemberRole.ADMIN).count() == 2


def test_admin_hand_over_refuses_plain_member(team, founder, event):
    plain = member(team, event)
    with pytest.raises(services.TeamError):
        services.admin_hand_over(team=team, actor=plain, to_user=plain)


def test_admin_hand_over_refuses_non_member_target(team, founder, stranger):
    with pytest.raises(services.TeamError, match="not a member"):
        services.admin_hand_over(team=team, actor=founder, to_user=stranger)


def test_admin_hand_over_to_self_does_not_step_down(team, founder):
    services.admin_hand_over(team=team, actor=founder, to_user=founder, step_down=True)
    assert team.memberships.get(user=founder).role == MemberRole.ADMIN


def test_open_role_with_free_skills(team, founder):
    python = SkillFactory(name="Python", slug="python", is_curated=True)
    role = services.open_role_create(
        team=team, actor=founder, title="Design", skills=[python], skill_names=["Figma, python"]
    )
    names = sorted(skill.name for skill in role.skills.all())
    assert names == ["Figma", "Python"]
    assert not role.skills.get(name="Figma").is_curated


def test_open_role_refuses_too_many_free_skills(team, founder):
    with pytest.raises(services.TeamError) as error:
        services.open_role_create(
            team=team,
            actor=founder,
            title="Alles",
            skill_names=[", ".join(f"S{i}" for i in range(11))],
        )
    assert error.value.field == "other_skills"


# --- audit entries of joining and leaving ---------------------------------------------------


def entries(team, action: str) -> list:
    return [
        (entry.actor, entry.data)
        for entry in audit_entries_for(target=team).filter(action=action).order_by("pk")
    ]


def test_join_request_create_and_withdraw_are_audited(team, joiner):
    join_request = services.join_request_create(team=team, user=joiner)
    services.join_request_withdraw(join_request=join_request, user=joiner)

    data = {"user": joiner.pk, "join_request": join_request.pk}
    assert entries(team, "team.join_request") == [(joiner, data)]
    assert entries(team, "team.join_request_withdraw") == [(joiner, data)]


def test_join_request_accept_is_audited(team, founder, joiner):
    join_request = services.join_request_create(team=team, user=joiner)

    services.join_request_accept(join_request=join_request, actor=founder)

    assert entries(team, "team.join_request_accept") == [
        (founder, {"user": joiner.pk, "join_request": join_request.pk})
    ]


def test_join_request_decline_is_audited(team, founder, joiner):
    join_request = services.join_request_create(team=team, user=joiner)

    services.join_request_decline(join_request=join_request, actor=founder)

    assert entries(team, "team.join_request_decline") == [
        (founder, {"user": joiner.pk, "join_request": join_request.pk})
    ]


def test_refused_accept_writes_no_audit_entry(team, founder, joiner):
    join_request = services.join_request_create(team=team, user=joiner)
    services.team_update(team=team, actor=founder, data={"max_size": 1})

    with pytest.raises(services.TeamError, match="This team is full"):
        services.join_request_accept(join_request=join_request, actor=founder)

    assert entries(team, "team.join_request_accept") == []


def test_invitation_create_accept_and_revoke_are_audited(team, founder, joiner):
    invitation = services.invitation_create(team=team, actor=founder)
    services.invitation_accept(token=invitation.token, user=joiner)
    services.invitation_revoke(invitation=invitation, actor=founder)
    services.invitation_revoke(invitation=invitation, actor=founder)  # idempotent

    [(actor, created)] = entries(team, "team.invitation_create")
    assert actor == founder
    assert created == {
        "invitation": invitation.pk,
        "invitee": None,
        "expires_at": invitation.expires_at.isoformat(),
    }
    assert entries(team, "team.invitation_accept") == [
        (joiner, {"user": joiner.pk, "invitation": invitation.pk})
    ]
    assert entries(team, "team.invitation_revoke") == [(founder, {"invitation": invitation.pk})]


def test_personal_invitation_names_the_invitee_in_the_audit(team, founder, joiner):
    invitation = services.invitation_create(team=team, actor=founder, invitee=joiner)

    [(_actor, data)] = entries(team, "team.invitation_create")
    assert data["invitee"] == joiner.pk and data["invitation"] == invitation.pk


def test_membership_leave_is_audited(team, founder, event):
    plain = member(team, event)

    services.membership_leave(team=team, user=plain)

    assert entries(team, "team.member_leave") == [(plain, {"user": plain.pk})]


# --- roles ------------------------------------------------------------------------------------


def test_membership_role_set_admin_is_a_hand_over(team, founder, event, organiser):
    plain = member(team, event)

    services.membership_role_set(
        membership=team.memberships.get(user=plain), actor=organiser, role=MemberRole.ADMIN
    )

    assert team.memberships.get(user=plain).role == MemberRole.ADMIN
    assert entries(team, "team.admin_hand_over") == [
        (organiser, {"to": plain.pk, "stepped_down": False})
    ]


def test_membership_role_set_member_while_another_admin_remains(team, founder, event, organiser):
    plain = member(team, event)
    services.admin_hand_over(team=team, actor=founder, to_user=plain)

    services.membership_role_set(
        membership=team.memberships.get(user=founder), actor=organiser, role=MemberRole.MEMBER
    )

    assert team.memberships.get(user=founder).role == MemberRole.MEMBER
    assert entries(team, "team.admin_step_down") == [(organiser, {"user": founder.pk})]


def test_membership_role_set_refuses_demoting_the_last_admin(team, founder, organiser):
    with pytest.raises(services.TeamError, match="needs at least one admin") as error:
        services.membership_role_set(
            membership=team.memberships.get(user=founder), actor=organiser, role=MemberRole.MEMBER
        )

    assert error.value.field == "role"
    assert team.memberships.get(user=founder).role == MemberRole.ADMIN
    assert entries(team, "team.admin_step_down") == []


def test_membership_role_set_refuses_plain_member(team, founder, event):
    plain = member(team, event)

    with pytest.raises(services.TeamError, match="Only the team's admins"):
        services.membership_role_set(
            membership=team.memberships.get(user=plain), actor=plain, role=MemberRole.ADMIN
        )

    assert team.memberships.get(user=plain).role == MemberRole.MEMBER


def test_closing_a_team_tells_each_requester(team, founder, joiner, event):
    other = participant(event, language="en")
    services.join_request_create(team=team, user=joiner)
    services.join_request_create(team=team, user=other)

    services.team_close(team=team, actor=founder)

    assert set(JoinRequest.objects.values_list("status", flat=True)) == {JoinRequestStatus.DECLINED}
    for person in (joiner, other):
        notification = Notification.objects.get(recipient=person)
        assert notification.kind == "team.join_request_declined"
        assert notification.context["reason"] == "team_closed"
        assert "was closed; your request to join it has ended" in render_inapp_text(notification)
    mail = render_email(Notification.objects.get(recipient=other))
    assert "was closed, so your request to join it has ended" in mail.body
    assert "declined your request" not in mail.body


def test_team_closing_when_last_member_leaves_tells_requesters(team, founder, joiner):
    services.join_request_create(team=team, user=joiner)

    services.membership_leave(team=team, user=founder)

    notification = Notification.objects.get(recipient=joiner)
    assert notification.kind == "team.join_request_declined"
    assert notification.context["reason"] == "team_closed"


def test_declined_request_keeps_its_wording(team, founder, joiner):
    request = services.join_request_create(team=team, user=joiner)
    services.join_request_decline(join_request=request, actor=founder)
    notification = Notification.objects.get(recipient=joiner)
    assert "reason" not in notification.context
    assert "was declined" in render_inapp_text(notification)


def test_unregistering_withdraws_pending_requests_of_the_event(
    team, founder, joiner, event, challenge
):
    from tests.factories import ChallengeFactory, EventFactory
    from tests.teams.conftest import team_of

    second = team_of(event, challenge, participant(event), name="Zweites Team")
    services.join_request_create(team=team, user=joiner)
    services.join_request_create(team=second, user=joiner)
    elsewhere = EventFactory(is_public=True)
    Registration.objects.create(
        event=elsewhere, user=joiner, code_of_conduct_accepted_at=joiner.date_joined
    )
    other_team = team_of(elsewhere, ChallengeFactory(event=elsewhere), participant(elsewhere))
    kept = services.join_request_create(team=other_team, user=joiner)

    participant_services.registration_cancel(
        registration=Registration.objects.get(event=event, user=joiner), actor=joiner
    )

    statuses = dict(JoinRequest.objects.filter(user=joiner).values_list("team_id", "status"))
    assert statuses == {
        team.pk: JoinRequestStatus.WITHDRAWN,
        second.pk: JoinRequestStatus.WITHDRAWN,
        kept.team_id: JoinRequestStatus.PENDING,
    }
    # The admins' page no longer lists the request.
    assert not JoinRequest.objects.filter(team=team, status=JoinRequestStatus.PENDING).exists()


def test_accepting_request_of_someone_no_longer_registered_names_them(team, founder, joiner):
    request = services.join_request_create(team=team, user=joiner)
    # Left behind before unregistering withdrew requests (or the role changed meanwhile).
    Registration.objects.filter(user=joiner).update(role="mentor")

    with pytest.raises(services.TeamError) as caught:
        services.join_request_accept(join_request=request, actor=founder)

    assert caught.value.message == (
        "Jo Joiner is no longer registered as a participant of this event."
    )
    assert not Membership.objects.filter(team=team, user=joiner).exists()


def test_joining_myself_unregistered_keeps_the_message_for_me(team, founder, stranger):
    invitation = services.invitation_create(team=team, actor=founder)
    with pytest.raises(services.TeamError, match="Only people registered as participants"):
        services.invitation_accept(token=invitation.token, user=stranger)


def test_invitation_revoke_checks_the_current_role(team, founder, member_user):
    invitation = services.invitation_create(team=team, actor=founder)
    invitation.team = team
    assert rules.is_team_admin(founder, team)  # now cached on this team object
    elsewhere = Team.objects.get(pk=team.pk)  # another request, another object
    services.admin_hand_over(team=elsewhere, actor=founder, to_user=member_user, step_down=True)
    with pytest.raises(services.TeamError):
        services.invitation_revoke(invitation=invitation, actor=founder)


def test_member_promoted_when_last_admin_leaves_is_notified(team, founder, member_user):
    services.membership_leave(team=team, user=founder)

    assert Membership.objects.get(team=team, user=member_user).role == MemberRole.ADMIN
    notification = Notification.objects.get(recipient=member_user, kind="team.admin_promoted")
    assert notification.context["url"] == reverse("teams:manage", args=[team.pk])
    assert "You are now an admin" in render_inapp_text(notification)
    notification.recipient.language = "en"  # e-mails go out in the recipient's language
    mail = render_email(notification)
    assert team.name in mail.subject and "you are now its admin" in mail.body


def test_no_promotion_notice_when_an_admin_remains(team, founder, member_user, event):
    second_admin = participant(event)
    add_member(team, second_admin, role=MemberRole.ADMIN)
    services.membership_leave(team=team, user=founder)
    assert not Notification.objects.filter(kind="team.admin_promoted").exists()
