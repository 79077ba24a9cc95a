"""The schedule as an iCalendar (RFC 5545) feed that calendar apps can subscribe to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Event

CONTENT_TYPE = "text/calendar; charset=utf-8"
# How often subscribed calendars should fetch the feed again.
REFRESH_INTERVAL = timedelta(hours=6)


def _uid_domain() -> str:
    # From the configured site, not the request: a UID must not change with the host name used.
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_calendar_ics(*, event: Event, event_url: str, now: datetime | None = None) -> bytes:
    """One VEVENT per phase with times in UTC, so no VTIMEZONE is needed.

    UIDs are stable (event id and phase kind), so a re-fetched feed updates the
    entries instead of duplicating them. Phases are marked TRANSP:TRANSPARENT:
    a four-week registration should not block anyone's calendar as busy.
    """
    stamp = (now or timezone.now()).astimezone(UTC)
    domain = _uid_domain()
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Schedule//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", event.name)
    calendar.add("x-wr-timezone", event.time_zone)
    if event.tagline:
        calendar.add("x-wr-caldesc", event.tagline)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH_INTERVAL)
    for entry in event.schedule(stamp):
        item = CalendarEvent()
        item.add("uid", f"event-{event.pk}-{entry.kind}@{domain}")
        item.add("dtstamp", stamp)
        item.add("dtstart", entry.starts_at.astimezone(UTC))
        item.add("dtend", entry.ends_at.astimezone(UTC))
        item.add("summary", f"{event.name}: {entry.label}")
        item.add(
            "description",
            gettext("%(phase)s of %(event)s")
            % {
                "phase": entry.label,
                "event": event.name,
            }
            + f"\n{event_url}",
        )
        item.add("url", event_url)
        item.add("last-modified", event.updated_at.astimezone(UTC))
        item.add("transp", "TRANSPARENT")
        calendar.add_component(item)
    return calendar.to_ical()
