"""Calling any documented operation of the API with the shared `world` fixture."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from rest_framework.test import APIClient

from tests.api.endpoints import WRITE_METHODS, Operation, api_operations


@cache
def operations() -> dict[str, Operation]:
    return {operation.name: operation for operation in api_operations()}


def write_operations() -> list[str]:
    """The operations that take a request body."""
    return [
        name
        for name, operation in operations().items()
        if operation.method in WRITE_METHODS and "requestBody" in operation.schema
    ]


def list_operations() -> list[str]:
    return [name for name, operation in operations().items() if operation.is_list]


def call(world, name: str, *, body: str | None = None, query: str = ""):
    """The operation's answer for the first of the world's people who gets past the
    permission checks (404 and 403 mean the door was shut before the input was read)."""
    operation = operations()[name]
    path = world.path(operation.path) + (f"?{query}" if query else "")
    response = None
    for user in (world.founder, world.organiser):
        client = APIClient(raise_request_exception=False)
        client.force_authenticate(user)
        response = client.generic(
            operation.method, path, data=body or "", content_type="application/json"
        )
        if response.status_code not in (401, 403, 404):
            return response
    return response


def error_pairs(response) -> set[tuple[str, str | None]]:
    return {(error["code"], error["attr"]) for error in response.json()["errors"]}


def row_counts() -> dict[str, int]:
    """How many rows each of the project's own tables holds."""
    own = ("accounts", "audit", "events", "challenges", "participants", "teams")
    own += ("mentoring", "projects", "notifications")
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in own
    }
