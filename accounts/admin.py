from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import User
from hackathon.admin import ServiceAdminMixin


class UserCreationForm(AdminUserCreationForm):
    """The admin's "add person" form: e-mail address and password."""

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        # The database compares case-insensitively too; this gives a readable error first.
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("A person with this e-mail address already exists."), code="unique"
            )
        return email


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("A person with this e-mail address already exists."), code="unique"
            )
        return email


@admin.register(User)
class UserAdmin(ServiceAdminMixin, DjangoUserAdmin):
    """People in the admin. Creating and changing them here is fine (an administrator
    sets someone up or corrects a name), but it goes through accounts.services, so that
    the e-mail address is also allauth's (the one people log in and confirm with), a
    changed address is announced at both addresses, and an audit entry remains. Groups
    and permissions: superusers only, audited.

    People are never deleted here: a deletion would take their memberships, team
    founders' admin roles and challenges along past the services that keep teams' counts
    and notices. Deactivate them instead (untick "active"). Passwords are set on Django's
    own password page, whose form hashes them; allauth tells the person on their next
    change. (A decision, not an oversight: see tests/accounts/test_admin.py.)
    """

    service_errors = (services.AccountError,)
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "display_name",
                    "language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = (
        "email",
        "display_name",
        "language",
        "is_active",
        "is_staff",
        "date_joined",
        "last_login",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "language", "groups")
    search_fields = ("email", "display_name")
    ordering = ("-date_joined",)
    readonly_fields = ("last_login", "date_joined")
    date_hierarchy = "date_joined"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: User, form, change: bool) -> None:
        services.user_admin_save(
            user=obj, actor=request.user, changed=form.changed_data, created=not change
        )

    def save_related(self, request, form, formsets, change: bool) -> None:
        # The add form has neither groups nor permissions; the change form has both.
        if {"groups", "user_permissions"} & set(form.changed_data):
            services.user_admin_permissions_set(
                user=form.instance,
                actor=request.user,
                groups=form.cleaned_data.get("groups", ()),
                permissions=form.cleaned_data.get("user_permissions", ()),
            )
