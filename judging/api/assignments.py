"""/api/v1/judging/assignments/: the signed-in juror's queue (of every round they judge,
or `round=`), to do first; /assignments/{id}/ one of them with the frozen version to
judge, the criteria, the juror's own review and, only where the round allows it after
their own submission, the others' scores without names; /assignments/{id}/conflict/
declares a conflict of interest (POST: the project is taken from the juror).

Another juror's assignment does not exist for anyone else (404), organisers included:
they read results instead.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from hackathon.api_schema import schema_queryset
from hackathon.api_views import ID_PARAMETER
from judging import juror_selectors, rules
from judging.api._base import CONFLICT_RESPONSE, IsSignedInJudgingRules
from judging.models import Assignment, JudgingRound
from judging.serializers import (
    AssignmentDetailSerializer,
    AssignmentSerializer,
    RoundIdFilterSerializer,
)
from judging.services.reviews import review_conflict_declare, review_is_final


def juror_round(request, round_id: int | None) -> JudgingRound | None:
    """The round a juror's list is filtered by: one of theirs, else a 400 naming it."""
    if round_id is None:
        return None
    try:
        return juror_selectors.round_for_juror(user=request.user, pk=round_id)
    except JudgingRound.DoesNotExist:
        raise ValidationError({"round": [_("You are not a juror of this round.")]}) from None


@extend_schema_view(
    list=extend_schema(
        summary="Your queue as a juror: your assignments, to do first",
        parameters=[RoundIdFilterSerializer],
    ),
    retrieve=extend_schema(
        summary="One of your assignments: the version to judge, the criteria, your review",
        parameters=[ID_PARAMETER],
        responses=AssignmentDetailSerializer,
    ),
)
@extend_validation_errors(["invalid"], field_name="round", actions=["list"])
class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AssignmentSerializer
    permission_classes = [IsSignedInJudgingRules]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.action != "list":
            return schema_queryset(Assignment)
        filters = RoundIdFilterSerializer.from_request(self.request)
        round = juror_round(self.request, filters.validated_data.get("round"))
        return juror_selectors.assignments_for_juror(user=self.request.user, round=round)

    def get_object(self) -> Assignment:
        try:
            return juror_selectors.assignment_for_juror(
                user=self.request.user, pk=self.kwargs[self.lookup_field]
            )
        except Assignment.DoesNotExist:
            raise NotFound() from None

    def retrieve(self, request, *args, **kwargs) -> Response:
        assignment = self.get_object()
        criteria = juror_selectors.criteria_for(assignment)
        review = juror_selectors.review_of(assignment)
        detail = {
            "assignment": assignment,
            "criteria": criteria,
            "review": review,
            "can_review": rules.can_review_assignment(request.user, assignment)
            and not review_is_final(assignment, review),
            "others_scores": juror_selectors.others_scores_for(
                assignment=assignment, criteria=criteria
            ),
        }
        return Response(AssignmentDetailSerializer(detail).data)

    @extend_schema(
        summary="Declare a conflict of interest: the project is taken from you (your review "
        "with it) and reassigned by an assignment run",
        parameters=[ID_PARAMETER],
        request=None,
        responses={204: None, **CONFLICT_RESPONSE},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsSignedInJudgingRules])
    def conflict(self, request, pk=None) -> Response:
        review_conflict_declare(assignment=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
