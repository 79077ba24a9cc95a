"""The permission predicates of teams.rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from teams import rules, services
from tests.factories import add_member
from tests.teams.conftest import participant

pytestmark = pytest.mark.django_db


def test_roles(team, founder, event, stranger, organiser):
    plain = participant(event)
    add_member(team, plain)
    anonymous = AnonymousUser()
    assert rules.is_team_member(founder, team) and rules.is_team_admin(founder, team)
    assert rules.is_team_member(plain, team) and not rules.is_team_admin(plain, team)
    for outsider in (stranger, anonymous):
        assert not rules.is_team_member(outsider, team)
    for predicate in (rules.can_edit_team, rules.can_manage_requests, rules.can_manage_members):
        assert predicate(founder, team) and predicate(organiser, team)
        assert not predicate(plain, team) and not predicate(stranger, team)
        assert not predicate(anonymous, team)
    assert rules.can_see_chat_link(plain, team) and rules.can_see_chat_link(organiser, team)
    assert not rules.can_see_chat_link(stranger, team)


def test_closed_team_cannot_be_edited_by_admins(team, founder, organiser):
    services.team_close(team=team, actor=founder)
    team.refresh_from_db()
    assert not rules.can_edit_team(founder, team)
    assert rules.can_edit_team(organiser, team)


def test_view_rule_follows_event_visibility(team, stranger, organiser):
    assert rules.can_view_team(stranger, team)
    team.event.is_public = False
    assert not rules.can_view_team(stranger, team)
    assert rules.can_view_team(organiser, team)


def test_member_role_is_asked_once_per_team_object(team, founder, django_assert_num_queries):
    team = type(team).objects.select_related("event").get(pk=team.pk)
    founder = type(founder).objects.get(pk=founder.pk)
    with django_assert_num_queries(1):
        assert rules.is_team_admin(founder, team)
        assert rules.is_team_member(founder, team)
        assert rules.is_team_admin(founder, team)


def test_member_role_cache_sees_a_new_member_without_clearing(team, founder, event):
    late = participant(event)
    assert not rules.is_team_member(late, team)

    add_member(team, late)  # a membership saved anywhere makes the cached roles stale

    assert rules.is_team_member(late, team)


def test_member_role_cache_sees_a_service_change_on_another_object(team, founder, event):
    plain = participant(event)
    add_member(team, plain)
    same_team = type(team).objects.get(pk=team.pk)
    assert not rules.is_team_admin(plain, same_team)

    services.admin_hand_over(team=team, actor=founder, to_user=plain)

    assert rules.is_team_admin(plain, same_team)


TEAM_MEMBER_NAMES = {"is_team_member", "member_role", "_role"}
TEAM_ORGANISER_NAMES = {"is_team_event_organiser"}


def test_member_or_organiser_of_a_team_is_written_out_only_in_teams_rules():
    """Elsewhere "a member of the team or an organiser of its event" is
    rules.is_team_member_or_organiser (or a rule built on it), not the pair again."""
    from tests.source_scan import ROOT, alternatives_naming, python_modules

    offending = [
        f"{module}:{line}"
        for module in python_modules()
        if module != "teams/rules.py"
        for line in alternatives_naming(
            (ROOT / module).read_text(), module, TEAM_MEMBER_NAMES, TEAM_ORGANISER_NAMES
        )
    ]
    assert offending == []
    # The scan sees the ways the pair was written before it had a name.
    for written in (
        "rule = is_team_member | is_team_event_organiser",
        "ok = self._role(t) is not None or rules.is_team_event_organiser(u, t)",
    ):
        assert alternatives_naming(written, "x.py", TEAM_MEMBER_NAMES, TEAM_ORGANISER_NAMES)


def test_member_or_organiser_of_a_team(team, founder, event, stranger, organiser):
    plain = participant(event)
    add_member(team, plain)
    outsiders = (stranger, AnonymousUser(), participant(event))
    assert [rules.is_team_member_or_organiser(u, team) for u in (founder, plain, organiser)] == [
        True,
        True,
        True,
    ]
    assert [rules.is_team_member_or_organiser(u, team) for u in outsiders] == [False] * 3
    assert not rules.is_team_member_or_organiser(founder, None)


def test_a_prefetched_team_answers_roles_without_a_query(
    team, founder, stranger, django_assert_num_queries
):
    from teams.models import Team

    loaded = Team.objects.prefetch_related("memberships").get(pk=team.pk)
    with django_assert_num_queries(0):
        assert rules.member_role(founder, loaded) == "admin"
        assert rules.member_role(stranger, loaded) is None
