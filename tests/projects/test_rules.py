"""`is_project_member_or_organiser`: who works on a project, one predicate written once;
and the projects API reads only through selectors."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from projects import rules
from tests.factories import EventFactory, RegistrationFactory, UserFactory
from tests.projects.conftest import make_project
from tests.source_scan import ROOT, alternatives_naming, orm_calls_in, python_modules

pytestmark = pytest.mark.django_db

MEMBER_NAMES = {"is_project_member", "is_team_member", "member_role", "is_member"}
ORGANISER_NAMES = {"is_project_event_organiser", "is_event_organiser", "is_organiser"}


def test_member_or_organiser_is_written_out_only_in_projects_rules():
    """Anywhere else, "a member of the team or an organiser of its event" is
    rules.is_project_member_or_organiser (or a rule built on it), not the pair again."""
    offending = []
    for module in python_modules():
        if module == "projects/rules.py":
            continue
        source = (ROOT / module).read_text()
        for line in alternatives_naming(source, module, MEMBER_NAMES, ORGANISER_NAMES):
            offending.append(f"{module}:{line}")
    assert offending == []


def test_the_scan_finds_the_pair_in_each_way_it_was_written():
    written = [
        "ok = is_project_member(u, p) or is_project_event_organiser(u, p)",
        "ok = rules.is_project_member(u, p) or rules.is_project_event_organiser(u, p)",
        "ok = is_team_member(u, t) or is_event_organiser(u, t.event)",
        "rule = (is_project_member | is_project_event_organiser) & is_before_deadline",
        "rule = is_public_submission | is_project_member | is_project_event_organiser",
        "ok = is_member or rules.is_event_organiser(u, t.event)",
    ]
    fine = [
        "ok = is_project_member_or_organiser(u, p)",
        "rule = is_project_member & is_before_deadline",
        "ok = is_event_organiser(u, e) or is_public(e)",
    ]

    assert [
        bool(alternatives_naming(line, "x.py", MEMBER_NAMES, ORGANISER_NAMES)) for line in written
    ] == [True] * len(written)
    assert [
        bool(alternatives_naming(line, "x.py", MEMBER_NAMES, ORGANISER_NAMES)) for line in fine
    ] == [False] * len(fine)


@pytest.fixture
def people(event, founder, member, stranger, organiser):
    registered = UserFactory()
    RegistrationFactory(event=event, user=registered, role="organiser")
    elsewhere = UserFactory()
    RegistrationFactory(event=EventFactory(), user=elsewhere, role="organiser")
    return {
        "founder": founder,
        "member": member,
        "group_organiser": organiser,
        "registered_organiser": registered,
        "organiser_of_another_event": elsewhere,
        "stranger": stranger,
        "anonymous": AnonymousUser(),
    }


WORKS_ON_IT = {
    "founder": True,
    "member": True,
    "group_organiser": True,
    "registered_organiser": True,
    "organiser_of_another_event": False,
    "stranger": False,
    "anonymous": False,
}


@pytest.mark.parametrize("who", sorted(WORKS_ON_IT))
def test_member_or_organiser_of_a_team_and_of_its_project(
    people, team, founder, challenge, deadline, who
):
    project = make_project(team, founder, challenge)
    user = people[who]

    assert rules.is_project_member_or_organiser(user, team) is WORKS_ON_IT[who]
    assert rules.is_project_member_or_organiser(user, project) is WORKS_ON_IT[who]
    assert user.has_perm("projects.work_on_project", project) is WORKS_ON_IT[who]
    # The rules built on it agree: the versions are for exactly these people.
    assert rules.can_view_versions(user, project) is WORKS_ON_IT[who]


def test_nobody_works_on_nothing(people):
    assert [rules.is_project_member_or_organiser(user, None) for user in people.values()] == [
        False
    ] * len(people)


def test_a_former_member_no_longer_works_on_it(team, member, founder, challenge, deadline):
    from teams.models import Membership

    project = make_project(team, founder, challenge)
    Membership.objects.filter(team=team, user=member).delete()
    team.refresh_from_db()
    project.refresh_from_db()

    assert rules.is_project_member_or_organiser(member, project.team) is False


def test_the_projects_api_reads_only_through_selectors():
    assert orm_calls_in("projects/api.py") == []
