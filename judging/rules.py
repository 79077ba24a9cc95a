"""Who may do what in judging; shared by the web views, the API, the admin and the services.

Organisers of the event manage its rounds; a juror is a person in a round's pool and
reviews only what was assigned to them, only while the round is open. Whether a person
is a juror of a round is cached on the user object (hackathon.rules_cache) and forgotten
when jurors change.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from events.rules import is_event_organiser
from hackathon.rules_cache import cached
from judging.enums import RoundStatus


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
    return _signed_in(user) and assignment.juror.user_id == user.pk


@rules.predicate
def is_assignment_round_open(user, assignment) -> bool:
    return round_is_open(assignment.round)


can_manage_round = is_round_organiser
# Only the assignment's own juror, only while the round is open: not even an organiser
# scores in a juror's name.
can_review_assignment = is_assigned_juror & is_assignment_round_open

rules.add_perm("judging.manage_round", can_manage_round)
rules.add_perm("judging.review_assignment", can_review_assignment)
