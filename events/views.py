from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from events import rules
from events.ical import CONTENT_TYPE, event_calendar_ics
from events.selectors import event_for_user, events_by_relevance, schedule_shown_until
from hackathon.pagecache import cache_page_for_anonymous, expire_at


@require_GET
@cache_page_for_anonymous("events")
def event_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    events = list(events_by_relevance(user=request.user, now=now))
    expire_at(request, schedule_shown_until(events=events, now=now))
    return render(request, "events/event_list.html", {"events": events, "now": now})


@require_GET
# "judging": the link to the results once a round is published.
@cache_page_for_anonymous("events", "judging")
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for_user(slug=slug, user=request.user)
    now = timezone.now()  # one clock for the whole page
    expire_at(request, schedule_shown_until(events=[event], now=now))
    calendar_url = request.build_absolute_uri(reverse("events:calendar", args=[event.slug]))
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "now": now,
            "schedule": event.schedule(now),
            "current_phase": event.current_phase(now),
            "next_milestone": event.next_milestone(now),
            "calendar_url": calendar_url,
            "calendar_subscribe_url": "webcal://" + calendar_url.split("://", 1)[1],
            "can_change_event": rules.can_change_event(request.user),
        },
    )


@require_GET
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for_user(slug=slug, user=request.user)
    body = event_calendar_ics(
        event=event, event_url=request.build_absolute_uri(event.get_absolute_url())
    )
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
