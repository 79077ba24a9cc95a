"""/api/v1/teams/{id}/join-requests/: ask to join a team; its admins accept or decline,
the person may withdraw. Actions of TeamViewSet (teams/api/teams.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from teams import rules, selectors, services
from teams.api._base import (
    REQUEST_ID_PARAMETER,
    IsSignedInTeamRules,
    found,
    listing_and_adding,
    team_action,
    team_if_allowed,
)
from teams.enums import JoinRequestStatus
from teams.models import JoinRequest, Team
from teams.serializers import (
    JoinRequestCreateSerializer,
    JoinRequestFilterSerializer,
    JoinRequestSerializer,
)

MAX_LISTED_REQUESTS = 500


def _join_request(team: Team, request_id) -> JoinRequest:
    return found(selectors.join_request_of_team(team=team, pk=request_id))


def _answer_action(verb: str, summary: str, permission=IsSignedInTeamRules):
    """POST /join-requests/{request_id}/<verb>/: the request as it is afterwards."""
    return team_action(
        {
            "POST": {
                "summary": summary,
                "parameters": [REQUEST_ID_PARAMETER],
                "request": None,
                "responses": JoinRequestSerializer,
            }
        },
        url_path=rf"join-requests/(?P<request_id>\d+)/{verb}",
        permission=permission,
    )


class JoinRequestActions:
    @team_action(
        listing_and_adding(
            listed="Join requests: admins see the pending ones, anyone else their own",
            filters=JoinRequestFilterSerializer,
            added="Ask to join the team",
            request=JoinRequestCreateSerializer,
            serializer=JoinRequestSerializer,
        ),
        url_path="join-requests",
        permission=permissions.IsAuthenticated,
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
        team = team_if_allowed(
            self, rules.can_manage_requests, _("Only the team's admins can answer requests.")
        )
        join_request = _join_request(team, request_id)
        service(join_request=join_request, actor=request.user)
        join_request.refresh_from_db()
        return Response(JoinRequestSerializer(join_request).data)

    @_answer_action("accept", "Accept a join request (team admins)")
    def accept_join_request(self, request, pk=None, request_id=None) -> Response:
        return self._answer(request, request_id, services.join_request_accept)

    @_answer_action("decline", "Decline a join request (team admins)")
    def decline_join_request(self, request, pk=None, request_id=None) -> Response:
        return self._answer(request, request_id, services.join_request_decline)

    @_answer_action("withdraw", "Withdraw your own join request", permissions.IsAuthenticated)
    def withdraw_join_request(self, request, pk=None, request_id=None) -> Response:
        team = self.get_object()
        join_request = _join_request(team, request_id)
        if join_request.user_id != request.user.pk:
            raise NotFound()
        services.join_request_withdraw(join_request=join_request, user=request.user)
        join_request.refresh_from_db()
        return Response(JoinRequestSerializer(join_request).data)
