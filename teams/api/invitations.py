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
    INVITATION_ID_PARAMETER,
    TOKEN_PARAMETER,
    found,
    listing_and_adding,
    removing,
    team_action,
    team_detail_response,
    team_if_allowed,
)
from teams.models import Invitation
from teams.serializers import (
    InvitationCreateSerializer,
    InvitationPreviewSerializer,
    InvitationSerializer,
    TeamDetailSerializer,
)


class TeamInvitationActions:
    @team_action(
        listing_and_adding(
            listed="The team's valid invitation links (team admins)",
            filters=NoFilters,
            added="Create an invitation link, or a personal invitation (team admins)",
            request=InvitationCreateSerializer,
            serializer=InvitationSerializer,
        ),
        pagination_class=None,
    )
    def invitations(self, request, pk=None) -> Response:
        team = team_if_allowed(
            self, rules.can_manage_members, _("Only the team's admins see invitations.")
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

    @team_action(
        {"DELETE": removing("Revoke an invitation link (team admins)", INVITATION_ID_PARAMETER)},
        url_path=r"invitations/(?P<invitation_id>\d+)",
    )
    def revoke_invitation(self, request, pk=None, invitation_id=None) -> Response:
        team = team_if_allowed(
            self, rules.can_manage_members, _("Only the team's admins can revoke links.")
        )
        invitation = found(selectors.invitation_of_team(team=team, pk=invitation_id))
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
        return team_detail_response(self, invitation.team)
