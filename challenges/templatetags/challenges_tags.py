"""Template tags of the challenges app, for pages of other apps too (the event page)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from challenges.services import intake_state

register = template.Library()


@dataclass(frozen=True)
class Intake:
    is_open: bool
    message: str


@register.simple_tag
def challenge_intake(event) -> Intake:
    """`{% challenge_intake event as intake %}`: whether the event takes challenges now and
    the sentence that says until when, or since when it no longer does.

    Pages offer "Submit a challenge" only while the intake is open; otherwise they show
    the sentence, instead of a button that leads to "challenge submission closed".
    """
    return Intake(*intake_state(event=event))
