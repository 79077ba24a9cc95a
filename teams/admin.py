"""Teams in the Django admin: look after them, never found or fill them here.

Members and counts are kept by teams.services (capacity, one team per person), so the
admin shows memberships read-only except their role, and closes teams and revokes
invitations through the services.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from teams import services
from teams.enums import MemberRole, TeamStatus
from teams.models import Invitation, JoinRequest, Membership, OpenRole, Team


class MembershipFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        roles = [form.cleaned_data.get("role") for form in self.forms if form.cleaned_data]
        if roles and MemberRole.ADMIN not in roles:
            # Every decision in a team (accepting, removing, editing) needs an admin.
            raise ValidationError(_("A team with members needs at least one admin."))


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["user", "joined_at"]
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OpenRoleInline(admin.StackedInline):
    model = OpenRole
    extra = 0
    filter_horizontal = ["skills"]


class TeamAdminForm(forms.ModelForm):
    """Checks what the database would refuse (event and count are read-only here, so the
    model's constraints on them are not checked by the form itself)."""

    chat_link = forms.URLField(
        label=gettext_lazy("chat link"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Team
        fields = ["name", "pitch", "languages", "chat_link", "max_size"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        taken = Team.objects.filter(event_id=self.instance.event_id, name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(_("There is already a team with this name in the event."))
        return name

    def clean_max_size(self) -> int:
        max_size = self.cleaned_data["max_size"]
        if max_size < max(self.instance.member_count, 1):
            raise forms.ValidationError(
                _("The team has %(count)d members; the maximum cannot be lower.")
                % {"count": self.instance.member_count}
            )
        return max_size


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamAdminForm
    list_display = [
        "name",
        "event",
        "challenge",
        "member_count",
        "max_size",
        "status",
        "created_at",
    ]
    list_filter = ["status", "event"]
    search_fields = ["name", "pitch", "=challenge__number"]
    list_select_related = ["event", "challenge"]
    readonly_fields = [
        "event",
        "challenge",
        "member_count",
        "status",
        "created_at",
        "updated_at",
        "closed_at",
    ]
    fields = [
        "event",
        "challenge",
        "name",
        "pitch",
        "languages",
        "chat_link",
        "max_size",
        "member_count",
        "status",
        "created_at",
        "updated_at",
        "closed_at",
    ]
    filter_horizontal = ["languages"]
    inlines = [MembershipInline, OpenRoleInline]
    actions = ["close_teams"]

    def has_add_permission(self, request) -> bool:
        # Founding needs a registered founder who becomes admin: only through the site.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    @admin.action(description=gettext_lazy("Close the selected teams"), permissions=["change"])
    def close_teams(self, request, queryset) -> None:
        closed = 0
        for team in queryset.filter(status=TeamStatus.OPEN).select_related("event"):
            try:
                services.team_close(team=team, actor=request.user)
            except services.TeamError as error:
                self.message_user(request, f"{team}: {error.message}", messages.ERROR)
            else:
                closed += 1
        self.message_user(
            request,
            ngettext("%(count)d team was closed.", "%(count)d teams were closed.", closed)
            % {"count": closed},
        )


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["team", "user", "status", "created_at", "decided_at"]
    list_filter = ["status", "team__event"]
    search_fields = ["team__name", "user__display_name", "user__email"]
    list_select_related = ["team", "user"]
    readonly_fields = [
        "team",
        "user",
        "message",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "team",
        "invitee",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "uses",
    ]
    list_filter = ["team__event"]
    search_fields = ["team__name"]
    list_select_related = ["team", "created_by", "invitee"]
    readonly_fields = [
        "team",
        "invitee",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "uses",
    ]
    exclude = ["token"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=gettext_lazy("Revoke the selected links"), permissions=["change"])
    def revoke(self, request, queryset) -> None:
        count = 0
        for invitation in queryset.filter(revoked_at__isnull=True).select_related("team__event"):
            try:
                services.invitation_revoke(invitation=invitation, actor=request.user)
            except services.TeamError as error:
                self.message_user(request, error.message, level=messages.ERROR)
                continue
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d link was revoked.", "%(count)d links were revoked.", count)
            % {"count": count},
        )
