"""The fields of a challenge that people write, named once.

The intake form (its Meta.fields), the API's serializer, the admin's sections, the CSV
import and export and the services all build on these lists, so a field added here
appears in each of them (tests/challenges/test_fields.py). A consumer that shows more
names its extras beside the list, with the reason.

The tags are written with these fields but stored apart (challenges.services.set_tags):
each consumer takes them as a list of names, shown after the topic field.
"""

# What the challenge says: its title, the three texts and the topic field.
CONTENT_FIELDS = ("title", "problem", "affected", "desired_outcome", "topic")
# Who brings it and how organisers reach them.
GIVER_FIELDS = (
    "giver_type",
    "organisation_name",
    "state",
    "municipality_key",
    "contact_name",
    "contact_email",
    "contact_phone",
)
# What a giver writes, on the web, through the API or in an imported file.
EDITABLE_FIELDS = CONTENT_FIELDS + GIVER_FIELDS
# Fields only organisers set: the key a CSV import matches rows by.
ORGANISER_FIELDS = ("external_id",)
