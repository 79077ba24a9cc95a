"""Template helpers other apps' pages use to show projects, without their views knowing."""

from __future__ import annotations

from django import template

from projects.enums import ProjectStatus
from projects.models import Project

register = template.Library()


@register.simple_tag
def challenge_projects(challenge) -> list[Project]:
    """The submitted projects that answer a challenge (one query)."""
    return list(
        Project.objects.filter(
            challenges=challenge, status=ProjectStatus.SUBMITTED, event__is_public=True
        )
        .select_related("team")
        .order_by("title", "pk")
    )
