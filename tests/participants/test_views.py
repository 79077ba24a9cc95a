from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.enums import EventRole, ProfileVisibility
from participants.models import Profile, Registration, Skill
from participants.services import profile_update
from teams.enums import JoinRequestStatus
from teams.models import JoinRequest
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    TopicFactory,
    UserFactory,
    add_member,
)
from tests.participants.conftest import open_registration, registered

pytestmark = pytest.mark.django_db


def _url(event, action="register"):
    return f"/participants/{event.slug}/{action}/"


# ---------------------------------------------------------------- registration page


def test_register_page_needs_login(client, event):
    response = client.get(_url(event))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_register_page_shows_code_of_conduct_and_required_checkbox(client, event, person):
    client.force_login(person)
    response = client.get(_url(event))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sei nett." in html
    assert 'name="accept_code_of_conduct"' in html and "required" in html
    assert "Registration is open until" in html


def test_register_post_registers_and_redirects_to_profile(client, event, person):
    client.force_login(person)
    response = client.post(
        _url(event),
        {"role": "participant", "looking_for_team": "on", "accept_code_of_conduct": "on"},
    )
    assert response.status_code == 302 and response["Location"] == "/participants/profile/"
    registration = Registration.objects.get(user=person, event=event)
    assert registration.looking_for_team is True


def test_register_post_without_code_of_conduct_shows_error(client, event, person):
    client.force_login(person)
    response = client.post(_url(event), {"role": "participant"})
    assert response.status_code == 200
    assert "Please accept the code of conduct" in response.content.decode()
    assert not Registration.objects.exists()


def test_register_post_as_organiser_role_is_refused(client, event, person):
    client.force_login(person)
    response = client.post(_url(event), {"role": "organiser", "accept_code_of_conduct": "on"})
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_register_page_when_already_registered_shows_role(client, event, person):
    RegistrationFactory(event=event, user=person, role=EventRole.MENTOR)
    client.force_login(person)
    response = client.get(_url(event))
    assert "You are registered for this event as Mentor" in response.content.decode()
    response = client.post(_url(event), {"role": "participant", "accept_code_of_conduct": "on"})
    assert Registration.objects.get().role == EventRole.MENTOR


def test_register_page_before_phase_says_when_it_opens_and_has_no_form(client, person):
    event = EventFactory()
    open_registration(event, days_before=-3, days_after=9)
    client.force_login(person)
    html = client.get(_url(event)).content.decode()
    assert "Registration opens on" in html
    assert 'name="accept_code_of_conduct"' not in html
    response = client.post(_url(event), {"role": "participant", "accept_code_of_conduct": "on"})
    assert not Registration.objects.exists()
    assert response.status_code == 200


def test_register_page_after_phase_says_it_closed(client, person):
    event = EventFactory()
    open_registration(event, days_before=9, days_after=-1)
    client.force_login(person)
    assert "Registration closed on" in client.get(_url(event)).content.decode()


def test_register_page_for_unpublished_event_is_404(client, person):
    event = EventFactory(is_public=False)
    open_registration(event)
    client.force_login(person)
    assert client.get(_url(event)).status_code == 404


def test_unregister_removes_registration(client, event, person):
    RegistrationFactory(event=event, user=person)
    client.force_login(person)
    response = client.post(_url(event, "unregister"), follow=True)
    assert not Registration.objects.exists()
    assert "no longer registered" in response.content.decode()


def test_unregister_in_a_team_is_refused_with_message(client, event, person, team):
    RegistrationFactory(event=event, user=person)
    add_member(team, person)
    client.force_login(person)
    response = client.post(_url(event, "unregister"), follow=True)
    assert Registration.objects.exists()
    assert "leave the team" in response.content.decode()


def test_unregister_without_registration_is_404(client, event, stranger):
    client.force_login(stranger)
    assert client.post(_url(event, "unregister")).status_code == 404


def test_unregister_needs_post(client, event, person):
    RegistrationFactory(event=event, user=person)
    client.force_login(person)
    assert client.get(_url(event, "unregister")).status_code == 405


def test_looking_for_team_toggle_without_js(client, event, person):
    RegistrationFactory(event=event, user=person, looking_for_team=True)
    client.force_login(person)
    response = client.post(_url(event, "looking-for-team"), {})
    assert response.status_code == 302
    assert Registration.objects.get().looking_for_team is False
    client.post(_url(event, "looking-for-team"), {"looking_for_team": "on"})
    assert Registration.objects.get().looking_for_team is True


