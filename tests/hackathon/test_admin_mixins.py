"""What the admins share (hackathon/admin.py): the read-only mixin, write_each (an action or
delete_queryset through a service, with a count and the refusals), continue_with and
changed_values."""

from __future__ import annotations

import pytest
from django.contrib import admin, messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils.translation import ngettext_lazy

from audit.models import AuditEntry
from challenges.models import ChallengeQuestion
from hackathon.admin import ReadOnlyAdminMixin, ServiceAdminMixin
from mentoring.models import HelpRequest
from notifications.models import Notification, NotificationPreference
from participants import services
from participants.models import Skill
from projects.models import DeadlineReminder, ProjectVersion
from teams.models import Invitation, JoinRequest
from tests.factories import OrganiserFactory, SkillFactory, UserFactory

pytestmark = pytest.mark.django_db

DELETED = ngettext_lazy("%(count)d skill was deleted.", "%(count)d skills were deleted.", "count")


class SkillServiceAdmin(ServiceAdminMixin, admin.ModelAdmin):
    service_errors = (services.ParticipantError,)


@pytest.fixture
def model_admin():
    return SkillServiceAdmin(Skill, admin.site)


@pytest.fixture
def staff_request():
    request = RequestFactory().post("/admin/participants/skill/")
    request.user = OrganiserFactory()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _messages(request) -> list[tuple[int, str]]:
    return [(message.level, message.message) for message in request._messages]


def _skills(*names: str) -> list[Skill]:
    return [SkillFactory(name=name) for name in names]


def _left(skills: list[Skill]) -> list[str]:
    """The names of those `skills` still there."""
    kept = Skill.objects.filter(pk__in=[skill.pk for skill in skills])
    return sorted(kept.values_list("name", flat=True))


def _delete_unless_kept(*, skill: Skill, actor) -> None:
    # The real service, refusing the skills named "Kept" as a service refuses (its error).
    if skill.name.startswith("Kept"):
        raise services.ParticipantError(f"{skill.name} stays.")
    services.skill_delete(skill=skill, actor=actor)


def test_write_each_writes_through_the_service_and_says_how_many(model_admin, staff_request):
    skills = _skills("Rust", "Go")
    count = model_admin.write_each(
        staff_request, services.skill_delete, skills, each="skill", done=DELETED
    )
    assert count == 2
    assert not Skill.objects.filter(pk__in=[skill.pk for skill in skills]).exists()
    assert AuditEntry.objects.filter(action="participants.skill_delete").count() == 2
    assert _messages(staff_request) == [(messages.INFO, "2 skills were deleted.")]


def test_write_each_goes_on_after_a_refusal_with_the_label(model_admin, staff_request):
    skills = _skills("Kept A", "Rust", "Kept B", "Go")
    count = model_admin.write_each(
        staff_request, _delete_unless_kept, skills, each="skill", done=DELETED, label=str
    )
    assert count == 2
    assert _left(skills) == ["Kept A", "Kept B"]
    assert _messages(staff_request) == [
        (messages.ERROR, "Kept A: Kept A stays."),
        (messages.ERROR, "Kept B: Kept B stays."),
        (messages.INFO, "2 skills were deleted."),
    ]


def test_write_each_stops_at_the_first_refusal_without_a_count(model_admin, staff_request):
    skills = _skills("Rust", "Kept A", "Go")
    count = model_admin.write_each(
        staff_request,
        _delete_unless_kept,
        skills,
        each="skill",
        done=DELETED,
        stop_at_refusal=True,
    )
    assert count == 1
    assert _left(skills) == ["Go", "Kept A"]
    assert _messages(staff_request) == [(messages.ERROR, "Kept A stays.")]


def test_write_each_without_done_says_only_the_refusals(model_admin, staff_request):
    skills = _skills("Kept A", "Rust")
    count = model_admin.write_each(
        staff_request, _delete_unless_kept, skills, each="skill", label=lambda s: s.slug
    )
    assert count == 1
    assert _messages(staff_request) == [(messages.ERROR, "kept-a: Kept A stays.")]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Rust"], [(messages.SUCCESS, "1 skill was deleted.")]),
        (
            ["Kept A"],
            [(messages.ERROR, "Kept A stays."), (messages.WARNING, "0 skills were deleted.")],
        ),
    ],
)
def test_write_each_levels_for_some_and_for_none(model_admin, staff_request, names, expected):
    model_admin.write_each(
        staff_request,
        _delete_unless_kept,
        _skills(*names),
        each="skill",
        done=DELETED,
        level=messages.SUCCESS,
        level_if_none=messages.WARNING,
    )
    assert _messages(staff_request) == expected


def test_write_each_passes_the_service_its_other_arguments(model_admin, staff_request):
    skills = _skills("Rust", "Go")
    model_admin.write_each(
        staff_request,
        services.skills_set_curated,
        [Skill.objects.filter(pk=skills[0].pk)],
        each="skills",
        is_curated=True,
    )
    curated = Skill.objects.filter(pk__in=[skill.pk for skill in skills])
    assert dict(curated.values_list("name", "is_curated")) == {"Rust": True, "Go": False}


def test_write_each_lets_other_errors_through(model_admin, staff_request):
    def broken(*, skill, actor):
        raise ValueError("not a refusal")

    with pytest.raises(ValueError, match="not a refusal"):
        model_admin.write_each(staff_request, broken, _skills("Rust"), each="skill")
    assert _messages(staff_request) == []


def test_continue_with_makes_the_admins_object_the_created_row():
    created = SkillFactory(name="Rust")
    obj = Skill(name="Rust")
    ServiceAdminMixin.continue_with(obj, created)
    assert (obj.pk, obj._state.adding) == (created.pk, False)


def test_changed_values_are_the_changed_fields_cleaned():
    from django import forms

    class SkillForm(forms.ModelForm):
        class Meta:
            model = Skill
            fields = ["name", "category", "is_curated"]

    skill = SkillFactory(name="Rust", category="")
    form = SkillForm({"name": " Rust ", "category": "Code", "is_curated": ""}, instance=skill)
    assert form.is_valid(), form.errors
    assert ServiceAdminMixin.changed_values(form) == {"category": "Code"}


READ_ONLY_MODELS = [
    AuditEntry,
    ChallengeQuestion,
    DeadlineReminder,
    HelpRequest,
    Invitation,
    JoinRequest,
    Notification,
    NotificationPreference,
    ProjectVersion,
]


@pytest.mark.parametrize("model", READ_ONLY_MODELS, ids=lambda model: model._meta.label)
def test_read_only_admins_grant_no_add_change_or_delete_to_a_superuser(model):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert isinstance(model_admin, ReadOnlyAdminMixin)
    assert model_admin.has_view_permission(request) is True
    assert (
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request),
        model_admin.has_delete_permission(request),
    ) == (False, False, False)


def test_profile_admin_edits_only_the_moderation_fields():
    from participants.models import Profile

    model_admin = admin.site._registry[Profile]
    editable = [field for field in model_admin.fields if field not in model_admin.readonly_fields]
    assert editable == ["bio", "visibility"]
    assert len(model_admin.readonly_fields) == len(model_admin.fields) - 2
