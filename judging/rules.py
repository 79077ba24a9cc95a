"""Who may do what in judging; shared by the web views, the API, the admin and the services.

Organisers of the event manage its rounds; a juror is a person in a round's pool and
reviews only what was assigned to them, only while the round is open. Whether a person
is a juror of a round is cached on the user object (hackathon.rules_cache) and forgotten
when jurors change.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from events.rules import can_view_event, is_event_organiser
from hackathon.rules_cache import cached
from judging.enums import ReviewStatus, RoundStatus
from teams.rules import is_team_member


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_round_organiser(user, round) -> bool:
    return round is not None and bool(is_event_organiser(user, round.event))


@rules.predicate
def is_juror_of_round(user, round) -> bool:
    if not _signed_in(user) or round is None or round.pk is None:
        return False
    return cached(
        user,
        "_judging_rounds_as_juror",
        round.pk,
        lambda: round.jurors.filter(user_id=user.pk).exists(),
    )


def round_is_open(round, *, now=None) -> bool:
    """Open for reviews: its status says so and, when it has a closing time, before it."""
    if round.status != RoundStatus.OPEN:
        return False
    now = now or timezone.now()
    if round.opens_at is not None and now < round.opens_at:
        return False
    return round.closes_at is None or now < round.closes_at


@rules.predicate
def is_assigned_juror(user, assignment) -> bool:
    # A juror who left the pool (judging.services.rounds.juror_remove) keeps their submitted
    # reviews as they were.
    return _signed_in(user) and assignment.juror.user_id == user.pk and assignment.juror.active


@rules.predicate
def is_assignment_round_open(user, assignment) -> bool:
    return round_is_open(assignment.round)


can_manage_round = is_round_organiser
# Only the assignment's own juror, only while the round is open: not even an organiser
# scores in a juror's name.
can_review_assignment = is_assigned_juror & is_assignment_round_open

rules.add_perm("judging.manage_round", can_manage_round)
rules.add_perm("judging.review_assignment", can_review_assignment)


# --- the public vote (judging.services.votes, judging.views.votes) ---------------------


def has_verified_address(user) -> bool:
    """Signed in with a confirmed e-mail address (allauth). Not cached: a person who just
    confirmed their address may vote on the next request."""
    from allauth.account.models import EmailAddress

    return _signed_in(user) and EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()


@rules.predicate
def is_verified_person(user) -> bool:
    return has_verified_address(user)


@rules.predicate
def has_public_vote(user, round) -> bool:
    return round is not None and round.public_vote


@rules.predicate
def is_vote_open(user, round) -> bool:
    """The public vote closes with the round."""
    return round is not None and round.public_vote and round_is_open(round)


@rules.predicate
def is_round_under_way(user, round) -> bool:
    return round is not None and round.status != RoundStatus.DRAFT


@rules.predicate
def is_round_published(user, round) -> bool:
    return round is not None and round.status == RoundStatus.PUBLISHED


@rules.predicate
def is_round_event_visible(user, round) -> bool:
    return round is not None and bool(can_view_event(user, round.event))


@rules.predicate
def is_own_project(user, project) -> bool:
    """A project of a team the person is a member of: nobody votes for their own team."""
    return project is not None and bool(is_team_member(user, project.team))


# The vote's page: a round with a public vote, once it is out of draft (organisers see
# it while they prepare the round).
can_see_vote = has_public_vote & is_round_event_visible & (is_round_under_way | is_round_organiser)
can_vote = is_verified_person & is_vote_open & is_round_event_visible
# The counts are public once the round's results are, the organisers' at any time.
can_see_vote_results = has_public_vote & (
    (is_round_published & is_round_event_visible) | is_round_organiser
)

rules.add_perm("judging.see_vote", can_see_vote)
rules.add_perm("judging.vote", can_vote)
rules.add_perm("judging.see_vote_results", can_see_vote_results)


@rules.predicate
def round_shows_others_scores(user, assignment) -> bool:
    return assignment.round.jurors_see_others_after_submitting


@rules.predicate
def has_submitted_own_review(user, assignment) -> bool:
    # A missing review raises RelatedObjectDoesNotExist, an AttributeError.
    review = getattr(assignment, "review", None)
    return review is not None and review.status == ReviewStatus.SUBMITTED


# The others' scores (never their names) only where the round allows it, and only after the
# juror submitted their own, so that they cannot lean on them while scoring.
can_see_others_scores = is_assigned_juror & round_shows_others_scores & has_submitted_own_review

rules.add_perm("judging.see_others_scores", can_see_others_scores)
