"""The teams API, with the same rules as the web (teams.rules, teams.services).

/api/v1/teams/                                   the finder's teams of one event (`event` is
                                                 required: at #WirVsVirus scale a list across
                                                 events helps nobody); POST founds a team
/api/v1/teams/{id}/                              any team of a visible event; PATCH by its admins
/api/v1/teams/{id}/join-requests/                POST: ask to join; GET: admins see the pending
                                                 requests, anyone else their own
/api/v1/teams/{id}/join-requests/{rid}/accept/   admins (also decline/); withdraw/ by the person
/api/v1/teams/{id}/invitations/                  admins: list valid links, create one (with
                                                 `invitee`: a personal invitation, notified)
/api/v1/teams/{id}/invitations/{iid}/            DELETE: admins revoke a link
/api/v1/teams/{id}/leave/                        a member leaves
/api/v1/teams/{id}/members/{user}/               DELETE: admins remove a member
/api/v1/teams/{id}/admins/                       POST: admins make a member admin (step_down)
/api/v1/teams/{id}/close/                        POST: admins close (dissolve) the team
/api/v1/teams/{id}/open-roles/                   POST: admins add a role; {role_id}/: PATCH, DELETE
/api/v1/invitations/{token}/                     GET: the invited team; POST accept/: join it
/api/v1/me/teams/                                the teams the signed-in person is in

A team nobody may see is 404; a team one may see but not change is 403; a rule that
refuses (team full, already in a team, …) is 400 naming the field or `non_field_errors`.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from events.selectors import events_visible_to
from hackathon.pagecache import CachedAnonymousListMixin
from hackathon.serializers import NoFilters
from participants.models import Skill
from teams import rules, selectors, services
from teams.enums import JoinRequestStatus
from teams.models import Invitation, JoinRequest, Membership, OpenRole, Team
from teams.serializers import (
    AdminHandOverSerializer,
    InvitationCreateSerializer,
    InvitationPreviewSerializer,
    InvitationSerializer,
    JoinRequestCreateSerializer,
    JoinRequestFilterSerializer,
    JoinRequestSerializer,
    OpenRoleSerializer,
    OpenRoleWriteSerializer,
    TeamDetailSerializer,
    TeamFilterSerializer,
    TeamSerializer,
    TeamWriteSerializer,
)

MAX_LISTED_REQUESTS = 500


# --- viewsets ---------------------------------------------------------------------------------


class IsSignedInTeamRules(permissions.IsAuthenticated):
    """Signed in; then the team rules decide, with 403 for a team one may see but not
    change (a subclass, so the schema documents that 403)."""


ID_PARAMETER = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
REQUEST_ID_PARAMETER = OpenApiParameter("request_id", OpenApiTypes.INT, OpenApiParameter.PATH)
INVITATION_ID_PARAMETER = OpenApiParameter("invitation_id", OpenApiTypes.INT, OpenApiParameter.PATH)
USER_ID_PARAMETER = OpenApiParameter("user_id", OpenApiTypes.INT, OpenApiParameter.PATH)
ROLE_ID_PARAMETER = OpenApiParameter("role_id", OpenApiTypes.INT, OpenApiParameter.PATH)
OPEN_ROLE_FIELDS = ("title", "description", "skills", "other_skills")


def _detail_queryset(user):
    return (
        Team.objects.filter(event__in=events_visible_to(user=user))
        .select_related("event", "challenge")
        .prefetch_related(
            "languages",
            Prefetch("open_roles", queryset=OpenRole.objects.prefetch_related("skills")),
            Prefetch("memberships", queryset=Membership.objects.select_related("user")),
        )
    )


@extend_schema_view(
    list=extend_schema(
        summary="Teams with open places in one event, filtered like the team finder",
        parameters=[TeamFilterSerializer],
    ),
    retrieve=extend_schema(summary="One team", parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary="Found a team (you become its admin)",
        request=TeamWriteSerializer,
        responses={201: TeamDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a team (its admins)",
        parameters=[ID_PARAMETER],
        request=TeamWriteSerializer,
        responses=TeamDetailSerializer,
    ),
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
    CachedAnonymousListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
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
            return Team.objects.none()
        if self.action == "list":
            return self._finder_queryset()
        return _detail_queryset(self.request.user)

    def _finder_queryset(self):
        params = dict(TeamFilterSerializer.from_request(self.request).validated_data)
        # A filter only: the event's schedule is not shown.
        event = (
            events_visible_to(user=self.request.user)
            .filter(slug=params.pop("event"))
            .prefetch_related(None)
            .first()
        )
        if event is None:
            raise ValidationError({"event": ["Unknown event."]})
        teams = selectors.teams_for_finder(
            event=event, params={key: str(value) for key, value in params.items()}
        )
        # Only the page's keys: TeamListSerializer loads what it shows by them.
        return teams.select_related(None).prefetch_related(None).only("pk")

    def _detail(self, team: Team, *, code=status.HTTP_200_OK) -> Response:
        team = _detail_queryset(self.request.user).get(pk=team.pk)
        data = TeamDetailSerializer(team, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def _require(self, predicate, team: Team, message: str) -> None:
        if not predicate(self.request.user, team):
            raise PermissionDenied(message)

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
        return self._detail(team, code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs) -> Response:
        if not kwargs.get("partial"):
            raise ValidationError({"non_field_errors": ["Use PATCH to change a team."]})
        team = self.get_object()
        self._require(rules.can_edit_team, team, "Only the team's admins can change it.")
        serializer = TeamWriteSerializer(
            team, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.team_update(team=team, actor=request.user, data=serializer.validated_data["_data"])
        return self._detail(team)

    # --- join requests

    def _join_request(self, team: Team, request_id) -> JoinRequest:
        join_request = (
            JoinRequest.objects.select_related("user").filter(pk=request_id, team=team).first()
        )
        if join_request is None:
            raise NotFound()
        join_request.team = team
        return join_request

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
        requests = JoinRequest.objects.filter(team=team).select_related("user")
        if rules.can_manage_requests(request.user, team):
            requests = requests.filter(status=filters.get("status") or JoinRequestStatus.PENDING)
        else:
            requests = requests.filter(user=request.user)
        requests = requests.order_by("created_at", "pk")[:MAX_LISTED_REQUESTS]
        return Response(JoinRequestSerializer(requests, many=True).data)

    def _answer(self, request, pk, request_id, service) -> Response:
        team = self.get_object()
        self._require(
            rules.can_manage_requests, team, "Only the team's admins can answer requests."
        )
        join_request = self._join_request(team, request_id)
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
        return self._answer(request, pk, request_id, services.join_request_accept)

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
        return self._answer(request, pk, request_id, services.join_request_decline)

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
        join_request = self._join_request(team, request_id)
        if join_request.user_id != request.user.pk:
            raise NotFound()
        services.join_request_withdraw(join_request=join_request, user=request.user)
        join_request.refresh_from_db()
        return Response(JoinRequestSerializer(join_request).data)

    # --- invitations

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
        self._require(rules.can_manage_members, team, "Only the team's admins see invitations.")
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
        self._require(rules.can_manage_members, team, "Only the team's admins can revoke links.")
        invitation = Invitation.objects.filter(pk=invitation_id, team=team).first()
        if invitation is None:
            raise NotFound()
        invitation.team = team
        services.invitation_revoke(invitation=invitation, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- members

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
        self._require(rules.can_manage_members, team, "Only the team's admins can remove members.")
        # user__pk, not user_id: only the pk's own lookup turns a number past what the
        # column holds into "no such row" (the foreign key's raises, a 500).
        membership = Membership.objects.filter(team=team, user__pk=user_id).first()
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
        self._require(rules.can_manage_members, team, "Only the team's admins can do this.")
        serializer = AdminHandOverSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = (
            Membership.objects.select_related("user")
            .filter(team=team, user__pk=serializer.validated_data["user"])  # see remove_member
            .first()
        )
        if membership is None:
            raise ValidationError({"user": ["This person is not a member of the team."]})
        services.admin_hand_over(
            team=team,
            actor=request.user,
            to_user=membership.user,
            step_down=serializer.validated_data["step_down"],
        )
        return self._detail(team)

    @extend_schema(
        summary="Close (dissolve) the team (team admins)",
        parameters=[ID_PARAMETER],
        request=None,
        responses=TeamDetailSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[IsSignedInTeamRules])
    def close(self, request, pk=None) -> Response:
        team = self.get_object()
        self._require(rules.can_close_team, team, "Only the team's admins can close it.")
        services.team_close(team=team, actor=request.user)
        return self._detail(team)

    # --- open roles

    def _open_role_data(self, request, *, role: OpenRole | None = None) -> dict:
        """The service's arguments. `skills` (slugs) replaces the role's skills when given,
        `other_skills` adds free ones by name; on a PATCH without `skills` the role keeps
        the skills it has (curated or free, as a GET lists them)."""
        serializer = OpenRoleWriteSerializer(data=request.data, partial=role is not None)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        own = list(role.skills.all()) if role is not None else []
        if "skills" in data:
            slugs = set(data["skills"])
            allowed = Q(is_curated=True) | Q(pk__in=[skill.pk for skill in own])
            skills = list(Skill.objects.filter(allowed, slug__in=slugs))
            if len(skills) != len(slugs):
                raise ValidationError(
                    {"skills": [_("Unknown skill; use the slugs of curated skills.")]}
                )
        else:
            skills = own
        return {
            "title": data.get("title", role.title if role else ""),
            "description": data.get("description", role.description if role else ""),
            "skills": skills,
            "skill_names": [", ".join(data.get("other_skills", []))],
        }

    @extend_schema(
        summary="Add an open role the team wants filled (team admins)",
        parameters=[ID_PARAMETER],
        request=OpenRoleWriteSerializer,
        responses={201: OpenRoleSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="open-roles",
        permission_classes=[IsSignedInTeamRules],
    )
    def open_roles(self, request, pk=None) -> Response:
        team = self.get_object()
        self._require(rules.can_edit_team, team, "Only the team's admins can edit it.")
        role = services.open_role_create(
            team=team, actor=request.user, **self._open_role_data(request)
        )
        return Response(OpenRoleSerializer(role).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary="Change an open role; given skills replace its skills (team admins)",
        parameters=[ID_PARAMETER, ROLE_ID_PARAMETER],
        request=OpenRoleWriteSerializer,
        responses=OpenRoleSerializer,
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove an open role (team admins)",
        parameters=[ID_PARAMETER, ROLE_ID_PARAMETER],
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"open-roles/(?P<role_id>\d+)",
        permission_classes=[IsSignedInTeamRules],
    )
    def open_role(self, request, pk=None, role_id=None) -> Response:
        team = self.get_object()
        self._require(rules.can_edit_team, team, "Only the team's admins can edit it.")
        role = OpenRole.objects.filter(pk=role_id, team=team).prefetch_related("skills").first()
        if role is None:
            raise NotFound()
        role.team = team
        if request.method == "DELETE":
            services.open_role_delete(role=role, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        role = services.open_role_update(
            role=role, actor=request.user, **self._open_role_data(request, role=role)
        )
        return Response(OpenRoleSerializer(role).data)


@extend_schema_view(
    retrieve=extend_schema(
        summary="The team an invitation link is for, and whether it can be used",
        parameters=[OpenApiParameter("token", str, OpenApiParameter.PATH)],
    )
)
@extend_validation_errors(["invalid"], field_name="non_field_errors", actions=["accept"])
class InvitationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Invitation links by their token: whoever has the link may look and join."""

    serializer_class = InvitationPreviewSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "token"
    lookup_value_regex = r"[A-Za-z0-9_\-]+"
    queryset = Invitation.objects.none()

    def _invitation(self, token: str) -> Invitation:
        invitation = selectors.invitation_by_token(token=token)
        if (
            invitation is None
            or not events_visible_to(user=self.request.user)
            .filter(pk=invitation.team.event_id)
            .exists()
        ):
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
        parameters=[OpenApiParameter("token", str, OpenApiParameter.PATH)],
        request=None,
        responses=TeamDetailSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def accept(self, request, token=None) -> Response:
        invitation = self._invitation(token)
        services.invitation_accept(token=token, user=request.user)
        team = _detail_queryset(request.user).get(pk=invitation.team_id)
        return Response(TeamDetailSerializer(team, context=self.get_serializer_context()).data)


@extend_schema_view(list=extend_schema(summary="The teams you are in", parameters=[NoFilters]))
class MyTeamViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = TeamDetailSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Team.objects.none()
        NoFilters.from_request(self.request)
        return selectors.teams_of_user(user=self.request.user).prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("user"))
        )
