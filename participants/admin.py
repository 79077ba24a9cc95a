"""Organisers maintain the curated skills and languages and set people's roles per event.

E-mail addresses appear here (organisers need to find people) but nowhere public.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from audit.services import audit_log
from participants import selectors
from participants.enums import EventRole
from participants.models import Language, Profile, Registration, Skill
from participants.services import ParticipantError, profile_ensure, registration_cancel


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "is_curated", "profile_count"]
    list_editable = ["category", "is_curated"]
    list_filter = ["is_curated", "category"]
    search_fields = ["name", "slug", "category"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["-is_curated", "category", "name"]
    actions = ["make_curated", "make_free_tag"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(profile_count=Count("profiles"))

    @admin.display(description=_("people"), ordering="profile_count")
    def profile_count(self, skill: Skill) -> int:
        return skill.profile_count

    @admin.action(description=_("Add the selected skills to the curated list"))
    def make_curated(self, request, queryset) -> None:
        queryset.update(is_curated=True)

    @admin.action(description=_("Remove the selected skills from the curated list"))
    def make_free_tag(self, request, queryset) -> None:
        queryset.update(is_curated=False)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "availability", "visibility", "updated_at"]
    list_filter = ["visibility", "region", "availability"]
    search_fields = ["user__email", "user__display_name", "bio"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    filter_horizontal = ["skills", "languages", "topic_interests"]
    readonly_fields = ["updated_at"]


def _in_team_message(registration: Registration, team_names: list[str]) -> str:
    return _(
        "%(name)s is in the team %(teams)s of this event. They must leave it, or be "
        "removed by a team admin, before their registration is deleted or their role changes."
    ) % {
        "name": registration.user.public_name,
        "teams": ", ".join(f"“{name}”" for name in team_names),
    }


class RegistrationAdminForm(forms.ModelForm):
    class Meta:
        model = Registration
        # The admin passes its own field list; these are the editable ones.
        fields = ["event", "user", "role", "looking_for_team"]

    def clean_role(self):
        role = self.cleaned_data.get("role")
        registration = self.instance
        # Only participants are in teams: a member who became a mentor or juror would be
        # a team member the team rules no longer know (and could not leave or be removed).
        if (
            registration.pk
            and registration.role == EventRole.PARTICIPANT
            and role != EventRole.PARTICIPANT
        ):
            teams = selectors.team_names_of(
                user_ids=[registration.user_id], event=registration.event
            ).get(registration.user_id)
            if teams:
                raise forms.ValidationError(_in_team_message(registration, teams))
        return role


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    form = RegistrationAdminForm
    list_display = ["user", "event", "role", "looking_for_team", "created_at"]
    list_filter = ["event", "role", "looking_for_team"]
    search_fields = ["user__email", "user__display_name"]
    list_select_related = ["user", "event"]
    raw_id_fields = ["user"]
    readonly_fields = ["code_of_conduct_accepted_at", "created_at"]
    list_per_page = 100

    def get_readonly_fields(self, request, obj=None):
        # The person and the event of a registration never change; the role does.
        if obj is not None:
            return [*self.readonly_fields, "user", "event"]
        return self.readonly_fields

    def get_deleted_objects(self, objs, request):
        """Registrations of people in a team are listed as protected, so the admin's
        delete page (single or bulk) explains why and refuses to delete them."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        by_event: dict = {}
        for registration in objs:
            by_event.setdefault(registration.event, []).append(registration)
        for event, registrations in by_event.items():
            teams = selectors.team_names_of(
                user_ids=[registration.user_id for registration in registrations], event=event
            )
            protected = [
                *protected,
                *(
                    _in_team_message(registration, teams[registration.user_id])
                    for registration in registrations
                    if registration.user_id in teams
                ),
            ]
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj: Registration) -> None:
        # Through the service: the audit entry, and the person's pending join requests go.
        self._cancel(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for registration in queryset.select_related("event", "user"):
            self._cancel(request, registration)

    def _cancel(self, request, registration: Registration) -> None:
        try:
            registration_cancel(registration=registration, actor=request.user)
        except ParticipantError as error:  # joined a team since the confirmation page
            self.message_user(request, error.message, level=messages.ERROR)

    def save_model(self, request, obj: Registration, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        profile_ensure(user=obj.user)
        if not change or "role" in form.changed_data:
            audit_log(
                actor=request.user,
                action="participants.role_set",
                target=obj,
                data={"role": obj.role, "event": obj.event.slug, "user_id": obj.user_id},
            )
