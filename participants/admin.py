"""Organisers maintain the curated skills and languages and set people's roles per event.

E-mail addresses appear here (organisers need to find people) but nowhere public.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from audit.services import audit_log
from participants.models import Language, Profile, Registration, Skill
from participants.services import profile_ensure


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


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
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
