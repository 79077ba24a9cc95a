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

from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_standardized_errors.openapi_serializers import ErrorResponse403Serializer
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from events.models import Event
from events.rules import is_organiser
from hackathon.serializers import FilterSerializer, Serializer, model_field
from mentoring import rules, services
from mentoring.models import HelpRequest
from mentoring.selectors import with_fit
from participants.models import Registration, Skill
from teams.models import Membership, Team

ID_PARAMETER = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
MENTOR_ROLES = ("mentor", "organiser")


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
        """Only for the team, the mentor who took the request and organisers."""
        viewer = self.context.get("viewer")
        if viewer is None:
            return None
        if (
            help_request.team_id in viewer.team_ids
            or help_request.mentor_id == viewer.user_id
            or viewer.is_organiser(help_request.team.event_id)
        ):
            return help_request.contact
        return None


class HelpRequestCreateSerializer(Serializer):
    team = serializers.IntegerField(min_value=1)
    skill = serializers.SlugRelatedField(
        slug_field="slug", queryset=Skill.objects.all(), required=False, allow_null=True
    )
    topic = model_field(HelpRequest, "topic", default="")
    question = model_field(HelpRequest, "question")
    contact = model_field(HelpRequest, "contact")


class HelpRequestFilterSerializer(FilterSerializer):
    """The list's query parameters; a bad value is a 400 naming the parameter."""

    event = model_field(Event, "slug", required=False)
    team = serializers.IntegerField(required=False, min_value=1)
    status = model_field(HelpRequest, "status", required=False)


class _Viewer:
    """What the list needs to know about the person asking, read once per request."""

    def __init__(self, user) -> None:
        self.user_id = user.pk
        self.is_global_organiser = bool(is_organiser(user))
        self.team_ids = set(Membership.objects.filter(user=user).values_list("team_id", flat=True))
        roles = Registration.objects.filter(user=user, role__in=MENTOR_ROLES).values_list(
            "event_id", "role"
        )
        self.mentor_event_ids = {event_id for event_id, _role in roles}
        self.organiser_event_ids = {event_id for event_id, role in roles if role == "organiser"}

    def is_organiser(self, event_id: int) -> bool:
        return self.is_global_organiser or event_id in self.organiser_event_ids


def _visible_requests(viewer: _Viewer, user) -> QuerySet[HelpRequest]:
    """Requests of the viewer's teams, those they took, and every request of the events
    they mentor or organise (all of them for the organisers' group)."""
    requests = HelpRequest.objects.all()
    if not viewer.is_global_organiser:
        requests = requests.filter(
            Q(team_id__in=viewer.team_ids)
            | Q(mentor_id=viewer.user_id)
            | Q(team__event_id__in=viewer.mentor_event_ids)
        )
    return with_fit(requests.select_related("team", "team__event", "skill", "mentor"), mentor=user)


@extend_schema_view(
    list=extend_schema(
        summary="Help requests of my teams, those I took, and all of the events I mentor",
        parameters=[HelpRequestFilterSerializer],
    ),
    retrieve=extend_schema(summary="One help request", parameters=[ID_PARAMETER]),
    create=extend_schema(
        summary="Ask the mentors for help (team members)",
        request=HelpRequestCreateSerializer,
        responses={201: HelpRequestSerializer, 403: ErrorResponse403Serializer},
    ),
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

    def _viewer(self) -> _Viewer:
        if not hasattr(self, "_viewer_cache"):
            self._viewer_cache = _Viewer(self.request.user)
        return self._viewer_cache

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if getattr(self.request, "user", None) and self.request.user.is_authenticated:
            context["viewer"] = self._viewer()
        return context

    def get_queryset(self) -> QuerySet[HelpRequest]:
        if getattr(self, "swagger_fake_view", False):
            return HelpRequest.objects.none()
        requests = _visible_requests(self._viewer(), self.request.user)
        if self.action != "list":
            return requests
        params = HelpRequestFilterSerializer.from_request(self.request).validated_data
        if "event" in params:
            requests = requests.filter(team__event__slug=params["event"])
        if "team" in params:
            # team__pk, not team_id: only the pk's own lookup turns a number past what the
            # column holds into "no such row" (the foreign key's raises, a 500).
            requests = requests.filter(team__pk=params["team"])
        if "status" in params:
            requests = requests.filter(status=params["status"])
        return requests

    def create(self, request, *args, **kwargs) -> Response:
        data = HelpRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        team = (
            Team.objects.select_related("event")
            .filter(pk=values["team"], event__is_public=True)
            .first()
        )
        if team is None and is_organiser(request.user):
            team = Team.objects.select_related("event").filter(pk=values["team"]).first()
        if team is None:
            raise ValidationError({"team": ["No such team."]})
        if team.pk not in self._viewer().team_ids:
            raise PermissionDenied("Only members of the team can ask for help.")
        help_request = services.help_request_create(
            team=team,
            actor=request.user,
            skill=values.get("skill"),
            topic=values.get("topic", ""),
            question=values["question"],
            contact=values["contact"],
        )
        help_request = self.get_queryset().get(pk=help_request.pk)
        return Response(
            HelpRequestSerializer(help_request, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def _act(self, pk, *, allowed, step) -> Response:
        help_request = self.get_queryset().filter(pk=pk).first()
        if help_request is None:
            raise NotFound
        if not allowed(self.request.user, help_request):
            raise PermissionDenied
        step(help_request)
        help_request = self.get_queryset().get(pk=help_request.pk)
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
