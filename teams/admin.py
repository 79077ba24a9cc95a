"""Teams in the Django admin: look after them, never found or fill them here.

Members and counts are kept by teams.services (capacity, one team per person), so the
admin shows memberships read-only except their role. Every change goes through the
services, with their checks, audit entries and notices: the team's fields (team_update,
which knows the event's team size), members' roles (membership_role_set), open roles,
closing teams and revoking invitations.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy, ngettext_lazy

from hackathon.admin import ReadOnlyAdminMixin, ServiceAdminMixin
from hackathon.admin_a11y import LabelledInlineMixin
from teams import services
from teams.enums import MemberRole, TeamStatus
from teams.models import Invitation, JoinRequest, Membership, OpenRole, Team


class MembershipInline(LabelledInlineMixin, admin.TabularInline):
    """Only the role can be changed, through membership_role_set (see TeamAdmin)."""

    model = Membership
    extra = 0
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["user", "joined_at"]
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OpenRoleInline(admin.StackedInline):
    """Saved through the open role services (see TeamAdmin.save_formset)."""

    model = OpenRole
    extra = 0
    filter_horizontal = ["skills"]


class TeamAdminForm(forms.ModelForm):
    """The team's own fields; what they may be (a unique name, a size within the event's
    limit and above the member count) is checked by services.team_update."""

    chat_link = forms.URLField(
        label=gettext_lazy("chat link"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Team
        fields = ["name", "pitch", "languages", "chat_link", "max_size"]


@admin.register(Team)
class TeamAdmin(ServiceAdminMixin, admin.ModelAdmin):
    service_errors = (services.TeamError,)
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
        # Organisers close teams (the action); deleting is for administrators.
        return request.user.is_superuser

    def get_deleted_objects(self, objs, request):
        # The team's join requests and invitations go with it (team_delete), although
        # nobody deletes them on their own admin pages: that is no missing permission.
        deleted, model_count, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, set(), protected

    def delete_model(self, request, obj: Team) -> None:
        # The members are told and an audit entry remains (a refusal: ServiceAdminMixin).
        services.team_delete(team=obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        self.write_each(
            request, services.team_delete, queryset.select_related("event"), each="team", label=str
        )

    def save_model(self, request, obj: Team, form, change: bool) -> None:
        if data := self.changed_values(form):
            services.team_update(team=obj, actor=request.user, data=data)

    def save_related(self, request, form, formsets, change: bool) -> None:
        # The languages were set by team_update; form.save_m2m() would set them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change: bool) -> None:
        formset.save(commit=False)  # what changed, for the admin's history; saves nothing
        if formset.model is Membership:
            self._save_roles(request, formset)
        elif formset.model is OpenRole:
            self._save_open_roles(request, form.instance, formset)
        else:  # pragma: no cover - every inline of this admin is handled above
            raise NotImplementedError(formset.model)

    def _save_roles(self, request, formset) -> None:
        # New admins first, so an admin handing over in the same save can step down.
        changed = sorted(
            (membership for membership, _fields in formset.changed_objects),
            key=lambda membership: membership.role != MemberRole.ADMIN,
        )
        for membership in changed:
            services.membership_role_set(
                membership=membership, actor=request.user, role=membership.role
            )

    def _save_open_roles(self, request, team: Team, formset) -> None:
        created = []
        for role_form in formset.forms:
            role, data = role_form.instance, role_form.cleaned_data
            if not data:
                continue
            if role_form in formset.deleted_forms:
                if role.pk is not None:
                    services.open_role_delete(role=role, actor=request.user)
            elif role.pk is None:
                if role_form.has_changed():
                    created.append(
                        services.open_role_create(
                            team=team,
                            actor=request.user,
                            title=data["title"],
                            description=data.get("description", ""),
                            skills=data.get("skills", ()),
                        )
                    )
            elif role_form.has_changed():
                services.open_role_update(
                    role=role,
                    actor=request.user,
                    title=data["title"],
                    description=data.get("description", ""),
                    skills=data.get("skills", ()),
                )
        formset.new_objects = created

    @admin.action(description=gettext_lazy("Close the selected teams"), permissions=["change"])
    def close_teams(self, request, queryset) -> None:
        self.write_each(
            request,
            services.team_close,
            queryset.filter(status=TeamStatus.OPEN).select_related("event"),
            each="team",
            done=ngettext_lazy(
                "%(count)d team was closed.", "%(count)d teams were closed.", "count"
            ),
            label=str,
        )


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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

    # Read-only (ReadOnlyAdminMixin): requests are made, withdrawn and decided on the site,
    # through the join request services (the team's capacity, the notices to both sides).


@admin.register(Invitation)
class InvitationAdmin(ServiceAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    service_errors = (services.TeamError,)
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

    # Nothing is edited or deleted here (ReadOnlyAdminMixin): a link is taken back with the
    # revoke action.
    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm("teams.change_invitation")

    @admin.action(description=gettext_lazy("Revoke the selected links"), permissions=["revoke"])
    def revoke(self, request, queryset) -> None:
        self.write_each(
            request,
            services.invitation_revoke,
            queryset.filter(revoked_at__isnull=True).select_related("team__event"),
            each="invitation",
            done=ngettext_lazy(
                "%(count)d link was revoked.", "%(count)d links were revoked.", "count"
            ),
        )
