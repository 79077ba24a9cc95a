"""The fields of a project that its team writes, named once.

The editor's form (its Meta.fields, in this order), the API's serializers, the admin's
sections and the services all build on these lists, so a field added here appears in
each of them (tests/projects/test_fields.py). A consumer that shows more names its
extras beside the list, with the reason.
"""

# What the team writes, in the order the editor shows it.
EDITABLE_FIELDS = (
    "title",
    "pitch",
    "problem",
    "solution",
    "target_group",
    "how_it_works",
    "next_steps",
    "category",
    "challenges",
    "repository_url",
    "video_url",
    "demo_url",
    "slides_url",
    "licence",
    "tags",
    "credited_members",
)
# Stored apart from the project's row (many-to-many): set once the project is saved.
RELATION_FIELDS = ("challenges", "tags", "credited_members")
# The project's own columns among them.
TEXT_FIELDS = tuple(name for name in EDITABLE_FIELDS if name not in RELATION_FIELDS)
# The links among them, which the admin shows in a section of their own.
LINK_FIELDS = ("repository_url", "video_url", "demo_url", "slides_url")
