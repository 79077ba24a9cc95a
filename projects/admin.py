"""The organisers' admin for projects.

Projects are read mostly; organisers may correct the texts of the living page and the
images' descriptions, through projects.services (audited). Versions are frozen:
read-only for everyone. Extensions are granted and taken back through the services,
which check that they end after the deadline and tell the team.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hackathon.admin import ReadOnlyAdminMixin, ServiceAdminMixin
from hackathon.admin_a11y import LabelledInlineMixin
from projects import services
from projects.fields import EDITABLE_FIELDS, LINK_FIELDS
from projects.models import (
    DeadlineReminder,
    Project,
    ProjectImage,
    ProjectVersion,
    SubmissionExtension,
)


class ProjectImageInline(LabelledInlineMixin, admin.TabularInline):
    model = ProjectImage
    fields = ["thumbnail", "alt_text", "position", "detached_at", "created_at"]
    # The order is the editor's (image_reorder); the description goes through image_describe.
    readonly_fields = ["thumbnail", "position", "detached_at", "created_at"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # uploads go through the editor, which checks and re-encodes them


@admin.register(Project)
class ProjectAdmin(ServiceAdminMixin, admin.ModelAdmin):
    service_errors = (services.ProjectError,)
    list_display = ["title", "team", "event", "status", "category", "submitted_at"]
    list_filter = ["status", "event", "category"]
    search_fields = ["title", "pitch", "team__name"]
    list_select_related = ["team", "event"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "event",
        "team",
        "status",
        "submitted_at",
        "withdrawn_at",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = ["challenges", "tags"]
    raw_id_fields = ["credited_members"]
    inlines = [ProjectImageInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # The editable fields (projects.fields), the links apart; around them, read-only,
    # whose project it is and its times.
    fieldsets = [
        (None, {"fields": ["event", "team", "status", "submitted_at", "withdrawn_at"]}),
        (_("Content"), {"fields": [f for f in EDITABLE_FIELDS if f not in LINK_FIELDS]}),
        (_("Links"), {"fields": [f for f in EDITABLE_FIELDS if f in LINK_FIELDS]}),
        (_("Times"), {"fields": ["created_at", "updated_at"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return False  # teams create their project in the editor

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # teams withdraw their project; deleting it would take its versions

    def save_model(self, request, obj, form, change) -> None:
        data = self.changed_values(form)
        for field in services.RELATION_FIELDS:
            if field in data:
                data[field] = list(data[field])
        if data:
            services.project_update(project=obj, actor=request.user, data=data)

    def save_related(self, request, form, formsets, change) -> None:
        # The relations were set by project_update; form.save_m2m() would set them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change) -> None:
        formset.save(commit=False)  # what changed, for the admin's history; saves nothing
        for image, fields in formset.changed_objects:
            if "alt_text" in fields:
                services.image_describe(image=image, actor=request.user, alt_text=image.alt_text)


@admin.register(ProjectVersion)
class ProjectVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["project", "number", "created_at", "created_by"]
    list_filter = ["project__event"]
    search_fields = ["project__title", "project__team__name"]
    list_select_related = ["project", "created_by"]
    readonly_fields = ["project", "number", "snapshot", "created_at", "created_by"]


class SubmissionExtensionForm(forms.ModelForm):
    class Meta:
        model = SubmissionExtension
        fields = ["team", "ends_at", "reason"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_at"].help_text = _("Date and time in the time zone of the team's event.")

    def clean(self) -> dict:
        cleaned = super().clean()
        team, ends_at = cleaned.get("team"), cleaned.get("ends_at")
        if team is not None and ends_at is not None:
            from projects.selectors import submission_phase_end

            # The form read the wall-clock time in the active time zone; the organiser meant
            # the event's, so read the same digits again there.
            wall_clock = timezone.make_naive(ends_at)
            try:
                ends_at = timezone.make_aware(wall_clock, team.event.tzinfo)
            except (ValueError, OverflowError):
                self.add_error("ends_at", _("This time does not exist in the event's time zone."))
                return cleaned
            if timezone.make_naive(ends_at, team.event.tzinfo) != wall_clock:
                self.add_error("ends_at", _("This time does not exist in the event's time zone."))
                return cleaned
            cleaned["ends_at"] = ends_at
            phase_end = submission_phase_end(event_id=team.event_id)
            if phase_end is None:
                self.add_error(
                    "team", _("The team's event has no submission phase, so there is no deadline.")
                )
            elif ends_at <= phase_end:
                self.add_error(
                    "ends_at",
                    _("The extension must end after the deadline, %(deadline)s.")
                    % {
                        "deadline": team.event.localtime(phase_end).strftime("%Y-%m-%d %H:%M:%S")
                        + f" ({team.event.time_zone})"
                    },
                )
        return cleaned


@admin.register(SubmissionExtension)
class SubmissionExtensionAdmin(ServiceAdminMixin, admin.ModelAdmin):
    service_errors = (services.ProjectError,)
    form = SubmissionExtensionForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """An existing extension is shown and edited in its event's time zone."""
        extension = self.get_object(request, object_id) if object_id else None
        if extension is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with timezone.override(extension.team.event.tzinfo):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    list_display = ["team", "ends_at", "reason", "granted_by", "granted_at"]
    list_filter = ["team__event"]
    search_fields = ["team__name"]
    list_select_related = ["team", "granted_by"]
    raw_id_fields = ["team"]
    readonly_fields = ["granted_by", "granted_at"]

    def get_readonly_fields(self, request, obj=None):
        # One extension per team: change its end, do not move it to another team.
        return [*self.readonly_fields, "team"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        # Also for staff with the model permission outside the organisers: the service says no.
        extension = services.extension_grant(
            team=obj.team,
            actor=request.user,
            ends_at=form.cleaned_data["ends_at"],
            reason=form.cleaned_data.get("reason", ""),
        )
        obj.granted_by = extension.granted_by
        obj.granted_at = extension.granted_at
        self.continue_with(obj, extension)

    def delete_model(self, request, obj) -> None:
        services.extension_revoke(extension=obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        self.write_each(
            request,
            services.extension_revoke,
            queryset,
            each="extension",
            label=lambda extension: extension.team,
        )


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only, and never deleted: a reminder row is what keeps the reminder from being
    sent twice."""

    list_display = ["team", "kind", "sent_at"]
    list_filter = ["kind", "team__event"]
    search_fields = ["team__name"]
    list_select_related = ["team"]
    readonly_fields = ["team", "kind", "sent_at"]
