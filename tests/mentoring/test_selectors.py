from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest
from mentoring.selectors import (
    help_request_stats,
    help_requests_of_team,
    help_requests_open_for_mentor,
)
from teams.enums import TeamStatus
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    HelpRequestFactory,
    SkillFactory,
    TeamFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def backdate(help_request, *, created_ago, claimed_after=None) -> None:
    now = timezone.now()
    created = now - created_ago
    fields = {"created_at": created}
    if claimed_after is not None:
        fields["claimed_at"] = created + claimed_after
    HelpRequest.objects.filter(pk=help_request.pk).update(**fields)


def test_board_lists_requests_fitting_the_mentor_first_then_the_oldest(event, team, mentor, python):
    design = SkillFactory(name="Design", slug="design")
    old_other = HelpRequestFactory(team=team, skill=design)
    newer_fitting = HelpRequestFactory(team=team, skill=python)
    newest_other = HelpRequestFactory(team=team)
    backdate(old_other, created_ago=timedelta(hours=3))
    backdate(newer_fitting, created_ago=timedelta(hours=1))
    backdate(newest_other, created_ago=timedelta(minutes=5))

    board = list(help_requests_open_for_mentor(event=event, mentor=mentor))

    assert board == [newer_fitting, old_other, newest_other]
    assert [r.fits for r in board] == [True, False, False]


def test_board_puts_requests_in_the_mentors_topic_fields_after_skill_fits(event, mentor, python):
    health = TopicFactory(event=event, name="Gesundheit")
    mentor.profile.topic_interests.add(health)
    other_topic_team = TeamFactory(event=event, challenge=ChallengeFactory(event=event))
    health_team = TeamFactory(event=event, challenge=ChallengeFactory(event=event, topic=health))
    oldest_elsewhere = HelpRequestFactory(team=other_topic_team)
    in_health = HelpRequestFactory(team=health_team)
    fitting_skill = HelpRequestFactory(team=other_topic_team, skill=python)
    backdate(oldest_elsewhere, created_ago=timedelta(hours=3))
    backdate(in_health, created_ago=timedelta(hours=2))
    backdate(fitting_skill, created_ago=timedelta(hours=1))

    board = list(help_requests_open_for_mentor(event=event, mentor=mentor))

    assert board == [fitting_skill, in_health, oldest_elsewhere]
    assert [(r.fits, r.fits_topic) for r in board] == [(True, False), (False, True), (False, False)]


def test_board_leaves_out_claimed_closed_other_events_and_closed_teams(event, team, mentor):
    open_request = HelpRequestFactory(team=team)
    HelpRequestFactory(team=team, status=HelpRequestStatus.CLAIMED, mentor=mentor)
    HelpRequestFactory(team=team, status=HelpRequestStatus.CLOSED)
    HelpRequestFactory(team=TeamFactory(event=EventFactory()))
    HelpRequestFactory(team=TeamFactory(event=event, status=TeamStatus.CLOSED))

    assert list(help_requests_open_for_mentor(event=event, mentor=mentor)) == [open_request]


def test_team_list_shows_active_requests_first(team):
    closed = HelpRequestFactory(team=team, status=HelpRequestStatus.CLOSED)
    open_request = HelpRequestFactory(team=team)

    assert list(help_requests_of_team(team=team)) == [open_request, closed]


def test_stats_count_statuses_and_waiting_times(event, team, mentor):
    now = timezone.now()
    for minutes in (10, 20, 90):
        claimed = HelpRequestFactory(team=team, status=HelpRequestStatus.CLOSED, mentor=mentor)
        backdate(claimed, created_ago=timedelta(hours=5), claimed_after=timedelta(minutes=minutes))
    HelpRequestFactory(team=team, status=HelpRequestStatus.CLAIMED, mentor=mentor)
    oldest = HelpRequestFactory(team=team)
    backdate(oldest, created_ago=timedelta(hours=2))
    HelpRequestFactory(team=team)
    HelpRequestFactory(team=TeamFactory())  # another event

    stats = help_request_stats(event=event, now=now + timedelta(seconds=1))

    assert (stats.open, stats.claimed, stats.closed) == (2, 1, 3)
    assert stats.median_wait == timedelta(minutes=20)
    assert stats.max_wait == timedelta(minutes=90)
    assert timedelta(hours=2) <= stats.oldest_open_age < timedelta(hours=2, minutes=1)
    assert stats.open_by_skill == [("", 2)]


def test_stats_of_an_event_without_requests(event):
    stats = help_request_stats(event=event)

    assert stats.total == 0
    assert stats.median_wait is None
    assert stats.oldest_open_age is None


def test_stats_leave_out_requests_of_closed_teams(event, team, mentor):
    now = timezone.now()
    HelpRequestFactory(team=team)
    closed_team = TeamFactory(event=event, status=TeamStatus.CLOSED)
    # Left over from before closing a team closed its requests.
    stale = HelpRequestFactory(team=closed_team)
    HelpRequest.objects.filter(pk=stale.pk).update(created_at=now - timedelta(days=3))
    HelpRequestFactory(team=closed_team, status=HelpRequestStatus.CLAIMED, mentor=mentor)

    stats = help_request_stats(event=event, now=now)

    assert (stats.open, stats.claimed, stats.closed) == (1, 0, 0)
    assert stats.oldest_open_age < timedelta(days=1)
