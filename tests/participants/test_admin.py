from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse

from audit.models import AuditEntry
from events.roles import ORGANISERS_GROUP
from participants.apps import ORGANISER_PERMISSIONS
from participants.enums import EventRole
from participants.models import Profile, Registration, Skill
from teams.enums import JoinRequestStatus
from teams.models import JoinRequest
from tests.factories import ProfileFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, organiser):
    client.force_login(organiser)
    return client


def test_organisers_group_has_participant_permissions():
    group = Group.objects.get(name=ORGANISERS_GROUP)
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }
    assert set(ORGANISER_PERMISSIONS) <= granted


@pytest.mark.parametrize("model", ["skill", "language", "profile", "registration"])
def test_admin_changelists_load_for_organisers(admin_client, event, model):
    registration = RegistrationFactory(event=event)
    ProfileFactory(user=registration.user)
    response = admin_client.get(reverse(f"admin:participants_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["skill", "language", "registration"])
def test_admin_add_pages_load_for_organisers(admin_client, model):
    assert admin_client.get(reverse(f"admin:participants_{model}_add")).status_code == 200


def test_admin_change_pages_load_for_organisers(admin_client, event):
    registration = RegistrationFactory(event=event)
    profile = ProfileFactory(user=registration.user)
    assert (
        admin_client.get(
            reverse("admin:participants_registration_change", args=[registration.pk])
        ).status_code
        == 200
    )
    assert (
        admin_client.get(
            reverse("admin:participants_profile_change", args=[profile.pk])
        ).status_code
        == 200
    )


def test_admin_refuses_participants(client, person):
    person.is_staff = True
    person.save()
    client.force_login(person)
    assert client.get(reverse("admin:participants_registration_changelist")).status_code == 403


def test_admin_registration_search_and_filters(admin_client, event):
    anna = RegistrationFactory(event=event, user=UserFactory(email="anna@example.org"))
    RegistrationFactory(event=event, role=EventRole.MENTOR, looking_for_team=False)
    url = reverse("admin:participants_registration_changelist")
    response = admin_client.get(url, {"q": "anna@example"})
    assert list(response.context["cl"].result_list) == [anna]
    response = admin_client.get(url, {"role__exact": "mentor"})
    assert [r.role for r in response.context["cl"].result_list] == ["mentor"]
    response = admin_client.get(url, {"looking_for_team__exact": "1", "event__id__exact": event.pk})
    assert list(response.context["cl"].result_list) == [anna]


def test_admin_organiser_sets_role_with_audit(admin_client, event, organiser):
    registration = RegistrationFactory(event=event)
    url = reverse("admin:participants_registration_change", args=[registration.pk])
    response = admin_client.post(url, {"role": "juror", "looking_for_team": ""})
    assert response.status_code == 302, response.context["adminform"].form.errors
    registration.refresh_from_db()
    assert registration.role == EventRole.JUROR
    entry = AuditEntry.objects.get(action="participants.role_set")
    assert entry.actor == organiser and entry.data["role"] == "juror"


def test_admin_organiser_adds_juror_who_gets_a_profile(admin_client, event):
    juror = UserFactory()
    response = admin_client.post(
        reverse("admin:participants_registration_add"),
        {"event": event.pk, "user": juror.pk, "role": "juror"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(user=juror)
    assert registration.role == EventRole.JUROR
    assert registration.code_of_conduct_accepted_at is None
    assert Profile.objects.filter(user=juror).exists()


def test_admin_skill_list_editable_curation(admin_client):
    tag = Skill.objects.create(name="Rust", slug="rust")
    url = reverse("admin:participants_skill_changelist")
    response = admin_client.get(url, {"q": "Rust"})
    assert list(response.context["cl"].result_list) == [tag]
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": tag.pk,
        "form-0-category": "Development",
        "form-0-is_curated": "on",
        "_save": "Save",
    }
    response = admin_client.post(f"{url}?q=Rust", data)
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.is_curated and tag.category == "Development"


# --- skills and roles are saved through the services ---------------------------------------


def _audit(action: str) -> list:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


@pytest.mark.parametrize(("action", "curated"), [("make_curated", True), ("make_free_tag", False)])
def test_admin_curation_actions_go_through_the_service(admin_client, organiser, action, curated):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    changing = Skill.objects.create(name="Rust", slug="rust", is_curated=not curated)
    unchanged = Skill.objects.create(name="Go", slug="go", is_curated=curated)

    response = admin_client.post(
        reverse("admin:participants_skill_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [changing.pk, unchanged.pk]},
    )

    assert response.status_code == 302
    changing.refresh_from_db()
    assert changing.is_curated is curated
    [entry] = _audit("participants.skill_curate")
    assert (entry.actor, entry.target_id, entry.data) == (
        organiser,
        changing.pk,
        {"is_curated": curated},
    )


def test_admin_curation_action_refused_for_staff_outside_the_organisers(client):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="_skill"))
    client.force_login(staff)
    tag = Skill.objects.create(name="Rust", slug="rust")

    response = client.post(
        reverse("admin:participants_skill_changelist"),
        {"action": "make_curated", ACTION_CHECKBOX_NAME: [tag.pk]},
        follow=True,
    )

    assert response.status_code == 200
    tag.refresh_from_db()
    assert not tag.is_curated
    assert _audit("participants.skill_curate") == []


def test_admin_skill_list_edit_is_audited(admin_client, organiser):
    tag = Skill.objects.create(name="Rust", slug="rust")
    url = reverse("admin:participants_skill_changelist")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": tag.pk,
        "form-0-category": "",
        "form-0-is_curated": "on",
        "_save": "Save",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 302
    [entry] = _audit("participants.skill_update")
    assert entry.actor == organiser and entry.data["fields"] == ["is_curated"]


def test_admin_skill_add_is_audited(admin_client, organiser):
    response = admin_client.post(
        reverse("admin:participants_skill_add"),
        {"name": "Figma", "slug": "figma", "category": "Design", "is_curated": "on"},
    )

    assert response.status_code == 302
    skill = Skill.objects.get(slug="figma")
    [entry] = _audit("participants.skill_create")
    assert entry.target_id == skill.pk and entry.data == {"name": "Figma", "is_curated": True}


def test_admin_added_registration_is_audited(admin_client, event, organiser):
    juror = UserFactory()

    admin_client.post(
        reverse("admin:participants_registration_add"),
        {"event": event.pk, "user": juror.pk, "role": "juror"},
    )

    [entry] = _audit("participants.role_set")
    assert entry.actor == organiser
    assert entry.data == {"role": "juror", "event": event.slug, "user_id": juror.pk}


def test_admin_role_change_to_mentor_ends_looking_for_a_team(admin_client, event):
    registration = RegistrationFactory(event=event, looking_for_team=True)
    url = reverse("admin:participants_registration_change", args=[registration.pk])

    response = admin_client.post(url, {"role": "mentor", "looking_for_team": "on"})

    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.role, registration.looking_for_team) == ("mentor", False)


def test_admin_refuses_role_change_of_a_team_member(admin_client, event, team, team_member):
    registration = Registration.objects.get(event=event, user=team_member)
    url = reverse("admin:participants_registration_change", args=[registration.pk])

    response = admin_client.post(url, {"role": EventRole.MENTOR, "looking_for_team": ""})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["role"]
    assert "is in the team “Team Rakete” of this event" in errors[0]
    registration.refresh_from_db()
    assert registration.role == EventRole.PARTICIPANT


def test_admin_allows_role_change_of_someone_in_no_team(admin_client, event):
    registration = RegistrationFactory(event=event)
    url = reverse("admin:participants_registration_change", args=[registration.pk])

    response = admin_client.post(url, {"role": EventRole.MENTOR, "looking_for_team": ""})

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.role == EventRole.MENTOR


def test_admin_refuses_deleting_the_registration_of_a_team_member(
    admin_client, event, team, team_member
):
    registration = Registration.objects.get(event=event, user=team_member)
    url = reverse("admin:participants_registration_delete", args=[registration.pk])

    page = admin_client.get(url)
    response = admin_client.post(url, {"post": "yes"})

    assert "is in the team “Team Rakete” of this event" in page.content.decode()
    assert response.status_code == 200
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_admin_bulk_delete_refuses_registrations_of_team_members(
    admin_client, event, team, team_member
):
    free = RegistrationFactory(event=event)
    member = Registration.objects.get(event=event, user=team_member)
    url = reverse("admin:participants_registration_changelist")

    response = admin_client.post(
        url,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [free.pk, member.pk], "post": "yes"},
    )

    assert "is in the team “Team Rakete”" in response.content.decode()
    assert set(Registration.objects.values_list("pk", flat=True)) >= {free.pk, member.pk}


