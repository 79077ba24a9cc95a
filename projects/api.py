"""The projects API, with the same rules as the web (projects.rules, projects.services).

/api/v1/projects/                    submitted projects, filtered like the gallery; `mine=true`
                                     lists the projects of your teams in every state.
                                     POST (with `team`) creates your team's draft
/api/v1/projects/{id}/               a project (drafts only for its team and organisers);
                                     PATCH changes it (its members before the deadline,
                                     organisers always)
/api/v1/projects/{id}/submit/        POST: submit it as it is now (a new frozen version)
/api/v1/projects/{id}/withdraw/      POST: withdraw the submission
/api/v1/projects/{id}/versions/      the submitted versions, for its team and organisers

A project nobody may see is 404 (drafts and versions for strangers too); one you may see
but not change is 403. Missing or invalid fields are 400 naming each field; an action the
state refuses (after the deadline, withdrawing a draft) is 409 with the reason, and
changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_serializers import ErrorResponse403Serializer
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import (
    NotFound,
    PermissionDenied,
    ValidationError,
)
from rest_framework.response import Response

from hackathon.api_views import ID_PARAMETER, CachedEditableViewSet, resource_schema
from hackathon.serializers import NoFilters
from projects import rules, selectors, services
from projects.fields import EDITABLE_FIELDS
from projects.models import Project
from projects.selectors import REQUIRED_ONE_OF_LINKS, REQUIRED_TEXT_FIELDS
from projects.serializers import (
    ProjectFilterSerializer,
    ProjectSerializer,
    ProjectVersionSerializer,
    ProjectWriteSerializer,
)
from teams.models import Team


class ConflictErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ConflictResponseSerializer(serializers.Serializer):
    type = serializers.CharField(help_text='"client_error"')
    errors = ConflictErrorSerializer(many=True)


CONFLICT_RESPONSE = {409: ConflictResponseSerializer}


def _document_validation_errors(viewset):
    """The 400s the schema cannot infer: bad filters, an unknown team, missing fields."""
    for name in ProjectFilterSerializer().fields:
        viewset = extend_validation_errors(["invalid"], field_name=name, actions=["list"])(viewset)
    viewset = extend_validation_errors(
        ["required", "invalid"], field_name="team", actions=["create"]
    )(viewset)
    # The editor's form checks every field once the serializer has (an unknown challenge
    # or member, too many tags, …); its refusals come as "invalid".
    for name in (*EDITABLE_FIELDS, "non_field_errors"):
        viewset = extend_validation_errors(
            ["invalid"], field_name=name, actions=["create", "partial_update"]
        )(viewset)
    for name in (*REQUIRED_TEXT_FIELDS, "challenges", *REQUIRED_ONE_OF_LINKS):
        viewset = extend_validation_errors(["required"], field_name=name, actions=["submit"])(
            viewset
        )
    return extend_validation_errors(
        ["incomplete"], field_name="non_field_errors", actions=["submit"]
    )(viewset)


@resource_schema(
    filters=ProjectFilterSerializer,
    listed="Submitted projects, filtered like the gallery",
    one="One project",
    create={
        "summary": "Create your team's project as a draft",
        "request": ProjectWriteSerializer,
        "responses": {201: ProjectSerializer, **CONFLICT_RESPONSE},
    },
    partial_update={
        "summary": "Change the project (its members before the deadline; organisers)",
        "request": ProjectWriteSerializer,
        "responses": {200: ProjectSerializer, **CONFLICT_RESPONSE},
    },
)
@_document_validation_errors
class ProjectViewSet(CachedEditableViewSet):
    serializer_class = ProjectSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]
    page_cache_scopes = ("events", "challenges", "teams", "projects", "people")
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return ProjectWriteSerializer
        return ProjectSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return selectors.no_projects()
        filters = ProjectFilterSerializer.from_request(self.request)
        event = None
        if filters.validated_data.get("event"):
            event = selectors.event_to_filter_by(
                slug=filters.validated_data["event"], user=self.request.user
            )
            if event is None:
                raise ValidationError({"event": [_("Unknown event.")]})
        params = filters.selector_params()
        if filters.validated_data["mine"]:
            projects = selectors.projects_of_member(
                user=self.request.user, event=event, params=params
            )
        else:
            projects = selectors.projects_for_gallery(event=event, params=params)
        # Only the page's keys: ProjectListSerializer loads what it shows by them.
        return selectors.only_keys(projects)

    def get_object(self) -> Project:
        project = selectors.project_for_public(pk=self.kwargs["pk"], user=self.request.user)
        self.check_object_permissions(self.request, project)
        return project

    def _read(self, project: Project, *, code=status.HTTP_200_OK) -> Response:
        project = selectors.project_for_public(pk=project.pk, user=self.request.user)
        return Response(
            ProjectSerializer(project, context=self.get_serializer_context()).data, status=code
        )

    def _require_member(self, project: Project, message: str) -> None:
        """Members and organisers go on (the service checks the deadline); 403 for others."""
        if not rules.is_project_member_or_organiser(self.request.user, project):
            raise PermissionDenied(message)

    def create(self, request, *args, **kwargs) -> Response:
        team_id = request.data.get("team") if hasattr(request.data, "get") else None
        team = self._team(team_id)
        if not rules.is_project_member_or_organiser(request.user, team):
            raise PermissionDenied(_("Only the team's members can create its project."))
        serializer = ProjectWriteSerializer(
            data=request.data, team=team, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        project = services.project_create(
            team=team, actor=request.user, data=serializer.validated_data["_data"]
        )
        return self._read(project, code=status.HTTP_201_CREATED)

    def _team(self, team_id) -> Team:
        try:
            team_pk = int(team_id)
        except (TypeError, ValueError):
            message = _("This field is required.") if team_id in (None, "") else _("A team id.")
            raise ValidationError({"team": [message]}) from None
        team = selectors.team_for_new_project(pk=team_pk, user=self.request.user)
        if team is None:
            raise ValidationError({"team": [_("Unknown team.")]})
        return team

    def update(self, request, *args, **kwargs) -> Response:
        if not kwargs.get("partial"):
            raise ValidationError({"non_field_errors": [_("Use PATCH to change a project.")]})
        project = self.get_object()
        self._require_member(project, _("Only the team's members can change its project."))
        serializer = ProjectWriteSerializer(
            project, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.project_update(
            project=project, actor=request.user, data=serializer.validated_data["_data"]
        )
        return self._read(project)

    @extend_schema(
        summary="Submit the project as it is now (a new frozen version)",
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: ProjectSerializer, 403: ErrorResponse403Serializer, **CONFLICT_RESPONSE},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def submit(self, request, pk=None) -> Response:
        project = self.get_object()
        self._require_member(project, _("Only the team's members can submit its project."))
        services.project_submit(project=project, actor=request.user)
        return self._read(project)

    @extend_schema(
        summary="Withdraw the submission",
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: ProjectSerializer, 403: ErrorResponse403Serializer, **CONFLICT_RESPONSE},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def withdraw(self, request, pk=None) -> Response:
        project = self.get_object()
        self._require_member(project, _("Only the team's members can withdraw its project."))
        services.project_withdraw(project=project, actor=request.user)
        return self._read(project)

    @extend_schema(
        summary="The submitted versions, newest first (the team and organisers)",
        parameters=[ID_PARAMETER, NoFilters],
        responses=ProjectVersionSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request, pk=None) -> Response:
        project = self.get_object()
        if not rules.can_view_versions(request.user, project):
            raise NotFound()
        NoFilters.from_request(request)
        jurors_version = selectors.project_version_for_jurors(project=project)
        versions = selectors.versions_of(project=project)
        context = {
            **self.get_serializer_context(),
            "jurors_version_id": jurors_version.pk if jurors_version else None,
        }
        return Response(ProjectVersionSerializer(versions, many=True, context=context).data)
