"""Who may do what with a challenge; used by views, the API and the services alike."""

from __future__ import annotations

import rules

from challenges.enums import EDITABLE_BY_GIVER, ChallengeStatus
from events.rules import is_organiser


@rules.predicate
def is_giver(user, challenge) -> bool:
    return bool(user and user.is_authenticated and challenge.submitted_by_id == user.pk)


@rules.predicate
def is_published(user, challenge) -> bool:
    return challenge.status == ChallengeStatus.PUBLISHED


@rules.predicate
def is_editable_by_giver(user, challenge) -> bool:
    return challenge.status in EDITABLE_BY_GIVER


@rules.predicate
def is_challenge_owner(user, challenge) -> bool:
    """Uses the challenge's prefetched ownerships where the caller loaded them."""
    if not (user and user.is_authenticated):
        return False
    return any(ownership.user_id == user.pk for ownership in challenge.ownerships.all())


can_view_challenge = is_published | is_giver | is_organiser
can_answer_questions = is_published & (is_challenge_owner | is_organiser)
can_edit_challenge = (is_giver & is_editable_by_giver) | is_organiser
can_curate_challenges = is_organiser

rules.add_perm("challenges.view_challenge_object", can_view_challenge)
rules.add_perm("challenges.edit_challenge_object", can_edit_challenge)
