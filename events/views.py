from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from events.selectors import event_for_user, events_visible_to
from events.services import event_calendar_ics


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "events/event_list.html", {"events": events_visible_to(user=request.user)}
    )


@require_GET
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for_user(slug=slug, user=request.user)
    return render(
        request, "events/event_detail.html", {"event": event, "schedule": event.schedule()}
    )


@require_GET
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for_user(slug=slug, user=request.user)
    response = HttpResponse(
        event_calendar_ics(event=event, base_url=request.build_absolute_uri("/")),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{event.slug}.ics"'
    return response
