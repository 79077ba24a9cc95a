"""The admin writes through the services: no ModelAdmin of ours saves or deletes past them.

For every ModelAdmin registered for our apps, either it grants no add, change or delete to
anyone (not even a superuser), or each write path it allows is its own: save_model when it
adds or changes, delete_model and delete_queryset when it deletes, save_related when its form
has many-to-many fields, save_formset when an inline can change, and every action but
delete_selected is a method of the admin. A new admin that falls back on Django's default
(which saves the model directly: no rules, no audit entry, no notice) fails here by name.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.test import RequestFactory

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUR_APPS = set(settings.LOCAL_APPS)

OUR_ADMINS = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS
    ),
    key=lambda pair: pair[0]._meta.label,
)


def _ids(pairs) -> list[str]:
    return [f"{model._meta.label}:{type(model_admin).__name__}" for model, model_admin in pairs]


def _django_default(cls: type, name: str) -> bool:
    """True if `name` comes from Django itself (ModelAdmin, UserAdmin, InlineModelAdmin…)."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__module__.startswith("django.")
    return True


@pytest.fixture
def superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    return request


def test_every_app_of_ours_has_admins_in_the_check():
    assert {model._meta.app_label for model, _admin in OUR_ADMINS} == OUR_APPS


def _default_write_paths(model, model_admin, request) -> list[str]:
    """The write paths the admin allows a superuser and leaves to Django's defaults."""
    cls = type(model_admin)
    can_add = model_admin.has_add_permission(request)
    can_change = model_admin.has_change_permission(request)
    can_delete = model_admin.has_delete_permission(request)
    inlines = model_admin.get_inline_instances(request)
    changing_inlines = [
        inline
        for inline in inlines
        if (can_add or can_change)
        and (
            inline.has_add_permission(request, None)
            or inline.has_change_permission(request, None)
            or inline.has_delete_permission(request, None)
        )
    ]
    actions = {
        action_name: func
        for action_name, (func, _name, _description) in model_admin.get_actions(request).items()
    }
    writes_something = can_add or can_change or can_delete or set(actions) - {"delete_selected"}
    if not writes_something:
        return []  # read-only for everyone

    default_paths = []
    if (can_add or can_change) and _django_default(cls, "save_model"):
        default_paths.append("save_model")
    if can_delete:
        default_paths += [
            method for method in ("delete_model", "delete_queryset") if _django_default(cls, method)
        ]
    if can_add or can_change:
        form = model_admin.get_form(request, None)
        many_to_many = [
            field.name
            for field in model._meta.many_to_many
            if field.name in form.base_fields and field.name not in model_admin.readonly_fields
        ]
        if many_to_many and _django_default(cls, "save_related"):
            default_paths.append(f"save_related (m2m {', '.join(many_to_many)})")
    if changing_inlines and _django_default(cls, "save_formset"):
        default_paths.append(
            "save_formset (inlines "
            + ", ".join(type(inline).__name__ for inline in changing_inlines)
            + ")"
        )
    for action_name, func in actions.items():
        if func is delete_selected:
            continue
        if getattr(cls, action_name, None) is None or _django_default(cls, action_name):
            default_paths.append(f"action {action_name} (not a method of the admin)")
    return default_paths


@pytest.mark.parametrize(("model", "model_admin"), OUR_ADMINS, ids=_ids(OUR_ADMINS))
def test_admin_writes_only_through_its_own_code(model, model_admin, superuser_request):
    cls = type(model_admin)
    name = f"{model._meta.label} ({cls.__module__}.{cls.__name__})"
    default_paths = _default_write_paths(model, model_admin, superuser_request)
    assert not default_paths, f"{name} writes past the services through: {default_paths}"


def _bulk_rename(modeladmin, request, queryset):  # an action outside any admin class
    queryset.update(pitch="")


def test_the_check_names_every_default_write_path_of_a_plain_admin(superuser_request):
    """The check itself: a plain ModelAdmin (as `admin.site.register(Model)` makes), with
    an inline and a module-level action, is caught on each path."""
    from teams.models import Membership, Team

    class MembershipInline(admin.TabularInline):
        model = Membership

    class PlainTeamAdmin(admin.ModelAdmin):
        inlines = [MembershipInline]
        actions = [_bulk_rename]

    plain = PlainTeamAdmin(Team, admin.site)
    assert _default_write_paths(Team, plain, superuser_request) == [
        "save_model",
        "delete_model",
        "delete_queryset",
        "save_related (m2m languages)",
        "save_formset (inlines MembershipInline)",
        "action _bulk_rename (not a method of the admin)",
    ]


def test_the_check_passes_a_read_only_admin(superuser_request):
    from teams.models import Team

    class ReadOnlyTeamAdmin(admin.ModelAdmin):
        actions = None

        def has_add_permission(self, request):
            return False

        def has_change_permission(self, request, obj=None):
            return False

        def has_delete_permission(self, request, obj=None):
            return False

    assert _default_write_paths(Team, ReadOnlyTeamAdmin(Team, admin.site), superuser_request) == []
