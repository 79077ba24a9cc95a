"""/api/v1/judging/reviews/: the signed-in juror's own reviews (GET, `round=` filters);
POST saves the review of one of their assignments (the first save starts it), PATCH
/reviews/{id}/ changes it; `submit` submits. Scores are a list of {criterion, value};
scores given replace those of their criteria, the others stay. Written through
judging.services.reviews.review_save: only the assignment's juror, only while the round
is open (else 409).

Another juror's review does not exist for anyone else (404), nor does anything here name
another juror. A score the service refuses is named `score_<criterion id>`, as on the
review page.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from drf_standardized_errors.settings import package_settings
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from hackathon.api_schema import schema_queryset
from hackathon.api_views import ID_PARAMETER
from hackathon.openapi import BODY_METHODS, AutoSchema
from hackathon.parsers import JSONParser
from judging import juror_selectors
from judging.api._base import CONFLICT_RESPONSE, IsSignedInJudgingRules
from judging.api.assignments import juror_round
from judging.models import Assignment, Review
from judging.serializers import ReviewSerializer, ReviewWriteSerializer, RoundIdFilterSerializer
from judging.services.reviews import review_save


class ScoreErrorSerializer(serializers.Serializer):
    attr = serializers.CharField(
        validators=[RegexValidator(r"^score_\d+$")],
        help_text="score_<criterion id>: the criterion whose score is refused or missing.",
    )
    code = serializers.ChoiceField(choices=[("invalid", "invalid"), ("required", "required")])
    detail = serializers.CharField()

    class Meta:
        ref_name = f"ReviewScore{package_settings.ERROR_COMPONENT_NAME_SUFFIX}"


class ReviewSchema(AutoSchema):
    """The house schema, with the service's refusals of a score (`score_<id>`), whose
    names no serializer field has."""

    def _any_attr_errors(self):
        shapes = super()._any_attr_errors()
        if self.method in BODY_METHODS:
            shapes.append(ScoreErrorSerializer)
        return shapes


SAVE_SCHEMA = {
    "request": ReviewWriteSerializer,
    "responses": {200: ReviewSerializer, **CONFLICT_RESPONSE},
}


@extend_schema_view(
    list=extend_schema(summary="Your reviews as a juror", parameters=[RoundIdFilterSerializer]),
    retrieve=extend_schema(summary="One of your reviews", parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary="Save your review of one of your assignments (a draft, or submit it)",
        **{**SAVE_SCHEMA, "responses": {201: ReviewSerializer, **SAVE_SCHEMA["responses"]}},
    ),
    partial_update=extend_schema(
        summary="Change your review (until the round closes; 409 once it is final: where the "
        "round shows the others' scores after submitting, submitting is final)",
        parameters=[ID_PARAMETER],
        **SAVE_SCHEMA,
    ),
)
@extend_validation_errors(["invalid"], field_name="round", actions=["list"])
@extend_validation_errors(["invalid"], field_name="assignment", actions=["create"])
# A nested list's `null` (drf-standardized-errors documents its items' codes only).
@extend_validation_errors(["null"], field_name="scores", actions=["create", "partial_update"])
# Submitting names each criterion still to score (score_<id>) and says so here.
@extend_validation_errors(
    ["invalid", "incomplete"], field_name="non_field_errors", actions=["create", "partial_update"]
)
class ReviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ReviewSerializer
    permission_classes = [IsSignedInJudgingRules]
    http_method_names = ["get", "post", "patch", "head", "options"]
    # JSON only: a form has no encoding for the nested lists (criteria, scores) and DRF
    # would drop them without a word; a form body is a 415.
    parser_classes = [JSONParser]
    lookup_value_regex = r"\d+"
    schema = ReviewSchema()

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return ReviewWriteSerializer
        return ReviewSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.action != "list":
            return schema_queryset(Review)
        filters = RoundIdFilterSerializer.from_request(self.request)
        round = juror_round(self.request, filters.validated_data.get("round"))
        return juror_selectors.reviews_for_juror(user=self.request.user, round=round)

    def get_object(self) -> Review:
        try:
            return juror_selectors.review_for_juror(
                user=self.request.user, pk=self.kwargs[self.lookup_field]
            )
        except Review.DoesNotExist:
            raise NotFound() from None

    def _save(self, assignment: Assignment, review: Review | None, data: dict) -> Review:
        """review_save with what the request gives, the rest as the review has it."""
        scores = juror_selectors.scores_of(review)
        scores.update({item["criterion"]: item["value"] for item in data.get("scores", [])})
        return review_save(
            assignment=assignment,
            actor=self.request.user,
            scores=scores,
            comment_for_organisers=data.get(
                "comment_for_organisers", review.comment_for_organisers if review else ""
            ),
            feedback_for_team=data.get(
                "feedback_for_team", review.feedback_for_team if review else ""
            ),
            submit=data.get("submit", False),
        )

    def _read(self, review: Review, *, code=status.HTTP_200_OK) -> Response:
        review = juror_selectors.review_for_juror(user=self.request.user, pk=review.pk)
        return Response(ReviewSerializer(review).data, status=code)

    def create(self, request, *args, **kwargs) -> Response:
        serializer = ReviewWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            assignment = juror_selectors.assignment_for_juror(
                user=request.user, pk=data["assignment"]
            )
        except Assignment.DoesNotExist:
            raise ValidationError(
                {"assignment": [_("You have no assignment with this id.")]}
            ) from None
        review = juror_selectors.review_of(assignment)
        saved = self._save(assignment, review, data)
        return self._read(saved, code=status.HTTP_200_OK if review else status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs) -> Response:
        review = self.get_object()
        serializer = ReviewWriteSerializer(review, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        saved = self._save(review.assignment, review, serializer.validated_data)
        return self._read(saved)
