from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from events.models import Event, Phase


def events_visible_to(*, user) -> QuerySet[Event]:
    """Public events for everyone; organisers also see unpublished ones."""
    events = Event.objects.all()
    if not (user.is_authenticated and user.has_perm("events.view_event")):
        events = events.filter(is_public=True)
    return events.prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("starts_at")))


def events_for_home(*, user) -> QuerySet[Event]:
    return events_visible_to(user=user)


def event_for_user(*, slug: str, user) -> Event:
    """The event if this person may see it; 404 otherwise."""
    return get_object_or_404(events_visible_to(user=user), slug=slug)
