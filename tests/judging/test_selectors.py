"""conflicts_of: the projects a juror may not judge, declared or found by the platform."""

from __future__ import annotations

import pytest

from judging.selectors import conflicts_of, criteria_of_round, rounds_of_event
from judging.services import conflict_declare
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    HelpRequestFactory,
    ProjectFactory,
    TeamFactory,
    add_member,
)
from tests.judging.conftest import JudgingRoundFactory, JurorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def juror(judging_round):
    return JurorFactory(round=judging_round)


@pytest.fixture
def unrelated(event):
    """A project of the event nobody is tied to: never a conflict."""
    return ProjectFactory(event=event, status="submitted")


def test_a_juror_without_ties_has_no_conflicts(juror, unrelated):
    assert conflicts_of(juror) == set()


def test_a_member_of_a_team_may_not_judge_its_project(juror, event, unrelated):
    own = ProjectFactory(event=event, status="submitted")
    add_member(own.team, juror.user)

    assert conflicts_of(juror) == {own.pk}


def test_a_mentor_of_a_team_may_not_judge_its_project(juror, event, unrelated):
    mentored = ProjectFactory(event=event, status="submitted")
    HelpRequestFactory(team=mentored.team, mentor=juror.user, status="claimed")
    HelpRequestFactory(team=unrelated.team)  # asked, but nobody claimed it

    assert conflicts_of(juror) == {mentored.pk}


def test_a_declared_team_is_a_conflict(juror, event, unrelated):
    declared = ProjectFactory(event=event, status="submitted")
    conflict_declare(juror=juror, actor=juror.user, teams=[declared.team])

    assert conflicts_of(juror) == {declared.pk}


def test_a_declared_organisation_matches_the_challenges_case_insensitively(juror, event, unrelated):
    charite = ChallengeFactory(event=event, organisation_name="Charité Berlin")
    of_the_team = ProjectFactory(event=event, team=TeamFactory(event=event, challenge=charite))
    answering = ProjectFactory(event=event, challenges=[charite])
    ChallengeFactory(event=event, organisation_name="")  # no name never matches
    juror = conflict_declare(juror=juror, actor=juror.user, organisations=["CHARITÉ berlin"])

    assert conflicts_of(juror) == {of_the_team.pk, answering.pk}


def test_ties_in_another_event_are_no_conflict_in_this_round(juror, unrelated):
    elsewhere = ProjectFactory(event=EventFactory(), status="submitted")
    add_member(elsewhere.team, juror.user)

    assert conflicts_of(juror) == set()


def test_every_kind_of_conflict_together_in_one_query(
    juror, event, unrelated, django_assert_num_queries
):
    member = ProjectFactory(event=event)
    add_member(member.team, juror.user)
    mentored = ProjectFactory(event=event)
    HelpRequestFactory(team=mentored.team, mentor=juror.user, status="closed")
    declared = ProjectFactory(event=event)
    rki = ChallengeFactory(event=event, organisation_name="RKI")
    by_name = ProjectFactory(event=event, team=TeamFactory(event=event, challenge=rki))
    conflict_declare(juror=juror, actor=juror.user, teams=[declared.team], organisations=["rki"])
    juror.refresh_from_db()
    juror.round  # noqa: B018  (loaded, as the assignment task has it)

    with django_assert_num_queries(1):
        found = conflicts_of(juror)

    assert found == {member.pk, mentored.pk, declared.pk, by_name.pk}


def test_rounds_and_criteria_in_their_order(event, organiser, judging_round):
    later = JudgingRoundFactory(event=event, position=7)

    assert list(rounds_of_event(event=event)) == [judging_round, later]
    assert [c.position for c in criteria_of_round(round=judging_round)] == [1, 2, 3, 4, 5]
