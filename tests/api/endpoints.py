"""Every operation of the API as drf-spectacular sees it, with the serializers it uses.

The tests that must cover every endpoint (the serializer contract, strict input, filters,
hostile bodies) enumerate the operations here, so a new endpoint is covered without
anyone remembering to add it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from drf_spectacular.drainage import get_override
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import force_instance
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import OpenApiRequest, OpenApiResponse
from rest_framework import serializers

WRITE_METHODS = ("POST", "PUT", "PATCH")


@dataclass
class Operation:
    path: str  # /api/v1/teams/{id}/open-roles/
    method: str  # POST
    view: object
    schema: dict  # the OpenAPI operation
    request: serializers.BaseSerializer | None = None
    responses: list[serializers.BaseSerializer] = field(default_factory=list)
    filters: list[serializers.BaseSerializer] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def is_list(self) -> bool:
        """A GET whose 200 answer is an array or a page of one."""
        if self.method != "GET":
            return False
        content = self.schema.get("responses", {}).get("200", {}).get("content", {})
        return any(_is_array(media.get("schema", {})) for media in content.values())


def _is_array(schema: dict) -> bool:
    if schema.get("type") == "array":
        return True
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1].startswith("Paginated")


def _serializer(value) -> serializers.BaseSerializer | None:
    if isinstance(value, OpenApiRequest):
        value = value.request
    if isinstance(value, OpenApiResponse):
        value = value.response
    if isinstance(value, serializers.BaseSerializer) or (
        isinstance(value, type) and issubclass(value, serializers.BaseSerializer)
    ):
        instance = force_instance(value)
        return instance.child if isinstance(instance, serializers.ListSerializer) else instance
    return None


def api_operations() -> list[Operation]:
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    operations = []
    for path, path_regex, method, view in generator._get_paths_and_endpoints():
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        schema = view.schema.get_operation(
            path,
            path_regex,
            f"^{spectacular_settings.SCHEMA_PATH_PREFIX}",
            method,
            generator.registry,
        )
        if not schema:
            continue
        operation = Operation(path=path, method=method, view=view, schema=schema)
        if method in WRITE_METHODS:
            operation.request = _serializer(view.schema.get_request_serializer())
        responses = view.schema.get_response_serializers()
        candidates = responses.values() if isinstance(responses, dict) else [responses]
        operation.responses = [s for s in map(_serializer, candidates) if s is not None]
        parameters = view.schema.get_override_parameters()
        operation.filters = [s for s in map(_serializer, parameters) if s is not None]
        operations.append(operation)
    return operations


def nested(serializer: serializers.BaseSerializer) -> Iterator[serializers.BaseSerializer]:
    """The serializer and every serializer inside it: fields, list children and the
    serializers SerializerMethodFields are documented with."""
    stack, seen = [serializer], set()
    while stack:
        current = stack.pop()
        if isinstance(current, serializers.ListSerializer):
            current = current.child
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for child in current.fields.values():
            if isinstance(child, serializers.ListField):
                child = child.child
            if isinstance(child, serializers.SerializerMethodField):
                method = getattr(current, child.method_name, None)
                child = _serializer(get_override(method, "field")) if method else None
            if isinstance(child, serializers.BaseSerializer):
                stack.append(child)
