from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from participants.enums import EventRole, ProfileVisibility
from participants.models import Registration, Skill
from tests.factories import EventFactory, RegistrationFactory, TopicFactory, UserFactory, add_member
from tests.participants.conftest import open_registration, registered

pytestmark = pytest.mark.django_db
LIST = "/api/v1/participants/"
MINE = "/api/v1/me/registrations/"


@pytest.fixture
def api():
    return APIClient()


def _errors(response) -> set[str]:
    return {error["attr"] for error in response.json()["errors"]}


# ---------------------------------------------------------------- /participants/


def test_list_needs_event_and_names_the_field(api):
    response = api.get(LIST)
    assert response.status_code == 400
    assert _errors(response) == {"event"}


def test_list_unknown_or_unpublished_event_is_refused(api):
    hidden = EventFactory(is_public=False)
    assert _errors(api.get(LIST, {"event": "nope"})) == {"event"}
    assert _errors(api.get(LIST, {"event": hidden.slug})) == {"event"}


def test_list_bad_filters_name_the_field(api, event):
    response = api.get(
        LIST,
        {
            "event": event.slug,
            "skill": "nope",
            "region": "XX",
            "topic": "nope",
            "language": "xx",
            "role": "organiser",
            "looking_for_team": "vielleicht",
        },
    )
    assert response.status_code == 400
    assert {"skill", "region", "topic", "language"} <= _errors(response)


def test_list_anonymous_sees_public_profiles_without_email(api, event):
    public = registered(event, visibility=ProfileVisibility.PUBLIC)
    registered(event, visibility=ProfileVisibility.PARTICIPANTS)
    response = api.get(LIST, {"event": event.slug})
    assert response.status_code == 200
    body = response.json()
    assert [p["id"] for p in body["results"]] == [public.user.pk]
    person = body["results"][0]
    assert person["display_name"] == public.user.display_name
    assert person["registration"] == {
        "event": event.slug,
        "role": "participant",
        "looking_for_team": True,
    }
    assert "email" not in person and public.user.email not in response.content.decode()


def test_list_hides_organisers_and_jurors(api, event, organiser):
    registered(event, visibility=ProfileVisibility.PUBLIC, role=EventRole.JUROR)
    mentor = registered(event, visibility=ProfileVisibility.PUBLIC, role=EventRole.MENTOR)
    api.force_authenticate(organiser)
    ids = [p["id"] for p in api.get(LIST, {"event": event.slug}).json()["results"]]
    assert ids == [mentor.user.pk]


def test_list_filters_like_the_finder(api, event, organiser, team):
    topic = TopicFactory(event=event, slug="bildung")
    python = Skill.objects.get(slug="python")
    match = registered(event, user=UserFactory(display_name="Petra Python"))
    match.user.profile.skills.set([python])
    match.user.profile.languages.set(["de"])
    match.user.profile.topic_interests.set([topic])
    match.user.profile.region = "BY"
    match.user.profile.save()
    in_team = registered(event)
    in_team.user.profile.skills.set([python])
    add_member(team, in_team.user)
    registered(event)
    api.force_authenticate(organiser)

    def ids(**params):
        response = api.get(LIST, {"event": event.slug, **params})
        assert response.status_code == 200, response.json()
        return {p["id"] for p in response.json()["results"]}

    assert ids(skill="python") == {match.user.pk, in_team.user.pk}
    assert ids(skill="python", looking_for_team="true") == {match.user.pk}
    assert ids(topic="bildung") == {match.user.pk}
    assert ids(language="de") == {match.user.pk}
    assert ids(region="BY") == {match.user.pk}
    assert ids(q="petra") == {match.user.pk}
    assert ids(role="mentor") == set()


def test_detail_includes_skills_and_registration(api, event):
    registration = registered(event, visibility=ProfileVisibility.PUBLIC)
    registration.user.profile.skills.set([Skill.objects.get(slug="ux")])
    response = api.get(f"{LIST}{registration.user.pk}/", {"event": event.slug})
    assert response.status_code == 200
    body = response.json()
    assert body["skills"] == [
        {"slug": "ux", "name": "UX", "category": "Design", "is_curated": True}
    ]
    assert body["registration"]["event"] == event.slug
    assert body["web_url"].endswith(f"/participants/{registration.user.pk}/?event={event.slug}")
    assert registration.user.email not in response.content.decode()


def test_detail_of_hidden_profile_is_404(api, event):
    registration = registered(event, visibility=ProfileVisibility.TEAM_ADMINS)
    api.force_authenticate(registered(event).user)
    assert api.get(f"{LIST}{registration.user.pk}/").status_code == 404


def _fill(event, count):
    python = Skill.objects.get(slug="python")
    topic = TopicFactory(event=event)
    for _ in range(count):
        registration = registered(event, visibility=ProfileVisibility.PUBLIC)
        registration.user.profile.skills.set([python])
        registration.user.profile.languages.set(["de"])
        registration.user.profile.topic_interests.set([topic])


