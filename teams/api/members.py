"""A team's members: leave it (/api/v1/teams/{id}/leave/), remove one
(/members/{user_id}/) and make one an admin (/admins/). Actions of TeamViewSet."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from teams import rules, selectors, services
from teams.api._base import (
    ID_PARAMETER,
    USER_ID_PARAMETER,
    IsSignedInTeamRules,
    require,
    team_detail_response,
)
from teams.serializers import AdminHandOverSerializer, TeamDetailSerializer


class MemberActions:
    @extend_schema(
        summary="Leave the team",
        parameters=[ID_PARAMETER],
        request=None,
        responses={204: None},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def leave(self, request, pk=None) -> Response:
        team = self.get_object()
        services.membership_leave(team=team, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Remove a member (team admins)",
        parameters=[ID_PARAMETER, USER_ID_PARAMETER],
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<user_id>\d+)",
        permission_classes=[IsSignedInTeamRules],
    )
    def remove_member(self, request, pk=None, user_id=None) -> Response:
        team = self.get_object()
        require(
            rules.can_manage_members,
            request.user,
            team,
            _("Only the team's admins can remove members."),
        )
        membership = selectors.membership_of_team(team=team, user_id=user_id)
        if membership is None:
            raise NotFound()
        services.membership_remove(membership=membership, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Make a member an admin, optionally stepping down yourself (team admins)",
        parameters=[ID_PARAMETER],
        request=AdminHandOverSerializer,
        responses=TeamDetailSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[IsSignedInTeamRules])
    def admins(self, request, pk=None) -> Response:
        team = self.get_object()
        require(
            rules.can_manage_members, request.user, team, _("Only the team's admins can do this.")
        )
        serializer = AdminHandOverSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = selectors.membership_of_team(
            team=team, user_id=serializer.validated_data["user"]
        )
        if membership is None:
            raise ValidationError({"user": [_("This person is not a member of the team.")]})
        services.admin_hand_over(
            team=team,
            actor=request.user,
            to_user=membership.user,
            step_down=serializer.validated_data["step_down"],
        )
        return team_detail_response(self, team)
