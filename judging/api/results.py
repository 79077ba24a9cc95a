"""Results: /api/v1/judging/rounds/{id}/results/ for the round's organisers (every judged
project's figures and ranks; …/shortlist/ takes the top n into the next round,
…/publish/ publishes them; actions of RoundViewSet) and /api/v1/judging/results/
?event= for everyone (the event's published rounds: their shortlisted projects, the
winners in the last round, by category; no scores, no names).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.response import Response

from hackathon.api_schema import schema_queryset
from judging.api._base import CONFLICT_RESPONSE, round_action
from judging.models import JudgingRound
from judging.results import published_results, round_results
from judging.serializers import (
    EventFilterSerializer,
    PublishedRoundSerializer,
    RoundResultsSerializer,
    RoundSerializer,
    ShortlistTopSerializer,
)
from judging.services.results import round_publish, shortlist_top


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

    @round_action(
        {
            "POST": {
                "summary": "Shortlist the top n projects, overall or per topic field, into the "
                "next round (replaces the shortlist; ties at the cut go in; a closed round)",
                "request": ShortlistTopSerializer,
                "responses": {200: RoundResultsSerializer, **CONFLICT_RESPONSE},
            }
        },
        url_path="shortlist",
    )
    def shortlist(self, request, pk=None) -> Response:
        round = self.get_object()
        serializer = ShortlistTopSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        shortlist_top(round=round, actor=request.user, **serializer.validated_data)
        return Response(RoundResultsSerializer(round_results(round=round)).data)

    @round_action(
        {
            "POST": {
                "summary": "Publish the closed round's results; every judged team is told",
                "request": None,
                "responses": {200: RoundSerializer, **CONFLICT_RESPONSE},
            }
        },
        url_path="publish",
    )
    def publish(self, request, pk=None) -> Response:
        round = round_publish(round=self.get_object(), actor=request.user)
        return self._read(round)


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
