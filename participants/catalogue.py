"""The starter lists: languages people can choose and curated skills by category.

Written by migration 0002 on every new installation and by the demo seed (a test
database flushed by a transactional test has lost the migration's rows). Organisers
maintain both lists in the admin afterwards; this only adds or renames by key.

Skill and category names are stored in English and marked for translation here
(gettext_noop), so `Skill.label` and `Skill.category_label` show them in the page's
language; a name an organiser changes in the admin is shown as typed.
"""

from __future__ import annotations

from django.db.models.functions import Lower
from django.utils.translation import gettext_noop

# ISO 639-1 code and the language's own name, as people look for it in a list.
LANGUAGES: list[tuple[str, str]] = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("pl", "Polski"),
    ("fa", "فارسی"),
]

# category → [(slug, name)]; in English, translated where shown (product names are not).
SKILLS: dict[str, list[tuple[str, str]]] = {
    gettext_noop("Development"): [
        ("python", "Python"),
        ("javascript", "JavaScript"),
        ("django", "Django"),
        ("react", "React"),
        ("mobile", gettext_noop("Mobile (iOS/Android)")),
        ("devops", "DevOps"),
        ("data-science", gettext_noop("Data Science")),
        ("machine-learning", gettext_noop("Machine Learning")),
        ("databases", gettext_noop("Databases")),
    ],
    gettext_noop("Design"): [
        ("ux", "UX"),
        ("ui-design", gettext_noop("UI Design")),
        ("graphic-design", gettext_noop("Graphic Design")),
        ("video", gettext_noop("Video")),
    ],
    gettext_noop("Product"): [
        ("product-management", gettext_noop("Product Management")),
        ("project-management", gettext_noop("Project Management")),
        ("agile-coaching", gettext_noop("Agile Coaching")),
    ],
    gettext_noop("Domain"): [
        ("public-administration", gettext_noop("Public Administration")),
        ("healthcare", gettext_noop("Healthcare")),
        ("education", gettext_noop("Education")),
        ("law", gettext_noop("Law")),
        ("social-work", gettext_noop("Social Work")),
    ],
    gettext_noop("Communication"): [
        ("copywriting", gettext_noop("Copywriting")),
        ("social-media", gettext_noop("Social Media")),
        ("translation", gettext_noop("Translation")),
        ("pitching", gettext_noop("Pitching")),
    ],
}


def catalogue_ensure(*, language_model, skill_model, using: str = "default") -> None:
    """Adds the starter languages and curated skills; idempotent (keyed by code and slug).

    Takes the model classes so that the data migration can pass its historical models.
    """
    for code, name in LANGUAGES:
        language_model.objects.using(using).update_or_create(code=code, defaults={"name": name})
    skills = skill_model.objects.using(using)
    for category, entries in SKILLS.items():
        for slug, name in entries:
            if not skills.filter(slug=slug).exists():
                # A free tag typed earlier with the same name becomes the curated skill.
                same_name = skills.annotate(lower=Lower("name")).filter(lower=name.lower()).first()
                if same_name is not None:
                    same_name.slug = slug
                    same_name.save(update_fields=["slug"])
            skills.update_or_create(
                slug=slug, defaults={"name": name, "category": category, "is_curated": True}
            )
