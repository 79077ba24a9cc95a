"""A team's members: leave it (/api/v1/teams/{id}/leave/), remove one
(/members/{user_id}/) and make one an admin (/admins/). Actions of TeamViewSet."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from teams import rules, selectors, services
from teams.api._base import (
    USER_ID_PARAMETER,
    found,
    removing,
    team_action,
    team_detail_response,
    team_if_allowed,
)
from teams.serializers import AdminHandOverSerializer, TeamDetailSerializer


class MemberActions:
    @team_action(
        {"POST": {"summary": "Leave the team", "request": None, "responses": {204: None}}},
        permission=permissions.IsAuthenticated,
    )
    def leave(self, request, pk=None) -> Response:
        team = self.get_object()
        services.membership_leave(team=team, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @team_action(
        {"DELETE": removing("Remove a member (team admins)", USER_ID_PARAMETER)},
        url_path=r"members/(?P<user_id>\d+)",
    )
    def remove_member(self, request, pk=None, user_id=None) -> Response:
        team = team_if_allowed(
            self, rules.can_manage_members, _("Only the team's admins can remove members.")
        )
        membership = found(selectors.membership_of_team(team=team, user_id=user_id))
        services.membership_remove(membership=membership, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @team_action(
        {
            "POST": {
                "summary": "Make a member an admin, optionally stepping down yourself "
                "(team admins)",
                "request": AdminHandOverSerializer,
                "responses": TeamDetailSerializer,
            }
        }
    )
    def admins(self, request, pk=None) -> Response:
        team = team_if_allowed(
            self, rules.can_manage_members, _("Only the team's admins can do this.")
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
