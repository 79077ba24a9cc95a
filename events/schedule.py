"""Derives an event's state from its phases and the clock; nothing here is stored.

A phase is active from its start (inclusive) to its end (exclusive). All datetimes
are aware and compared in UTC: Python compares two datetimes that share a tzinfo
by wall-clock time and ignores `fold`, which is wrong in the repeated hour of a
daylight-saving change. The event's time zone only matters for how times are shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from django.utils.translation import gettext

from events.enums import PhaseKind

_KIND_ORDER = {kind: index for index, kind in enumerate(PhaseKind.values)}


class PhaseLike(Protocol):
    kind: str
    starts_at: datetime
    ends_at: datetime


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("Schedule times must be aware datetimes.")
    return moment.astimezone(UTC)


def _kind_order(kind: str) -> int:
    return _KIND_ORDER.get(kind, len(_KIND_ORDER))


def phase_label(kind: str) -> str:
    try:
        return str(PhaseKind(kind).label)
    except ValueError:  # a kind removed from the enum but still in old rows
        return kind


@dataclass(frozen=True)
class Milestone:
    """A moment when a phase begins or ends."""

    at: datetime
    kind: str
    is_start: bool

    @property
    def phase_label(self) -> str:
        return phase_label(self.kind)

    @property
    def label(self) -> str:
        if self.is_start:
            return gettext("%(phase)s begins") % {"phase": self.phase_label}
        return gettext("%(phase)s ends") % {"phase": self.phase_label}


@dataclass(frozen=True)
class ScheduleEntry:
    """One phase of the schedule as seen at a given moment."""

    phase: PhaseLike
    is_current: bool
    is_active: bool
    is_past: bool

    @property
    def kind(self) -> str:
        return self.phase.kind

    @property
    def label(self) -> str:
        return phase_label(self.phase.kind)

    @property
    def starts_at(self) -> datetime:
        return self.phase.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.phase.ends_at


def is_active(phase: PhaseLike, now: datetime) -> bool:
    return utc(phase.starts_at) <= utc(now) < utc(phase.ends_at)


def sort_phases(phases: Iterable[PhaseLike]) -> list[PhaseLike]:
    return sorted(phases, key=lambda p: (utc(p.starts_at), utc(p.ends_at), _kind_order(p.kind)))


def active_phases(phases: Iterable[PhaseLike], now: datetime) -> list[PhaseLike]:
    return [phase for phase in phases if is_active(phase, now)]


def current_phase(phases: Iterable[PhaseLike], now: datetime) -> PhaseLike | None:
    """The most specific active phase, or None between and outside phases.

    Phases may overlap (registration usually runs through the hackathon), so the
    phase that began most recently is what the event is "in" now. When two began
    at the same moment, the one that ends first is the more specific; when they
    also end together (the submission window that runs alongside the hackathon),
    the earlier one in the process wins, so the event is "in its hackathon".
    """
    active = active_phases(phases, now)
    if not active:
        return None
    return min(
        active, key=lambda p: (-utc(p.starts_at).timestamp(), utc(p.ends_at), _kind_order(p.kind))
    )


def next_milestone(phases: Iterable[PhaseLike], now: datetime) -> Milestone | None:
    """The next start or end of any phase strictly after `now`.

    At one moment an end comes before a start (the deadline is what people count
    down to), and of several ends the one latest in the process: when registration,
    hackathon and submission close together, "Project submission ends" is the
    deadline worth showing.
    """
    now = utc(now)
    upcoming = [
        Milestone(at=moment, kind=phase.kind, is_start=is_start)
        for phase in phases
        for moment, is_start in ((phase.starts_at, True), (phase.ends_at, False))
        if utc(moment) > now
    ]
    if not upcoming:
        return None
    return min(upcoming, key=lambda m: (utc(m.at), m.is_start, -_kind_order(m.kind)))


def build_schedule(phases: Iterable[PhaseLike], now: datetime) -> list[ScheduleEntry]:
    """The phases in order, each marked current, active or past at `now`."""
    ordered = sort_phases(phases)
    current = current_phase(ordered, now)
    return [
        ScheduleEntry(
            phase=phase,
            is_current=phase is current,
            is_active=is_active(phase, now),
            is_past=utc(phase.ends_at) <= utc(now),
        )
        for phase in ordered
    ]
