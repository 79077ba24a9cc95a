"""Base serializers of the API: every serializer that reads input derives from one of them.

- Input naming a field the serializer does not have, or one that cannot be written, is a
  400 naming it (DRF would ignore it silently: `{"status": "published"}` would "succeed").
- FilterSerializer does the same for a list's query parameters, so a typo in a filter
  is an error rather than an unfiltered list.
- model_field() builds a field from the model field it writes: the column's length,
  choices, blank and null, never restated.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.validators import MinLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.validators import UniqueValidator


class StrictFieldsMixin:
    """Refuses input that names an unknown or a read-only field, naming each one."""

    unknown_field_message = _("This field does not exist.")
    read_only_field_message = _("This field cannot be written.")
    # Names input may carry that are not fields (query parameters of the pagination).
    ignored_input_names: frozenset[str] = frozenset()

    def to_internal_value(self, data):
        refused = self._refused_names(data) if isinstance(data, Mapping) else {}
        try:
            value = super().to_internal_value(data)
        except ValidationError as error:
            # Every bad field at once; validate() (object-level) does not run.
            if refused and isinstance(error.detail, dict):
                raise ValidationError({**error.detail, **refused}) from None
            raise
        if refused:
            raise ValidationError(refused)
        return value

    def _refused_names(self, data: Mapping) -> dict:
        refused = {}
        for name in data:
            if name in self.ignored_input_names:
                continue
            field = self.fields.get(name)
            if field is None:
                refused[name] = [ErrorDetail(self.unknown_field_message, code="unknown_field")]
            elif field.read_only:
                refused[name] = [ErrorDetail(self.read_only_field_message, code="read_only")]
        return refused


class Serializer(StrictFieldsMixin, serializers.Serializer):
    pass


class ModelSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    pass


class FilterSerializer(Serializer):
    """A list's query parameters. A bad value is a 400 naming the parameter, and so is a
    parameter the list does not know. Document them with
    `@extend_schema(parameters=[TheFilterSerializer])`."""

    unknown_field_message = _("This list has no such parameter.")
    ignored_input_names = frozenset({"page", "page_size", "format"})

    @classmethod
    def from_request(cls, request, **context) -> FilterSerializer:
        """The validated filters of the request (raises the 400)."""
        filters = cls(data=request.query_params, context={"request": request, **context})
        filters.is_valid(raise_exception=True)
        return filters


class NoFilters(FilterSerializer):
    """For a list without filters: any parameter but the pagination's is refused."""


def model_field(model: type[models.Model], name: str, **kwargs) -> serializers.Field:
    """The serializer field ModelSerializer would make for `model.name` (length, choices,
    blank, null and validators from the model field), with `kwargs` on top.

    What the column cannot hold is refused here. A minimum length and uniqueness are
    rules, left to the form or service that the web uses too (so both give one message)."""
    field_class, field_kwargs = serializers.ModelSerializer().build_standard_field(
        name, model._meta.get_field(name)
    )
    field_kwargs.pop("min_length", None)
    field_kwargs["validators"] = [
        validator
        for validator in field_kwargs.get("validators", [])
        if not isinstance(validator, UniqueValidator | MinLengthValidator)
    ]
    if "default" in kwargs or kwargs.get("read_only"):
        field_kwargs.pop("required", None)
    field_kwargs.update(kwargs)
    return field_class(**field_kwargs)


def datetime_representation(field: serializers.DateTimeField | None = None):
    """`field.to_representation` (a plain DateTimeField's by default) for the many values
    of a list written from plain values: the time zone and the format are looked up once,
    not for each value (DRF reads the active time zone every time)."""
    from rest_framework.settings import ISO_8601, api_settings

    field = field or serializers.DateTimeField()
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if zone is None or not isinstance(output_format, str) or output_format.lower() != ISO_8601:
        return field.to_representation

    def represent(value):
        if not value:
            return None
        if isinstance(value, str) or value.utcoffset() is None:
            return field.to_representation(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return field.to_representation(value)  # DRF's "overflow" error
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent
