"""The event pages: list, detail with schedule and countdown, and the home page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from events.enums import PhaseKind
from tests.events.conftest import add_full_schedule, berlin
from tests.factories import EventFactory, PhaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def label(kind: PhaseKind, language: str = "de") -> str:
    with translation.override(language):
        return str(kind.label)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_event_detail_shows_schedule_current_phase_and_countdown(client, running_event):
    response = client.get(reverse("events:detail", args=["wirvsvirus"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>#WirVsVirus</h1>" in html
    for kind in PhaseKind:
        assert label(kind) in html
    # The hackathon row is the current one.
    current_row = re.search(
        r'<tr class="active" aria-current="true">\s*<th scope="row">([^<]+)<', html
    )
    assert current_row.group(1) == label(PhaseKind.HACKING)
    # The countdown counts to the submission deadline, with a server-rendered text.
    deadline = running_event.phases.get(kind=PhaseKind.SUBMISSION).ends_at
    iso = timezone.localtime(deadline, running_event.tzinfo).isoformat()
    countdown = re.search(
        r'<span class="countdown"[^>]*data-countdown-target="([^"]+)"[^>]*>([^<]+)<', html
    )
    assert countdown.group(1) == iso
    assert countdown.group(2).strip()  # e.g. "1 Tag, 17 Stunden" without JavaScript
    assert reverse("events:calendar", args=["wirvsvirus"]) in html


def test_event_detail_renders_times_in_the_event_time_zone(client, participant):
    # The site runs in Europe/Berlin; this event is in New York (UTC-4 in July).
    event = EventFactory(slug="nyc", time_zone="America/New_York")
    PhaseFactory(
        event=event,
        kind=PhaseKind.HACKING,
        starts_at=datetime(2031, 7, 1, 16, 0, tzinfo=UTC),
        ends_at=datetime(2031, 7, 3, 16, 0, tzinfo=UTC),
    )
    client.force_login(participant)

    html = client.get(event.get_absolute_url()).content.decode()

    assert 'datetime="2031-07-01T12:00:00-04:00"' in html
    assert "1. Juli 2031 12:00 EDT" in html
    assert "America/New_York" in html


def test_event_detail_renders_times_around_daylight_saving_changes(client):
    event = EventFactory(slug="dst", time_zone="Europe/Berlin")
    # Ends in the spring-forward night: 03:00 CEST is one second after 01:59:59 CET.
    PhaseFactory(
        event=event,
        kind=PhaseKind.REGISTRATION,
        starts_at=berlin(2026, 3, 28, 12),
        ends_at=berlin(2026, 3, 29, 3),
    )
    # Ends at the first 02:30 of the autumn night (CEST), the next starts at the second (CET).
    PhaseFactory(
        event=event,
        kind=PhaseKind.JUDGING,
        starts_at=berlin(2026, 10, 24, 12),
        ends_at=berlin(2026, 10, 25, 2, 30),
    )
    PhaseFactory(
        event=event,
        kind=PhaseKind.RESULTS,
        starts_at=berlin(2026, 10, 25, 2, 30, fold=1),
        ends_at=berlin(2026, 10, 26, 12),
    )

    html = client.get(event.get_absolute_url()).content.decode()

    assert 'datetime="2026-03-29T03:00:00+02:00"' in html
    assert "29. März 2026 03:00 CEST" in html
    assert 'datetime="2026-10-25T02:30:00+02:00"' in html
    assert "25. Oktober 2026 02:30 CEST" in html
    assert 'datetime="2026-10-25T02:30:00+01:00"' in html
    assert "25. Oktober 2026 02:30 CET" in html


def test_event_detail_without_schedule_says_so(client):
    event = EventFactory(slug="leer")

    response = client.get(event.get_absolute_url())

    assert response.status_code == 200
    assert "data-countdown-target" not in response.content.decode()


def test_event_detail_unknown_slug_is_404(client):
    assert client.get(reverse("events:detail", args=["gibt-es-nicht"])).status_code == 404


def test_event_detail_unpublished_is_404_for_the_public_and_participants(
    client, hidden_event, participant
):
    url = hidden_event.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client.get(reverse("events:calendar", args=[hidden_event.slug])).status_code == 404
    client.force_login(participant)
    assert client.get(url).status_code == 404


def test_event_detail_unpublished_is_visible_to_an_organiser(client, hidden_event, organiser):
    client.force_login(organiser)

    response = client.get(hidden_event.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="notice"' in html
    assert reverse("admin:events_event_change", args=[hidden_event.pk]) in html
    assert client.get(reverse("events:calendar", args=[hidden_event.slug])).status_code == 200


def test_event_detail_unpublished_is_visible_to_staff_with_the_view_permission(
    client, hidden_event
):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(hidden_event.get_absolute_url()).status_code == 404

    staff.user_permissions.add(Permission.objects.get(codename="view_event"))
    assert client.get(hidden_event.get_absolute_url()).status_code == 200


def test_event_detail_hides_the_edit_link_from_participants(client, running_event, participant):
    client.force_login(participant)

    html = client.get(running_event.get_absolute_url()).content.decode()

    assert "/admin/" not in html


def test_event_detail_rejects_post(client, running_event):
    assert client.post(running_event.get_absolute_url()).status_code == 405


def test_event_list_shows_public_events_only(client, running_event, hidden_event):
    html = client.get(reverse("events:list")).content.decode()

    assert "#WirVsVirus" in html
    assert "Geheimer Hackathon" not in html
    assert label(PhaseKind.HACKING) in html


def test_event_list_shows_unpublished_events_to_an_organiser(
    client, running_event, hidden_event, organiser
):
    client.force_login(organiser)

    html = client.get(reverse("events:list")).content.decode()

    assert "#WirVsVirus" in html
    assert "Geheimer Hackathon" in html


def test_event_list_orders_running_before_finished(client):
    now = timezone.now()
    old = EventFactory(name="Alt 2021")
    add_full_schedule(old, hacking_starts=now - timedelta(days=400))
    running = EventFactory(name="Läuft jetzt")
    add_full_schedule(running, hacking_starts=now - timedelta(hours=1))

    html = client.get(reverse("events:list")).content.decode()

    assert html.index("Läuft jetzt") < html.index("Alt 2021")


def _make_events(count: int) -> None:
    now = timezone.now()
    for index in range(count):
        event = EventFactory(is_public=index % 4 != 0)
        add_full_schedule(event, hacking_starts=now + timedelta(days=index - 10))


@pytest.mark.parametrize("url_name", ["events:list", "home"])
def test_event_list_and_home_query_count_does_not_grow_with_events(client, organiser, url_name):
    url = reverse(url_name)
    _make_events(2)
    anonymous_few = count_queries(client, url)
    client.force_login(organiser)
    organiser_few = count_queries(client, url)
    client.logout()

    _make_events(18)

    assert count_queries(client, url) == anonymous_few
    client.force_login(organiser)
    assert count_queries(client, url) == organiser_few


def test_home_shows_events_with_current_phase_and_next_milestone(client, running_event):
    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert running_event.get_absolute_url() in html
    assert label(PhaseKind.HACKING) in html
    with translation.override("de"):
        milestone_label = running_event.next_milestone().label
    assert milestone_label in html
    deadline = running_event.phases.get(kind=PhaseKind.SUBMISSION).ends_at
    assert timezone.localtime(deadline, running_event.tzinfo).isoformat() in html


# --- countdown and dates in both languages (issue 9) -----------------------------------------


@pytest.mark.parametrize(
    ("language", "one", "more", "server_text"),
    [("de", "Tag", "Tage", "1 Tag"), ("en", "day", "days", "1 day")],
)
def test_event_detail_countdown_words_for_one_day_and_more(
    client, language, one, more, server_text
):
    """site.js picks the word by the count: once it said "1 Tage" and "1 days"."""
    event = EventFactory(slug="bald", name="Bald-Hackathon")
    starts = timezone.now() + timedelta(days=1, hours=3)
    PhaseFactory(
        event=event, kind=PhaseKind.HACKING, starts_at=starts, ends_at=starts + timedelta(days=2)
    )
    client.cookies["language"] = language

    html = client.get(reverse("events:detail", args=[event.slug])).content.decode()

    assert f'data-countdown-day="{one}"' in html
    assert f'data-countdown-days="{more}"' in html
    countdown = re.search(r'role="timer"[^>]*>([^<]+)<', html).group(1).replace("\xa0", " ")
    assert countdown.startswith(server_text + ",")


def test_english_dates_end_sentences_with_one_full_stop(client):
    """Django's English times end in "p.m.", so "… until Dec. 1, 2026, 6 p.m.." ended
    every sentence with a date; our English formats use the 24-hour clock."""
    event = EventFactory(slug="vorbei", name="Vorbei")
    PhaseFactory(
        event=event,
        kind=PhaseKind.CHALLENGE_INTAKE,
        starts_at=berlin(2021, 2, 1, 9),
        ends_at=berlin(2021, 3, 5, 18),
    )
    client.cookies["language"] = "en"

    html = client.get(reverse("events:detail", args=[event.slug])).content.decode()

    assert "Challenge submission closed on March 5, 2021, 18:00." in html
    assert "p.m." not in html and "a.m." not in html
    assert not re.search(r"\d\.\.", html)
