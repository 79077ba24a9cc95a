"""The help requests API, with the same rules as the web (mentoring.rules, mentoring.services).

/api/v1/help-requests/               GET: the requests of my teams, those I took, and (for
                                     mentors and organisers of an event) all of that event,
                                     fitting my skills first, then the oldest; filters
                                     `event`, `team`, `status` (mentors: status=open is the
                                     board). POST: a team member asks for help.
/api/v1/help-requests/{id}/          one of those
/api/v1/help-requests/{id}/claim/    POST: a mentor takes it (exactly one mentor wins)
/api/v1/help-requests/{id}/release/  POST: the mentor gives it back
/api/v1/help-requests/{id}/close/    POST: the mentor, a team member or an organiser closes it

A request one may not see is 404; one may see but not act on is 403; a step the state does
not allow (taken by someone else meanwhile, already closed, …) is 400 naming the field or
`non_field_errors`. The team's contact details are only shown to the team, the mentor who
took the request and organisers.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_serializers import ErrorResponse403Serializer
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from events.models import Event
from hackathon.api_views import ID_PARAMETER, resource_schema
from hackathon.serializers import FilterSerializer, Serializer, model_field
from mentoring import rules, selectors, services
from mentoring.models import HelpRequest


class HelpRequestSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    event = serializers.SlugRelatedField(source="team.event", slug_field="slug", read_only=True)
    skill = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    mentor = serializers.CharField(
        source="mentor.public_name", read_only=True, default=None, allow_null=True
    )
    contact = serializers.SerializerMethodField()

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            "team",
            "team_name",
            "event",
            "skill",
            "topic",
            "question",
            "contact",
            "status",
            "mentor",
            "created_at",
            "claimed_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_contact(self, help_request: HelpRequest) -> str | None:
        """Only for the team, the mentor who took the request and organisers
        (rules.can_see_contact; lists come with it set by selectors.with_contact_visibility)."""
        can_see = getattr(help_request, "can_see_contact", None)
        if can_see is None:
            request = self.context.get("request")
            can_see = request is not None and rules.can_see_contact(request.user, help_request)
        return help_request.contact if can_see else None


class HelpRequestCreateSerializer(Serializer):
    team = serializers.IntegerField(min_value=1)
    skill = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=selectors.skills_to_ask_about(),
        required=False,
        allow_null=True,
    )
    topic = model_field(HelpRequest, "topic", default="")
    question = model_field(HelpRequest, "question")
    contact = model_field(HelpRequest, "contact")


class HelpRequestFilterSerializer(FilterSerializer):
    """The list's query parameters; a bad value is a 400 naming the parameter."""

    event = model_field(Event, "slug", required=False)
    team = serializers.IntegerField(required=False, min_value=1)
    status = model_field(HelpRequest, "status", required=False)


@resource_schema(
    filters=HelpRequestFilterSerializer,
    listed="Help requests of my teams, those I took, and all of the events I mentor",
    one="One help request",
    create={
        "summary": "Ask the mentors for help (team members)",
        "request": HelpRequestCreateSerializer,
        "responses": {201: HelpRequestSerializer, 403: ErrorResponse403Serializer},
    },
)
@extend_validation_errors(
    ["invalid"], field_name="non_field_errors", actions=["claim", "release", "close"]
)
class HelpRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = HelpRequestSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[HelpRequest]:
        """The list: what selectors.help_requests_for_user shows this person, filtered."""
        user = None if getattr(self, "swagger_fake_view", False) else self.request.user
        params = (
            HelpRequestFilterSerializer.from_request(self.request).validated_data
            if self.action == "list"
            else {}
        )
        return selectors.help_requests_for_user(
            user=user,
            event_slug=params.get("event"),
            team_pk=params.get("team"),
            status=params.get("status"),
        )

    def paginate_queryset(self, queryset):
        """The page with who may read each team's contact, in one query for the page."""
        page = super().paginate_queryset(queryset)
        if page is None:
            return None
        return selectors.with_contact_visibility(page, user=self.request.user)

    def get_object(self) -> HelpRequest:
        """The request if this person may see it, as on the web; 404 otherwise."""
        return selectors.help_request_for_user(pk=int(self.kwargs["pk"]), user=self.request.user)

    def create(self, request, *args, **kwargs) -> Response:
        data = HelpRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        team = selectors.team_asking_for_help(pk=values["team"], user=request.user)
        if team is None:
            raise ValidationError({"team": [_("No such team.")]})
        if not rules.can_ask_for_help(request.user, team):
            raise PermissionDenied(_("Only members of the team can ask for help."))
        help_request = services.help_request_create(
            team=team,
            actor=request.user,
            skill=values.get("skill"),
            topic=values.get("topic", ""),
            question=values["question"],
            contact=values["contact"],
        )
        help_request = selectors.help_request_for_user(pk=help_request.pk, user=request.user)
        return Response(
            HelpRequestSerializer(help_request, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def _act(self, pk, *, allowed, step) -> Response:
        help_request = self.get_object()
        if not allowed(self.request.user, help_request):
            raise PermissionDenied
        step(help_request)
        help_request = selectors.help_request_for_user(pk=help_request.pk, user=self.request.user)
        return Response(self.get_serializer(help_request).data)

    @extend_schema(
        summary="Take an open request (mentors)",
        request=None,
        responses={200: HelpRequestSerializer, 403: ErrorResponse403Serializer},
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None) -> Response:
        return self._act(
            pk,
            allowed=rules.can_claim_help_request,
            step=lambda hr: services.help_request_claim(help_request=hr, mentor=request.user),
        )

    @extend_schema(
        summary="Give a request back (the mentor who took it)",
        request=None,
        responses={200: HelpRequestSerializer, 403: ErrorResponse403Serializer},
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None) -> Response:
        return self._act(
            pk,
            allowed=rules.can_release_help_request,
            step=lambda hr: services.help_request_release(help_request=hr, mentor=request.user),
        )

    @extend_schema(
        summary="Close a request (its mentor, the team or an organiser)",
        request=None,
        responses={200: HelpRequestSerializer, 403: ErrorResponse403Serializer},
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None) -> Response:
        return self._act(
            pk,
            allowed=rules.can_close_help_request,
            step=lambda hr: services.help_request_close(help_request=hr, actor=request.user),
        )
