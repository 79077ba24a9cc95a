from django.contrib import admin

from audit.models import AuditEntry
from hackathon.admin import ReadOnlyAdminMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "actor__email"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"
