"""The API's schema generator: drf-standardized-errors' AutoSchema, made to say what the
API answers (tests/api/test_schemathesis.py holds every response against it).

- Security: an operation whose permissions let an anonymous caller through lists `{}`
  (no credentials) next to the token and the session. drf-spectacular only knows
  AllowAny and IsAuthenticatedOrReadOnly by their exact class; asking the view's own
  permission classes also covers subclasses and our own "signed in for writes" classes.
- 400s of a list: the fields of the filter serializer named in
  `@extend_schema(parameters=[TheFilterSerializer])`, with their error codes, as for a
  request body (drf-standardized-errors only knows django-filter's filter sets).
- 400s naming a field a serializer does not have or cannot write
  (hackathon.serializers.StrictFieldsMixin), and a JSON body nested too deeply or holding
  a lone surrogate (hackathon.parsers.JSONParser): their `attr` is whatever the client
  sent, so one more error shape allows any `attr` with those codes. The same goes for a
  NUL character in a query parameter, which every operation refuses
  (hackathon.middleware.RejectNullCharactersMiddleware; `attr` is null for the path).
- An error inside a list (`"attr": "languages.0"`) is documented with a pattern; the
  `languages.INDEX` of drf-standardized-errors matches no response.
- An optional query parameter may be empty (`allowEmptyValue`): DRF reads `?status=` as
  "not given" (or null), and so does the paginator for `?page=`.
- A response field listed in the serializer's `Meta.optional_in_response` is not
  required: the serializer leaves it out for some readers (e.g. a challenge's contact
  details for everyone but its owners and organisers).

The error shapes of one operation are alternatives (`anyOf`): an error about `title`
may have a code of the field's own or one of the parser's, which a `oneOf` forbids.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.validators import RegexValidator
from django.http import HttpRequest
from drf_spectacular.plumbing import force_instance, is_basic_serializer
from drf_spectacular.serializers import PolymorphicProxySerializerExtension
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer
from drf_standardized_errors import openapi as standardized_openapi
from drf_standardized_errors.openapi_serializers import ValidationErrorEnum
from drf_standardized_errors.openapi_utils import (
    get_error_serializer,
    get_flat_serializer_fields,
    get_serializer_fields_with_error_codes,
)
from drf_standardized_errors.settings import package_settings
from inflection import camelize
from rest_framework import serializers
from rest_framework.request import Request

from hackathon.parsers import JSONParser
from hackathon.serializers import FilterSerializer, StrictFieldsMixin

UNKNOWN_PARAMETER_CODES = ("unknown_field",)
UNKNOWN_FIELD_CODES = ("unknown_field", "read_only")
JSON_BODY_CODES = ("too_deep", "surrogate_characters_not_allowed")
NUL_CHARACTER_CODES = ("null_characters_not_allowed",)
BODY_METHODS = ("POST", "PUT", "PATCH")


class AnyOfSerializer(PolymorphicProxySerializer):
    """Alternatives of which one or more may match (`anyOf`, no discriminator)."""


class AnyOfSerializerExtension(PolymorphicProxySerializerExtension):
    target_class = AnyOfSerializer
    priority = 0  # before drf-spectacular's extension for every PolymorphicProxySerializer

    def map_serializer(self, auto_schema, direction):
        return {"anyOf": super().map_serializer(auto_schema, direction)["oneOf"]}


def _any_attr_error_serializer(
    component: str, codes: tuple[str, ...], help_text: str, *, allow_null: bool = False
):
    class AnyAttrErrorSerializer(serializers.Serializer):
        attr = serializers.CharField(help_text=help_text, allow_null=allow_null)
        code = serializers.ChoiceField(choices=[(code, code) for code in codes])
        detail = serializers.CharField()

        class Meta:
            ref_name = f"{component}{package_settings.ERROR_COMPONENT_NAME_SUFFIX}"

    return AnyAttrErrorSerializer


UNKNOWN_PARAMETER_ERROR = _any_attr_error_serializer(
    "UnknownParameter", UNKNOWN_PARAMETER_CODES, "A query parameter the list does not have."
)
UNKNOWN_FIELD_ERROR = _any_attr_error_serializer(
    "UnknownField", UNKNOWN_FIELD_CODES, "A field the request may not name."
)
JSON_BODY_ERROR = _any_attr_error_serializer(
    "JsonBody", JSON_BODY_CODES, "The dotted path of the offending value, or non_field_errors."
)
NUL_CHARACTER_ERROR = _any_attr_error_serializer(
    "NulCharacter",
    NUL_CHARACTER_CODES,
    "The query parameter holding a NUL character; null when the path holds one.",
    allow_null=True,
)
NUL_CHARACTER_MIDDLEWARE = "hackathon.middleware.RejectNullCharactersMiddleware"


def _list_item_error_serializer(operation_id: str, attr: str, codes: set[str]):
    """drf-standardized-errors' shape for one field, with `INDEX` as any list index."""
    index = package_settings.LIST_INDEX_IN_API_SCHEMA
    separator = re.escape(package_settings.NESTED_FIELD_SEPARATOR)
    pattern = separator.join(
        r"\d+" if part == index else re.escape(part)
        for part in attr.split(package_settings.NESTED_FIELD_SEPARATOR)
    )
    name = camelize(attr.replace(package_settings.NESTED_FIELD_SEPARATOR, "_"))

    class ListItemErrorSerializer(serializers.Serializer):
        attr = serializers.CharField(validators=[RegexValidator(f"^{pattern}$")])
        code = serializers.ChoiceField(choices=sorted((code, code) for code in codes))
        detail = serializers.CharField()

        class Meta:
            ref_name = (
                f"{camelize(operation_id)}{name}{package_settings.ERROR_COMPONENT_NAME_SUFFIX}"
            )

    return ListItemErrorSerializer


