"""A challenge's editable fields are listed once (challenges.fields): the intake form, the
API's serializer, the admin, the CSV import and export and the services are built on it.

Each consumer's fields are the list plus the extras it names, so a copy that drifts fails
here; and a field added to the list reaches every consumer (checked in a fresh process that
adds one), so a consumer holding a copy of its own fails too.
"""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from challenges import csv_io, services
from challenges.api import ChallengeSerializer
from challenges.fields import CONTENT_FIELDS, EDITABLE_FIELDS, GIVER_FIELDS, ORGANISER_FIELDS
from challenges.forms import ChallengeForm
from tests.factories import ChallengeFactory, TopicFactory
from tests.fields_check import where_an_added_field_arrives


def test_the_list_is_its_two_parts_without_repeats():
    assert EDITABLE_FIELDS == CONTENT_FIELDS + GIVER_FIELDS
    names = EDITABLE_FIELDS + ORGANISER_FIELDS
    assert len(set(names)) == len(names) == 13


def test_the_form_is_the_list_and_the_tags():
    assert ChallengeForm.Meta.fields is EDITABLE_FIELDS
    assert list(ChallengeForm.base_fields) == [*EDITABLE_FIELDS, "tags"]


def test_the_services_write_the_list():
    assert services.EDITABLE_FIELDS is EDITABLE_FIELDS
    assert services.ORGANISER_FIELDS is ORGANISER_FIELDS


def test_the_api_writes_the_list_with_the_event_and_tags_and_shows_the_curation_read_only():
    fields = ChallengeSerializer().fields
    assert [name for name, field in fields.items() if not field.read_only] == [
        "event",
        *CONTENT_FIELDS,
        "tags",
        *GIVER_FIELDS,
    ]
    assert [name for name, field in fields.items() if field.read_only] == [
        "number",
        "public_number",
        "url",
        "status",
        "rejection_reason",
        "merged_into",
        "support_count",
        "created_at",
        "published_at",
    ]


@pytest.fixture
def admin_client(client, organiser):
    from django.contrib.auth.models import Permission

    organiser.user_permissions.add(*Permission.objects.filter(content_type__app_label="challenges"))
    client.force_login(organiser)
    return client


@pytest.mark.django_db
def test_the_admin_edits_the_list_with_the_import_key_and_the_event_of_a_new_one(
    admin_client, event
):
    add = admin_client.get(reverse("admin:challenges_challenge_add"))
    assert list(add.context["adminform"].form.fields) == [
        "event",
        *ORGANISER_FIELDS,
        *CONTENT_FIELDS,
        "tags",
        *GIVER_FIELDS,
    ]
    challenge = ChallengeFactory(event=event)
    change = admin_client.get(reverse("admin:challenges_challenge_change", args=[challenge.pk]))
    # A challenge stays in its event.
    assert list(change.context["adminform"].form.fields) == [
        *ORGANISER_FIELDS,
        *CONTENT_FIELDS,
        "tags",
        *GIVER_FIELDS,
    ]


def test_the_import_reads_the_list_with_the_key_tags_and_status():
    # Required: the key, and what the intake form requires (the model's non-blank fields).
    assert csv_io.REQUIRED_COLUMNS == (
        "external_id",
        "title",
        "problem",
        "affected",
        "desired_outcome",
        "giver_type",
        "contact_name",
        "contact_email",
    )
    assert set(csv_io.REQUIRED_COLUMNS + csv_io.OPTIONAL_COLUMNS) == {
        *ORGANISER_FIELDS,
        *EDITABLE_FIELDS,
        "tags",
        "status",
    }
    assert len(csv_io.REQUIRED_COLUMNS + csv_io.OPTIONAL_COLUMNS) == 15


@pytest.mark.django_db
def test_the_export_writes_the_list_between_its_reference_columns(event):
    challenge = ChallengeFactory(
        event=event,
        external_id="bmi-1",
        title="=Digitale Behördengänge",
        topic=TopicFactory(event=event, slug="verwaltung"),
        giver_type="federal_body",
        organisation_name="Bundesministerium des Innern",
        state="BE",
        municipality_key="11000000",
        contact_name="Max Muster",
        contact_email="max@example.org",
        contact_phone="+49 30 1234",
        support_count=4,
        published_at=datetime(2026, 3, 20, 12, 0, tzinfo=UTC),
    )
    services.set_tags(challenge, ["verwaltung", "digital"])
    out = io.StringIO()
    csv_io.challenges_export_csv([challenge], out)
    assert out.getvalue().startswith("\ufeff")
    header, row = csv.reader(io.StringIO(out.getvalue().removeprefix("\ufeff")))
    # The key, what the challenge says with its tags, who gives it, then for reference.
    content = header.index("title")
    givers = content + len(CONTENT_FIELDS) + 1
    assert header[:content] == ["number", *ORGANISER_FIELDS, "status"]
    assert header[content:givers] == [*CONTENT_FIELDS, "tags"]
    assert header[givers:] == [
        *GIVER_FIELDS,
        "support_count",
        "merged_into",
        "created_at",
        "published_at",
    ]
    assert dict(zip(header, row, strict=True)) == {
        "number": str(challenge.number),
        "external_id": "bmi-1",
        "status": "published",
        "title": "'=Digitale Behördengänge",
        "problem": challenge.problem,
        "affected": challenge.affected,
        "desired_outcome": challenge.desired_outcome,
        "topic": "verwaltung",
        "tags": "digital|verwaltung",
        "giver_type": "federal_body",
        "organisation_name": "Bundesministerium des Innern",
        "state": "BE",
        "municipality_key": "11000000",
        "contact_name": "Max Muster",
        "contact_email": "max@example.org",
        "contact_phone": "'+49 30 1234",
        "support_count": "4",
        "merged_into": "",
        "created_at": challenge.created_at.isoformat(),
        "published_at": "2026-03-20T12:00:00+00:00",
    }


def test_a_field_added_to_the_list_reaches_every_consumer():
    consumers = """
from challenges import csv_io, selectors, services
from challenges.api import ChallengeSerializer
from challenges.forms import ChallengeForm

api_fields = ChallengeSerializer().fields
reaches = {
    "form": "nickname" in ChallengeForm.base_fields,
    "api": "nickname" in api_fields and not api_fields["nickname"].read_only,
    "admin": "nickname" in admin_form.base_fields,
    "import": "nickname" in csv_io.OPTIONAL_COLUMNS,
    "export": "nickname" in csv_io.EXPORT_COLUMNS,
    "services": "nickname" in services.EDITABLE_FIELDS,
    "api_list": "nickname" in selectors.LISTED_FIELDS,
}
"""
    reaches = where_an_added_field_arrives(
        model="challenges.Challenge",
        fields_module="challenges.fields",
        lists=["GIVER_FIELDS", "EDITABLE_FIELDS"],
        name="nickname",
        consumers=consumers,
    )
    assert reaches == {
        "form": True,
        "api": True,
        "admin": True,
        "import": True,
        "export": True,
        "services": True,
        "api_list": True,
    }
