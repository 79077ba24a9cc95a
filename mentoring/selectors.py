"""Reads of help requests: the team's list, the mentors' board and the organisers' figures."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from events.rules import is_organiser
from mentoring import rules
from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest
from participants.enums import EventRole
from participants.models import Profile, Registration, Skill
from teams.enums import TeamStatus
from teams.models import Membership, Team


def _with_relations(requests: QuerySet[HelpRequest]) -> QuerySet[HelpRequest]:
    return requests.select_related(
        "team", "team__event", "team__challenge", "skill", "mentor", "created_by"
    )


def help_requests_of_team(*, team: Team) -> QuerySet[HelpRequest]:
    """The team's requests: open and claimed ones first, then the newest."""
    return _with_relations(HelpRequest.objects.filter(team=team)).order_by(
        Case(
            When(status=HelpRequestStatus.OPEN, then=Value(0)),
            When(status=HelpRequestStatus.CLAIMED, then=Value(1)),
            default=Value(2),
        ),
        "-created_at",
        "-pk",
    )


def with_fit(requests: QuerySet[HelpRequest], *, mentor) -> QuerySet[HelpRequest]:
    """Annotates how a request fits the mentor's profile and orders by it, then by waiting
    time: `fits` (it asks for a skill the mentor has) first, then `fits_topic` (the team's
    challenge is in a topic field the mentor is interested in), then the oldest."""
    mentor_skills = Profile.skills.through.objects.filter(profile__user=mentor).values("skill_id")
    mentor_topics = Profile.topic_interests.through.objects.filter(profile__user=mentor).values(
        "topic_id"
    )
    # CASE, not a bare IN: a request without a skill must be false, not NULL (which
    # PostgreSQL would sort first in descending order).
    return requests.annotate(
        fits=Case(
            When(skill_id__in=mentor_skills, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        fits_topic=Case(
            When(team__challenge__topic_id__in=mentor_topics, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).order_by(F("fits").desc(), F("fits_topic").desc(), "created_at", "pk")


def help_requests_open_for_mentor(*, event: Event, mentor) -> QuerySet[HelpRequest]:
    """Open requests of the event's open teams for the board, best fitting first (with_fit)."""
    return with_fit(
        _with_relations(
            HelpRequest.objects.filter(
                team__event=event,
                team__status=TeamStatus.OPEN,
                status=HelpRequestStatus.OPEN,
            )
        ),
        mentor=mentor,
    )


def help_requests_claimed_by(*, event: Event, mentor) -> QuerySet[HelpRequest]:
    """The requests the mentor took, of teams that still exist (closing a team closes its
    requests; the filter also keeps out any left from before that rule)."""
    return _with_relations(
        HelpRequest.objects.filter(
            team__event=event,
            team__status=TeamStatus.OPEN,
            mentor=mentor,
            status=HelpRequestStatus.CLAIMED,
        )
    ).order_by("claimed_at", "pk")


def help_request_for_user(*, pk: int, user) -> HelpRequest:
    """The request if this person may see it (its team, mentors and organisers of its
    event); 404 otherwise, so nobody learns which requests exist."""
    help_request = _with_relations(HelpRequest.objects.filter(pk=pk)).first()
    if help_request is None or not rules.can_view_help_request(user, help_request):
        raise Http404(_("No such help request."))
    return help_request


def help_requests_for_user(
    *, user, event_slug: str | None = None, team_pk: int | None = None, status: str | None = None
) -> QuerySet[HelpRequest]:
    """The requests this person may see, best fitting first (with_fit): those of their
    teams, those they took, and every request of the events they mentor or organise (all
    of them for the organisers' group). This is rules.can_view_help_request as one query,
    for lists; tests/mentoring/test_rules.py keeps the two equal. Optional filters: the
    event's slug, the team, the status."""
    if user is None or not user.is_authenticated:
        return HelpRequest.objects.none()
    requests = _with_relations(HelpRequest.objects.all())
    if not is_organiser(user):
        # Registered organisers count only while active, like events.rules says.
        roles = [EventRole.MENTOR, EventRole.ORGANISER] if user.is_active else [EventRole.MENTOR]
        requests = requests.filter(
            Q(team_id__in=Membership.objects.filter(user_id=user.pk).values("team_id"))
            | Q(mentor_id=user.pk)
            | Q(
                team__event_id__in=Registration.objects.filter(
                    user_id=user.pk, role__in=roles
                ).values("event_id")
            )
        )
    if event_slug is not None:
        requests = requests.filter(team__event__slug=event_slug)
    if team_pk is not None:
        # team__pk, not team_id: only the pk's own lookup turns a number past what the
        # column holds into "no such row" (the foreign key's raises, a 500).
        requests = requests.filter(team__pk=team_pk)
    if status is not None:
        requests = requests.filter(status=status)
    return with_fit(requests, mentor=user)


def team_asking_for_help(*, pk: int, user) -> Team | None:
    """The team a new request is for: one of a published event, any team for the
    organisers' group; None when there is no such team. Whether the person may ask for
    it is rules.can_ask_for_help."""
    teams = Team.objects.select_related("event").filter(pk=pk)
    if not is_organiser(user):
        teams = teams.filter(event__is_public=True)
    return teams.first()


def skills_to_ask_about() -> QuerySet[Skill]:
    """Every skill a request may name (the API takes any; the form offers a short list)."""
    return Skill.objects.all()


def with_contact_visibility(requests, *, user) -> list[HelpRequest]:
    """The requests as a list, each with `can_see_contact` set: whether this person may
    read how to reach the team (its members, the mentor who took it, the event's
    organisers; see rules.can_see_contact). One query for the whole list."""
    requests = list(requests)
    team_ids = set()
    if user.is_authenticated and requests:
        team_ids = set(
            Membership.objects.filter(
                user_id=user.pk, team_id__in={r.team_id for r in requests}
            ).values_list("team_id", flat=True)
        )
    for help_request in requests:
        help_request.can_see_contact = bool(
            help_request.team_id in team_ids
            or (user.is_authenticated and help_request.mentor_id == user.pk)
            # The role is cached per event on the user: no query per request.
            or rules.is_event_organiser(user, help_request.team.event)
        )
    return requests


@dataclass
class HelpStats:
    open: int = 0
    claimed: int = 0
    closed: int = 0
    # Time from asking to a mentor claiming it, over the requests a mentor claimed.
    median_wait: timedelta | None = None
    max_wait: timedelta | None = None
    oldest_open_age: timedelta | None = None
    # (skill label in the page's language or "", open requests) for the skills most asked
    # for right now.
    open_by_skill: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.open + self.claimed + self.closed


def help_request_stats(*, event: Event, now: datetime | None = None) -> HelpStats:
    """Counts per status and how long requests wait for a mentor, in four queries.

    The wait of a request is claimed_at - created_at (a request given back and claimed
    again counts from the last claim); requests never claimed are in `oldest_open_age`.
    Only requests of teams that still exist count: a closed team's requests would
    otherwise wait forever and inflate the figures.
    """
    now = now or timezone.now()
    requests = HelpRequest.objects.filter(team__event=event, team__status=TeamStatus.OPEN)
    stats = HelpStats()
    for row in requests.order_by().values("status").annotate(n=Count("pk")):
        setattr(stats, row["status"], row["n"])
    waits = sorted(
        claimed - created
        for created, claimed in requests.filter(claimed_at__isnull=False).values_list(
            "created_at", "claimed_at"
        )
    )
    if waits:
        stats.median_wait = statistics.median_low(waits)
        stats.max_wait = waits[-1]
    oldest = requests.filter(status=HelpRequestStatus.OPEN).aggregate(oldest=Min("created_at"))
    if oldest["oldest"] is not None:
        stats.oldest_open_age = now - oldest["oldest"]
    stats.open_by_skill = [
        # Skill.label, as everywhere skills are shown: curated names are translated.
        (Skill(name=row["skill__name"], is_curated=row["skill__is_curated"]).label, row["n"])
        if row["skill__name"]
        else ("", row["n"])
        for row in requests.filter(status=HelpRequestStatus.OPEN)
        .order_by()
        .values("skill__name", "skill__is_curated")
        .annotate(n=Count("pk"))
        .order_by("-n", "skill__name")[:10]
    ]
    return stats
