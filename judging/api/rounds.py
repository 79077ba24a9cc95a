"""/api/v1/judging/rounds/: an event's judging rounds for its organisers (`event` is
required), one round with its criteria, creating one (POST) and changing its settings
(PATCH); /rounds/{id}/criteria/ adds a criterion, /criteria/{criterion_id}/ changes
(PATCH) or removes (DELETE) one, while the round is a draft; /open/ and /close/ change
its status. The round's assignment runs (runs.py) and results (results.py) are actions
of the same viewset.

Reads go through judging.selectors, writes through judging.services, who may do what
through judging.rules and events.rules, as on the organiser pages.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from events.rules import is_event_organiser
from hackathon.api_schema import schema_queryset
from hackathon.api_views import resource_schema
from hackathon.parsers import JSONParser
from judging import selectors, services
from judging.api._base import (
    CONFLICT_RESPONSE,
    CRITERION_ID_PARAMETER,
    IsSignedInJudgingRules,
    found,
    managed_round,
    round_action,
)
from judging.api.results import ResultActions
from judging.api.runs import RunActions
from judging.models import JudgingRound
from judging.serializers import (
    CriterionSerializer,
    CriterionWriteSerializer,
    RoundFilterSerializer,
    RoundSerializer,
    RoundWriteSerializer,
)


def _not_an_organiser() -> PermissionDenied:
    return PermissionDenied(_("Only organisers of the event can manage its judging."))


# What the services refuse, by the field they name (hackathon.errors: a 400 with `attr`).
ROUND_REFUSALS = ("name", "reviews_per_project", "closes_at", "topic")
CRITERION_REFUSALS = ("name", "scale_max", "weight")


def _document_validation_errors(viewset):
    for field in ROUND_REFUSALS:
        viewset = extend_validation_errors(
            ["invalid"], field_name=field, actions=["create", "partial_update"]
        )(viewset)
    viewset = extend_validation_errors(["invalid"], field_name="event", actions=["create"])(viewset)
    # A nested list's `null` (drf-standardized-errors documents its items' codes only).
    viewset = extend_validation_errors(["null"], field_name="criteria", actions=["create"])(viewset)
    # A round created with criteria: a criterion's refusal names its field.
    for field in CRITERION_REFUSALS:
        viewset = extend_validation_errors(
            ["invalid"], field_name=field, actions=["create", "criteria", "criterion"]
        )(viewset)
    viewset = extend_validation_errors(["invalid"], field_name="n", actions=["shortlist"])(viewset)
    # Opening: the closing time has passed; no criteria or jurors yet.
    viewset = extend_validation_errors(["invalid"], field_name="closes_at", actions=["open"])(
        viewset
    )
    # A round keeps at least one criterion; a round opens with criteria and jurors.
    return extend_validation_errors(
        ["invalid"], field_name="non_field_errors", actions=["criterion", "open"]
    )(viewset)


class CriterionActions:
    @round_action(
        {
            "POST": {
                "summary": "Add a criterion after the round's last one (while it is a draft)",
                "request": CriterionWriteSerializer,
                "responses": {201: CriterionSerializer, **CONFLICT_RESPONSE},
            }
        },
        url_path="criteria",
    )
    def criteria(self, request, pk=None) -> Response:
        round = self.get_object()
        serializer = CriterionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        criterion = services.criterion_add(
            round=round, actor=request.user, name=fields.pop("name"), **fields
        )
        return Response(CriterionSerializer(criterion).data, status=status.HTTP_201_CREATED)

    @round_action(
        {
            "PATCH": {
                "summary": "Change a criterion (while its round is a draft)",
                "parameters": [CRITERION_ID_PARAMETER],
                "request": CriterionWriteSerializer,
                "responses": {200: CriterionSerializer, **CONFLICT_RESPONSE},
            },
            "DELETE": {
                "summary": "Remove a criterion (while its round is a draft; one stays)",
                "parameters": [CRITERION_ID_PARAMETER],
                "request": None,
                "responses": {204: None, **CONFLICT_RESPONSE},
            },
        },
        url_path=r"criteria/(?P<criterion_id>\d+)",
    )
    def criterion(self, request, pk=None, criterion_id=None) -> Response:
        round = self.get_object()
        criterion = found(selectors.criterion_of_round(round=round, pk=criterion_id))
        if request.method == "DELETE":
            services.criterion_remove(criterion=criterion, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = CriterionWriteSerializer(criterion, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        criterion = services.criterion_update(
            criterion=criterion, actor=request.user, data=dict(serializer.validated_data)
        )
        return Response(CriterionSerializer(criterion).data)


@resource_schema(
    filters=RoundFilterSerializer,
    listed="The judging rounds of one event, in order (its organisers)",
    one="One judging round with its criteria (organisers of its event)",
    create={
        "summary": "Add a judging round after the event's last one (its organisers)",
        "request": RoundWriteSerializer,
        "responses": {201: RoundSerializer},
    },
    partial_update={
        "summary": "Change a round's settings (organisers of its event)",
        "request": RoundWriteSerializer,
        # The public vote changes only while the round is a draft.
        "responses": {200: RoundSerializer, **CONFLICT_RESPONSE},
    },
)
@_document_validation_errors
class RoundViewSet(
    CriterionActions,
    RunActions,
    ResultActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsSignedInJudgingRules]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # JSON only: a form has no encoding for the nested lists (criteria, scores) and DRF
    # would drop them without a word; a form body is a 415.
    parser_classes = [JSONParser]
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return RoundWriteSerializer
        return RoundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.action != "list":
            # The schema's model; one round comes from get_object.
            return schema_queryset(JudgingRound)
        event = RoundFilterSerializer.from_request(self.request).validated_data["event"]
        if not is_event_organiser(self.request.user, event):
            raise _not_an_organiser()
        return selectors.rounds_with_criteria(event=event)

    def get_object(self) -> JudgingRound:
        round = managed_round(pk=self.kwargs[self.lookup_field], user=self.request.user)
        self.check_object_permissions(self.request, round)
        return round

    def _read(self, round: JudgingRound, *, code=status.HTTP_200_OK) -> Response:
        round = managed_round(pk=round.pk, user=self.request.user)
        return Response(RoundSerializer(round).data, status=code)

    def create(self, request, *args, **kwargs) -> Response:
        serializer = RoundWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        event = data.pop("event")
        if not is_event_organiser(request.user, event):
            raise _not_an_organiser()
        criteria = data.pop("criteria", None)
        round = services.round_create(
            event=event,
            actor=request.user,
            criteria=None if criteria is None else [dict(fields) for fields in criteria],
            **data,
        )
        return self._read(round, code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs) -> Response:
        round = self.get_object()
        serializer = RoundWriteSerializer(
            round, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        round = services.round_update(
            round=round, actor=request.user, data=dict(serializer.validated_data)
        )
        return self._read(round)

    @round_action(
        {
            "POST": {
                "summary": "Open the round for reviews (a draft or closed round with criteria "
                "and jurors); its jurors are told of their queues",
                "request": None,
                "responses": {200: RoundSerializer, **CONFLICT_RESPONSE},
            }
        },
        url_path="open",
    )
    def open(self, request, pk=None) -> Response:
        round = services.round_open(round=self.get_object(), actor=request.user)
        return self._read(round)

    @round_action(
        {
            "POST": {
                "summary": "Close the open round: its reviews can no longer change",
                "request": None,
                "responses": {200: RoundSerializer, **CONFLICT_RESPONSE},
            }
        },
        url_path="close",
    )
    def close(self, request, pk=None) -> Response:
        round = services.round_close(round=self.get_object(), actor=request.user)
        return self._read(round)
