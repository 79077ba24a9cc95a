"""A schema-driven run: every operation of /api/schema/, as three people, answers as documented.

Schemathesis reads the schema from the app itself (WSGI, in-process) and sends
hypothesis-generated requests, valid ones and broken ones, to every operation: once
anonymously, once with a participant's token and once with an organiser's token. Every
response must not be a server error and must have a documented status code, content
type, headers and body; an invalid request must not be accepted; and an operation that
needs credentials must refuse a request without them.

The seeded world (an event in its hacking phase, topics, published challenges, two teams
with projects, help requests, ...) is made once for the module and rolled back at its
end; each operation runs in a savepoint of its own, so one operation's writes never
reach the next. Generated ids, slugs and numbers are swapped for the seeded ones part
of the time (`map_case`), so that requests reach real objects, not only 404s.

The run is bounded (MAX_EXAMPLES per operation and person, derandomised, no example
database), so CI gets the same cases every time and the file takes a minute or two.
"""

from __future__ import annotations

import os
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode

from events.enums import PhaseKind
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    HelpRequestFactory,
    LanguageFactory,
    NotificationFactory,
    OrganiserFactory,
    PhaseFactory,
    ProfileFactory,
    RegistrationFactory,
    SkillFactory,
    TopicFactory,
    UserFactory,
)

# No example database (database=None below), and hypothesis' caches (Unicode tables, the
# code's constants) go to the temporary directory rather than ./.hypothesis.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "hackathon-hypothesis")

# Per operation and person; SCHEMATHESIS_MAX_EXAMPLES=50 digs deeper locally.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))

