from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Event


def event_calendar_ics(*, event: Event, base_url: str) -> bytes:
    """The event's schedule as an iCalendar feed: one VEVENT per phase, times in UTC."""
    calendar = Calendar()
    calendar.add("prodid", "-//hackathon-platform//schedule//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", event.name)
    calendar.add("x-wr-timezone", event.time_zone)
    host = base_url.split("://", 1)[-1].strip("/") or "localhost"
    url = base_url.rstrip("/") + event.get_absolute_url()
    stamp = timezone.now()
    for phase in event.phases.all():
        entry = CalendarEvent()
        entry.add("uid", f"{event.slug}-{phase.kind}@{host}")
        entry.add("summary", f"{event.name}: {phase.get_kind_display()}")
        entry.add("dtstart", phase.starts_at)
        entry.add("dtend", phase.ends_at)
        entry.add("dtstamp", stamp)
        entry.add("last-modified", event.updated_at)
        entry.add("url", url)
        calendar.add_component(entry)
    return calendar.to_ical()
