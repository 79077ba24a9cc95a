"""One visibility rule for help requests: rules.can_view_help_request, and its SQL twin
selectors.help_requests_for_user for lists, agree for every kind of person; the API
module reads only through selectors."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from mentoring import rules, selectors
from mentoring.enums import HelpRequestStatus
from tests.factories import (
    EventFactory,
    HelpRequestFactory,
    OrganiserFactory,
    RegistrationFactory,
    SkillFactory,
    TeamFactory,
    UserFactory,
    add_member,
)
from tests.source_scan import orm_calls_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two events with a team and a request each; people in every role of the first."""
    first, second = EventFactory(is_public=True), EventFactory(is_public=True)
    team, other_team = TeamFactory(event=first), TeamFactory(event=second)
    people = {
        "member": UserFactory(),
        "mentor": UserFactory(),
        "registered_organiser": UserFactory(),
        "inactive_registered_organiser": UserFactory(is_active=False),
        "group_organiser": OrganiserFactory(),
        "participant": UserFactory(),
        "former_mentor": UserFactory(),
        "stranger": UserFactory(),
    }
    add_member(team, people["member"])
    for who, role in [
        ("mentor", "mentor"),
        ("registered_organiser", "organiser"),
        ("inactive_registered_organiser", "organiser"),
        ("participant", "participant"),
        ("former_mentor", "participant"),  # took a request, then lost the mentor role
    ]:
        RegistrationFactory(event=first, user=people[who], role=role, looking_for_team=False)
    requests = {
        "of_team": HelpRequestFactory(team=team),
        "taken_by_former_mentor": HelpRequestFactory(
            team=team, status=HelpRequestStatus.CLAIMED, mentor=people["former_mentor"]
        ),
        "of_other_event": HelpRequestFactory(team=other_team),
    }
    return people, requests


EXPECTED = {
    "member": {"of_team", "taken_by_former_mentor"},
    "mentor": {"of_team", "taken_by_former_mentor"},
    "registered_organiser": {"of_team", "taken_by_former_mentor"},
    "inactive_registered_organiser": set(),
    "group_organiser": {"of_team", "taken_by_former_mentor", "of_other_event"},
    "participant": set(),
    "former_mentor": {"taken_by_former_mentor"},
    "stranger": set(),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_the_list_selector_shows_exactly_what_the_rule_allows(world, who):
    people, requests = world
    user = people[who]

    listed = {r.pk for r in selectors.help_requests_for_user(user=user)}
    allowed = {r.pk for r in requests.values() if rules.can_view_help_request(user, r)}

    assert listed == allowed == {requests[name].pk for name in EXPECTED[who]}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_the_detail_selector_follows_the_rule(world, who):
    people, requests = world
    for name, help_request in requests.items():
        if name in EXPECTED[who]:
            assert selectors.help_request_for_user(pk=help_request.pk, user=people[who]).pk == (
                help_request.pk
            )
        else:
            with pytest.raises(Http404):
                selectors.help_request_for_user(pk=help_request.pk, user=people[who])


def test_the_api_shows_and_hides_what_the_rule_says(world):
    from rest_framework.test import APIClient

    people, requests = world
    api = APIClient()
    api.force_authenticate(people["former_mentor"])

    listed = api.get("/api/v1/help-requests/").json()["results"]
    taken = api.get(f"/api/v1/help-requests/{requests['taken_by_former_mentor'].pk}/")
    hidden = api.get(f"/api/v1/help-requests/{requests['of_team'].pk}/")

    assert [r["id"] for r in listed] == [requests["taken_by_former_mentor"].pk]
    # The mentor who took a request reads the team's contact, as on the web.
    assert taken.status_code == 200
    assert taken.json()["contact"] == requests["taken_by_former_mentor"].contact
    assert hidden.status_code == 404


def test_anonymous_sees_no_requests(world):
    from django.contrib.auth.models import AnonymousUser

    assert list(selectors.help_requests_for_user(user=AnonymousUser())) == []
    assert list(selectors.help_requests_for_user(user=None)) == []


def test_team_help_page_is_for_the_team_and_the_organisers(world, client):
    people, requests = world
    team = requests["of_team"].team
    url = reverse("mentoring:team_requests", args=[team.pk])
    codes = {}
    for who in ("member", "registered_organiser", "group_organiser", "mentor", "stranger"):
        client.force_login(people[who])
        codes[who] = client.get(url).status_code

    assert codes == {
        "member": 200,
        "registered_organiser": 200,
        "group_organiser": 200,
        "mentor": 404,
        "stranger": 404,
    }
    assert rules.can_ask_for_help(people["member"], team)
    assert not rules.can_ask_for_help(people["registered_organiser"], team)


def test_the_mentoring_api_reads_only_through_selectors():
    assert orm_calls_in("mentoring/api.py") == []


# --- the organisers' figures name skills in the page's language ---------------------------


def test_german_stats_page_shows_the_german_skill_name(settings):
    settings.LANGUAGE_CODE = "de"
    event = EventFactory(is_public=True)
    team = TeamFactory(event=event)
    databases = SkillFactory(name="Databases", slug="databases", is_curated=True)
    typed = SkillFactory(name="Databases of cats", slug="cat-dbs", is_curated=False)
    HelpRequestFactory.create_batch(2, team=team, skill=databases)
    HelpRequestFactory(team=team, skill=typed)
    german = Client()
    german.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    german.force_login(OrganiserFactory())

    body = german.get(reverse("mentoring:stats", args=[event.slug])).content.decode()

    assert "<td>Datenbanken</td><td>2</td>" in body
    # What people typed themselves is shown as typed.
    assert "<td>Databases of cats</td><td>1</td>" in body
    assert "<td>Databases</td>" not in body


def test_stats_label_skills_in_the_active_language():
    from django.utils import translation

    event = EventFactory(is_public=True)
    team = TeamFactory(event=event)
    HelpRequestFactory(team=team, skill=SkillFactory(name="Databases", is_curated=True))
    HelpRequestFactory(team=team)

    with translation.override("de"):
        german = selectors.help_request_stats(event=event).open_by_skill
    with translation.override("en"):
        english = selectors.help_request_stats(event=event).open_by_skill

    # The most asked for first; "any skill" (no skill) after the named ones with as many.
    assert german == [("Datenbanken", 1), ("", 1)]
    assert english == [("Databases", 1), ("", 1)]
