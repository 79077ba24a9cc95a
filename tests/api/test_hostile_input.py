"""Input that used to end in a 500 is a 400 naming the field, and nothing is saved.

- a lone surrogate (JSON "\\ud800") anywhere in a body: hackathon.parsers.JSONParser;
  it could neither be stored nor quoted back in an error (hackathon.renderers);
- JSON nested 2,000 levels deep (a RecursionError before): the same parser;
- the same bytes through query parameters, form and multipart bodies.
"""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from challenges.models import Challenge
from hackathon.parsers import MAX_DEPTH
from hackathon.renderers import JSONRenderer
from participants.models import Registration
from tests.api.helpers import call, error_pairs, row_counts, write_operations
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SURROGATE = '"\\ud800abc"'  # JSON text: a lone high surrogate, then "abc"


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.fixture
def api(world) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(world.founder)
    return client


# --- every endpoint that reads a body ---------------------------------------------------------


@pytest.mark.parametrize("name", write_operations())
def test_deep_json_is_400_naming_the_field_on_every_write(world, name):
    before = row_counts()

    response = call(world, name, body=f'{{"title": {_deep(2000)}}}')

    assert response.status_code == 400, response.content
    assert error_pairs(response) == {("too_deep", "title")}
    assert row_counts() == before


@pytest.mark.parametrize("name", write_operations())
def test_lone_surrogate_is_400_naming_the_field_on_every_write(world, name):
    before = row_counts()

    response = call(world, name, body=f'{{"title": {SURROGATE}, "x\\udfff": 1}}')

    assert response.status_code == 400, response.content
    assert error_pairs(response) == {
        ("surrogate_characters_not_allowed", "title"),
        ("surrogate_characters_not_allowed", "x\\udfff"),
    }
    assert row_counts() == before


# --- the choice fields that used to answer 500 ------------------------------------------------


