"""The team finder: teams_for_finder (the selector the web and the API share) and /teams/."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import Language
from teams.enums import TeamStatus
from teams.models import OpenRole, Team
from teams.selectors import teams_for_finder
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


@pytest.fixture
def event():
    return EventFactory(slug="wirvsvirus", name="#WirVsVirus", is_public=True)


@pytest.fixture
def python(db):
    return SkillFactory(name="Python", slug="python", category="Development", is_curated=True)


@pytest.fixture
def ux(db):
    return SkillFactory(name="UX", slug="ux", category="Design", is_curated=True)


def finder(event, **params):
    return list(teams_for_finder(event=event, params=params))


def make_teams(event, count: int) -> None:
    """`count` open teams with two open roles, skills and languages each, in bulk."""
    challenge = ChallengeFactory(event=event, topic=TopicFactory(event=event))
    german = LanguageFactory(code="de", name="Deutsch")
    english = LanguageFactory(code="en", name="English")
    skills = [SkillFactory(name=f"Bulk skill {i}", slug=f"bulk-skill-{i}") for i in range(3)]
    start = Team.objects.count()
    teams = Team.objects.bulk_create(
        Team(
            event=event,
            challenge=challenge,
            name=f"Bulk team {start + i}",
            pitch="Ein Team für die Massenprüfung.",
            max_size=10,
        )
        for i in range(count)
    )
    roles = OpenRole.objects.bulk_create(
        OpenRole(team=team, title=title) for team in teams for title in ("Backend", "Design")
    )
    OpenRole.skills.through.objects.bulk_create(
        OpenRole.skills.through(openrole=role, skill=skill) for role in roles for skill in skills
    )
    Team.languages.through.objects.bulk_create(
        Team.languages.through(team=team, language=language)
        for team in teams
        for language in (german, english)
    )


# --- the selector ----------------------------------------------------------------------------


def test_finder_lists_only_open_teams_with_places(event):
    open_team = TeamFactory(event=event, name="Offen")
    TeamFactory(event=event, name="Geschlossen", status=TeamStatus.CLOSED)
    full = TeamFactory(event=event, name="Voll", max_size=1)
    add_member(full, UserFactory(), role="admin")
    TeamFactory(name="Anderes Event")

    assert finder(event) == [open_team]


def test_finder_orders_newest_first(event):
    first = TeamFactory(event=event)
    second = TeamFactory(event=event)

    assert finder(event) == [second, first]


def test_finder_filters_by_challenge_number(event):
    team = TeamFactory(event=event)
    TeamFactory(event=event)

    assert finder(event, challenge=str(team.challenge.number)) == [team]
    assert finder(event, challenge=f"#{team.challenge.number}") == [team]
    assert finder(event, challenge="abc") == []


def test_finder_filters_by_topic(event):
    health = TopicFactory(event=event, slug="gesundheit")
    team = TeamFactory(event=event, challenge=ChallengeFactory(event=event, topic=health))
    TeamFactory(event=event)

    assert finder(event, topic="gesundheit") == [team]


def test_finder_filters_by_wanted_skill_once_per_team(event, python, ux):
    team = TeamFactory(event=event)
    OpenRoleFactory(team=team, skills=[python])
    OpenRoleFactory(team=team, skills=[python, ux])
    other = TeamFactory(event=event)
    OpenRoleFactory(team=other, skills=[ux])

    assert finder(event, skill="python") == [team]
    assert finder(event, skill="ux") == [other, team]


def test_finder_filters_by_language(event):
    english = LanguageFactory(code="en", name="English")
    team = TeamFactory(event=event, languages=[english])
    TeamFactory(event=event, languages=[LanguageFactory(code="de", name="Deutsch")])

    assert finder(event, language="en") == [team]


def test_finder_region_matches_challenge_state_or_member_region(event):
    by_challenge = TeamFactory(event=event, challenge=ChallengeFactory(event=event, state="BY"))
    by_member = TeamFactory(event=event, challenge=ChallengeFactory(event=event, state="BE"))
    add_member(by_member, ProfileFactory(region="BY").user, role="admin")
    elsewhere = TeamFactory(event=event, challenge=ChallengeFactory(event=event, state="HH"))
    add_member(elsewhere, ProfileFactory(region="NW").user, role="admin")

    assert set(finder(event, region="BY")) == {by_challenge, by_member}


def test_finder_searches_name_and_pitch(event):
    by_name = TeamFactory(event=event, name="Impfterminhelfer")
    by_pitch = TeamFactory(event=event, pitch="Wir helfen Gesundheitsämtern bei Impfterminen.")
    TeamFactory(event=event, name="Nachbarschaft", pitch="Einkaufshilfe für ältere Menschen.")

    assert set(finder(event, q="impftermin")) == {by_name, by_pitch}


def test_finder_combines_filters(event, python):
    english = LanguageFactory(code="en", name="English")
    both = TeamFactory(event=event, languages=[english])
    OpenRoleFactory(team=both, skills=[python])
    only_skill = TeamFactory(event=event)
    OpenRoleFactory(team=only_skill, skills=[python])

    assert finder(event, skill="python", language="en") == [both]


def test_finder_ignores_blank_parameters(event):
    team = TeamFactory(event=event)

    assert finder(event, q="", skill="  ", challenge="") == [team]


@pytest.mark.parametrize("count", [5, 500])
def test_finder_selector_has_constant_query_count(event, count, django_assert_num_queries):
    make_teams(event, count)

    # count, rows, open roles, their skills, languages
    with django_assert_num_queries(5):
        teams = teams_for_finder(event=event, params={"skill": "bulk-skill-1"})
        assert teams.count() == count
        page = list(teams[:20])
        for team in page:
            assert [role.title for role in team.open_roles.all()] == ["Backend", "Design"]
            assert len(team.open_roles.all()[0].skills.all()) == 3
            assert {language.code for language in team.languages.all()} == {"de", "en"}
            assert team.challenge.topic.name


# --- the page --------------------------------------------------------------------------------


def test_finder_page_lists_teams_with_their_open_roles(client, event, python):
    team = TeamFactory(event=event, name="Datenhelden")
    OpenRoleFactory(team=team, title="Backend-Entwicklung", skills=[python])

    response = client.get(reverse("teams:finder"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Datenhelden" in body
    assert "Backend-Entwicklung" in body
    assert "Python" in body
    assert team.get_absolute_url() in body


def test_finder_page_filters_by_skill(client, event, python, ux):
    wanted = TeamFactory(event=event, name="Pythonistas")
    OpenRoleFactory(team=wanted, skills=[python])
    other = TeamFactory(event=event, name="Designstudio")
    OpenRoleFactory(team=other, skills=[ux])

    response = client.get(reverse("teams:finder"), {"event": event.slug, "skill": "python"})

    body = response.content.decode()
    assert "Pythonistas" in body
    assert "Designstudio" not in body


def test_finder_page_htmx_returns_the_results_only(client, event):
    TeamFactory(event=event, name="Datenhelden")

    response = client.get(reverse("teams:finder"), {"q": "daten"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Datenhelden" in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_finder_page_history_restore_gets_the_whole_page(client, event):
    response = client.get(
        reverse("teams:finder"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.content.decode()


def test_finder_page_form_works_without_javascript(client, event):
    response = client.get(reverse("teams:finder"))

    body = response.content.decode()
    assert f'action="{reverse("teams:finder")}"' in body
    assert 'method="get"' in body
    assert 'name="skill"' in body
    assert 'hx-push-url="true"' in body


def test_finder_page_invalid_filters_show_errors_not_500(client, event):
    TeamFactory(event=event, name="Datenhelden")

    response = client.get(
        reverse("teams:finder"), {"skill": "no-such-skill", "challenge": "abc", "region": "XX"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="errorlist' in body
    assert "Datenhelden" in body  # invalid filters are left out


def test_finder_page_paginates(client, event):
    make_teams(event, 25)

    first = client.get(reverse("teams:finder"))
    second = client.get(reverse("teams:finder"), {"page": 2})

    assert first.content.decode().count('data-testid="team-card"') == 20
    assert second.content.decode().count('data-testid="team-card"') == 5
    assert 'rel="next"' in first.content.decode()


def test_finder_page_hides_teams_of_unpublished_events(client, event):
    hidden = EventFactory(slug="intern", is_public=False)
    TeamFactory(event=hidden, name="Geheimteam")
    TeamFactory(event=event, name="Sichtbar")

    response = client.get(reverse("teams:finder"), {"event": "intern"})

    body = response.content.decode()
    assert "Geheimteam" not in body
    assert "Sichtbar" in body


def test_finder_page_without_events(client, db):
    response = client.get(reverse("teams:finder"))

    assert response.status_code == 200


def test_nav_links_to_the_finder(client, event):
    response = client.get(reverse("home"))

    assert f'href="{reverse("teams:finder")}"' in response.content.decode()


@pytest.mark.parametrize("count", [5, 500])
def test_finder_page_has_constant_query_count(client, event, count):
    make_teams(event, count)
    Language.objects.get_or_create(code="fr", defaults={"name": "Français"})
    url = reverse("teams:finder")
    client.get(url)  # warm up caches (content types, sessions)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"event": event.slug, "skill": "bulk-skill-0"})

    assert response.status_code == 200
    assert response.content.decode().count('data-testid="team-card"') == min(count, 20)
    # events, topics, skills, languages (form); count, keys; the cards (none cached
    # here): rows, roles, skills, languages
    assert len(queries) == 10, "\n".join(q["sql"][:150] for q in queries)


def test_finder_page_loads_only_the_keys_when_the_cards_are_cached(client, event, settings):
    settings.CACHED_LISTS = True
    make_teams(event, 3)
    url = reverse("teams:finder")
    first = client.get(url, {"event": event.slug}).content.decode()

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, {"event": event.slug}).content.decode()

    def cards(page: str) -> str:  # the page has a new CSRF token each time
        return page[page.index('<ul class="team-list">') : page.index("</main>")]

    assert cards(again) == cards(first)
    assert again.count('data-testid="team-card"') == 3
    team_rows = [q["sql"] for q in queries if 'FROM "teams_team"' in q["sql"]]
    assert len(team_rows) == 2, team_rows  # the count and the page's keys
    assert not any(
        '"teams_team"."pitch"' in sql or "challenges_challenge" in sql for sql in team_rows
    )


def test_finder_card_of_a_team_filled_up_meanwhile_is_left_out(event):
    from teams.finder_views import _render_cards

    make_teams(event, 2)
    full, still_open = Team.objects.order_by("pk")
    Team.objects.filter(pk=full.pk).update(member_count=F("max_size"))

    cards = _render_cards(event, [full, still_open])

    assert cards[0] == ""
    assert still_open.name in cards[1] and 'data-testid="team-card"' in cards[1]


@pytest.mark.parametrize(
    ("role", "link"),
    [("participant", "teams:suggestions"), ("mentor", "mentoring:board"), (None, None)],
)
def test_finder_page_links_to_suggestions_or_the_mentor_board(client, event, role, link):
    user = UserFactory()
    if role:
        RegistrationFactory(event=event, user=user, role=role)
    client.force_login(user)

    body = client.get(reverse("teams:finder")).content.decode()

    for name in ("teams:suggestions", "mentoring:board"):
        assert (reverse(name, args=[event.slug]) in body) == (name == link)
