from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest


class HelpRequestAdminForm(forms.ModelForm):
    class Meta:
        model = HelpRequest
        # The admin passes its own field list; these are the editable ones.
        fields = ["team", "skill", "topic", "question", "contact", "status", "created_by", "mentor"]

    def clean(self):
        cleaned = super().clean()
        # The database refuses a claimed request without a mentor (CHECK constraint):
        # say so here, on the field, instead of failing with a server error.
        if cleaned.get("status") == HelpRequestStatus.CLAIMED and not cleaned.get("mentor"):
            self.add_error("mentor", _("A claimed request needs the mentor who took it."))
        return cleaned


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    form = HelpRequestAdminForm
    list_display = ["__str__", "team", "status", "skill", "mentor", "created_at", "claimed_at"]
    list_filter = ["status", "team__event", "skill"]
    search_fields = ["question", "topic", "team__name", "mentor__display_name", "mentor__email"]
    list_select_related = ["team", "skill", "mentor"]
    raw_id_fields = ["team", "created_by", "mentor"]
    readonly_fields = ["created_at", "claimed_at", "closed_at"]
    date_hierarchy = "created_at"
