"""Challenge owners (Pat:innen) and the questions they answer."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_log
from challenges import rules
from challenges.enums import ChallengeStatus
from challenges.models import Challenge, ChallengeOwner
from challenges.services._base import ChallengeError


@transaction.atomic
def challenge_owner_add(*, challenge: Challenge, user, actor) -> ChallengeOwner:
    """Makes `user` a godparent (Pat:in) of a published challenge. Side effects: audit entry."""
    if not rules.is_organiser(actor):
        raise ChallengeError(_("Only organisers can name challenge owners."))
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise ChallengeError(_("Owners can only be named for published challenges."))
    ownership, _created = ChallengeOwner.objects.get_or_create(challenge=challenge, user=user)
    audit_log(actor=actor, action="challenge.owner_add", target=challenge, data={"user": user.pk})
    return ownership
