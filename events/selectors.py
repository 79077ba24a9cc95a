"""Reads of the events app; every view and the API fetch events through these."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import (
    Case,
    F,
    IntegerField,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from events import rules
from events.models import Event, Phase


def events_visible_to(*, user) -> QuerySet[Event]:
    """Public events for everyone; organisers also see unpublished ones (the organisers'
    group all of them, people registered as organiser of one event that one). Phases
    prefetched."""
    events = Event.objects.all()
    if not rules.can_view_unpublished_events(user):
        visible = Q(is_public=True)
        if user is not None and user.is_authenticated:
            visible |= Q(pk__in=rules.organiser_registrations(user).values("event_id"))
        events = events.filter(visible)
    return events.prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("starts_at", "ends_at"))
    )


def events_by_relevance(*, user, now: datetime | None = None) -> QuerySet[Event]:
    """Visible events, running and upcoming ones first (soonest start first),
    then finished ones (most recent first), then those without a schedule."""
    now = now or timezone.now()
    return (
        events_visible_to(user=user)
        .annotate(first_start=Min("phases__starts_at"), last_end=Max("phases__ends_at"))
        .annotate(
            relevance=Case(
                When(last_end__gt=now, then=Value(0)),
                When(last_end__isnull=False, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by(
            "relevance",
            Case(When(relevance=0, then=F("first_start"))).asc(nulls_last=True),
            F("last_end").desc(nulls_last=True),
            "name",
        )
    )


def events_for_home(*, user, now: datetime | None = None, limit: int = 6) -> list[Event]:
    """The few events the home page shows: running and upcoming first."""
    return list(events_by_relevance(user=user, now=now)[:limit])


def schedule_shown_until(
    *, events: Iterable[Event], now: datetime, countdown: bool = True
) -> datetime | None:
    """When what a page shows of these events' schedules changes by itself: a phase
    starts or ends (what is open), and with `countdown` also when "in 3 hours, 5 minutes"
    (two units, as `timeuntil` shows it) becomes "in 3 hours, 4 minutes". None when no
    event has anything ahead."""
    moments = []
    for event in events:
        milestone = event.next_milestone(now)
        if milestone is None:
            continue
        moments.append(milestone.at)
        if countdown:
            remaining = (milestone.at - now).total_seconds()
            unit = 60 if remaining < 86_400 else 3_600 if remaining < 7 * 86_400 else 86_400
            moments.append(now + timedelta(seconds=remaining % unit or unit))
    return min(moments, default=None)


def event_visible_to(*, user, slug: str, with_schedule: bool = True) -> Event | None:
    """The event with this slug if this person may see it, else None (for the API, which
    answers 400 naming the field). Without `with_schedule` its phases are not loaded:
    for an event that only filters a list."""
    events = events_visible_to(user=user)
    if not with_schedule:
        events = events.prefetch_related(None)
    return events.filter(slug=slug).first()


def events_all() -> QuerySet[Event]:
    """Every event, published or not: what a slug is checked against before
    `event_visible_to` decides whether the person may see it."""
    return Event.objects.all()


def event_for_user(*, slug: str, user) -> Event:
    """The event if this person may see it; 404 otherwise (also for unpublished ones)."""
    event = event_visible_to(user=user, slug=slug)
    if event is None:
        raise Http404("No such event.")
    return event
