"""The iCalendar feed of an event's schedule."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from events.enums import PhaseKind
from events.ical import event_calendar_ics
from tests.events.conftest import berlin
from tests.factories import EventFactory, PhaseFactory

pytestmark = pytest.mark.django_db


def parse(body: bytes) -> tuple[Calendar, list]:
    calendar = Calendar.from_ical(body)
    return calendar, list(calendar.walk("VEVENT"))


def test_event_calendar_is_served_as_text_calendar(client, running_event):
    response = client.get(reverse("events:calendar", args=["wirvsvirus"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="wirvsvirus.ics"' in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"\r\n" in body and b"\n\n" not in body  # CRLF line endings


def test_event_calendar_has_one_entry_per_phase_with_utc_times(client, running_event):
    response = client.get(reverse("events:calendar", args=["wirvsvirus"]))

    calendar, entries = parse(response.content)
    domain = urlsplit(settings.SITE_URL).hostname
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Berlin"
    phases = {phase.kind: phase for phase in running_event.phases.all()}
    assert len(entries) == len(phases) == 7
    for entry in entries:
        assert entry["UID"].endswith(f"@{domain}")
        assert entry["DTSTAMP"].dt.tzinfo is not None
        assert entry["SUMMARY"].startswith("#WirVsVirus: ")
        assert str(entry["TRANSP"]) == "TRANSPARENT"
        assert str(entry["URL"]) == "http://testserver/events/wirvsvirus/"
        matching = [
            p
            for p in phases.values()
            if entry["UID"] == f"event-{running_event.pk}-{p.kind}@{domain}"
        ]
        assert len(matching) == 1, entry["UID"]
        phase = matching[0]
        assert entry["DTSTART"].dt == phase.starts_at
        assert entry["DTEND"].dt == phase.ends_at
        assert entry["DTSTART"].dt.utcoffset().total_seconds() == 0
    # In the serialised text the times are UTC ("Z"), so no VTIMEZONE is needed.
    hacking = phases[PhaseKind.HACKING]
    assert (
        f"DTSTART:{hacking.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}".encode() in response.content
    )


def test_event_calendar_uids_are_stable_between_fetches(client, running_event):
    url = reverse("events:calendar", args=["wirvsvirus"])

    first = {str(e["UID"]) for e in parse(client.get(url).content)[1]}
    second = {str(e["UID"]) for e in parse(client.get(url).content)[1]}

    assert first == second
    assert len(first) == 7


def test_event_calendar_utc_times_across_daylight_saving_changes():
    event = EventFactory(slug="dst", name="DST-Hackathon")
    PhaseFactory(
        event=event,
        kind=PhaseKind.HACKING,
        starts_at=berlin(2026, 3, 27, 18),
        ends_at=berlin(2026, 3, 29, 3),
    )
    PhaseFactory(
        event=event,
        kind=PhaseKind.JUDGING,
        starts_at=berlin(2026, 10, 24, 12),
        ends_at=berlin(2026, 10, 25, 2, 30, fold=1),
    )

    body = event_calendar_ics(event=event, event_url="https://example.org/events/dst/")

    text = body.decode()
    assert "DTSTART:20260327T170000Z" in text  # 18:00 CET
    assert "DTEND:20260329T010000Z" in text  # 03:00 CEST
    assert "DTSTART:20261024T100000Z" in text  # 12:00 CEST
    assert "DTEND:20261025T013000Z" in text  # the second 02:30, CET
    _calendar, entries = parse(body)
    ends = sorted(entry["DTEND"].dt for entry in entries)
    assert ends == [
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    ]


def test_event_calendar_of_an_event_without_phases_is_a_valid_empty_calendar():
    event = EventFactory(slug="leer")

    calendar, entries = parse(event_calendar_ics(event=event, event_url="https://example.org/"))

    assert entries == []
    assert str(calendar["X-WR-CALNAME"]) == event.name


def test_event_calendar_lines_are_folded_as_rfc_5545_requires():
    """Strict calendar apps refuse lines over 75 octets or bare line feeds."""
    event = EventFactory(slug="lang", name="Ein sehr langer Veranstaltungsname " * 4)
    PhaseFactory(event=event, kind=PhaseKind.HACKING)

    body = event_calendar_ics(event=event, event_url="https://example.org/events/lang/")

    lines = body.split(b"\r\n")
    assert lines[-1] == b""  # the last line ends with CRLF too
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long name was folded
    for component in (b"VCALENDAR", b"VEVENT"):
        assert lines.count(b"BEGIN:" + component) == lines.count(b"END:" + component) >= 1
