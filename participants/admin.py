"""Organisers maintain the curated skills and languages and set people's roles per event.

E-mail addresses appear here (organisers need to find people) but nowhere public. Skills
and registrations are saved through participants.services (rules, audit entries).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from hackathon.admin import ServiceAdminMixin
from hackathon.admin_a11y import LabelledChangelistMixin
from participants import selectors, services
from participants.enums import ProfileVisibility
from participants.models import Language, Profile, Registration, Skill


class SkillCategoryFilter(admin.SimpleListFilter):
    """The categories by their names in the admin's language; skills without one get a
    name too (Django's own filter linked them with an empty text)."""

    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        categories = Skill.objects.order_by("category").values_list("category", flat=True)
        return [
            (category, gettext(category) if category else gettext("No category"))
            for category in dict.fromkeys(categories)
        ]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(category=self.value())


@admin.register(Skill)
class SkillAdmin(LabelledChangelistMixin, ServiceAdminMixin, admin.ModelAdmin):
    service_errors = (services.ParticipantError,)
    list_display = ["name", "category", "is_curated", "profile_count"]
    list_editable = ["category", "is_curated"]
    list_filter = ["is_curated", SkillCategoryFilter]
    search_fields = ["name", "slug", "category"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["-is_curated", "category", "name"]
    actions = ["make_curated", "make_free_tag"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(profile_count=Count("profiles"))

    @admin.display(description=_("people"), ordering="profile_count")
    def profile_count(self, skill: Skill) -> int:
        return skill.profile_count

    def save_model(self, request, obj: Skill, form, change: bool) -> None:
        if not change:
            data = {field: form.cleaned_data[field] for field in form.fields}
            self.continue_with(obj, services.skill_create(actor=request.user, data=data))
        elif data := self.changed_values(form):
            services.skill_update(skill=obj, actor=request.user, data=data)

    def delete_model(self, request, obj: Skill) -> None:
        services.skill_delete(skill=obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        self.write_each(
            request, services.skill_delete, queryset, each="skill", stop_at_refusal=True
        )

    def _set_curated(self, request, queryset, *, is_curated: bool) -> None:
        try:
            count = services.skills_set_curated(
                skills=queryset, actor=request.user, is_curated=is_curated
            )
        except services.ParticipantError as error:
            self.message_refusal(request, error)
            return
        self.message_user(
            request,
            ngettext("%(count)d skill was changed.", "%(count)d skills were changed.", count)
            % {"count": count},
        )

    @admin.action(description=_("Add the selected skills to the curated list"))
    def make_curated(self, request, queryset) -> None:
        self._set_curated(request, queryset, is_curated=True)

    @admin.action(description=_("Remove the selected skills from the curated list"))
    def make_free_tag(self, request, queryset) -> None:
        self._set_curated(request, queryset, is_curated=False)


@admin.register(Language)
class LanguageAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Added and renamed through the language services (audited). The code is the key
    profiles and teams refer to: it never changes, and languages are not deleted here
    (that would take them silently off people's profiles)."""

    service_errors = (services.ParticipantError,)
    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: Language, form, change: bool) -> None:
        if not change:
            language = services.language_create(
                actor=request.user, code=form.cleaned_data["code"], name=form.cleaned_data["name"]
            )
            self.continue_with(obj, language)
        elif "name" in form.changed_data:
            services.language_rename(
                language=obj, actor=request.user, name=form.cleaned_data["name"]
            )


@admin.register(Profile)
class ProfileAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Moderation: organisers may correct or clear a profile's bio and hide the profile
    (services.profile_moderate, audited with what was there). Everything else is the
    person's own, changed on their profile page; profiles come and go with their people."""

    service_errors = (services.ParticipantError,)
    list_display = ["user", "region", "availability", "visibility", "updated_at"]
    list_filter = ["visibility", "region", "availability"]
    search_fields = ["user__email", "user__display_name", "bio"]
    list_select_related = ["user"]
    fields = [
        "user",
        "bio",
        "visibility",
        "skills",
        "languages",
        "topic_interests",
        "region",
        "availability",
        "updated_at",
    ]
    readonly_fields = [field for field in fields if field not in services.MODERATION_FIELDS]
    actions = ["hide_profiles", "clear_bios"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: Profile, form, change: bool) -> None:
        data = {
            field: form.cleaned_data[field]
            for field in form.changed_data
            if field in services.MODERATION_FIELDS
        }
        if data:
            services.profile_moderate(profile=obj, actor=request.user, data=data)

    def save_related(self, request, form, formsets, change: bool) -> None:
        pass  # the profile's relations are read-only here: nothing to save

    def _moderate(self, request, queryset, data: dict) -> None:
        self.write_each(
            request,
            services.profile_moderate,
            queryset,
            each="profile",
            done=ngettext_lazy(
                "%(count)d profile was changed.", "%(count)d profiles were changed.", "count"
            ),
            stop_at_refusal=True,
            data=data,
        )

    @admin.action(
        description=_("Hide the selected profiles (only team admins and organisers see them)"),
        permissions=["change"],
    )
    def hide_profiles(self, request, queryset) -> None:
        self._moderate(request, queryset, {"visibility": ProfileVisibility.TEAM_ADMINS})

    @admin.action(description=_("Clear the bios of the selected profiles"), permissions=["change"])
    def clear_bios(self, request, queryset) -> None:
        self._moderate(request, queryset, {"bio": ""})


class RegistrationAdminForm(forms.ModelForm):
    """The editable fields; services.registration_role_set checks the role (a team
    member stays a participant)."""

    class Meta:
        model = Registration
        # The admin passes its own field list; these are the editable ones.
        fields = ["event", "user", "role", "looking_for_team"]


@admin.register(Registration)
class RegistrationAdmin(ServiceAdminMixin, admin.ModelAdmin):
    service_errors = (services.ParticipantError,)
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
                    services.in_team_message(registration, teams[registration.user_id])
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
            services.registration_cancel(registration=registration, actor=request.user)
        except services.ParticipantError as error:  # joined a team since the confirmation
            self.message_refusal(request, error)

    def save_model(self, request, obj: Registration, form, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            registration = services.registration_appoint(
                event=data["event"],
                user=data["user"],
                actor=request.user,
                role=data["role"],
                looking_for_team=data.get("looking_for_team", False),
            )
            obj.created_at = registration.created_at
            obj.looking_for_team = registration.looking_for_team
            self.continue_with(obj, registration)
            return
        if {"role", "looking_for_team"} & set(form.changed_data):
            services.registration_role_set(
                registration=obj,
                actor=request.user,
                role=data["role"],
                looking_for_team=data.get("looking_for_team"),
            )
