"""Invitations: a team's admins create and revoke links (/api/v1/teams/{id}/invitations/,
actions of TeamViewSet), and whoever has a link looks at its team and joins it
(/api/v1/invitations/{token}/, InvitationViewSet)."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from hackathon.api_schema import schema_queryset
from hackathon.serializers import NoFilters
from teams import rules, selectors, services
from teams.api._base import (
    ID_PARAMETER,
    INVITATION_ID_PARAMETER,
    TOKEN_PARAMETER,
    IsSignedInTeamRules,
    require,
    team_with_details,
)
from teams.models import Invitation
from teams.serializers import (
    InvitationCreateSerializer,
    InvitationPreviewSerializer,
    InvitationSerializer,
    TeamDetailSerializer,
)


class TeamInvitationActions:
    @extend_schema(
        methods=["GET"],
        summary="The team's valid invitation links (team admins)",
        parameters=[ID_PARAMETER, NoFilters],
        responses=InvitationSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Create an invitation link, or a personal invitation (team admins)",
        parameters=[ID_PARAMETER],
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="invitations",
        permission_classes=[IsSignedInTeamRules],
        pagination_class=None,
    )
    def invitations(self, request, pk=None) -> Response:
        team = self.get_object()
        require(
            rules.can_manage_members,
            request.user,
            team,
            _("Only the team's admins see invitations."),
        )
        context = self.get_serializer_context()
        if request.method == "POST":
            serializer = InvitationCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            invitation = services.invitation_create(
                team=team,
                actor=request.user,
                valid_for=timedelta(days=serializer.validated_data["valid_days"]),
                invitee=serializer.validated_data.get("invitee"),
            )
            return Response(
                InvitationSerializer(invitation, context=context).data,
                status=status.HTTP_201_CREATED,
            )
        NoFilters.from_request(request)
        invitations = selectors.invitations_valid(team=team)
        return Response(InvitationSerializer(invitations, many=True, context=context).data)

    @extend_schema(
        summary="Revoke an invitation link (team admins)",
        parameters=[ID_PARAMETER, INVITATION_ID_PARAMETER],
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"invitations/(?P<invitation_id>\d+)",
        permission_classes=[IsSignedInTeamRules],
    )
    def revoke_invitation(self, request, pk=None, invitation_id=None) -> Response:
        team = self.get_object()
        require(
            rules.can_manage_members,
            request.user,
            team,
            _("Only the team's admins can revoke links."),
        )
        invitation = selectors.invitation_of_team(team=team, pk=invitation_id)
        if invitation is None:
            raise NotFound()
        services.invitation_revoke(invitation=invitation, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    retrieve=extend_schema(
        summary="The team an invitation link is for, and whether it can be used",
        parameters=[TOKEN_PARAMETER],
    )
)
@extend_validation_errors(["invalid"], field_name="non_field_errors", actions=["accept"])
class InvitationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Invitation links by their token: whoever has the link may look and join."""

    serializer_class = InvitationPreviewSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "token"
    lookup_value_regex = r"[A-Za-z0-9_\-]+"
    queryset = schema_queryset(Invitation)

    def _invitation(self, token: str) -> Invitation:
        # As the web's invitation page: a link to a team of an event one may not see is
        # no link at all.
        invitation = selectors.invitation_by_token(token=token)
        if invitation is None or not rules.can_view_team(self.request.user, invitation.team):
            raise NotFound()
        return invitation

    def retrieve(self, request, token=None) -> Response:
        invitation = self._invitation(token)
        problem = services.invitation_problem(invitation, user=request.user)
        serializer = InvitationPreviewSerializer(
            {"team": invitation.team, "is_valid": problem is None, "problem": problem},
            context=self.get_serializer_context(),
        )
        return Response(serializer.data)

    @extend_schema(
        summary="Join the team of an invitation link",
        parameters=[TOKEN_PARAMETER],
        request=None,
        responses=TeamDetailSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def accept(self, request, token=None) -> Response:
        invitation = self._invitation(token)
        services.invitation_accept(token=token, user=request.user)
        team = team_with_details(pk=invitation.team_id, user=request.user)
        return Response(TeamDetailSerializer(team, context=self.get_serializer_context()).data)
