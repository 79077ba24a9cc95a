"""/api/v1/teams/: the finder's teams of one event (`event` is required: at #WirVsVirus
scale a list across events helps nobody), one team, founding (POST), changing (PATCH)
and closing one; and /api/v1/me/teams/, the teams the signed-in person is in.

TeamViewSet gathers the actions on one team's resources from their modules: join
requests, invitations, members and open roles.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from events.selectors import event_visible_to
from hackathon.api_schema import schema_queryset
from hackathon.api_views import CachedEditableViewSet, resource_schema
from hackathon.serializers import NoFilters
from teams import rules, selectors, services
from teams.api._base import (
    require,
    team_action,
    team_detail_response,
    team_if_allowed,
    team_with_details,
)
from teams.api.invitations import TeamInvitationActions
from teams.api.join_requests import JoinRequestActions
from teams.api.members import MemberActions
from teams.api.open_roles import OpenRoleActions
from teams.models import Team
from teams.serializers import (
    TeamDetailSerializer,
    TeamFilterSerializer,
    TeamSerializer,
    TeamWriteSerializer,
)


@resource_schema(
    filters=TeamFilterSerializer,
    listed="Teams with open places in one event, filtered like the team finder",
    one="One team",
    create={
        "summary": "Found a team (you become its admin)",
        "request": TeamWriteSerializer,
        "responses": {201: TeamDetailSerializer},
    },
    partial_update={
        "summary": "Change a team (its admins)",
        "request": TeamWriteSerializer,
        "responses": TeamDetailSerializer,
    },
)
# The services' refusals (hackathon.errors.exception_handler): the field, or non_field_errors.
@extend_validation_errors(
    ["invalid"],
    field_name="non_field_errors",
    actions=[
        "accept_join_request",
        "decline_join_request",
        "withdraw_join_request",
        "revoke_invitation",
        "leave",
        "remove_member",
        "close",
        "open_role",
    ],
)
@extend_validation_errors(["invalid"], field_name="languages", actions=["create", "partial_update"])
@extend_validation_errors(["invalid"], field_name="skills", actions=["open_roles", "open_role"])
@extend_validation_errors(
    ["invalid"], field_name="other_skills", actions=["open_roles", "open_role"]
)
class TeamViewSet(
    JoinRequestActions,
    TeamInvitationActions,
    MemberActions,
    OpenRoleActions,
    CachedEditableViewSet,
):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = r"\d+"
    page_cache_scopes = ("events", "challenges", "teams")

    def get_serializer_class(self):
        if self.action == "list":
            return TeamSerializer
        if self.action in ("create", "partial_update"):
            return TeamWriteSerializer
        return TeamDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return schema_queryset(Team)
        if self.action != "list":
            # One team comes from get_object; this is for anyone else who asks (the
            # browsable API's filter form).
            return selectors.teams_visible_to(user=self.request.user)
        params = dict(TeamFilterSerializer.from_request(self.request).validated_data)
        # A filter only: the event's schedule is not shown.
        event = event_visible_to(
            user=self.request.user, slug=params.pop("event"), with_schedule=False
        )
        if event is None:
            raise ValidationError({"event": [_("Unknown event.")]})
        # Only the page's keys: TeamListSerializer loads what it shows by them.
        return selectors.team_keys_for_finder(
            event=event, params={key: str(value) for key, value in params.items()}
        )

    def get_object(self) -> Team:
        """The team as the web reads it: 404 for a team nobody may see (its event is not
        visible to the person); the rules then decide what they may do with it."""
        team = team_with_details(pk=self.kwargs[self.lookup_field], user=self.request.user)
        self.check_object_permissions(self.request, team)
        return team

    def create(self, request, *args, **kwargs) -> Response:
        serializer = TeamWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        team = services.team_create(
            event=data["_event"],
            challenge=data["_challenge"],
            founder=request.user,
            data=data["_data"],
        )
        return team_detail_response(self, team, code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs) -> Response:
        team = self.get_object()
        require(rules.can_edit_team, request.user, team, _("Only the team's admins can change it."))
        serializer = TeamWriteSerializer(
            team, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.team_update(team=team, actor=request.user, data=serializer.validated_data["_data"])
        return team_detail_response(self, team)

    @team_action(
        {
            "POST": {
                "summary": "Close (dissolve) the team (team admins)",
                "request": None,
                "responses": TeamDetailSerializer,
            }
        }
    )
    def close(self, request, pk=None) -> Response:
        team = team_if_allowed(
            self, rules.can_close_team, _("Only the team's admins can close it.")
        )
        services.team_close(team=team, actor=request.user)
        return team_detail_response(self, team)


@extend_schema_view(list=extend_schema(summary="The teams you are in", parameters=[NoFilters]))
class MyTeamViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = TeamDetailSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return schema_queryset(Team)
        NoFilters.from_request(self.request)
        return selectors.teams_of_user(user=self.request.user)
