"""Suggestions: teams for a participant, people for a team; ranking, words, pages, cost."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from participants.enums import ProfileVisibility
from teams.enums import TeamStatus
from teams.suggestions import human_list, people_suggested_for, teams_suggested_for
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    LanguageFactory,
    OpenRoleFactory,
    ProfileFactory,
    RegistrationFactory,
    SkillFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    add_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def event():
    return EventFactory(slug="wirvsvirus", name="#WirVsVirus", is_public=True)


@pytest.fixture
def skills(db):
    return {
        "python": SkillFactory(name="Python", slug="python", category="Development"),
        "django": SkillFactory(name="Django", slug="django", category="Development"),
        "ux": SkillFactory(name="UX", slug="ux", category="Design"),
        "legal": SkillFactory(name="Law", slug="law", category="Legal"),
    }


@pytest.fixture
def topic(event):
    return TopicFactory(event=event, name="Gesundheit", slug="gesundheit")


def participant(event, **profile):
    profile_obj = ProfileFactory(**profile)
    RegistrationFactory(event=event, user=profile_obj.user)
    return profile_obj.user


def team_wanting(event, *skills, **kwargs):
    team = TeamFactory(event=event, **kwargs)
    add_member(team, UserFactory(), role="admin")
    if skills:
        OpenRoleFactory(team=team, skills=list(skills))
    return team


# --- teams for a participant -------------------------------------------------------------


def test_team_suggestions_rank_an_exact_skill_match_first(event, skills, topic):
    german = LanguageFactory(code="de", name="Deutsch")
    person = participant(
        event,
        skills=[skills["python"]],
        topic_interests=[topic],
        languages=[german],
        region="BY",
    )
    # Everything but the skill: topic, language, region and a skill of the same category.
    near_miss = team_wanting(
        event,
        skills["django"],
        challenge=ChallengeFactory(event=event, topic=topic, state="BY"),
        languages=[german],
    )
    exact = team_wanting(event, skills["python"])

    suggestions = teams_suggested_for(event=event, user=person)

    assert [s.team for s in suggestions] == [exact, near_miss]
    assert suggestions[0].score > suggestions[1].score


def test_team_suggestions_explain_in_words(event, skills, topic):
    german = LanguageFactory(code="de", name="Deutsch")
    person = participant(
        event,
        skills=[skills["python"], skills["ux"]],
        topic_interests=[topic],
        languages=[german],
        region="BY",
    )
    team_wanting(
        event,
        skills["python"],
        skills["ux"],
        challenge=ChallengeFactory(event=event, topic=topic, state="BY"),
        languages=[german],
    )

    [suggestion] = teams_suggested_for(event=event, user=person)

    assert suggestion.reasons == [
        "needs Python and UX; you have both",
        "works on a topic you are interested in: Gesundheit",
        "speaks your language: Deutsch",
        "its challenge is about Bavaria, where you are",
    ]


def test_team_suggestions_explain_a_partial_match(event, skills):
    person = participant(event, skills=[skills["python"]])
    team_wanting(event, skills["python"], skills["ux"], skills["legal"])

    [suggestion] = teams_suggested_for(event=event, user=person)

    assert suggestion.reasons[0] == "needs Law, Python and UX; you have Python"


def test_team_suggestions_explain_related_skills_and_member_regions(event, skills):
    person = participant(event, skills=[skills["python"]], region="HH")
    team = team_wanting(event, skills["django"], challenge=ChallengeFactory(event=event))
    add_member(team, ProfileFactory(region="HH").user)

    [suggestion] = teams_suggested_for(event=event, user=person)

    assert suggestion.reasons == [
        "looks for more people in Development, where you have skills too",
        "has members from Hamburg, like you",
    ]


def test_team_suggestions_count_each_wanted_skill_once(event, skills):
    person = participant(event, skills=[skills["python"], skills["ux"]])
    twice_python = team_wanting(event, skills["python"])
    OpenRoleFactory(team=twice_python, skills=[skills["python"]])
    python_and_ux = team_wanting(event, skills["python"], skills["ux"])

    suggestions = teams_suggested_for(event=event, user=person)

    assert [s.team for s in suggestions] == [python_and_ux, twice_python]


def test_team_suggestions_are_none_for_someone_in_as_many_teams_as_allowed(event, skills):
    person = participant(event, skills=[skills["python"]])
    team_wanting(event, skills["python"])
    add_member(team_wanting(event, skills["legal"]), person)

    assert teams_suggested_for(event=event, user=person) == []


def test_team_suggestions_break_ties_by_the_older_team(event, skills):
    person = participant(event, skills=[skills["python"]])
    teams = [team_wanting(event, skills["python"]) for _ in range(4)]

    suggestions = teams_suggested_for(event=event, user=person)

    assert [s.team for s in suggestions] == teams
    assert teams_suggested_for(event=event, user=person)[0].team == teams[0]


def test_team_suggestions_leave_out_full_closed_own_and_unfitting_teams(event, skills):
    event.teams_per_person = 2  # in one team, the person could still join another
    event.save(update_fields=["teams_per_person"])
    person = participant(event, skills=[skills["python"]])
    fitting = team_wanting(event, skills["python"])
    full = team_wanting(event, skills["python"], max_size=1)
    closed = team_wanting(event, skills["python"], status=TeamStatus.CLOSED)
    own = team_wanting(event, skills["python"])
    add_member(own, person)
    unfitting = team_wanting(event, skills["legal"])
    elsewhere = team_wanting(EventFactory(), skills["python"])

    teams = [s.team for s in teams_suggested_for(event=event, user=person)]

    assert teams == [fitting]
    assert not {full, closed, own, unfitting, elsewhere} & set(teams)


def test_team_suggestions_for_a_person_without_profile_are_empty(event, skills):
    team_wanting(event, skills["python"])

    assert teams_suggested_for(event=event, user=UserFactory()) == []


def test_team_suggestions_respect_the_limit(event, skills):
    person = participant(event, skills=[skills["python"]])
    for _ in range(5):
        team_wanting(event, skills["python"])

    assert len(teams_suggested_for(event=event, user=person, limit=3)) == 3


@pytest.mark.parametrize("count", [5, 50])
def test_team_suggestions_have_constant_query_count(
    event, skills, topic, count, django_assert_num_queries
):
    german = LanguageFactory(code="de", name="Deutsch")
    person = participant(
        event, skills=[skills["python"]], topic_interests=[topic], languages=[german], region="BY"
    )
    for _ in range(count):
        team_wanting(event, skills["python"], skills["ux"], languages=[german])

    # the person's team count; profile, skills, topics, languages; scores; teams, roles,
    # role skills, languages; regions
    with django_assert_num_queries(11):
        suggestions = teams_suggested_for(event=event, user=person)
        assert len(suggestions) == min(count, 10)


# --- people for a team ---------------------------------------------------------------------


def test_people_suggestions_rank_an_exact_skill_match_first(event, skills, topic):
    german = LanguageFactory(code="de", name="Deutsch")
    team = team_wanting(
        event,
        skills["python"],
        challenge=ChallengeFactory(event=event, topic=topic, state="BY"),
        languages=[german],
    )
    near_miss = participant(
        event, skills=[skills["django"]], topic_interests=[topic], languages=[german], region="BY"
    )
    exact = participant(event, skills=[skills["python"]])

    suggestions = people_suggested_for(team=team)

    assert [s.user for s in suggestions] == [exact, near_miss]


def test_people_suggestions_explain_in_words(event, skills, topic):
    german = LanguageFactory(code="de", name="Deutsch")
    team = team_wanting(
        event,
        skills["python"],
        skills["ux"],
        challenge=ChallengeFactory(event=event, topic=topic, state="BY"),
        languages=[german],
    )
    participant(
        event,
        skills=[skills["python"], skills["ux"], skills["django"]],
        topic_interests=[topic],
        languages=[german],
        region="BY",
    )

    [suggestion] = people_suggested_for(team=team)

    assert suggestion.reasons == [
        "has Python and UX, which your open roles need",
        "has other skills in Development",
        "is interested in your topic: Gesundheit",
        "speaks Deutsch, like your team",
        "is from Bavaria",
    ]


def test_people_suggestions_only_list_visible_people_looking_for_a_team(event, skills):
    team = team_wanting(event, skills["python"])
    fitting = participant(event, skills=[skills["python"]])
    in_a_team = participant(event, skills=[skills["python"]])
    add_member(TeamFactory(event=event), in_a_team)
    not_looking = ProfileFactory(skills=[skills["python"]]).user
    RegistrationFactory(event=event, user=not_looking, looking_for_team=False)
    hidden = participant(event, skills=[skills["python"]], visibility=ProfileVisibility.TEAM_ADMINS)
    mentor = ProfileFactory(skills=[skills["python"]]).user
    RegistrationFactory(event=event, user=mentor, role="mentor")
    elsewhere = participant(EventFactory(), skills=[skills["python"]])
    unregistered = ProfileFactory(skills=[skills["python"]]).user

    people = [s.user for s in people_suggested_for(team=team)]

    assert people == [fitting]
    assert not {in_a_team, not_looking, hidden, mentor, elsewhere, unregistered} & set(people)


def test_people_suggestions_break_ties_by_registration(event, skills):
    team = team_wanting(event, skills["python"])
    people = [participant(event, skills=[skills["python"]]) for _ in range(3)]

    assert [s.user for s in people_suggested_for(team=team)] == people


@pytest.mark.parametrize("count", [5, 50])
def test_people_suggestions_have_constant_query_count(
    event, skills, topic, count, django_assert_num_queries
):
    german = LanguageFactory(code="de", name="Deutsch")
    team = team_wanting(
        event,
        skills["python"],
        challenge=ChallengeFactory(event=event, topic=topic, state="BY"),
        languages=[german],
    )
    for _ in range(count):
        participant(event, skills=[skills["python"]], languages=[german], topic_interests=[topic])

    # wanted and related skills, member regions, team languages; scores; registrations with
    # user and profile, their skills, topics, languages; wanted skill names
    with django_assert_num_queries(9):
        suggestions = people_suggested_for(team=team)
        assert len(suggestions) == min(count, 10)


def test_human_list():
    assert human_list([]) == ""
    assert human_list(["Python"]) == "Python"
    assert human_list(["Python", "UX"]) == "Python and UX"
    assert human_list(["A", "B", "C"]) == "A, B and C"
    assert human_list(["A", "B", "C", "D", "E", "F"]) == "A, B, C, D and 2 more"


# --- the pages -----------------------------------------------------------------------------


def test_suggestions_page_shows_fitting_teams_to_a_participant(client, event, skills):
    person = participant(event, skills=[skills["python"]])
    team_wanting(event, skills["python"], name="Pythonistas")
    team_wanting(event, skills["legal"], name="Rechtsrat")
    client.force_login(person)

    response = client.get(reverse("teams:suggestions", args=[event.slug]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Pythonistas" in body
    assert "needs Python; you have it" in body
    assert "Rechtsrat" not in body


def test_suggestions_page_suggests_nothing_to_someone_in_as_many_teams_as_allowed(
    client, event, skills
):
    person = participant(event, skills=[skills["python"]])
    team_wanting(event, skills["python"], name="Pythonistas")
    add_member(team_wanting(event, skills["legal"], name="Rechtsrat"), person)
    client.force_login(person)

    response = client.get(reverse("teams:suggestions", args=[event.slug]))

    assert response.status_code == 200
    assert "Pythonistas" not in response.content.decode()
    assert 'data-testid="settled"' in response.content.decode()


def test_suggestions_page_asks_unregistered_people_to_register(client, event, skills):
    ProfileFactory(skills=[skills["python"]])
    team_wanting(event, skills["python"], name="Pythonistas")
    stranger = ProfileFactory(skills=[skills["python"]]).user
    client.force_login(stranger)

    response = client.get(reverse("teams:suggestions", args=[event.slug]))

    assert response.status_code == 200
    assert "Pythonistas" not in response.content.decode()
    assert event.get_absolute_url() in response.content.decode()


def test_suggestions_page_requires_login(client, event):
    response = client.get(reverse("teams:suggestions", args=[event.slug]))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_suggestions_page_of_an_unpublished_event_is_404(client, skills):
    hidden = EventFactory(is_public=False)
    person = participant(hidden, skills=[skills["python"]])
    client.force_login(person)

    response = client.get(reverse("teams:suggestions", args=[hidden.slug]))

    assert response.status_code == 404


def test_suggested_people_page_for_team_admins(client, event, skills):
    team = team_wanting(event, skills["python"])
    admin = team.memberships.get().user
    participant(event, skills=[skills["python"]])
    fitting = participant(event, skills=[skills["python"]])
    fitting.display_name = "Ada Lovelace"
    fitting.save(update_fields=["display_name"])
    client.force_login(admin)

    response = client.get(reverse("teams:suggested_people", args=[team.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Ada Lovelace" in body
    assert "has Python, which your open roles need" in body
    assert fitting.email not in body


@pytest.mark.parametrize("who", ["member", "stranger", "other_admin"])
def test_suggested_people_page_is_404_for_everyone_else(client, event, skills, who):
    team = team_wanting(event, skills["python"])
    if who == "member":
        user = UserFactory()
        add_member(team, user)
    elif who == "other_admin":
        user = team_wanting(event).memberships.get().user
    else:
        user = UserFactory()
    client.force_login(user)

    response = client.get(reverse("teams:suggested_people", args=[team.pk]))

    assert response.status_code == 404


def test_suggested_people_page_requires_login(client, event):
    team = team_wanting(event)

    response = client.get(reverse("teams:suggested_people", args=[team.pk]))

    assert response.status_code == 302
