"""A project's editable fields are listed once (projects.fields): the editor's form, the
API's serializers, the admin's sections and the services are built on it.

Each consumer's fields are the list plus the extras it names, so a copy that drifts fails
here; and a field added to the list reaches every consumer (checked in a fresh process that
adds one), so a consumer holding a copy of its own fails too.
"""

import pytest
from django.urls import reverse

from projects import serializers, services
from projects.fields import EDITABLE_FIELDS, LINK_FIELDS, RELATION_FIELDS, TEXT_FIELDS
from projects.forms import ProjectForm
from projects.selectors import LISTED_FIELDS, LISTED_TIMES
from projects.serializers import ProjectSerializer, ProjectWriteSerializer
from tests.fields_check import where_an_added_field_arrives
from tests.projects.conftest import make_project


def test_the_columns_and_relations_are_the_list_split():
    assert (
        tuple(sorted(EDITABLE_FIELDS, key=lambda name: name in RELATION_FIELDS))
        == TEXT_FIELDS + RELATION_FIELDS
    )
    assert len(set(EDITABLE_FIELDS)) == len(EDITABLE_FIELDS) == 16
    assert set(LINK_FIELDS) < set(TEXT_FIELDS)


def test_the_form_is_the_list_in_its_order():
    assert ProjectForm.Meta.fields is EDITABLE_FIELDS
    assert list(ProjectForm.base_fields) == list(EDITABLE_FIELDS)


def test_the_services_write_the_list():
    assert services.TEXT_FIELDS is TEXT_FIELDS
    assert services.RELATION_FIELDS is RELATION_FIELDS


def test_the_api_writes_the_list_and_the_team_of_a_new_project():
    fields = ProjectWriteSerializer().fields
    assert [name for name, field in fields.items() if not field.read_only] == [
        "team",
        *TEXT_FIELDS,
        *RELATION_FIELDS,
    ]
    assert fields["title"].required is False
    assert str(fields["licence"].help_text) == "SPDX identifier."


def test_the_api_shows_the_list_between_whose_project_it_is_and_its_times():
    fields = ProjectSerializer().fields
    assert all(field.read_only for field in fields.values())
    names = list(fields)
    start, end = names.index("title"), names.index("title") + len(EDITABLE_FIELDS)
    assert names[:start] == ["id", "url", "event", "team", "status"]
    assert names[start:end] == list(EDITABLE_FIELDS)
    assert names[end:] == ["images", "created_at", "updated_at", "submitted_at", "withdrawn_at"]


def test_the_api_list_reads_the_lists_own_columns_and_writes_them_where_the_detail_does():
    assert ("id", "team_id", "status", *TEXT_FIELDS, *LISTED_TIMES) == LISTED_FIELDS
    names = list(ProjectSerializer().fields)
    texts = names[names.index("status") : names.index("challenges")]
    links = names[names.index("challenges") + 1 : names.index("tags")]
    assert (tuple(texts), tuple(links)) == (serializers._LISTED_TEXTS, serializers._LISTED_LINKS)
    assert set(texts + links) == {"status", *TEXT_FIELDS}


@pytest.mark.usefixtures("deadline")
def test_the_admin_edits_the_list(client, organiser, team, founder, challenge):
    project = make_project(team, founder, challenge)
    client.force_login(organiser)
    response = client.get(reverse("admin:projects_project_change", args=[project.pk]))
    form = response.context["adminform"].form
    assert list(form.fields) == [name for name in EDITABLE_FIELDS if name not in LINK_FIELDS] + [
        name for name in EDITABLE_FIELDS if name in LINK_FIELDS
    ]


def test_a_field_added_to_the_list_reaches_every_consumer():
    consumers = """
from projects import services
from projects import serializers
from projects.forms import ProjectForm
from projects.selectors import LISTED_FIELDS
from projects.serializers import ProjectSerializer, ProjectWriteSerializer

write_fields = ProjectWriteSerializer().fields
reaches = {
    "form": "mascot" in ProjectForm.base_fields,
    "api_write": "mascot" in write_fields and not write_fields["mascot"].read_only,
    "api_read": "mascot" in ProjectSerializer().fields,
    "admin": "mascot" in admin_form.base_fields,
    "services": "mascot" in services.TEXT_FIELDS,
    "api_list": "mascot" in LISTED_FIELDS and "mascot" in serializers._LISTED_LINKS,
}
"""
    reaches = where_an_added_field_arrives(
        model="projects.Project",
        fields_module="projects.fields",
        lists=["EDITABLE_FIELDS", "TEXT_FIELDS"],
        name="mascot",
        consumers=consumers,
    )
    assert reaches == {
        "form": True,
        "api_write": True,
        "api_read": True,
        "admin": True,
        "services": True,
        "api_list": True,
    }
