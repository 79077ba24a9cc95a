"""The pure derivation of an event's state from its phases and the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from events.enums import PhaseKind
from events.schedule import build_schedule, current_phase, is_active, next_milestone
from tests.events.conftest import berlin

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@dataclass
class P:
    kind: str
    starts_at: datetime
    ends_at: datetime


def test_is_active_start_inclusive_end_exclusive():
    phase = P(PhaseKind.HACKING, T0, T0 + timedelta(hours=48))

    assert not is_active(phase, T0 - TICK)
    assert is_active(phase, T0)
    assert is_active(phase, phase.ends_at - TICK)
    assert not is_active(phase, phase.ends_at)


def test_current_phase_at_each_boundary():
    intake = P(PhaseKind.CHALLENGE_INTAKE, T0, T0 + timedelta(days=1))
    registration = P(PhaseKind.REGISTRATION, T0 + timedelta(days=1), T0 + timedelta(days=2))
    phases = [intake, registration]

    assert current_phase(phases, T0 - TICK) is None
    assert current_phase(phases, T0) is intake
    assert current_phase(phases, intake.ends_at - TICK) is intake
    # The end of one is the start of the next: exactly one is current.
    assert current_phase(phases, intake.ends_at) is registration
    assert current_phase(phases, registration.ends_at - TICK) is registration
    assert current_phase(phases, registration.ends_at) is None


def test_current_phase_none_without_phases():
    assert current_phase([], T0) is None
    assert next_milestone([], T0) is None
    assert build_schedule([], T0) == []


def test_current_phase_none_in_a_gap_between_phases():
    intake = P(PhaseKind.CHALLENGE_INTAKE, T0, T0 + timedelta(days=1))
    hacking = P(PhaseKind.HACKING, T0 + timedelta(days=3), T0 + timedelta(days=5))

    assert current_phase([intake, hacking], T0 + timedelta(days=2)) is None


def test_current_phase_overlapping_prefers_the_one_started_last():
    registration = P(PhaseKind.REGISTRATION, T0 - timedelta(days=20), T0 + timedelta(hours=48))
    hacking = P(PhaseKind.HACKING, T0, T0 + timedelta(hours=48))

    assert current_phase([hacking, registration], T0 - TICK) is registration
    assert current_phase([hacking, registration], T0) is hacking
    assert current_phase([hacking, registration], T0 + timedelta(hours=47)) is hacking


def test_current_phase_same_start_prefers_the_one_ending_first():
    results = P(PhaseKind.RESULTS, T0, T0 + timedelta(days=7))
    programme = P(PhaseKind.PROGRAMME, T0, T0 + timedelta(days=90))

    assert current_phase([programme, results], T0) is results
    assert current_phase([programme, results], results.ends_at) is programme


def test_current_phase_identical_spans_prefer_the_earlier_in_the_process():
    # The submission window runs alongside the hackathon: the event is "in its hackathon".
    hacking = P(PhaseKind.HACKING, T0, T0 + timedelta(hours=48))
    submission = P(PhaseKind.SUBMISSION, T0, T0 + timedelta(hours=48))

    assert current_phase([submission, hacking], T0 + timedelta(hours=6)) is hacking


def test_next_milestone_is_the_next_start_or_end_strictly_after_now():
    intake = P(PhaseKind.CHALLENGE_INTAKE, T0, T0 + timedelta(days=1))
    hacking = P(PhaseKind.HACKING, T0 + timedelta(days=3), T0 + timedelta(days=5))
    phases = [intake, hacking]

    before = next_milestone(phases, T0 - timedelta(days=1))
    assert (before.at, before.kind, before.is_start) == (T0, PhaseKind.CHALLENGE_INTAKE, True)
    at_start = next_milestone(phases, T0)  # a milestone at `now` is already passed
    assert (at_start.at, at_start.is_start) == (intake.ends_at, False)
    in_gap = next_milestone(phases, T0 + timedelta(days=2))
    assert (in_gap.at, in_gap.kind, in_gap.is_start) == (hacking.starts_at, PhaseKind.HACKING, True)
    assert next_milestone(phases, hacking.ends_at - TICK).at == hacking.ends_at
    assert next_milestone(phases, hacking.ends_at) is None


def test_next_milestone_end_before_start_at_the_same_moment():
    hacking = P(PhaseKind.HACKING, T0, T0 + timedelta(hours=48))
    judging = P(PhaseKind.JUDGING, hacking.ends_at, hacking.ends_at + timedelta(days=7))

    milestone = next_milestone([judging, hacking], T0)

    assert (milestone.kind, milestone.is_start) == (PhaseKind.HACKING, False)
    assert str(milestone.label) == "Hackathon ends"


def test_next_milestone_of_ends_together_is_the_submission_deadline():
    end = T0 + timedelta(hours=48)
    phases = [
        P(PhaseKind.REGISTRATION, T0 - timedelta(days=20), end),
        P(PhaseKind.HACKING, T0, end),
        P(PhaseKind.SUBMISSION, T0, end),
        P(PhaseKind.JUDGING, end, end + timedelta(days=7)),
    ]

    milestone = next_milestone(phases, T0 + timedelta(hours=6))

    assert (milestone.at, milestone.kind, milestone.is_start) == (end, PhaseKind.SUBMISSION, False)
    assert milestone.label == "Project submission ends"


def test_build_schedule_marks_current_active_and_past():
    registration = P(PhaseKind.REGISTRATION, T0 - timedelta(days=20), T0 + timedelta(hours=48))
    intake = P(PhaseKind.CHALLENGE_INTAKE, T0 - timedelta(days=30), T0 - timedelta(days=10))
    hacking = P(PhaseKind.HACKING, T0, T0 + timedelta(hours=48))
    judging = P(PhaseKind.JUDGING, T0 + timedelta(hours=48), T0 + timedelta(days=9))

    entries = build_schedule([judging, hacking, registration, intake], T0 + timedelta(hours=1))

    assert [e.kind for e in entries] == ["challenge_intake", "registration", "hacking", "judging"]
    assert [(e.is_current, e.is_active, e.is_past) for e in entries] == [
        (False, False, True),
        (False, True, False),
        (True, True, False),
        (False, False, False),
    ]
    assert entries[2].label == "Hackathon"


def test_schedule_rejects_naive_datetimes():
    phase = P(PhaseKind.HACKING, T0, T0 + timedelta(hours=1))

    with pytest.raises(ValueError, match="aware"):
        is_active(phase, datetime(2026, 6, 1, 10, 30))  # naive on purpose


# Daylight-saving changes in Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST (the
# hour 02:00-03:00 does not exist) and 2026-10-25 03:00 CEST -> 02:00 CET (02:00-03:00
# happens twice; fold=0 is the first, summer-time pass, fold=1 the second).


def test_phase_ending_in_the_spring_forward_night():
    ends = berlin(2026, 3, 29, 3)  # CEST: 01:00 UTC, one second after 01:59:59 CET
    phase = P(PhaseKind.REGISTRATION, berlin(2026, 3, 28, 12), ends)

    assert ends.astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert is_active(phase, berlin(2026, 3, 29, 1, 59, 59))
    assert is_active(phase, datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC))
    assert not is_active(phase, datetime(2026, 3, 29, 1, 0, tzinfo=UTC))
    assert next_milestone([phase], berlin(2026, 3, 29, 1, 59)).at == ends


def test_48_hours_by_the_wall_clock_are_47_real_hours_over_spring_forward():
    hacking = P(PhaseKind.HACKING, berlin(2026, 3, 27, 18), berlin(2026, 3, 29, 18))

    assert hacking.ends_at.astimezone(UTC) - hacking.starts_at.astimezone(UTC) == timedelta(
        hours=47
    )
    assert is_active(hacking, datetime(2026, 3, 29, 15, 59, tzinfo=UTC))  # 17:59 CEST
    assert not is_active(hacking, datetime(2026, 3, 29, 16, 0, tzinfo=UTC))  # 18:00 CEST


def test_phase_ending_in_the_repeated_hour_of_the_autumn_change():
    # Ends at the second 02:30 (CET, 01:30 UTC).
    phase = P(PhaseKind.JUDGING, berlin(2026, 10, 24, 12), berlin(2026, 10, 25, 2, 30, fold=1))

    # The first 02:45 (CEST, 00:45 UTC) comes before the second 02:30: still active,
    # although its wall-clock time is later.
    assert is_active(phase, berlin(2026, 10, 25, 2, 45, fold=0))
    assert is_active(phase, datetime(2026, 10, 25, 1, 29, 59, tzinfo=UTC))
    assert not is_active(phase, datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    assert not is_active(phase, berlin(2026, 10, 25, 2, 30, fold=1))
    assert current_phase([phase], berlin(2026, 10, 25, 2, 45, fold=0)) is phase


def test_phase_ending_at_the_first_pass_of_the_repeated_hour():
    early = P(PhaseKind.JUDGING, berlin(2026, 10, 24, 12), berlin(2026, 10, 25, 2, 30, fold=0))
    late = P(PhaseKind.RESULTS, berlin(2026, 10, 25, 2, 15, fold=1), berlin(2026, 10, 26, 12))
    now = berlin(2026, 10, 25, 2, 45, fold=0)  # 00:45 UTC

    assert not is_active(early, now)  # ended at 00:30 UTC
    assert current_phase([early, late], now) is None  # the results start at 01:15 UTC
    milestone = next_milestone([early, late], now)
    assert (milestone.kind, milestone.is_start) == (PhaseKind.RESULTS, True)
    assert milestone.at.astimezone(UTC) == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)
