"""/api/v1/teams/{id}/join-requests/: ask to join a team; its admins accept or decline,
the person may withdraw. Actions of TeamViewSet (teams/api/teams.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from teams import rules, selectors, services
from teams.api._base import ID_PARAMETER, REQUEST_ID_PARAMETER, IsSignedInTeamRules, require
from teams.enums import JoinRequestStatus
from teams.models import JoinRequest, Team
from teams.serializers import (
    JoinRequestCreateSerializer,
    JoinRequestFilterSerializer,
    JoinRequestSerializer,
)

MAX_LISTED_REQUESTS = 500


def _join_request(team: Team, request_id) -> JoinRequest:
    join_request = selectors.join_request_of_team(team=team, pk=request_id)
    if join_request is None:
        raise NotFound()
    return join_request


class JoinRequestActions:
    @extend_schema(
        methods=["GET"],
        summary="Join requests: admins see the pending ones, anyone else their own",
        parameters=[ID_PARAMETER, JoinRequestFilterSerializer],
        responses=JoinRequestSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Ask to join the team",
        parameters=[ID_PARAMETER],
        request=JoinRequestCreateSerializer,
        responses={201: JoinRequestSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="join-requests",
        permission_classes=[permissions.IsAuthenticated],
        pagination_class=None,
    )
    def join_requests(self, request, pk=None) -> Response:
        team = self.get_object()
        if request.method == "POST":
            serializer = JoinRequestCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            join_request = services.join_request_create(
                team=team,
                user=request.user,
                message=serializer.validated_data.get("message", ""),
            )
            return Response(
                JoinRequestSerializer(join_request).data, status=status.HTTP_201_CREATED
            )
        filters = JoinRequestFilterSerializer.from_request(request).validated_data
        if rules.can_manage_requests(request.user, team):
            status_shown = filters.get("status") or JoinRequestStatus.PENDING
            requests = selectors.join_requests_of_team(team=team, status=status_shown)
        else:
            requests = selectors.join_requests_of_team(team=team, user=request.user)
        requests = requests[:MAX_LISTED_REQUESTS]
        return Response(JoinRequestSerializer(requests, many=True).data)

    def _answer(self, request, request_id, service) -> Response:
        team = self.get_object()
        require(
            rules.can_manage_requests,
            request.user,
            team,
            _("Only the team's admins can answer requests."),
        )
        join_request = _join_request(team, request_id)
        service(join_request=join_request, actor=request.user)
        join_request.refresh_from_db()
        return Response(JoinRequestSerializer(join_request).data)

    @extend_schema(
        summary="Accept a join request (team admins)",
        parameters=[ID_PARAMETER, REQUEST_ID_PARAMETER],
        request=None,
        responses=JoinRequestSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"join-requests/(?P<request_id>\d+)/accept",
        permission_classes=[IsSignedInTeamRules],
    )
    def accept_join_request(self, request, pk=None, request_id=None) -> Response:
        return self._answer(request, request_id, services.join_request_accept)

    @extend_schema(
        summary="Decline a join request (team admins)",
        parameters=[ID_PARAMETER, REQUEST_ID_PARAMETER],
        request=None,
        responses=JoinRequestSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"join-requests/(?P<request_id>\d+)/decline",
        permission_classes=[IsSignedInTeamRules],
    )
    def decline_join_request(self, request, pk=None, request_id=None) -> Response:
        return self._answer(request, request_id, services.join_request_decline)

    @extend_schema(
        summary="Withdraw your own join request",
        parameters=[ID_PARAMETER, REQUEST_ID_PARAMETER],
        request=None,
        responses=JoinRequestSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"join-requests/(?P<request_id>\d+)/withdraw",
        permission_classes=[permissions.IsAuthenticated],
    )
    def withdraw_join_request(self, request, pk=None, request_id=None) -> Response:
        team = self.get_object()
        join_request = _join_request(team, request_id)
        if join_request.user_id != request.user.pk:
            raise NotFound()
        services.join_request_withdraw(join_request=join_request, user=request.user)
        join_request.refresh_from_db()
        return Response(JoinRequestSerializer(join_request).data)