def test_admin_deletes_registration_of_someone_in_no_team(admin_client, event, team, organiser):
    registration = RegistrationFactory(event=event)
    pending = JoinRequest.objects.create(team=team, user=registration.user)
    url = reverse("admin:participants_registration_delete", args=[registration.pk])

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Registration.objects.filter(pk=registration.pk).exists()
    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.WITHDRAWN
    entry = AuditEntry.objects.get(action="participants.unregister")
    assert entry.actor == organiser


def test_admin_bulk_delete_withdraws_pending_requests(admin_client, event, team):
    first, second = RegistrationFactory(event=event), RegistrationFactory(event=event)
    pending = JoinRequest.objects.create(team=team, user=first.user)

    response = admin_client.post(
        reverse("admin:participants_registration_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [first.pk, second.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Registration.objects.filter(pk__in=[first.pk, second.pk]).exists()
    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.WITHDRAWN


# --- profile moderation, languages and skill deletion go through the services ---------------


def test_admin_moderates_a_profile_bio_and_visibility_with_an_audit_entry(admin_client, organiser):
    profile = ProfileFactory(bio="Ich bin gemein.", visibility="public", region="BE")
    url = reverse("admin:participants_profile_change", args=[profile.pk])

    response = admin_client.post(url, {"bio": "", "visibility": "team_admins", "region": "HH"})

    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.bio, profile.visibility) == ("", "team_admins")
    assert profile.region == "BE"  # the person's own: read-only in the admin
    [entry] = AuditEntry.objects.filter(action="participants.profile_moderate")
    assert entry.actor == organiser and entry.target_id == profile.pk
    assert entry.data == {
        "fields": ["bio", "visibility"],
        "previous": {"bio": "Ich bin gemein.", "visibility": "public"},
    }


def test_profile_change_form_offers_only_the_moderation_fields(admin_client):
    profile = ProfileFactory()
    page = admin_client.get(reverse("admin:participants_profile_change", args=[profile.pk]))
    form = page.context["adminform"].form
    assert sorted(form.fields) == ["bio", "visibility"]


def test_admin_hide_and_clear_actions_moderate_each_profile(admin_client):
    first = ProfileFactory(bio="Spam spam.", visibility="public")
    second = ProfileFactory(bio="Mehr Spam.", visibility="participants")
    changelist = reverse("admin:participants_profile_changelist")
    selected = {ACTION_CHECKBOX_NAME: [first.pk, second.pk]}

    hidden = admin_client.post(changelist, {"action": "hide_profiles", **selected}, follow=True)
    cleared = admin_client.post(changelist, {"action": "clear_bios", **selected}, follow=True)

    assert "2 profiles were changed." in hidden.content.decode()
    assert "2 profiles were changed." in cleared.content.decode()
    profiles = Profile.objects.filter(pk__in=[first.pk, second.pk])
    assert set(profiles.values_list("bio", "visibility")) == {("", "team_admins")}
    assert AuditEntry.objects.filter(action="participants.profile_moderate").count() == 4


def test_profile_moderation_is_for_organisers_only(person):
    from participants import services

    profile = ProfileFactory(bio="Hallo.")
    with pytest.raises(services.ParticipantError, match="Only organisers"):
        services.profile_moderate(profile=profile, actor=person, data={"bio": ""})
    profile.refresh_from_db()
    assert profile.bio == "Hallo."


def test_profiles_are_not_added_or_deleted_in_the_admin(admin_client):
    profile = ProfileFactory()
    assert admin_client.get(reverse("admin:participants_profile_add")).status_code == 403
    delete = reverse("admin:participants_profile_delete", args=[profile.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Profile.objects.filter(pk=profile.pk).exists()


def test_admin_adds_and_renames_languages_audited_and_never_deletes_them(admin_client):
    from django.contrib.contenttypes.models import ContentType

    from participants.models import Language

    added = admin_client.post(
        reverse("admin:participants_language_add"), {"code": "gsw", "name": "Schwiizerdütsch"}
    )
    renamed = admin_client.post(
        reverse("admin:participants_language_change", args=["gsw"]), {"name": "Swiss German"}
    )
    deleted = admin_client.post(
        reverse("admin:participants_language_delete", args=["gsw"]), {"post": "yes"}
    )

    assert (added.status_code, renamed.status_code, deleted.status_code) == (302, 302, 403)
    assert Language.objects.get(code="gsw").name == "Swiss German"
    actions = list(
        AuditEntry.objects.filter(action__startswith="participants.language")
        .order_by("pk")
        .values_list("action", "data")
    )
    assert actions == [
        ("participants.language_create", {"code": "gsw", "name": "Schwiizerdütsch"}),
        (
            "participants.language_rename",
            {"code": "gsw", "name": "Swiss German", "previous_name": "Schwiizerdütsch"},
        ),
    ]
    # About the list of languages: a language's key is its code, not a number.
    entry = AuditEntry.objects.filter(action="participants.language_create").get()
    assert entry.target_type.model_class() is ContentType and entry.target.model == "language"


def test_admin_deletes_a_skill_through_the_service(admin_client, organiser):
    skill = Skill.objects.create(name="Cobol", slug="cobol", is_curated=True)
    profile = ProfileFactory(skills=[skill])

    response = admin_client.post(
        reverse("admin:participants_skill_delete", args=[skill.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Skill.objects.filter(pk=skill.pk).exists()
    assert list(profile.skills.all()) == []
    [entry] = AuditEntry.objects.filter(action="participants.skill_delete")
    assert entry.actor == organiser
    assert entry.data == {"name": "Cobol", "is_curated": True, "profiles": 1}


def test_language_create_refuses_a_code_on_the_list(organiser):
    from participants import services

    with pytest.raises(services.ParticipantError, match="already on the list") as refused:
        services.language_create(actor=organiser, code=" UK ", name="Ukrainisch")
    assert refused.value.field == "code"
    assert not AuditEntry.objects.filter(action="participants.language_create").exists()
