"""What every challenge service shares: the domain error and telling the giver."""

from __future__ import annotations

from challenges.models import Challenge
from notifications.services import notify


class ChallengeError(Exception):
    """An action on a challenge that is not allowed now; the message says why."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


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
