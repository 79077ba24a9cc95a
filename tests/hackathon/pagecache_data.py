"""What the page-cache tests put on their pages: submitted projects of #WirVsVirus."""

from __future__ import annotations

from projects.enums import ProjectStatus
from tests.factories import ChallengeFactory, EventFactory, ProjectFactory, TeamFactory


def submitted_project(event, title="Bettenradar", *, challenge=None):
    """A submitted project (the gallery and the API list show it), with its own team."""
    challenge = challenge or ChallengeFactory(event=event, title="Freie Intensivbetten finden")
    return ProjectFactory(
        event=event,
        team=TeamFactory(event=event, challenge=challenge, name=f"{title}-Team"),
        title=title,
        status=ProjectStatus.SUBMITTED,
        challenges=[challenge],
    )


def event_with_submitted_projects(*titles):
    """#WirVsVirus with one submitted project a title, all for one challenge."""
    event = EventFactory(slug="wirvsvirus", name="#WirVsVirus")
    challenge = ChallengeFactory(event=event, title="Freie Intensivbetten finden")
    for title in titles:
        submitted_project(event, title, challenge=challenge)
    return event
