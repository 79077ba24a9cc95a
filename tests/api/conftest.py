from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events.enums import PhaseKind
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    HelpRequestFactory,
    NotificationFactory,
    OpenRoleFactory,
    OrganiserFactory,
    PhaseFactory,
    ProjectFactory,
    RegistrationFactory,
    TopicFactory,
    UserFactory,
    add_member,
)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@dataclass
class World:
    """One of everything the API serves, for tests that call every endpoint."""

    event: object
    topic: object
    challenge: object
    question: object
    founder: object  # admin of the team, member of its project, owner of the challenge
    member: object
    joiner: object
    organiser: object
    team: object
    open_role: object
    join_request: object
    invitation: object
    project: object
    help_request: object
    notification: object
    judging_round: object
    assignment: object  # the organiser's, as a juror of the round
    review: object

    def path(self, template: str) -> str:
        """The path with its {parameters} filled in from this world."""
        by_prefix = {
            "/api/v1/teams/": self.team.pk,
            "/api/v1/projects/": self.project.pk,
            "/api/v1/help-requests/": self.help_request.pk,
            "/api/v1/notifications/": self.notification.pk,
            "/api/v1/topics/": self.topic.pk,
            "/api/v1/participants/": self.member.pk,
            "/api/v1/judging/rounds/": self.judging_round.pk,
            "/api/v1/judging/assignments/": self.assignment.pk,
            "/api/v1/judging/reviews/": self.review.pk,
        }
        values = {
            "number": self.challenge.number,
            "question_pk": self.question.pk,
            "slug": self.event.slug,
            "event": self.event.slug,
            "token": self.invitation.token,
            "request_id": self.join_request.pk,
            "invitation_id": self.invitation.pk,
            "user_id": self.member.pk,
            "role_id": self.open_role.pk,
            "criterion_id": self.judging_round.criteria.first().pk,
        }
        if "{id}" in template:
            prefix = next(p for p in by_prefix if template.startswith(p))
            values["id"] = by_prefix[prefix]
        return template.format(**values)


def _open_phase(event, kind) -> None:
    now = timezone.now()
    PhaseFactory(
        event=event, kind=kind, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=2)
    )


@pytest.fixture
def world(db) -> World:
    from challenges.models import ChallengeOwner, ChallengeQuestion
    from judging import services as judging_services
    from judging.models import Review
    from teams import services as team_services
    from tests.judging.conftest import AssignmentFactory

    event = EventFactory(slug="api-world")
    for kind in (
        PhaseKind.REGISTRATION,
        PhaseKind.CHALLENGE_INTAKE,
        PhaseKind.HACKING,
        PhaseKind.SUBMISSION,
    ):
        _open_phase(event, kind)
    founder = RegistrationFactory(event=event, user=UserFactory()).user
    member = RegistrationFactory(event=event, user=UserFactory()).user
    joiner = RegistrationFactory(event=event, user=UserFactory()).user
    topic = TopicFactory(event=event)
    challenge = ChallengeFactory(event=event, topic=topic, submitted_by=founder)
    ChallengeOwner.objects.get_or_create(challenge=challenge, user=founder)
    question = ChallengeQuestion.objects.create(
        challenge=challenge, asked_by=joiner, text="Gibt es dazu schon offene Daten?"
    )
    team = team_services.team_create(
        event=event,
        challenge=challenge,
        founder=founder,
        data={"name": "Bettenradar", "pitch": "Wir bauen eine Karte freier Intensivbetten."},
    )
    add_member(team, member)
    organiser = OrganiserFactory()
    project = ProjectFactory(event=event, team=team)
    judging_round = judging_services.round_create(event=event, actor=organiser, name="Vorauswahl")
    assignment = AssignmentFactory(
        juror=judging_services.juror_add(round=judging_round, actor=organiser, user=organiser),
        project=project,
    )
    return World(
        event=event,
        topic=topic,
        challenge=challenge,
        question=question,
        founder=founder,
        member=member,
        joiner=joiner,
        organiser=organiser,
        team=team,
        open_role=OpenRoleFactory(team=team),
        join_request=team_services.join_request_create(team=team, user=joiner),
        invitation=team_services.invitation_create(team=team, actor=founder),
        project=project,
        help_request=HelpRequestFactory(team=team),
        notification=NotificationFactory(recipient=founder),
        judging_round=judging_round,
        assignment=assignment,
        review=Review.objects.create(assignment=assignment),
    )
