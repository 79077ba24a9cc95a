from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache, cached_property

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.enums import PhaseKind
from events.schedule import (
    Milestone,
    ScheduleEntry,
    build_schedule,
    current_phase,
    next_milestone,
    sort_phases,
    utc,
)
from events.schedule import (
    is_active as phase_is_active,
)


@cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA time zone names this system knows, sorted (read from disk once)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Event(models.Model):
    """One edition of the process, e.g. "#WirVsVirus 2020"."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Berlin",
        validators=[validate_time_zone],
        help_text=_("The schedule is entered and shown in this time zone, e.g. Europe/Berlin."),
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Only public events are visible to everyone.")
    )
    code_of_conduct = models.TextField(
        _("code of conduct"),
        blank=True,
        help_text=_("Everyone accepts this when registering for the event."),
    )
    team_max_size = models.PositiveSmallIntegerField(
        _("maximum team size"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    teams_per_person = models.PositiveSmallIntegerField(
        _("teams per person"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("In how many teams of this event one person may be at the same time."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @cached_property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def localtime(self, value: datetime) -> datetime:
        return timezone.localtime(value, self.tzinfo)

    def _phases(self) -> list[Phase]:
        # Uses the prefetched phases when a selector loaded them.
        return sort_phases(self.phases.all())

    def current_phase(self, now: datetime | None = None) -> Phase | None:
        return current_phase(self._phases(), now or timezone.now())

    def next_milestone(self, now: datetime | None = None) -> Milestone | None:
        return next_milestone(self._phases(), now or timezone.now())

    def schedule(self, now: datetime | None = None) -> list[ScheduleEntry]:
        """The phases in order, each marked current, active or past at `now`."""
        return build_schedule(self._phases(), now or timezone.now())


class Phase(models.Model):
    """One phase of the schedule, active from `starts_at` (inclusive) to `ends_at` (exclusive)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="phases", verbose_name=_("event")
    )
    kind = models.CharField(_("phase"), max_length=32, choices=PhaseKind.choices)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_at", "ends_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="events_phase_one_per_kind"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="events_phase_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.get_kind_display()}"

    def clean(self) -> None:
        # In UTC: same-zone datetimes compare by wall clock, wrong in a DST change's repeated hour.
        if self.starts_at and self.ends_at and utc(self.ends_at) <= utc(self.starts_at):
            raise ValidationError({"ends_at": _("The end must be after the start.")})

    def is_active(self, now: datetime) -> bool:
        return phase_is_active(self, now)

    @property
    def label(self) -> str:
        return str(self.get_kind_display())