def test_looking_for_team_toggle_with_htmx_returns_the_row(client, event, person):
    RegistrationFactory(event=event, user=person, looking_for_team=True)
    client.force_login(person)
    response = client.post(_url(event, "looking-for-team"), {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="registration-wirvsvirus"' in html and "<html" not in html
    assert "not looking for a team" in html


def test_looking_for_team_of_someone_else_is_impossible(client, event, person, stranger):
    RegistrationFactory(event=event, user=person, looking_for_team=True)
    client.force_login(stranger)
    assert client.post(_url(event, "looking-for-team"), {}).status_code == 404
    assert Registration.objects.get().looking_for_team is True


# ---------------------------------------------------------------- profile page


def test_profile_page_needs_login(client):
    assert client.get("/participants/profile/").status_code == 302


def test_profile_page_explains_visibility_and_lists_registrations(client, event, person):
    RegistrationFactory(event=event, user=person)
    other = EventFactory(name="Offenes Event")
    open_registration(other)
    client.force_login(person)
    html = client.get("/participants/profile/").content.decode()
    assert "Your e-mail address is never shown to anyone" in html
    assert "You are not listed in the people finder" in html
    assert "#WirVsVirus" in html and "Unregister from this event" in html
    assert f"/participants/{other.slug}/register/" in html
    assert f"/participants/{event.slug}/register/" not in html
    assert "Development" in html and 'value="' in html
    assert person.email not in html.split("</header>", 1)[1]


def test_profile_page_saves_skills_tags_topics(client, event, person):
    RegistrationFactory(event=event, user=person)
    topic = TopicFactory(event=event, name="Gesundheit")
    python = Skill.objects.get(slug="python")
    client.force_login(person)
    response = client.post(
        "/participants/profile/",
        {
            "bio": "Ich helfe gern.",
            "skills": [python.pk],
            "free_skills": "Rust, Figma",
            "topic_interests": [topic.pk],
            "languages": ["de", "en"],
            "region": "BE",
            "availability": "most",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=person)
    assert {s.name for s in profile.skills.all()} == {"Python", "Rust", "Figma"}
    assert list(profile.topic_interests.all()) == [topic]
    assert {lang.code for lang in profile.languages.all()} == {"de", "en"}
    html = client.get("/participants/profile/").content.decode()
    assert 'value="Rust, Figma"' in html or 'value="Figma, Rust"' in html
    assert f'id="id_skills_{python.pk}" checked' in html


def test_profile_page_too_many_skills_is_a_form_error(client, person):
    client.force_login(person)
    response = client.post(
        "/participants/profile/",
        {"free_skills": ", ".join(f"Tag {n}" for n in range(16)), "visibility": "participants"},
    )
    assert response.status_code == 200
    assert "at most 15 skills" in response.content.decode()
    assert not Skill.objects.filter(name="Tag 0").exists()


def test_profile_page_topic_of_other_event_is_a_form_error(client, person):
    topic = TopicFactory()
    client.force_login(person)
    response = client.post(
        "/participants/profile/", {"topic_interests": [topic.pk], "visibility": "participants"}
    )
    assert response.status_code == 200
    assert not Profile.objects.filter(user=person).exists()


def test_profile_detail_shows_registration_of_event(client, event):
    registration = registered(event, visibility=ProfileVisibility.PUBLIC)
    profile_update(
        user=registration.user,
        bio="Ich kann Python.",
        skills=[Skill.objects.get(slug="python")],
        visibility=ProfileVisibility.PUBLIC,
    )
    html = client.get(f"/participants/{registration.user.pk}/", {"event": event.slug}).content
    html = html.decode()
    assert "Ich kann Python." in html and "Python" in html
    assert "Participant at #WirVsVirus" in html
    assert registration.user.email not in html


def test_profile_detail_of_unknown_person_is_404(client):
    assert client.get("/participants/999999/").status_code == 404


def test_nav_has_my_profile_link(client, person):
    client.force_login(person)
    assert 'href="/participants/profile/"' in client.get("/").content.decode()


# ---------------------------------------------------------------- people finder


def _finder(event):
    return f"/participants/finder/{event.slug}/"


def test_finder_for_team_admin(client, event, team_admin):
    looking = registered(event, visibility=ProfileVisibility.PUBLIC)
    client.force_login(team_admin)
    response = client.get(_finder(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert looking.user.display_name in html
    assert looking.user.email not in html


def test_finder_for_organiser(client, event, organiser):
    registered(event)
    client.force_login(organiser)
    assert client.get(_finder(event)).status_code == 200


def test_finder_refuses_team_member(client, event, team_member):
    client.force_login(team_member)
    response = client.get(_finder(event))
    assert response.status_code == 403
    assert "Only admins of a team" in response.content.decode()


def test_finder_refuses_registered_stranger(client, event):
    client.force_login(registered(event).user)
    assert client.get(_finder(event)).status_code == 403


def test_finder_refuses_admin_of_a_team_in_another_event(client, event):
    from tests.factories import TeamFactory

    admin = UserFactory()
    add_member(TeamFactory(), admin, role="admin")
    client.force_login(admin)
    assert client.get(_finder(event)).status_code == 403


def test_finder_anonymous_goes_to_login(client, event):
    assert client.get(_finder(event)).status_code == 302


def test_finder_unknown_event_is_404(client, organiser):
    client.force_login(organiser)
    assert client.get("/participants/finder/gibt-es-nicht/").status_code == 404


def test_finder_lists_only_people_looking_without_team_and_visible(client, event, team_admin, team):
    shown = registered(event, visibility=ProfileVisibility.PARTICIPANTS)
    public = registered(event, visibility=ProfileVisibility.PUBLIC)
    hidden = registered(event, visibility=ProfileVisibility.TEAM_ADMINS)
    not_looking = registered(event, looking_for_team=False)
    mentor = registered(event, role=EventRole.MENTOR, looking_for_team=True)
    in_team = registered(event)
    add_member(team, in_team.user)
    client.force_login(team_admin)
    response = client.get(_finder(event))
    listed = {r.user for r in response.context["page"].object_list}
    assert listed == {shown.user, public.user}
    assert not {hidden.user, not_looking.user, mentor.user, in_team.user} & listed


def test_finder_filters(client, event, team_admin):
    topic = TopicFactory(event=event, slug="gesundheit")
    python, ux = Skill.objects.get(slug="python"), Skill.objects.get(slug="ux")
    anna = registered(event, user=UserFactory(display_name="Anna Python"))
    Profile.objects.filter(user=anna.user).update(region="BE", bio="Backend")
    anna.user.profile.skills.set([python])
    anna.user.profile.languages.set(["de"])
    anna.user.profile.topic_interests.set([topic])
    ben = registered(event, user=UserFactory(display_name="Ben Design"))
    Profile.objects.filter(user=ben.user).update(region="HH", bio="Gestaltet Oberflächen")
    ben.user.profile.skills.set([ux])
    ben.user.profile.languages.set(["en"])
    client.force_login(team_admin)

    def names(**params):
        response = client.get(_finder(event), params)
        assert response.status_code == 200
        return {r.user.display_name for r in response.context["page"].object_list}

    assert names() == {"Anna Python", "Ben Design"}
    assert names(skill="python") == {"Anna Python"}
    assert names(skill="ux") == {"Ben Design"}
    assert names(topic="gesundheit") == {"Anna Python"}
    assert names(language="en") == {"Ben Design"}
    assert names(region="BE") == {"Anna Python"}
    assert names(q="oberfläch") == {"Ben Design"}
    assert names(q="anna") == {"Anna Python"}
    assert names(skill="python", region="HH") == set()


def test_finder_invalid_filter_shows_error_not_500(client, event, team_admin):
    client.force_login(team_admin)
    response = client.get(_finder(event), {"skill": "gibt-es-nicht", "region": "XX"})
    assert response.status_code == 200
    assert "Unknown skill." in response.content.decode()


def test_finder_htmx_returns_results_only(client, event, team_admin):
    registered(event)
    client.force_login(team_admin)
    response = client.get(_finder(event), HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert "looking for a team" in response.content.decode()


def test_finder_history_restore_gets_the_whole_page(client, event, team_admin):
    """The back button after htmx's history cache was evicted asks for the whole page."""
    registered(event)
    client.force_login(team_admin)
    response = client.get(
        _finder(event), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def _many_looking(event, count):
    python = Skill.objects.get(slug="python")
    topic = TopicFactory(event=event)
    for _ in range(count):
        registration = registered(event)
        registration.user.profile.skills.set([python])
        registration.user.profile.languages.set(["de"])
        registration.user.profile.topic_interests.set([topic])


def _finder_queries(client, event) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_finder(event))
    assert response.status_code == 200
    return len(queries)


def test_finder_query_count_is_constant(client, event, team_admin):
    client.force_login(team_admin)
    _many_looking(event, 5)
    few = _finder_queries(client, event)
    _many_looking(event, 495)
    many = _finder_queries(client, event)
    assert few == many
    assert few <= 20


def test_unregister_page_withdraws_pending_join_requests(client, event, person, team):
    RegistrationFactory(event=event, user=person)
    pending = JoinRequest.objects.create(team=team, user=person)
    client.force_login(person)

    response = client.post(reverse("participants:unregister", args=[event.slug]), follow=True)

    assert "no longer registered" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == JoinRequestStatus.WITHDRAWN