# Every built-in check but one: a schema cannot say "an event with this slug exists" or
# "you are not in a team of this event yet", so a schema-valid request naming an unknown
# event is rightly refused with a documented 400, which positive_data_acceptance counts
# as a failure. Whether that 400 has the documented shape is checked all the same.
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {"positive_data_acceptance": {"enabled": False}},
        # The coverage phase sends every boundary value of every field (over 500 requests
        # for one PATCH alone); the fuzzing phase, bounded by MAX_EXAMPLES, keeps the run short.
        "phases": {"coverage": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", get_wsgi_application(), config=CONFIG
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """The personas' tokens, and the seeded values for each parameter name."""

    tokens: dict[str, str] = field(default_factory=dict)
    # (path prefix, parameter name) -> values; "" prefix for any operation
    values: dict[tuple[str, str], list] = field(default_factory=dict)

    def candidates(self, path: str, name: str) -> list:
        for (prefix, param), values in self.values.items():
            if param == name and prefix and path.startswith(prefix):
                return values
        return self.values.get(("", name), [])


WORLD = World()


def _seed(world: World) -> None:
    from challenges import services as challenge_services
    from judging import services as judging_services
    from judging.models import Assignment
    from judging.services.reviews import review_save
    from judging.services.runs import assignment_run_start
    from mentoring.enums import HelpRequestStatus
    from projects import services as project_services
    from teams import services as team_services

    now = timezone.now()
    event = EventFactory(slug="wirvsvirus", name="#WirVsVirus", is_public=True)
    draft_event = EventFactory(slug="entwurf", name="Unveröffentlicht", is_public=False)
    for kind, starts, ends in (
        (PhaseKind.CHALLENGE_INTAKE, -7, 7),
        (PhaseKind.REGISTRATION, -7, 7),
        (PhaseKind.HACKING, -1, 2),
        (PhaseKind.SUBMISSION, -1, 3),
    ):
        PhaseFactory(
            event=event,
            kind=kind,
            starts_at=now + timedelta(days=starts),
            ends_at=now + timedelta(days=ends),
        )
    topics = [
        TopicFactory(event=event, name="Gesundheit", slug="gesundheit"),
        TopicFactory(event=event, name="Bildung", slug="bildung"),
    ]
    python = SkillFactory(name="Python", slug="python", is_curated=True)
    design = SkillFactory(name="Design", slug="design", is_curated=True)
    german = LanguageFactory(code="de", name="Deutsch")

    participant = UserFactory(email="paula@example.org", display_name="Paula Teilnehmerin")
    ProfileFactory(user=participant, skills=[python], languages=[german], topic_interests=topics)
    RegistrationFactory(event=event, user=participant)
    member = UserFactory(email="max@example.org", display_name="Max Mitglied")
    RegistrationFactory(event=event, user=member)
    other = UserFactory(email="otto@example.org", display_name="Otto Anders")
    RegistrationFactory(event=event, user=other)
    joiner = UserFactory(email="jana@example.org", display_name="Jana Joiner")
    RegistrationFactory(event=event, user=joiner)
    mentor = UserFactory(email="mona@example.org", display_name="Mona Mentorin")
    ProfileFactory(user=mentor, skills=[python])
    RegistrationFactory(event=event, user=mentor, role="mentor", looking_for_team=False)
    organiser = OrganiserFactory(email="olga@example.org", display_name="Olga Orga")

    published = [
        ChallengeFactory(event=event, topic=topics[0], contact_phone="", organisation_name=""),
        ChallengeFactory(event=event, topic=topics[1], submitted_by=other),
    ]
    draft = ChallengeFactory(event=event, status="draft", submitted_by=participant)
    question = challenge_services.challenge_question_ask(
        challenge=published[0], user=participant, text="Gibt es dazu schon offene Daten?"
    )

    own_team = team_services.team_create(
        event=event,
        challenge=published[0],
        founder=participant,
        data={"name": "Bettenradar", "pitch": "Freie Betten auf einen Blick.", "chat_link": ""},
    )
    team_services.invitation_accept(
        token=team_services.invitation_create(
            team=own_team, actor=participant, valid_for=timedelta(days=7)
        ).token,
        user=member,
    )
    other_team = team_services.team_create(
        event=event,
        challenge=published[1],
        founder=other,
        data={
            "name": "Lernlotsen",
            "pitch": "Nachhilfe für alle.",
            "chat_link": "https://chat.example.org/lernlotsen",
        },
    )
    invitation = team_services.invitation_create(
        team=own_team, actor=participant, valid_for=timedelta(days=7)
    )
    join_request = team_services.join_request_create(
        team=other_team, user=joiner, message="Ich kann Python."
    )
    incoming = team_services.join_request_create(team=own_team, user=joiner, message="")
    role = team_services.open_role_create(
        team=own_team,
        actor=participant,
        title="Frontend",
        description="",
        skills=[design],
        skill_names=[""],
    )

    project = project_services.project_create(
        team=own_team,
        actor=participant,
        data={
            "title": "Bettenradar",
            "pitch": "Freie Intensivbetten auf einen Blick.",
            "problem": "Leitstellen telefonieren Kliniken ab.",
            "solution": "Kliniken melden freie Betten.",
            "target_group": "Leitstellen",
            "how_it_works": "Django und eine Karte.",
            "next_steps": "Pilot in Berlin.",
            "category": "new_build",
            "repository_url": "https://github.com/example/bettenradar",
            "licence": "MIT",
            "challenges": [published[0]],
            "tags": ["Gesundheit"],
        },
    )
    other_project = project_services.project_create(
        team=other_team,
        actor=other,
        data={
            "title": "Lernlotsen",
            "pitch": "Nachhilfe für alle.",
            "problem": "Nachhilfe ist teuer.",
            "solution": "Ehrenamtliche helfen.",
            "target_group": "Schüler:innen",
            "how_it_works": "Eine Börse.",
            "next_steps": "Start in Hamburg.",
            "category": "new_build",
            "repository_url": "https://github.com/example/lernlotsen",
            "licence": "MIT",
            "challenges": [published[1]],
            "tags": [],
        },
    )
    project_services.project_submit(project=other_project, actor=other)

    help_requests = [
        HelpRequestFactory(team=own_team, created_by=participant, skill=python),
        HelpRequestFactory(
            team=other_team,
            created_by=other,
            status=HelpRequestStatus.CLAIMED,
            mentor=mentor,
            claimed_at=now,
        ),
    ]
    notifications = [NotificationFactory(recipient=participant) for _ in range(2)]
    notifications.append(NotificationFactory(recipient=organiser))

    # The participant is also a juror of the round (not of her own team's project), so
    # the jurors' operations reach a queue and a review without a persona of their own.
    judging_round = judging_services.round_create(event=event, actor=organiser, name="Vorauswahl")
    criteria = list(judging_round.criteria.all())
    juror = judging_services.juror_add(round=judging_round, actor=organiser, user=participant)
    assignment = Assignment.objects.create(
        round=judging_round,
        juror=juror,
        project=other_project,
        version=other_project.versions.get(),
    )
    judging_services.round_open(round=judging_round, actor=organiser)
    review = review_save(
        assignment=assignment,
        actor=participant,
        scores={criteria[0].pk: 4},
        comment_for_organisers="Gute Idee.",
        feedback_for_team="",
        submit=False,
    )
    run = assignment_run_start(round=judging_round, actor=organiser)

    world.tokens = {
        "participant": Token.objects.create(user=participant).key,
        "organiser": Token.objects.create(user=organiser).key,
    }
    slugs = [event.slug, draft_event.slug]
    numbers = [c.number for c in (*published, draft)]
    user_ids = [u.pk for u in (participant, member, other, joiner, mentor)]
    world.values = {
        ("/api/v1/events/", "slug"): slugs,
        ("/api/v1/me/registrations/", "event"): slugs,
        ("/api/v1/challenges/", "number"): numbers,
        ("/api/v1/challenges/", "question_pk"): [question.pk],
        ("/api/v1/help-requests/", "id"): [h.pk for h in help_requests],
        ("/api/v1/invitations/", "token"): [invitation.token],
        ("/api/v1/notifications/", "id"): [n.pk for n in notifications],
        ("/api/v1/participants/", "id"): user_ids,
        ("/api/v1/projects/", "id"): [project.pk, other_project.pk],
        ("/api/v1/teams/", "id"): [own_team.pk, other_team.pk],
        ("/api/v1/teams/", "request_id"): [join_request.pk, incoming.pk],
        ("/api/v1/teams/", "invitation_id"): [invitation.pk],
        ("/api/v1/teams/", "user_id"): user_ids,
        ("/api/v1/teams/", "role_id"): [role.pk],
        ("/api/v1/topics/", "id"): [t.pk for t in topics],
        ("/api/v1/judging/rounds/", "id"): [judging_round.pk],
        ("/api/v1/judging/rounds/", "criterion_id"): [c.pk for c in criteria],
        ("/api/v1/judging/rounds/", "run_id"): [run.pk],
        ("/api/v1/judging/assignments/", "id"): [assignment.pk],
        ("/api/v1/judging/reviews/", "id"): [review.pk],
        ("", "round"): [judging_round.pk],
        ("", "assignment"): [assignment.pk],
        ("/api/v1/projects/", "challenge"): numbers,
        ("/api/v1/teams/", "challenge"): numbers,
        ("", "event"): slugs,
        ("", "topic"): [t.slug for t in topics],
        ("", "skill"): [python.slug, design.slug],
        ("", "language"): ["de"],
        ("", "team"): [own_team.pk, other_team.pk],
        ("", "challenges"): [[published[0].number]],
        ("", "user"): user_ids,
        ("", "invitee"): user_ids,
        ("", "credited_members"): [[participant.pk]],
        ("", "skills"): [[python.slug]],
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The seeded world for the whole module, rolled back at its end."""
    # The app answers in this process, inside the test's transaction. At the end of each
    # request Django closes a connection that is not in autocommit mode (on PostgreSQL;
    # SQLite's in-memory database is never closed); the test client does not, nor do we.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            _seed(WORLD)
            yield WORLD
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _generous_throttles(monkeypatch):
    """The run sends many requests in a minute; the throttles have tests of their own."""
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "100000/min")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "100000/min")


def _pick(original, candidates: list):
    """The original value or one of the seeded ones, chosen by the original's bytes: the
    choice is as deterministic as hypothesis' derandomised generation."""
    if candidates and isinstance(original, str) and isinstance(candidates[0], int):
        candidates = [str(value) for value in candidates]  # e.g. a path's `\d+` string
    if not candidates or type(original) is not type(candidates[0]):
        return original
    index = zlib.crc32(repr(original).encode()) % (len(candidates) + 1)
    return original if index == len(candidates) else candidates[index]


def _substituted(container, path: str):
    if not isinstance(container, dict):
        return container
    return {name: _pick(value, WORLD.candidates(path, name)) for name, value in container.items()}


@schema.hook
def map_case(context, case):  # the hook's name tells schemathesis what it does
    """Point valid requests at the seeded objects. Only parts generated as valid are
    changed, so a request meant to be invalid stays invalid."""
    meta = case.meta
    path = case.operation.path

    def positive(location: ParameterLocation) -> bool:
        if meta is None:
            return True
        component = meta.components.get(location)
        mode = component.mode if component is not None else meta.generation.mode
        return mode == GenerationMode.POSITIVE

    if case.path_parameters and positive(ParameterLocation.PATH):
        case.path_parameters = _substituted(case.path_parameters, path)
    if case.query and positive(ParameterLocation.QUERY):
        case.query = _substituted(case.query, path)
    if isinstance(case.body, dict) and positive(ParameterLocation.BODY):
        case.body = _substituted(case.body, path)
    return case


@pytest.fixture(params=["anonymous", "participant", "organiser"])
def persona(request) -> str:
    return request.param


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # The fixtures (the world, the person) are per operation, not per example, on purpose;
    # and generating some bodies is slow on a busy CI machine.
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case, persona, world):
    headers = {}
    if persona != "anonymous":
        headers["Authorization"] = f"Token {world.tokens[persona]}"
    case.call_and_validate(headers=headers)
