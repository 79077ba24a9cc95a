"""The skill catalogue in the page's language: curated skills and their categories are
stored in English and shown translated; what people typed themselves stays as typed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from participants.catalogue import SKILLS
from participants.selectors import curated_skills_by_category
from teams.models import OpenRole
from tests.factories import (
    ChallengeFactory,
    ProfileFactory,
    SkillFactory,
    TeamFactory,
)
from tests.participants.conftest import registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_administration(db):
    return SkillFactory(
        name="Public Administration",
        slug="public-administration",
        category="Domain",
        is_curated=True,
    )


@pytest.fixture
def free_tag(db):
    # "Other" is a msgid of the catalogue ("Sonstige"): a typed tag must not be translated.
    return SkillFactory(name="Other", slug="other", category="", is_curated=False)


def _page(client, url: str, language: str) -> str:
    client.cookies["language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_skill_label_is_translated_for_curated_skills_only(public_administration, free_tag):
    with translation.override("de"):
        assert public_administration.label == "Öffentliche Verwaltung"
        assert public_administration.category_label == "Fachwissen"
        assert str(public_administration) == "Öffentliche Verwaltung"
        assert free_tag.label == "Other", "a free tag is shown as its author typed it"
    with translation.override("en"):
        assert public_administration.label == "Public Administration"
        assert public_administration.category_label == "Domain"


def test_curated_skills_grouped_by_translated_category_in_german_order():
    # The starter catalogue written by the migration.
    with translation.override("de"):
        groups = curated_skills_by_category()
        categories = [category for category, _skills in groups]
        labels = [skill.label for skill in dict(groups)["Entwicklung"]]
    assert categories == sorted(categories, key=str.casefold)
    assert "Entwicklung" in categories and "Development" not in categories
    assert "Datenbanken" in labels and labels == sorted(labels, key=str.casefold)


# Names German uses as they are (product names are not marked for translation at all).
SAME_IN_GERMAN = {"Python", "JavaScript", "Django", "React", "DevOps", "UX"}
SAME_IN_GERMAN |= {"Design", "Data Science", "Video", "Social Media"}


def test_every_curated_skill_and_category_has_a_german_label():
    names = [name for entries in SKILLS.values() for _slug, name in entries] + list(SKILLS)
    with translation.override("de"):
        untranslated = [name for name in names if translation.gettext(name) == name]
    assert sorted(untranslated) == sorted(SAME_IN_GERMAN)


def test_profile_form_shows_categories_and_skills_in_the_page_language(client, person):
    client.force_login(person)
    url = reverse("participants:profile")

    german = _page(client, url, "de")
    assert "<legend>Fachwissen</legend>" in german
    assert ">Öffentliche Verwaltung</label>" in german
    assert ">Public Administration<" not in german

    english = _page(client, url, "en")
    assert "<legend>Domain</legend>" in english
    assert ">Public Administration</label>" in english


def test_profile_page_and_people_finder_show_skills_translated(
    client, event, organiser, public_administration
):
    shown = registered(event, looking_for_team=True)
    shown.user.profile.skills.set([public_administration])
    client.force_login(organiser)

    german = _page(client, reverse("participants:detail", args=[shown.user.pk]), "de")
    assert "<li>Öffentliche Verwaltung</li>" in german

    finder = _page(client, reverse("participants:finder", args=[event.slug]), "de")
    assert "<li>Öffentliche Verwaltung</li>" in finder
    # The filter's choices: grouped by the German category.
    assert '<optgroup label="Fachwissen">' in finder
    assert '<option value="public-administration">Öffentliche Verwaltung</option>' in finder


def test_team_finder_card_and_filter_show_skills_translated(client, event, public_administration):
    team = TeamFactory(event=event, challenge=ChallengeFactory(event=event), name="Team Amt")
    role = OpenRole.objects.create(team=team, title="Verwaltungsprofi")
    role.skills.set([public_administration])
    url = reverse("teams:finder") + f"?event={event.slug}"

    german = _page(client, url, "de")
    assert "<li>Öffentliche Verwaltung</li>" in german
    assert '<option value="public-administration">Öffentliche Verwaltung</option>' in german
    assert "Public Administration" not in german

    english = _page(client, url, "en")
    assert "<li>Public Administration</li>" in english


def test_team_page_shows_wanted_skills_translated(client, event, public_administration):
    team = TeamFactory(event=event, challenge=ChallengeFactory(event=event), name="Team Amt")
    role = OpenRole.objects.create(team=team, title="Verwaltungsprofi")
    role.skills.set([public_administration])

    german = _page(client, reverse("teams:detail", args=[team.pk]), "de")
    assert "<li>Öffentliche Verwaltung</li>" in german


def test_profile_form_free_tags_are_kept_as_typed(client, person, free_tag):
    ProfileFactory(user=person, skills=[free_tag])
    client.force_login(person)

    german = _page(client, reverse("participants:profile"), "de")

    assert 'value="Other"' in german
