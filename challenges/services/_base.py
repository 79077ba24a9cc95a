"""What every challenge service shares: the domain error and telling the giver."""

from __future__ import annotations

from challenges.models import Challenge
from hackathon.errors import DomainError
from notifications.services import notify


class ChallengeError(DomainError):
    """An action on a challenge that is not allowed now; the message says why."""


def notify_giver(challenge: Challenge, kind: str, **extra) -> None:
    if challenge.submitted_by_id is None:
        return
    notify(
        recipient=challenge.submitted_by,
        kind=kind,
        context={
            "challenge_id": challenge.pk,
            "number": challenge.number,
            "title": challenge.title,
            "url": challenge.get_absolute_url() if challenge.number else "",
            **extra,
        },
    )
