from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from events.selectors import (
    event_for_user,
    event_visible_to,
    events_all,
    events_by_relevance,
    events_for_home,
)
from tests.events.conftest import add_full_schedule
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_event_for_user_unpublished_is_404_for_others(hidden_event, participant):
    with pytest.raises(Http404):
        event_for_user(slug="geheim", user=AnonymousUser())
    with pytest.raises(Http404):
        event_for_user(slug="geheim", user=participant)


def test_event_for_user_unpublished_for_organisers(hidden_event, organiser):
    assert event_for_user(slug="geheim", user=organiser) == hidden_event


def test_events_by_relevance_running_then_upcoming_then_finished_then_unscheduled():
    now = timezone.now()
    unscheduled = EventFactory(name="Ohne Plan")
    finished_long_ago = EventFactory(name="2020")
    add_full_schedule(finished_long_ago, hacking_starts=now - timedelta(days=800))
    finished_recently = EventFactory(name="2025")
    add_full_schedule(finished_recently, hacking_starts=now - timedelta(days=400))
    upcoming = EventFactory(name="Bald")
    add_full_schedule(upcoming, hacking_starts=now + timedelta(days=60))
    running = EventFactory(name="Jetzt")
    add_full_schedule(running, hacking_starts=now - timedelta(hours=2))

    events = list(events_by_relevance(user=AnonymousUser(), now=now))

    assert events == [running, upcoming, finished_recently, finished_long_ago, unscheduled]


def test_events_for_home_is_limited(running_event):
    for _ in range(4):
        EventFactory()

    assert len(events_for_home(user=AnonymousUser(), limit=3)) == 3
    assert events_for_home(user=AnonymousUser(), limit=3)[0] == running_event


def test_event_visible_to_is_none_for_those_who_may_not_see_it(
    hidden_event, participant, organiser
):
    assert event_visible_to(user=participant, slug="geheim") is None
    assert event_visible_to(user=AnonymousUser(), slug="unbekannt") is None
    assert event_visible_to(user=organiser, slug="geheim") == hidden_event


def test_event_visible_to_loads_the_schedule_unless_told_not_to(
    running_event, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the event, its phases
        event = event_visible_to(user=AnonymousUser(), slug="wirvsvirus")
        assert len(event.phases.all()) > 0
    with django_assert_num_queries(1):
        event = event_visible_to(user=AnonymousUser(), slug="wirvsvirus", with_schedule=False)
        assert event == running_event
        assert "phases" not in getattr(event, "_prefetched_objects_cache", {})


def test_events_all_holds_unpublished_events_too(hidden_event, running_event):
    assert sorted(e.slug for e in events_all()) == ["geheim", "wirvsvirus"]
