"""Writes to a round's public vote: casting, changing and withdrawing one's vote.

The public vote is off unless an organiser turns it on for a round. Whoever is signed in
with a confirmed e-mail address has one vote per event, for a project entering the round
and not of a team they are a member of, while the round is open. The database's unique
constraint `judging_one_vote_per_event` decides when two requests race; the votes are
counted apart from the jury's result (judging.vote_selectors) and never mixed into it.

Each write leaves an audit entry for the organisers (who voted for what is never shown
on a page); a round that closes waits for the votes being cast at that moment (they hold
a share lock on the round's row), so no vote lands after the close.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from audit.services import audit_log
from judging import rules
from judging.errors import JudgingError
from judging.models import JudgingRound, PublicVote
from judging.selectors import eligible_projects
from projects.models import Project

# The constraint that makes it one vote per person and event (judging.models.PublicVote).
ONE_VOTE_CONSTRAINT = "judging_one_vote_per_event"


def vote_refusal(*, round: JudgingRound, user) -> str | None:
    """Why this person cannot vote in the round now, in words a person can read; None
    when they can (whether for a given project is vote_cast's question)."""
    if not rules.has_public_vote(user, round):
        return _("This round has no public vote.")
    if not rules.is_round_event_visible(user, round):
        return _("This round has no public vote.")
    if not rules.is_vote_open(user, round):
        return _("The public vote is closed: it is open while the round is.")
    if not (user and user.is_authenticated):
        return _("Log in to vote.")
    if not rules.is_verified_person(user):
        return _("Confirm your e-mail address to vote: open the link in the mail we sent you.")
    return None


def _round_locked(round: JudgingRound) -> JudgingRound:
    """The round read afresh, holding a share lock on its row until the transaction ends:
    votes are cast side by side, while closing the round (an UPDATE of the row) waits
    for them, and a vote that waited reads the round closed."""
    if connection.vendor == "postgresql":  # SQLite locks the whole database on write
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM judging_judginground WHERE id = %s FOR SHARE",
                [round.pk],
            )
    return JudgingRound.objects.select_related("event").get(pk=round.pk)


def _refuse_unless_open(round: JudgingRound, user) -> None:
    refusal = vote_refusal(round=round, user=user)
    if refusal is not None:
        raise JudgingError(refusal, conflict=True)


def _check_project(round: JudgingRound, user, project: Project) -> Project:
    project = Project.objects.select_related("team").filter(pk=project.pk).first()
    if project is None or project.event_id != round.event_id:
        raise JudgingError(_("This project is not part of the event's vote."), field="project")
    if not eligible_projects(round=round).filter(pk=project.pk).exists():
        raise JudgingError(_("This project does not enter the round."), field="project")
    if rules.is_own_project(user, project):
        raise JudgingError(_("You cannot vote for your own team's project."), field="project")
    return project


def _already_voted(round: JudgingRound, vote: PublicVote) -> JudgingError:
    if vote.round_id == round.pk:
        return JudgingError(_("You have voted already."), conflict=True)
    return JudgingError(
        _("You have voted already, in the round “%(round)s”: one vote per event.")
        % {"round": vote.round.name},
        conflict=True,
    )


@transaction.atomic
def vote_cast(*, round: JudgingRound, user, project: Project) -> PublicVote:
    """The person votes for the project in the round's public vote.

    Refused (JudgingError) when the round has no public vote or is not open, the person
    is signed out or has not confirmed their e-mail address, the project does not enter
    the round (another event's, not submitted, not shortlisted) or is their own team's,
    or they voted in this event already (decided by the unique constraint, so of two
    votes cast at once exactly one is saved). Side effects: the vote, an audit entry.
    """
    round = _round_locked(round)
    _refuse_unless_open(round, user)
    project = _check_project(round, user, project)
    existing = PublicVote.objects.filter(event_id=round.event_id, user_id=user.pk).first()
    if existing is not None:
        raise _already_voted(round, existing)
    try:
        with transaction.atomic():  # a savepoint: the transaction goes on after a refusal
            vote = PublicVote.objects.create(
                round=round, event_id=round.event_id, user=user, project=project
            )
    except IntegrityError as error:
        if ONE_VOTE_CONSTRAINT not in str(error):
            raise
        raise JudgingError(_("You have voted already."), conflict=True) from None
    audit_log(actor=user, action="judging.vote_cast", target=round, data={"project": project.pk})
    return vote


@transaction.atomic
def vote_change(*, round: JudgingRound, user, project: Project) -> PublicVote:
    """The person moves their vote in this round to another project, in one step (their
    vote is never gone meanwhile, and the count never has it twice). The same checks as
    vote_cast; refused when they have no vote in this round. Side effects: the vote's
    project, an audit entry."""
    round = _round_locked(round)
    _refuse_unless_open(round, user)
    project = _check_project(round, user, project)
    vote = (
        PublicVote.objects.select_for_update(of=("self",))
        .select_related("round")
        .filter(event_id=round.event_id, user_id=user.pk)
        .first()
    )
    if vote is None:
        raise JudgingError(_("You have not voted yet."), conflict=True)
    if vote.round_id != round.pk:
        raise _already_voted(round, vote)
    if vote.project_id != project.pk:
        previous = vote.project_id
        vote.project = project
        vote.save(update_fields=["project"])
        audit_log(
            actor=user,
            action="judging.vote_changed",
            target=round,
            data={"project": project.pk, "previous": previous},
        )
    return vote


@transaction.atomic
def vote_withdraw(*, round: JudgingRound, user) -> None:
    """The person takes back their vote in the round while it is open (and may vote
    again). Refused when they have no vote in this round. Side effects: the vote is
    deleted, an audit entry."""
    round = _round_locked(round)
    _refuse_unless_open(round, user)
    vote = (
        PublicVote.objects.select_for_update()
        .filter(round_id=round.pk, user_id=user.pk)
        .only("pk", "project_id")
        .first()
    )
    if vote is None:
        raise JudgingError(_("You have not voted in this round."), conflict=True)
    PublicVote.objects.filter(pk=vote.pk).delete()
    audit_log(
        actor=user,
        action="judging.vote_withdrawn",
        target=round,
        data={"project": vote.project_id},
    )
