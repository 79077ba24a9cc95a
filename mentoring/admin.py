"""Help requests in the Django admin: organisers follow them and close what is stuck.

Read-only otherwise: teams ask and mentors claim and release on the site, through
mentoring.services (the limit per team, the notices to the team and the mentor, the audit
entries); the admin closes requests through help_request_close too.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hackathon.admin import ServiceAdminMixin
from mentoring import services
from mentoring.enums import HelpRequestStatus
from mentoring.models import HelpRequest


@admin.register(HelpRequest)
class HelpRequestAdmin(ServiceAdminMixin, admin.ModelAdmin):
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

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_close_permission(self, request) -> bool:
        return request.user.has_perm("mentoring.change_helprequest")

    @admin.action(description=_("Close the selected help requests"), permissions=["close"])
    def close_requests(self, request, queryset) -> None:
        closed = 0
        still_active = queryset.exclude(status=HelpRequestStatus.CLOSED)
        for help_request in still_active.select_related("team__event", "mentor"):
            try:
                services.help_request_close(help_request=help_request, actor=request.user)
            except services.MentoringError as error:
                self.message_refusal(request, error, prefix=f"{help_request}: ")
            else:
                closed += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d help request was closed.", "%(count)d help requests were closed.", closed
            )
            % {"count": closed},
            messages.SUCCESS if closed else messages.WARNING,
        )