def _count_queries(api, user, params) -> tuple[int, int]:
    if user is not None:
        # A fresh object, as in a real request: no permission caches from an earlier call.
        api.force_authenticate(type(user).objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:
        response = api.get(LIST, params)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("who", ["anonymous", "participant", "team_admin", "organiser"])
def test_list_query_count_is_constant(api, event, team, who, organiser):
    user = None
    if who == "participant":
        user = registered(event).user
    elif who == "team_admin":
        user = registered(event).user
        add_member(team, user, role="admin")
    elif who == "organiser":
        user = organiser
    params = {"event": event.slug, "skill": "python"}
    _fill(event, 5)
    few, few_count = _count_queries(api, user, params)
    _fill(event, 495)
    many, many_count = _count_queries(api, user, params)
    assert few == many
    assert many_count >= 500 > few_count


# ---------------------------------------------------------------- /me/registrations/


def test_me_registrations_needs_login(api):
    assert api.get(MINE).status_code == 401


def test_me_registrations_create_list_patch_delete(api, event, person):
    api.force_authenticate(person)
    response = api.post(MINE, {"event": event.slug, "accept_code_of_conduct": True}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["role"] == "participant"
    assert response.json()["code_of_conduct_accepted_at"]
    listed = api.get(MINE).json()
    assert [r["event"] for r in listed["results"]] == [event.slug]
    response = api.patch(f"{MINE}{event.slug}/", {"looking_for_team": False}, format="json")
    assert response.status_code == 200 and response.json()["looking_for_team"] is False
    assert api.delete(f"{MINE}{event.slug}/").status_code == 204
    assert not Registration.objects.exists()


def test_me_registrations_create_without_code_of_conduct_names_the_field(api, event, person):
    api.force_authenticate(person)
    response = api.post(MINE, {"event": event.slug}, format="json")
    assert response.status_code == 400
    assert _errors(response) == {"accept_code_of_conduct"}


def test_me_registrations_create_twice_is_refused(api, event, person):
    api.force_authenticate(person)
    payload = {"event": event.slug, "accept_code_of_conduct": True}
    assert api.post(MINE, payload, format="json").status_code == 201
    response = api.post(MINE, payload, format="json")
    assert response.status_code == 400
    assert Registration.objects.count() == 1


def test_me_registrations_create_outside_phase_is_refused(api, person):
    event = EventFactory()
    open_registration(event, days_before=10, days_after=-1)
    api.force_authenticate(person)
    response = api.post(MINE, {"event": event.slug, "accept_code_of_conduct": True}, format="json")
    assert response.status_code == 400
    assert "closed" in response.content.decode()


def test_me_registrations_create_as_juror_is_refused(api, event, person):
    api.force_authenticate(person)
    response = api.post(
        MINE, {"event": event.slug, "role": "juror", "accept_code_of_conduct": True}, format="json"
    )
    assert response.status_code == 400 and _errors(response) == {"role"}


def test_me_registrations_create_for_unknown_or_hidden_event_names_the_field(api, person):
    hidden = EventFactory(is_public=False)
    open_registration(hidden)
    api.force_authenticate(person)
    for slug in ("nope", hidden.slug):
        response = api.post(MINE, {"event": slug, "accept_code_of_conduct": True}, format="json")
        assert response.status_code == 400 and _errors(response) == {"event"}


def test_me_registrations_delete_in_team_is_refused(api, event, person, team):
    RegistrationFactory(event=event, user=person)
    add_member(team, person)
    api.force_authenticate(person)
    response = api.delete(f"{MINE}{event.slug}/")
    assert response.status_code == 400
    assert Registration.objects.exists()


def test_me_registrations_of_someone_else_are_invisible(api, event, person, stranger):
    RegistrationFactory(event=event, user=person)
    api.force_authenticate(stranger)
    assert api.get(MINE).json()["count"] == 0
    assert api.delete(f"{MINE}{event.slug}/").status_code == 404
    assert (
        api.patch(f"{MINE}{event.slug}/", {"looking_for_team": False}, format="json").status_code
        == 404
    )
    assert Registration.objects.exists()


def test_me_registrations_patch_bad_value_names_the_field(api, event, person):
    RegistrationFactory(event=event, user=person)
    api.force_authenticate(person)
    response = api.patch(f"{MINE}{event.slug}/", {"looking_for_team": "vielleicht"}, format="json")
    assert response.status_code == 400 and _errors(response) == {"looking_for_team"}


def test_me_registrations_patch_form_without_the_field_changes_nothing(api, event, person):
    registration = RegistrationFactory(event=event, user=person, looking_for_team=True)
    api.force_authenticate(person)

    response = api.patch(f"{MINE}{event.slug}/", {}, format="multipart")

    assert response.status_code == 400 and _errors(response) == {"looking_for_team"}
    registration.refresh_from_db()
    assert registration.looking_for_team is True


def test_me_registrations_put_is_not_allowed(api, event, person):
    RegistrationFactory(event=event, user=person)
    api.force_authenticate(person)
    assert api.put(f"{MINE}{event.slug}/", {}, format="json").status_code == 405
