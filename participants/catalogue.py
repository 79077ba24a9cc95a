"""The starter lists: languages people can choose and curated skills by category.

Written by migration 0002 on every new installation and by the demo seed (a test
database flushed by a transactional test has lost the migration's rows). Organisers
maintain both lists in the admin afterwards; this only adds or renames by key.
"""

from __future__ import annotations

from django.db.models.functions import Lower

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

# category → [(slug, name)]
SKILLS: dict[str, list[tuple[str, str]]] = {
    "Development": [
        ("python", "Python"),
        ("javascript", "JavaScript"),
        ("django", "Django"),
        ("react", "React"),
        ("mobile", "Mobile (iOS/Android)"),
        ("devops", "DevOps"),
        ("data-science", "Data Science"),
        ("machine-learning", "Machine Learning"),
        ("databases", "Databases"),
    ],
    "Design": [
        ("ux", "UX"),
        ("ui-design", "UI Design"),
        ("graphic-design", "Graphic Design"),
        ("video", "Video"),
    ],
    "Product": [
        ("product-management", "Product Management"),
        ("project-management", "Project Management"),
        ("agile-coaching", "Agile Coaching"),
    ],
    "Domain": [
        ("public-administration", "Public Administration"),
        ("healthcare", "Healthcare"),
        ("education", "Education"),
        ("law", "Law"),
        ("social-work", "Social Work"),
    ],
    "Communication": [
        ("copywriting", "Copywriting"),
        ("social-media", "Social Media"),
        ("translation", "Translation"),
        ("pitching", "Pitching"),
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
