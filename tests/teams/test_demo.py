"""The demo teams: every state a visitor should see, seeded idempotently."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import F

from teams.demo import DEMO_INVITATION_TOKEN
from teams.enums import JoinRequestStatus, MemberRole, TeamStatus
from teams.models import Invitation, JoinRequest, Membership, OpenRole, Team

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(Team.objects.values_list("name", "status", "member_count", "max_size")),
        sorted(Membership.objects.values_list("team__name", "user__email", "role")),
        sorted(OpenRole.objects.values_list("team__name", "title")),
        sorted(JoinRequest.objects.values_list("team__name", "user__email", "status")),
        Invitation.objects.count(),
    )


def test_seed_demo_teams_in_every_state_idempotently():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "teams (" in out.getvalue()
    first = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == first

    teams = Team.objects.filter(event__slug="wirvsvirus-demo")
    open_with_places = teams.filter(status=TeamStatus.OPEN, member_count__lt=F("max_size"))
    assert open_with_places.count() >= 3
    assert teams.filter(status=TeamStatus.OPEN, member_count=F("max_size")).count() == 1
    closed = teams.get(status=TeamStatus.CLOSED)
    assert closed.closed_at and closed.member_count == 0 and not closed.memberships.exists()
    for team in teams:
        assert team.member_count == team.memberships.count()
        assert team.challenge.status == "published" and team.challenge.event_id == team.event_id
        if team.status == TeamStatus.OPEN:
            assert team.memberships.filter(role=MemberRole.ADMIN).exists()
    assert JoinRequest.objects.filter(status=JoinRequestStatus.PENDING).count() >= 3
    # Nobody is in two teams; every member and requester is a registered participant.
    people = list(Membership.objects.values_list("user_id", flat=True))
    assert len(people) == len(set(people))
    from participants.models import Registration

    registered = set(
        Registration.objects.filter(event__slug="wirvsvirus-demo", role="participant").values_list(
            "user_id", flat=True
        )
    )
    assert set(people) <= registered
    # Open roles want skills that demo participants have.
    wanted = set(OpenRole.skills.through.objects.values_list("skill_id", flat=True))
    from participants.models import Profile

    have = set(Profile.skills.through.objects.values_list("skill_id", flat=True))
    assert wanted and wanted <= have
    # Some printed logins stay free to try joining.
    assert not Membership.objects.filter(user__email="marie.schulz@example.org").exists()
    assert Invitation.objects.get(token=DEMO_INVITATION_TOKEN).is_valid()
