from django.contrib import admin

from mentoring.models import HelpRequest


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "team", "status", "skill", "mentor", "created_at", "claimed_at"]
    list_filter = ["status", "team__event", "skill"]
    search_fields = ["question", "topic", "team__name", "mentor__display_name", "mentor__email"]
    list_select_related = ["team", "skill", "mentor"]
    raw_id_fields = ["team", "created_by", "mentor"]
    readonly_fields = ["created_at", "claimed_at", "closed_at"]
    date_hierarchy = "created_at"
