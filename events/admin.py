"""Organisers manage events and their schedules here.

Dates and times are entered and shown in the event's own time zone: the change
form runs (and renders) with that zone active, so an organiser in Berlin
editing an event in New York types New York times.

Events and their phases are saved through events.services, which check the rules and
write the audit entries (moving the submission phase moves every team's deadline).
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

from events import services
from events.enums import PhaseKind
from events.models import Event, Phase, time_zone_names
from hackathon.admin import ServiceAdminMixin
from hackathon.admin_a11y import LabelledInlineMixin


class EventAdminForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("time zone"),
        choices=[(name, name) for name in time_zone_names()],
        initial=Event._meta.get_field("time_zone").default,
        help_text=Event._meta.get_field("time_zone").help_text,
    )

    class Meta:
        model = Event
        fields = list(services.EDITABLE_FIELDS)


class PhaseInline(LabelledInlineMixin, admin.TabularInline):
    """Saved through the phase services (see EventAdmin.save_formset)."""

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
class EventAdmin(ServiceAdminMixin, admin.ModelAdmin):
    service_errors = (services.EventError,)
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

    def save_model(self, request: HttpRequest, obj: Event, form, change: bool) -> None:
        if not change:
            data = {field: form.cleaned_data[field] for field in services.EDITABLE_FIELDS}
            event = services.event_create(actor=request.user, data=data)
            # The admin goes on with its own object (the inlines, the history, the redirect).
            obj.pk, obj.created_at, obj.updated_at = event.pk, event.created_at, event.updated_at
            obj._state.adding = False
            return
        data = {field: form.cleaned_data[field] for field in form.changed_data}
        if data:
            services.event_update(event=obj, actor=request.user, data=data)

    def delete_model(self, request: HttpRequest, obj: Event) -> None:
        # Refused for an event people took part in (ServiceAdminMixin shows why).
        services.event_delete(event=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for event in queryset:
            try:
                services.event_delete(event=event, actor=request.user)
            except services.EventError as error:
                self.message_refusal(request, error)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        formset.save(commit=False)  # what changed, for the admin's history; saves nothing
        event = form.instance
        # Deletions first, so a phase taken off and added again does not meet itself.
        for phase in formset.deleted_objects:
            services.phase_delete(phase=phase, actor=request.user)
        for phase, _fields in formset.changed_objects:
            services.phase_update(
                phase=phase,
                actor=request.user,
                kind=phase.kind,
                starts_at=phase.starts_at,
                ends_at=phase.ends_at,
            )
        formset.new_objects = [
            services.phase_create(
                event=event,
                actor=request.user,
                kind=phase.kind,
                starts_at=phase.starts_at,
                ends_at=phase.ends_at,
            )
            for phase in formset.new_objects
        ]

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
