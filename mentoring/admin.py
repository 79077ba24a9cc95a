"""Help requests in the Django admin: organisers follow them and close what is stuck.

Read-only otherwise: teams ask and mentors claim and release on the site, through
mentoring.services (the limit per team, the notices to the team and the mentor, the audit
entries); the admin closes requests through help_request_close too.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from hackathon.admin import ReadOnlyAdminMixin, ServiceAdminMixin
from mentoring import services
from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest


@admin.register(HelpRequest)
class HelpRequestAdmin(ServiceAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    service_errors = (services.MentoringError,)
    list_display = ["__str__", "team", "status", "skill", "mentor", "created_at", "claimed_at"]
    list_filter = ["status", "team__event", "skill"]
    search_fields = ["question", "topic", "team__name", "mentor__display_name", "mentor__email"]
    list_select_related = ["team", "skill", "mentor"]
    fields = [
        "team",
        "skill",
        "topic",
        "question",
        "contact",
        "status",
        "created_by",
        "mentor",
        "created_at",
        "claimed_at",
        "closed_at",
    ]
    readonly_fields = fields
    date_hierarchy = "created_at"
    actions = ["close_requests"]

    def has_close_permission(self, request) -> bool:
        return request.user.has_perm("mentoring.change_helprequest")

    @admin.action(description=_("Close the selected help requests"), permissions=["close"])
    def close_requests(self, request, queryset) -> None:
        still_active = queryset.exclude(status=HelpRequestStatus.CLOSED)
        self.write_each(
            request,
            services.help_request_close,
            still_active.select_related("team__event", "mentor"),
            each="help_request",
            done=ngettext_lazy(
                "%(count)d help request was closed.",
                "%(count)d help requests were closed.",
                "count",
            ),
            label=str,
            level=messages.SUCCESS,
            level_if_none=messages.WARNING,
        )
