"""Results: /api/v1/judging/rounds/{id}/results/ for the round's organisers (every judged
project's figures and ranks; an action of RoundViewSet) and /api/v1/judging/results/
?event= for everyone (the event's published rounds: their shortlisted projects, the
winners in the last round, by category; no scores, no names).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.response import Response

from hackathon.api_schema import schema_queryset
from judging.api._base import round_action
from judging.models import JudgingRound
from judging.results import published_results, round_results
from judging.serializers import (
    EventFilterSerializer,
    PublishedRoundSerializer,
    RoundResultsSerializer,
)


class ResultActions:
    @round_action(
        {
            "GET": {
                "summary": "The round's results: each judged project's weighted mean, "
                "normalised score, submitted reviews, spread and ranks (organisers)",
                "responses": RoundResultsSerializer,
            }
        },
        url_path="results",
    )
    def results(self, request, pk=None) -> Response:
        round = self.get_object()
        return Response(RoundResultsSerializer(round_results(round=round)).data)


@extend_schema_view(
    list=extend_schema(
        summary="The event's published judging results: winners and shortlists by category",
        parameters=[EventFilterSerializer],
    )
)
class PublishedResultViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PublishedRoundSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return schema_queryset(JudgingRound)
        event = EventFilterSerializer.from_request(self.request).validated_data["event"]
        return published_results(event=event)
