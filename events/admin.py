"""Organisers manage events and their schedules here.

Dates and times are entered and shown in the event's own time zone: the change
form runs (and renders) with that zone active, so an organiser in Berlin
editing an event in New York types New York times.
"""

from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.enums import PhaseKind
from events.models import Event, Phase, time_zone_names


class EventAdminForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("time zone"),
        choices=[(name, name) for name in time_zone_names()],
        initial=Event._meta.get_field("time_zone").default,
        help_text=Event._meta.get_field("time_zone").help_text,
    )

    class Meta:
        model = Event
        fields = [
            "name",
            "slug",
            "tagline",
            "description",
            "is_public",
            "time_zone",
            "code_of_conduct",
            "team_max_size",
            "teams_per_person",
        ]


class PhaseInline(admin.TabularInline):
    model = Phase
    fields = ["kind", "starts_at", "ends_at"]
    ordering = ["starts_at", "ends_at"]
    max_num = len(PhaseKind)
    verbose_name_plural = _("schedule (dates and times in the event's time zone)")

    def get_extra(self, request: HttpRequest, obj: Event | None = None, **kwargs) -> int:
        # A new event gets one row per phase; an existing one a row for each missing phase.
        if obj is None:
            return len(PhaseKind)
        return max(0, len(PhaseKind) - len(obj.phases.all()))


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    inlines = [PhaseInline]
    list_display = ["name", "slug", "is_public", "current_phase_label", "time_zone"]
    list_display_links = ["name"]
    list_filter = ["is_public", "time_zone"]
    search_fields = ["name", "slug", "tagline"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "description"]}),
        (_("Publication and time zone"), {"fields": ["is_public", "time_zone"]}),
        (_("Teams"), {"fields": ["code_of_conduct", "team_max_size", "teams_per_person"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest):
        # The changelist shows each event's current phase: load all phases at once.
        return super().get_queryset(request).prefetch_related("phases")

    @admin.display(description=_("current phase"))
    def current_phase_label(self, event: Event) -> str:
        phase = event.current_phase()
        return phase.label if phase else "–"

    def _time_zone(self, request: HttpRequest, object_id: str | None) -> zoneinfo.ZoneInfo:
        """The zone the form is shown and read in.

        A submitted form is read in the zone chosen in it (so a new event's times
        mean what the organiser typed); otherwise the saved event's zone.
        """
        names = time_zone_names()
        posted = request.POST.get("time_zone") if request.method == "POST" else None
        if posted in names:
            return zoneinfo.ZoneInfo(posted)
        if object_id is not None:
            event = self.get_object(request, unquote(object_id))
            if event is not None:
                return event.tzinfo
        default = Event._meta.get_field("time_zone").default
        return zoneinfo.ZoneInfo(default if default in names else settings.TIME_ZONE)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        with timezone.override(self._time_zone(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Template responses render lazily, after this method returns: render
            # now, while the event's zone is active.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response
