from __future__ import annotations

import pytest

from participants.catalogue import SKILLS, catalogue_ensure
from participants.models import Language, Skill

pytestmark = pytest.mark.django_db


def test_data_migration_languages():
    assert set(Language.objects.values_list("code", flat=True)) >= {
        "de",
        "en",
        "fr",
        "es",
        "it",
        "tr",
        "ar",
        "uk",
        "ru",
        "pl",
        "fa",
    }
    assert Language.objects.get(code="de").name == "Deutsch"


def test_data_migration_curated_skills_by_category():
    curated = Skill.objects.filter(is_curated=True)
    by_category = {}
    for skill in curated:
        by_category.setdefault(skill.category, set()).add(skill.name)
    assert by_category["Development"] >= {
        "Python",
        "JavaScript",
        "Django",
        "React",
        "Mobile (iOS/Android)",
        "DevOps",
        "Data Science",
        "Machine Learning",
        "Databases",
    }
    assert by_category["Design"] >= {"UX", "UI Design", "Graphic Design", "Video"}
    assert by_category["Product"] >= {"Product Management", "Project Management", "Agile Coaching"}
    assert by_category["Domain"] >= {
        "Public Administration",
        "Healthcare",
        "Education",
        "Law",
        "Social Work",
    }
    assert by_category["Communication"] >= {
        "Copywriting",
        "Social Media",
        "Translation",
        "Pitching",
    }
    assert curated.count() == sum(len(entries) for entries in SKILLS.values())


def test_catalogue_is_idempotent_and_adopts_free_tag_of_same_name():
    Skill.objects.filter(slug="pitching").delete()
    tag = Skill.objects.create(name="pitching", slug="pitching-2", is_curated=False)
    catalogue_ensure(language_model=Language, skill_model=Skill)
    catalogue_ensure(language_model=Language, skill_model=Skill)
    tag.refresh_from_db()
    assert (tag.slug, tag.name, tag.is_curated) == ("pitching", "Pitching", True)
    assert Language.objects.count() == 11
    assert Skill.objects.filter(is_curated=True).count() == 25
