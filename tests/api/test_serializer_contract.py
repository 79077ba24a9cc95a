"""Every serializer of every API endpoint agrees with the columns it reads and writes.

A serializer that allows 120 characters for a column of 80 answers 500 on PostgreSQL
(DataError) and silently cuts nothing on SQLite; one whose choices differ from the
model's accepts what the model refuses, or documents values that never come. The
serializers are found through drf-spectacular (requests, responses, filters, nested ones
and those SerializerMethodFields are documented with), so a new endpoint is checked too.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import serializers

from challenges.api import AnswerSerializer, ChallengeFilterSerializer
from challenges.models import Challenge, ChallengeQuestion
from events.api import EventMilestoneSerializer, EventPhaseSerializer
from events.models import Phase
from hackathon.serializers import FilterSerializer, StrictFieldsMixin
from mentoring.api import HelpRequestCreateSerializer, HelpRequestFilterSerializer
from mentoring.models import HelpRequest
from participants.api import MyRegistrationUpdateSerializer
from participants.models import Registration
from projects.models import Project
from projects.serializers import (
    ProjectFilterSerializer,
    ProjectTeamSerializer,
    ProjectWriteSerializer,
)
from teams.models import JoinRequest, OpenRole, Team
from teams.serializers import (
    JoinRequestCreateSerializer,
    JoinRequestFilterSerializer,
    OpenRoleWriteSerializer,
    TeamWriteSerializer,
)
from tests.api.endpoints import api_operations, nested

# Plain serializers and the model whose columns their fields (by name, or as renamed
# here) read or write. ModelSerializers need no entry: their Meta names the model.
COLUMNS_OF: dict[type[serializers.Serializer], tuple[type[models.Model], dict[str, str]]] = {
    AnswerSerializer: (ChallengeQuestion, {}),
    ChallengeFilterSerializer: (Challenge, {"state": "status", "bundesland": "state"}),
    EventPhaseSerializer: (Phase, {}),
    EventMilestoneSerializer: (Phase, {}),
    HelpRequestCreateSerializer: (HelpRequest, {}),
    HelpRequestFilterSerializer: (HelpRequest, {}),
    JoinRequestCreateSerializer: (JoinRequest, {}),
    JoinRequestFilterSerializer: (JoinRequest, {}),
    MyRegistrationUpdateSerializer: (Registration, {}),
    OpenRoleWriteSerializer: (OpenRole, {}),
    ProjectFilterSerializer: (Project, {}),
    ProjectTeamSerializer: (Team, {}),
    ProjectWriteSerializer: (Project, {}),
    TeamWriteSerializer: (Team, {"event": "", "challenge": ""}),
}


def _column(model, source: str) -> tuple[models.Field | None, bool]:
    """The model field a dotted source ends in (None for a property or a method), and
    whether a nullable relation on the way can make the value null."""
    nullable_path = False
    field = None
    parts = source.split(".")
    for index, part in enumerate(parts):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None, False
        if index < len(parts) - 1:
            if not (field.many_to_one or field.one_to_one) or field.related_model is None:
                return None, False
            nullable_path = nullable_path or field.null
            model = field.related_model
    if field is None or field.many_to_many or field.one_to_many or not field.concrete:
        return None, False
    return field, nullable_path


def _mapped_fields(serializer):
    if isinstance(serializer, serializers.ModelSerializer):
        model, renames = serializer.Meta.model, {}
    elif type(serializer) in COLUMNS_OF:
        model, renames = COLUMNS_OF[type(serializer)]
    else:
        return
    for name, field in serializer.fields.items():
        source = renames.get(name, field.source)
        if not source or source == "*":
            continue
        column, nullable_path = _column(model, source)
        if column is not None:
            yield name, field, column, nullable_path


def _problems(serializer) -> list[str]:
    problems = []
    label = type(serializer).__name__
    for name, field, column, nullable_path in _mapped_fields(serializer):
        where = f"{label}.{name} ({column.model.__name__}.{column.name})"
        writable = not field.read_only
        if column.choices and not column.is_relation:
            if not isinstance(field, serializers.ChoiceField):
                if writable:
                    problems.append(f"{where}: the column has choices, the field none")
            elif set(field.choices) != {key for key, _label in column.flatchoices}:
                problems.append(
                    f"{where}: choices {sorted(field.choices)} != "
                    f"{sorted(key for key, _label in column.flatchoices)}"
                )
        column_length = getattr(column, "max_length", None)
        if (
            writable
            and isinstance(field, serializers.CharField)
            and column_length
            and (field.max_length is None or field.max_length > column_length)
        ):
            problems.append(
                f"{where}: max_length {field.max_length} but the column holds {column_length}"
            )
        if writable and field.allow_null and not column.null:
            problems.append(f"{where}: accepts null, the column does not")
        if not writable and (column.null or nullable_path) and not field.allow_null:
            problems.append(f"{where}: the value can be null, the field says it cannot")
    return problems


def test_the_check_finds_lengths_choices_and_nulls_that_disagree():
    class TooLong(serializers.ModelSerializer):
        title = serializers.CharField(max_length=120)  # the column holds 80
        description = serializers.CharField(allow_null=True)  # unbounded; NOT NULL

        class Meta:
            model = OpenRole
            fields = ["title", "description"]

    class WrongChoices(serializers.ModelSerializer):
        status = serializers.ChoiceField(choices=["pending", "maybe"])
        decided_at = serializers.DateTimeField(read_only=True)  # null until decided

        class Meta:
            model = JoinRequest
            fields = ["status", "decided_at"]

    assert len(_problems(TooLong())) == 3
    assert len(_problems(WrongChoices())) == 2


@pytest.fixture(scope="module")
def operations():
    return api_operations()


def _every_serializer(operations):
    found = {}
    for operation in operations:
        for top in [operation.request, *operation.responses, *operation.filters]:
            if top is None:
                continue
            for serializer in nested(top):
                found.setdefault(type(serializer), serializer)
    return found


def test_every_endpoint_serializer_matches_the_columns_it_maps_to(operations):
    found = _every_serializer(operations)
    assert len(found) > 20  # the walk reaches the serializers at all

    problems = [problem for serializer in found.values() for problem in _problems(serializer)]

    assert problems == []


def test_the_column_mapping_names_only_serializers_in_use(operations):
    found = _every_serializer(operations)

    assert set(COLUMNS_OF) - set(found) == set()


def test_every_input_serializer_refuses_unknown_and_read_only_fields(operations):
    """Every serializer a write endpoint reads (and every writable one nested in it)
    derives from hackathon.serializers, which names a field it does not know."""
    lax = set()
    for operation in operations:
        if operation.request is None:
            continue
        for serializer in nested(operation.request):
            if not isinstance(serializer, StrictFieldsMixin) and not serializer.read_only:
                lax.add(f"{operation.name}: {type(serializer).__name__}")

    assert lax == set()


def test_every_documented_filter_is_a_filter_serializer(operations):
    lax = {
        f"{operation.name}: {type(serializer).__name__}"
        for operation in operations
        for serializer in operation.filters
        if not isinstance(serializer, FilterSerializer)
    }

    assert lax == set()
