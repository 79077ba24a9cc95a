"""The public vote's services and selectors (judging.services.votes, judging.vote_selectors):
off by default, open with the round, verified accounts only, never for one's own team,
one vote per person and event, also when requests race; the counts with shared ranks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from audit.models import AuditEntry
from judging.enums import RoundEntry, RoundStatus
from judging.errors import JudgingError
from judging.models import JudgingRound, PublicVote, ShortlistEntry
from judging.services.votes import vote_cast, vote_change, vote_refusal, vote_withdraw
from judging.vote_selectors import (
    own_team_ids,
    projects_for_vote,
    vote_counts,
    vote_of,
    vote_total,
)
from tests.factories import EventFactory, ProjectFactory, UserFactory, add_member
from tests.judging.conftest import JudgingRoundFactory
from tests.races import race


def verified_person(**fields):
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def submitted_project(event, **fields):
    return ProjectFactory(event=event, status="submitted", **fields)


def open_vote(event, **fields):
    """An open round of the event with the public vote on."""
    return JudgingRoundFactory(event=event, public_vote=True, status=RoundStatus.OPEN, **fields)


@pytest.fixture
def vote_round(event):
    return open_vote(event)


@pytest.fixture
def voter(db):
    return verified_person()


@pytest.fixture
def project(event):
    return submitted_project(event)


# --- casting: every rule -----------------------------------------------------------------


def test_vote_cast_saves_one_vote_and_an_audit_entry(vote_round, voter, project):
    vote = vote_cast(round=vote_round, user=voter, project=project)

    assert (vote.round, vote.event, vote.user, vote.project) == (
        vote_round,
        vote_round.event,
        voter,
        project,
    )
    entry = AuditEntry.objects.get(action="judging.vote_cast")
    assert entry.actor == voter
    assert entry.target_id == vote_round.pk
    assert entry.data == {"project": project.pk}


def test_vote_cast_refused_when_the_round_has_no_public_vote(event, voter, project):
    round = JudgingRoundFactory(event=event, status=RoundStatus.OPEN)
    assert round.public_vote is False  # off by default

    with pytest.raises(JudgingError, match="This round has no public vote"):
        vote_cast(round=round, user=voter, project=project)
    assert not PublicVote.objects.exists()


@pytest.mark.parametrize("status", [RoundStatus.DRAFT, RoundStatus.CLOSED, RoundStatus.PUBLISHED])
def test_vote_cast_refused_unless_the_round_is_open(event, voter, project, status):
    round = JudgingRoundFactory(event=event, public_vote=True, status=status)

    with pytest.raises(JudgingError, match="The public vote is closed"):
        vote_cast(round=round, user=voter, project=project)
    assert not PublicVote.objects.exists()


def test_vote_cast_refused_after_the_rounds_closing_time(event, voter, project):
    now = timezone.now()
    round = open_vote(event, opens_at=now - timedelta(days=2), closes_at=now - timedelta(minutes=1))

    with pytest.raises(JudgingError, match="The public vote is closed"):
        vote_cast(round=round, user=voter, project=project)


def test_vote_cast_reads_the_round_afresh(vote_round, voter, project):
    # An organiser closed the round after the page was loaded.
    JudgingRound.objects.filter(pk=vote_round.pk).update(status=RoundStatus.CLOSED)

    with pytest.raises(JudgingError, match="The public vote is closed"):
        vote_cast(round=vote_round, user=voter, project=project)


def test_vote_cast_refused_for_an_unverified_address(vote_round, project):
    person = UserFactory()
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=False)

    with pytest.raises(JudgingError, match="Confirm your e-mail address to vote"):
        vote_cast(round=vote_round, user=person, project=project)
    assert not PublicVote.objects.exists()


def test_vote_cast_refused_without_any_address_record(vote_round, project):
    with pytest.raises(JudgingError, match="Confirm your e-mail address to vote"):
        vote_cast(round=vote_round, user=UserFactory(), project=project)


def test_vote_cast_refused_for_an_inactive_account(vote_round, project):
    person = verified_person(is_active=False)

    with pytest.raises(JudgingError, match="Confirm your e-mail address to vote"):
        vote_cast(round=vote_round, user=person, project=project)


def test_vote_cast_refused_for_the_signed_out(vote_round, project):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(JudgingError, match="Log in to vote"):
        vote_cast(round=vote_round, user=AnonymousUser(), project=project)


def test_vote_cast_refused_for_ones_own_teams_project(vote_round, voter, project):
    add_member(project.team, voter)

    with pytest.raises(JudgingError, match="You cannot vote for your own team's project") as info:
        vote_cast(round=vote_round, user=voter, project=project)
    assert info.value.field == "project"
    assert not PublicVote.objects.exists()


def test_vote_cast_allowed_for_another_team_than_ones_own(vote_round, voter, project, event):
    add_member(submitted_project(event).team, voter)

    assert vote_cast(round=vote_round, user=voter, project=project).project == project


def test_vote_cast_refused_for_a_project_of_another_event(vote_round, voter):
    elsewhere = submitted_project(EventFactory())

    with pytest.raises(JudgingError, match="This project is not part of the event's vote"):
        vote_cast(round=vote_round, user=voter, project=elsewhere)


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_vote_cast_refused_for_a_project_not_submitted(vote_round, voter, event, status):
    project = ProjectFactory(event=event, status=status)

    with pytest.raises(JudgingError, match="This project does not enter the round"):
        vote_cast(round=vote_round, user=voter, project=project)


def test_vote_cast_refused_for_a_project_not_shortlisted_into_the_round(event, voter):
    first = JudgingRoundFactory(event=event, position=1, status=RoundStatus.PUBLISHED)
    final = open_vote(event, position=2, entry=RoundEntry.SHORTLISTED)
    shortlisted, left_out = submitted_project(event), submitted_project(event)
    ShortlistEntry.objects.create(round=first, project=shortlisted)

    with pytest.raises(JudgingError, match="This project does not enter the round"):
        vote_cast(round=final, user=voter, project=left_out)
    assert vote_cast(round=final, user=voter, project=shortlisted).project == shortlisted


def test_a_second_vote_is_refused(vote_round, voter, project, event):
    vote_cast(round=vote_round, user=voter, project=project)

    with pytest.raises(JudgingError, match="You have voted already") as info:
        vote_cast(round=vote_round, user=voter, project=submitted_project(event))
    assert info.value.conflict
    assert PublicVote.objects.get().project == project


def test_one_vote_per_event_not_per_round(event, voter, project):
    earlier = open_vote(event, name="Vorauswahl")
    later = open_vote(event, name="Finale")
    vote_cast(round=earlier, user=voter, project=project)

    with pytest.raises(JudgingError, match="You have voted already, in the round “Vorauswahl”"):
        vote_cast(round=later, user=voter, project=project)


def test_votes_in_two_events_are_two_votes(vote_round, voter, project):
    other_round = open_vote(EventFactory())

    vote_cast(round=vote_round, user=voter, project=project)
    vote_cast(round=other_round, user=voter, project=submitted_project(other_round.event))

    assert PublicVote.objects.filter(user=voter).count() == 2


def test_vote_refusal_is_none_for_a_verified_person_in_an_open_vote(vote_round, voter):
    assert vote_refusal(round=vote_round, user=voter) is None


# --- changing and withdrawing ------------------------------------------------------------


def test_vote_change_moves_the_vote_in_place(vote_round, voter, project, event):
    vote = vote_cast(round=vote_round, user=voter, project=project)
    other = submitted_project(event)

    changed = vote_change(round=vote_round, user=voter, project=other)

    assert changed.pk == vote.pk
    assert PublicVote.objects.get().project == other
    entry = AuditEntry.objects.get(action="judging.vote_changed")
    assert entry.data == {"project": other.pk, "previous": project.pk}


def test_vote_change_keeps_the_rules(vote_round, voter, project, event):
    vote_cast(round=vote_round, user=voter, project=project)
    own = submitted_project(event)
    add_member(own.team, voter)

    with pytest.raises(JudgingError, match="You cannot vote for your own team's project"):
        vote_change(round=vote_round, user=voter, project=own)
    assert PublicVote.objects.get().project == project


def test_vote_change_refused_without_a_vote(vote_round, voter, project):
    with pytest.raises(JudgingError, match="You have not voted yet"):
        vote_change(round=vote_round, user=voter, project=project)


def test_vote_change_refused_for_a_vote_of_another_round(event, voter, project):
    earlier, later = open_vote(event, name="Vorauswahl"), open_vote(event, name="Finale")
    vote_cast(round=earlier, user=voter, project=project)

    with pytest.raises(JudgingError, match="in the round “Vorauswahl”"):
        vote_change(round=later, user=voter, project=project)


def test_vote_withdraw_deletes_the_vote_so_one_may_vote_again(vote_round, voter, project, event):
    vote_cast(round=vote_round, user=voter, project=project)

    vote_withdraw(round=vote_round, user=voter)

    assert not PublicVote.objects.exists()
    assert AuditEntry.objects.get(action="judging.vote_withdrawn").data == {"project": project.pk}
    other = submitted_project(event)
    assert vote_cast(round=vote_round, user=voter, project=other).project == other


def test_vote_withdraw_refused_without_a_vote(vote_round, voter):
    with pytest.raises(JudgingError, match="You have not voted in this round"):
        vote_withdraw(round=vote_round, user=voter)


def test_vote_withdraw_refused_once_the_round_closed(vote_round, voter, project):
    vote_cast(round=vote_round, user=voter, project=project)
    JudgingRound.objects.filter(pk=vote_round.pk).update(status=RoundStatus.CLOSED)

    with pytest.raises(JudgingError, match="The public vote is closed"):
        vote_withdraw(round=vote_round, user=voter)
    assert PublicVote.objects.exists()


# --- selectors ---------------------------------------------------------------------------


def _votes(round, project, n):
    for _ in range(n):
        PublicVote.objects.create(
            round=round, event_id=round.event_id, user=UserFactory(), project=project
        )


def test_vote_counts_orders_by_votes_and_shares_ranks_on_ties(vote_round, event):
    alpha = submitted_project(event, title="Alpha")
    beta = submitted_project(event, title="Beta")
    gamma = submitted_project(event, title="Gamma")
    delta = submitted_project(event, title="Delta")
    submitted_project(event, title="Without votes")
    _votes(vote_round, gamma, 3)
    _votes(vote_round, beta, 3)
    _votes(vote_round, alpha, 1)
    _votes(vote_round, delta, 2)

    counts = vote_counts(round=vote_round)

    assert [(row.project.title, row.votes, row.rank, row.tied) for row in counts] == [
        ("Beta", 3, 1, True),
        ("Gamma", 3, 1, True),
        ("Delta", 2, 3, False),
        ("Alpha", 1, 4, False),
    ]
    assert vote_total(round=vote_round) == 9


def test_vote_counts_only_count_the_rounds_votes(event, vote_round):
    other_round = open_vote(event)
    project = submitted_project(event)
    _votes(vote_round, project, 2)
    _votes(other_round, project, 5)

    assert [(row.project, row.votes) for row in vote_counts(round=vote_round)] == [(project, 2)]


@pytest.mark.parametrize("projects", [5, 50])
def test_vote_counts_cost_one_query(vote_round, event, projects, django_assert_num_queries):
    for index in range(projects):
        _votes(vote_round, submitted_project(event), index % 3 + 1)

    with django_assert_num_queries(1):
        counts = vote_counts(round=vote_round)
        assert [row.project.team.name for row in counts]  # the team came with the row
    assert len(counts) == projects


def test_vote_of_finds_the_persons_vote_in_the_event(event, voter, project):
    earlier, later = open_vote(event), open_vote(event)
    vote_cast(round=earlier, user=voter, project=project)

    vote = vote_of(round=later, user=voter)

    assert vote.round == earlier
    assert vote.project == project
    assert vote_of(round=later, user=UserFactory()) is None


def test_own_team_ids_are_the_persons_teams_in_the_event(vote_round, voter, project):
    add_member(project.team, voter)
    add_member(submitted_project(EventFactory()).team, voter)

    assert own_team_ids(round=vote_round, user=voter) == {project.team_id}


def test_projects_for_vote_are_those_entering_the_round_searched(vote_round, event):
    map_project = submitted_project(event, title="Nachbarschaftskarte")
    submitted_project(event, title="Einkaufshilfe")
    ProjectFactory(event=event, status="draft", title="Nachbarschaftskarte Entwurf")
    submitted_project(EventFactory(), title="Nachbarschaftskarte anderswo")

    assert len(projects_for_vote(round=vote_round, params={})) == 2
    assert list(projects_for_vote(round=vote_round, params={"q": "Nachbarschaftskarte"})) == [
        map_project
    ]


# --- races: real threads against PostgreSQL -----------------------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_one_person_casting_two_votes_at_once_keeps_exactly_one(vote_round, voter, event):
    first, second = submitted_project(event), submitted_project(event)

    results = race(
        lambda: vote_cast(round=vote_round, user=voter, project=first),
        lambda: vote_cast(round=vote_round, user=voter, project=second),
    )

    saved = [r for r in results if isinstance(r, PublicVote)]
    refused = [r for r in results if isinstance(r, JudgingError)]
    assert len(saved) == 1, results
    assert [error.message for error in refused] == ["You have voted already."]
    assert PublicVote.objects.filter(user=voter).count() == 1
    assert PublicVote.objects.get(user=voter).project == saved[0].project
    assert AuditEntry.objects.filter(action="judging.vote_cast").count() == 1


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_one_person_casting_the_same_vote_ten_times_at_once_keeps_one(vote_round, voter, project):
    results = race(*[lambda: vote_cast(round=vote_round, user=voter, project=project)] * 10)

    assert sum(isinstance(r, PublicVote) for r in results) == 1, results
    assert sum(isinstance(r, JudgingError) for r in results) == 9
    assert PublicVote.objects.count() == 1


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_many_people_voting_at_once_are_all_counted(vote_round, event):
    popular, other = submitted_project(event), submitted_project(event)
    voters = [verified_person() for _ in range(20)]

    results = race(
        *[
            (
                lambda user=user, index=index: vote_cast(
                    round=vote_round, user=user, project=popular if index % 4 else other
                )
            )
            for index, user in enumerate(voters)
        ]
    )

    assert all(isinstance(r, PublicVote) for r in results), results
    counts = vote_counts(round=vote_round)
    assert [(row.project, row.votes, row.rank) for row in counts] == [
        (popular, 15, 1),
        (other, 5, 2),
    ]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_changing_and_withdrawing_at_once_leave_one_consistent_outcome(
    vote_round, voter, project, event
):
    vote_cast(round=vote_round, user=voter, project=project)
    other = submitted_project(event)

    results = race(
        lambda: vote_change(round=vote_round, user=voter, project=other),
        lambda: vote_withdraw(round=vote_round, user=voter),
    )

    # Withdrawn first: nothing left to change. Changed first: the withdrawal waits for the
    # row, then takes the changed vote back. Either way no vote is left, none twice.
    assert results[1] is None
    assert isinstance(results[0], PublicVote) or results[0].message == "You have not voted yet."
    assert not PublicVote.objects.filter(user=voter).exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_no_vote_lands_after_the_round_closed(vote_round, organiser, event):
    from judging.services.rounds import round_close

    projects = [submitted_project(event) for _ in range(3)]
    voters = [verified_person() for _ in range(15)]
    votes = [
        (
            lambda user=user, index=index: vote_cast(
                round=vote_round, user=user, project=projects[index % 3]
            )
        )
        for index, user in enumerate(voters)
    ]

    results = race(*votes[:8], lambda: round_close(round=vote_round, actor=organiser), *votes[8:])

    closed = results.pop(8)
    assert isinstance(closed, JudgingRound), closed
    saved = [r for r in results if isinstance(r, PublicVote)]
    refused = [r for r in results if isinstance(r, JudgingError)]
    assert len(saved) + len(refused) == len(voters), results
    assert all(error.message.startswith("The public vote is closed") for error in refused)
    assert PublicVote.objects.count() == len(saved)
    # Every vote that was saved was written before the close: closing waits for the votes
    # being cast, and a vote that waited for the close reads the round closed.
    close_entry = AuditEntry.objects.get(action="judging.round_closed")
    vote_entries = AuditEntry.objects.filter(action="judging.vote_cast")
    assert vote_entries.count() == len(saved)
    assert all(entry.pk < close_entry.pk for entry in vote_entries)
