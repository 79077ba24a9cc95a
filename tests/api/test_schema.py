"""/api/schema/ is a valid OpenAPI 3 document, and drf-spectacular finds nothing to warn about."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

BASE_DIR = Path(__file__).resolve().parents[2]
HTTP_METHODS = {"get", "put", "patch", "post", "delete", "head", "options", "trace"}


@pytest.fixture
def schema(api_client) -> dict:
    response = api_client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    return yaml.safe_load(response.content)


def test_schema_yaml_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_schema_json_is_valid_openapi_3(api_client):
    response = api_client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    spec = json.loads(response.content)
    validate(spec)


def test_schema_lists_versioned_endpoints_with_token_auth(schema):
    assert "/api/v1/events/" in schema["paths"]
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert any(
        s.get("type") == "apiKey" and s.get("name") == "Authorization" for s in schemes.values()
    )


def test_schema_documents_client_errors_for_every_operation(schema):
    undocumented = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in HTTP_METHODS
        and not any(code.startswith("4") for code in operation.get("responses", {}))
    ]
    assert undocumented == []


def test_public_reads_need_no_credentials_and_writes_do(schema):
    challenges = schema["paths"]["/api/v1/challenges/"]
    teams_of_mine = schema["paths"]["/api/v1/me/teams/"]

    assert {} in challenges["get"]["security"]
    assert {} not in challenges["post"]["security"]
    assert {} not in teams_of_mine["get"]["security"]


def test_fields_left_out_for_some_readers_are_optional_in_the_response_only(schema):
    components = schema["components"]["schemas"]

    assert "contact_email" not in components["Challenge"]["required"]
    assert "title" in components["Challenge"]["required"]
    assert "contact_email" in components["ChallengeRequest"]["required"]


def test_a_lists_400_names_its_parameters_and_unknown_ones(schema):
    errors = schema["components"]["schemas"]["TeamsListError"]["anyOf"]
    shapes = {ref["$ref"].rsplit("/", 1)[-1] for ref in errors}

    assert {"TeamsListEventErrorComponent", "UnknownParameterErrorComponent"} <= shapes


def test_errors_in_a_list_item_name_it_by_index(schema):
    component = schema["components"]["schemas"]["TeamsCreateLanguagesINDEXErrorComponent"]

    assert component["properties"]["attr"]["pattern"] == r"^languages\.\d+$"


def test_optional_query_parameters_may_be_empty(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/teams/"]["get"]["parameters"]}

    assert parameters["page"]["allowEmptyValue"] is True
    assert parameters["q"]["allowEmptyValue"] is True
    assert "allowEmptyValue" not in parameters["event"]  # required


def test_spectacular_validate_passes_without_warnings(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yaml"),
        ],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "hackathon.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr, result.stderr
    assert yaml.safe_load((tmp_path / "schema.yaml").read_text())["openapi"].startswith("3.")
