"""Derives an event's state from its phases and the clock; nothing here is stored.

A phase is active from its start (inclusive) to its end (exclusive). All datetimes
are aware, so comparisons hold across daylight-saving changes; the event's time
zone only matters for how they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from events.enums import PhaseKind

_KIND_ORDER = {kind: index for index, kind in enumerate(PhaseKind.values)}


class PhaseLike:
    kind: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Milestone:
    at: datetime
    kind: str
    is_start: bool

    @property
    def label(self) -> str:
        name = PhaseKind(self.kind).label
        if self.is_start:
            return _("%(phase)s begins") % {"phase": name}
        return _("%(phase)s ends") % {"phase": name}


def active_phases(phases: Iterable[PhaseLike], now: datetime) -> list[PhaseLike]:
    return [phase for phase in phases if phase.starts_at <= now < phase.ends_at]


def current_phase(phases: Iterable[PhaseLike], now: datetime) -> PhaseLike | None:
    """The most specific active phase: the one that started last (later in the process on ties).

    Phases may overlap (registration usually runs through the hacking phase);
    the one that began most recently is what the event is "in" now.
    """
    active = active_phases(phases, now)
    if not active:
        return None
    return max(active, key=lambda phase: (phase.starts_at, _KIND_ORDER.get(phase.kind, 0)))


def next_milestone(phases: Sequence[PhaseLike], now: datetime) -> Milestone | None:
    """The next start or end of any phase strictly after `now`."""
    upcoming = [
        Milestone(at=moment, kind=phase.kind, is_start=is_start)
        for phase in phases
        for moment, is_start in ((phase.starts_at, True), (phase.ends_at, False))
        if moment > now
    ]
    if not upcoming:
        return None
    # An end sorts before a start at the same moment: the deadline is what matters.
    return min(upcoming, key=lambda m: (m.at, m.is_start, _KIND_ORDER.get(m.kind, 0)))
