"""Template helpers other apps' pages use to show teams, without their views knowing."""

from __future__ import annotations

from django import template

from teams.selectors import teams_for_challenge

register = template.Library()


@register.simple_tag
def challenge_teams(challenge) -> list:
    """The open teams working on a challenge (one query)."""
    return list(teams_for_challenge(challenge=challenge))