@pytest.mark.parametrize("field", ["category", "licence"])
def test_project_choice_with_a_lone_surrogate_is_400(api, world, field):
    response = api.patch(
        f"/api/v1/projects/{world.project.pk}/",
        f'{{"pitch": "Neu", "{field}": {SURROGATE}}}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert error_pairs(response) == {("surrogate_characters_not_allowed", field)}
    world.project.refresh_from_db()
    assert world.project.pitch != "Neu"


@pytest.mark.parametrize("field", ["giver_type", "state"])
def test_challenge_choice_with_a_lone_surrogate_is_400(api, world, field):
    before = Challenge.objects.count()
    body = {
        "event": world.event.slug,
        "title": "Digitale Schulen für alle",
        "problem": "Schulen haben keine gemeinsame Plattform für den Fernunterricht.",
        "affected": "Schülerinnen und Lehrkräfte",
        "desired_outcome": "Eine offene Lernplattform für alle Schulen.",
        "giver_type": "citizen",
        "contact_name": "Erika Mustermann",
        "contact_email": "erika@example.org",
    }
    text = json.dumps(body)[:-1] + f', "{field}": {SURROGATE}}}'

    response = api.post("/api/v1/challenges/", text, content_type="application/json")

    assert response.status_code == 400
    assert error_pairs(response) == {("surrogate_characters_not_allowed", field)}
    assert Challenge.objects.count() == before


def test_registration_role_with_a_lone_surrogate_is_400(world):
    person = UserFactory()
    client = APIClient()
    client.force_authenticate(person)
    body = f'{{"event": "{world.event.slug}", "accept_code_of_conduct": true, "role": {SURROGATE}}}'

    response = client.post("/api/v1/me/registrations/", body, content_type="application/json")

    assert response.status_code == 400
    assert error_pairs(response) == {("surrogate_characters_not_allowed", "role")}
    assert not Registration.objects.filter(user=person).exists()


def test_surrogates_deep_inside_are_named_by_their_dotted_path(api, world):
    body = f'{{"skills": ["ok", {SURROGATE}], "other": {{"inner": [{{"k": {SURROGATE}}}]}}}}'

    response = api.post(
        f"/api/v1/teams/{world.team.pk}/open-roles/", body, content_type="application/json"
    )

    assert error_pairs(response) == {
        ("surrogate_characters_not_allowed", "skills.1"),
        ("surrogate_characters_not_allowed", "other.inner.0.k"),
    }


# --- nesting ----------------------------------------------------------------------------------


def test_nesting_up_to_the_limit_reaches_the_serializer(api, world):
    body = f'{{"title": "Backend", "skills": {_deep(MAX_DEPTH - 1)}}}'

    response = api.post(
        f"/api/v1/teams/{world.team.pk}/open-roles/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert {attr for _code, attr in error_pairs(response)} == {"skills.0"}


def test_nesting_one_level_deeper_is_refused_before_decoding(api, world):
    body = f'{{"title": "Backend", "skills": {_deep(MAX_DEPTH)}}}'

    response = api.post(
        f"/api/v1/teams/{world.team.pk}/open-roles/", body, content_type="application/json"
    )

    assert error_pairs(response) == {("too_deep", "skills")}


def test_brackets_inside_strings_do_not_count_as_nesting(api, world):
    body = json.dumps({"title": "[" * 100, "description": "{" * 100 + '"\\'})

    response = api.post(
        f"/api/v1/teams/{world.team.pk}/open-roles/", body, content_type="application/json"
    )

    assert response.status_code == 400  # the title is too long, and nothing else
    assert error_pairs(response) == {("max_length", "title")}


def test_a_deep_body_without_an_object_names_no_field(api):
    response = api.post("/api/v1/challenges/", _deep(2000), content_type="application/json")

    assert error_pairs(response) == {("too_deep", "non_field_errors")}


def test_malformed_json_is_still_a_parse_error(api):
    response = api.post("/api/v1/challenges/", '{"title": [[[', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_invalid_utf8_in_a_json_body_is_a_parse_error(api):
    response = api.post(
        "/api/v1/challenges/", b'{"title": "\xed\xa0\x80"}', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


# --- the same bytes by other doors ------------------------------------------------------------


def test_surrogate_bytes_in_a_query_parameter_are_a_400_that_renders(api):
    response = api.get("/api/v1/challenges/?giver_type=%ED%A0%80")

    assert response.status_code == 400
    assert error_pairs(response) == {("invalid_choice", "giver_type")}


def test_surrogate_bytes_in_a_query_parameter_name_are_a_400_that_renders(api):
    response = api.get("/api/v1/challenges/?%ED%A0%80=1")

    assert response.status_code == 400
    assert [error["code"] for error in response.json()["errors"]] == ["unknown_field"]


def test_surrogate_bytes_in_a_form_body_are_a_400_that_renders(api, world):
    response = api.post(
        f"/api/v1/teams/{world.team.pk}/open-roles/",
        "title=Backend&description=%ED%A0%80&x%ED%A0%80=1",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert [error["code"] for error in response.json()["errors"]] == ["unknown_field"]


def test_surrogate_bytes_in_a_multipart_body_are_replaced_and_render(api, world):
    """Django decodes multipart text with replacement characters (and drops a part whose
    name does not decode): valid text, which every column holds."""
    boundary = "BoUnDaRy"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\n'
        "Backend\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="description"\r\n\r\n'
        "ab\xed\xa0\x80\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="x\xed\xa0\x80"\r\n\r\n'
        "1\r\n"
        f"--{boundary}--\r\n"
    ).encode("latin-1")

    response = api.post(
        f"/api/v1/teams/{world.team.pk}/open-roles/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    assert response.status_code == 201, response.content
    assert response.json()["description"].startswith("ab\ufffd")


# --- the renderer -----------------------------------------------------------------------------


def test_renderer_escapes_a_lone_surrogate_instead_of_failing():
    rendered = JSONRenderer().render({"attr": "\ud800abc", "detail": "Größe"})

    assert json.loads(rendered) == {"attr": "\ud800abc", "detail": "Größe"}
    assert b"\\ud800abc" in rendered


def test_renderer_keeps_other_text_as_utf8():
    assert JSONRenderer().render({"detail": "Größe"}) == '{"detail":"Größe"}'.encode()


@pytest.mark.urls("tests.api.urls")
def test_a_response_holding_a_lone_surrogate_renders(api_client):
    response = api_client.get("/api/test/surrogate/")

    assert response.status_code == 200
    assert response.json() == {"text": "\ud800abc"}