class AutoSchema(standardized_openapi.AutoSchema):
    # --- what a response holds

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if isinstance(serializer, FilterSerializer):
            # NoFilters has no fields: drf-spectacular reads the parameters from here.
            schema.setdefault("properties", {})
        optional = getattr(getattr(serializer, "Meta", None), "optional_in_response", ())
        if direction == "response" and optional and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in optional]
            if not schema["required"]:
                del schema["required"]
        return schema

    # --- what a request may send

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == OpenApiParameter.QUERY and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    # --- who may call

    def get_auth(self):
        auths = super().get_auth()
        if {} not in auths and self._anonymous_may_call():
            auths.append({})
        return auths

    def _anonymous_may_call(self) -> bool:
        request = Request(HttpRequest())
        request.method = self.method
        request.user = AnonymousUser()
        try:
            return all(
                permission.has_permission(request, self.view)
                for permission in self.view.get_permissions()
            )
        except Exception:  # a permission that needs more of a request: not for anyone
            return False

    # --- the 400s

    def _query_serializers(self) -> list[serializers.Serializer]:
        return [
            force_instance(parameter)
            for parameter in self.get_override_parameters()
            if is_basic_serializer(parameter)
        ]

    def _strict_body(self) -> bool:
        if self.method not in BODY_METHODS:
            return False
        serializer = self.get_request_serializer()
        return isinstance(force_instance(serializer), StrictFieldsMixin)

    def _json_body(self) -> bool:
        return self.method in BODY_METHODS and any(
            isinstance(parser, JSONParser) for parser in self.view.get_parsers()
        )

    def _any_attr_errors(self) -> list[type[serializers.Serializer]]:
        shapes = []
        if any(isinstance(s, FilterSerializer) for s in self._query_serializers()):
            shapes.append(UNKNOWN_PARAMETER_ERROR)
        if self._strict_body():
            shapes.append(UNKNOWN_FIELD_ERROR)
        if self._json_body():
            shapes.append(JSON_BODY_ERROR)
        if NUL_CHARACTER_MIDDLEWARE in settings.MIDDLEWARE:
            shapes.append(NUL_CHARACTER_ERROR)
        return shapes

    def _should_add_validation_error_response(self) -> bool:
        return (
            super()._should_add_validation_error_response()
            or bool(self._query_serializers())
            or bool(self._any_attr_errors())
        )

    def _determine_fields_with_error_codes(self):
        fields = super()._determine_fields_with_error_codes()
        for serializer in self._query_serializers():
            fields.extend(
                get_serializer_fields_with_error_codes(
                    # the parameters' own names, without the serializer's non_field_errors
                    [f for f in get_flat_serializer_fields(serializer) if f.field is not serializer]
                )
            )
        return fields

    def _get_serializer_for_validation_error_response(self):
        fields_with_error_codes = self._determine_fields_with_error_codes()
        codes_by_field = self._get_validation_error_codes_by_field(fields_with_error_codes)
        operation_id = self.get_operation_id()
        index = package_settings.LIST_INDEX_IN_API_SCHEMA
        shapes = [
            (
                _list_item_error_serializer(operation_id, attr, codes)
                if index in attr.split(package_settings.NESTED_FIELD_SEPARATOR)
                else get_error_serializer(operation_id, attr, codes)
            )
            for attr, codes in codes_by_field.items()
            if codes
        ]
        shapes.extend(self._any_attr_errors())

        class ValidationErrorSerializer(serializers.Serializer):
            type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)
            errors = AnyOfSerializer(
                component_name=f"{camelize(operation_id)}Error",
                resource_type_field_name=None,
                serializers=shapes,
                many=True,
            )

            class Meta:
                ref_name = f"{camelize(operation_id)}ValidationError"

        return ValidationErrorSerializer
