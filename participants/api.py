"""Participant profiles as their settings allow, and a person's own registrations.

- GET /api/v1/participants/?event=<slug>  profiles of the event the requester may see
- GET /api/v1/participants/{user_id}/     one profile (404 for those who may not see it)
- /api/v1/me/registrations/               list, register (POST), change (PATCH), cancel (DELETE)

The same selectors, rules and services as the web pages. E-mail addresses are never
part of any response.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty
from rest_framework.response import Response

from accounts.models import User
from challenges.enums import State
from challenges.models import Topic
from events.models import Event
from events.selectors import event_visible_to, events_all
from hackathon.api_schema import schema_queryset
from hackathon.serializers import (
    FilterSerializer,
    ModelSerializer,
    NoFilters,
    Serializer,
    model_field,
)
from participants import selectors, services
from participants.enums import Availability, EventRole
from participants.forms import PeopleFilterForm
from participants.models import Language, Profile, Registration, Skill


@dataclass
class Person:
    """What the API shows of one person: never the e-mail address."""

    user: User
    profile: Profile
    registration: Registration | None = None
    skills: list[Skill] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)
    topic_interests: list[Topic] = field(default_factory=list)

    @classmethod
    def of(cls, profile: Profile, registration: Registration | None = None) -> Person:
        if profile.pk is None:  # never saved: nothing chosen yet
            return cls(user=profile.user, profile=profile, registration=registration)
        return cls(
            user=profile.user,
            profile=profile,
            registration=registration,
            skills=list(profile.skills.all()),
            languages=list(profile.languages.all()),
            topic_interests=list(profile.topic_interests.all()),
        )


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["slug", "name", "category", "is_curated"]
        read_only_fields = fields


class LanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Language
        fields = ["code", "name"]
        read_only_fields = fields


class TopicInterestSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Topic
        fields = ["event", "slug", "name"]
        read_only_fields = fields


class EventRegistrationSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Registration
        fields = ["event", "role", "looking_for_team"]
        read_only_fields = fields


class ParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.pk", read_only=True)
    display_name = serializers.CharField(source="user.public_name", read_only=True)
    bio = serializers.CharField(source="profile.bio", read_only=True)
    skills = SkillSerializer(many=True, read_only=True)
    languages = LanguageSerializer(many=True, read_only=True)
    topic_interests = TopicInterestSerializer(many=True, read_only=True)
    region = serializers.ChoiceField(
        source="profile.region",
        choices=State.choices,
        allow_blank=True,
        read_only=True,
        help_text="Federal state (Bundesland) code, empty when not stated.",
    )
    availability = serializers.ChoiceField(
        source="profile.availability",
        choices=Availability.choices,
        allow_blank=True,
        read_only=True,
    )
    registration = EventRegistrationSerializer(
        read_only=True,
        allow_null=True,
        help_text="The person's registration for the event asked for (?event=), if any.",
    )
    web_url = serializers.SerializerMethodField(help_text="The profile page on the site.")

    def get_web_url(self, person: Person) -> str:
        path = reverse("participants:detail", kwargs={"user_id": person.user.pk})
        if person.registration is not None:
            path += f"?event={person.registration.event.slug}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


def _visible_event(request, slug: str | None, *, required: bool) -> Event | None:
    if not slug:
        if required:
            raise ValidationError({"event": [_("Name the event by its slug: ?event=<slug>.")]})
        return None
    event = event_visible_to(user=request.user, slug=slug)
    if event is None:
        raise ValidationError({"event": [_("Unknown event.")]})
    return event


class ParticipantFilterSerializer(FilterSerializer):
    """The list's query parameters. Whether a skill, topic field or language exists is
    checked by the people finder's form (participants.forms.PeopleFilterForm)."""

    # Required, with its own message in _visible_event.
    event = model_field(Event, "slug", required=False, help_text="Event slug. Required.")
    skill = model_field(Skill, "slug", required=False, allow_blank=True, help_text="Skill slug")
    topic = model_field(
        Topic,
        "slug",
        required=False,
        allow_blank=True,
        help_text="Topic field slug (of this event)",
    )
    language = model_field(
        Language, "code", required=False, allow_blank=True, help_text="Language code, e.g. de"
    )
    region = model_field(Profile, "region", help_text="Federal state code")
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=selectors.MAX_TEXT_SEARCH,
        help_text="Text in display name or bio",
    )
    role = serializers.ChoiceField(
        choices=[(role.value, role.label) for role in selectors.LISTED_ROLES],
        required=False,
        allow_blank=True,
    )
    looking_for_team = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only people looking for a team who are not in a team yet.",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Profiles of an event's participants and mentors you may see",
        parameters=[ParticipantFilterSerializer],
    ),
    retrieve=extend_schema(
        summary="One person's profile, if its visibility lets you see it",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="User id"),
            OpenApiParameter("event", str, description="Include the registration for this event"),
        ],
    ),
)
@extend_validation_errors(["invalid"], field_name="event", actions=["retrieve"])  # unknown event
class ParticipantViewSet(viewsets.GenericViewSet):
    serializer_class = ParticipantSerializer
    permission_classes = [permissions.AllowAny]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return schema_queryset(Registration)
        query = self.request.query_params
        params = ParticipantFilterSerializer(data=query, context={"request": self.request})
        params.is_valid()
        try:
            event = _visible_event(self.request, query.get("event"), required=True)
        except ValidationError as error:
            raise ValidationError({**error.detail, **params.errors}) from None
        # The form knows the event's topic fields, the skills and languages: every bad
        # parameter is named at once.
        filters = PeopleFilterForm(query, event=event)
        errors = {**{name: list(e) for name, e in filters.errors.items()}, **params.errors}
        if errors:
            raise ValidationError(errors)
        params = params.validated_data
        return selectors.people_for_viewer(
            event=event,
            viewer=self.request.user,
            params={
                **filters.cleaned_data,
                "role": params.get("role", ""),
                "looking_for_team": params["looking_for_team"],
            },
        )

    def list(self, request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        people = [Person.of(selectors.profile_of(user=r.user), r) for r in page]
        return self.get_paginated_response(self.get_serializer(people, many=True).data)

    def retrieve(self, request, pk=None, *args, **kwargs) -> Response:
        profile = selectors.profile_for_viewer(user_id=int(pk), viewer=request.user)
        registration = None
        if slug := request.query_params.get("event"):
            event = _visible_event(request, slug, required=False)
            registration = selectors.registration_of(user=profile.user, event=event)
        return Response(self.get_serializer(Person.of(profile, registration)).data)


class MyRegistrationSerializer(ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", queryset=events_all())
    event_name = serializers.CharField(source="event.name", read_only=True)
    accept_code_of_conduct = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="Must be true to register: you accept the event's code of conduct.",
    )

    class Meta:
        model = Registration
        fields = [
            "event",
            "event_name",
            "role",
            "looking_for_team",
            "accept_code_of_conduct",
            "code_of_conduct_accepted_at",
            "created_at",
        ]
        read_only_fields = ["code_of_conduct_accepted_at", "created_at"]
        extra_kwargs = {
            "role": {
                "default": EventRole.PARTICIPANT,
                "help_text": "You can register as participant or mentor; organisers set "
                "the other roles.",
            },
            "looking_for_team": {"default": True},
        }


class MyRegistrationUpdateSerializer(Serializer):
    looking_for_team = model_field(Registration, "looking_for_team", required=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # DRF reads a form without the field as false (an unticked checkbox), so an empty
        # form body would change the registration; missing is missing.
        self.fields["looking_for_team"].default_empty_html = empty


@extend_schema_view(
    list=extend_schema(summary="Your registrations", parameters=[NoFilters]),
    create=extend_schema(summary="Register for an event (inside its registration phase)"),
    retrieve=extend_schema(
        summary="Your registration for one event",
        parameters=[
            OpenApiParameter("event", str, OpenApiParameter.PATH, description="Event slug")
        ],
    ),
    partial_update=extend_schema(
        summary="Say whether you are looking for a team",
        request=MyRegistrationUpdateSerializer,
        parameters=[
            OpenApiParameter("event", str, OpenApiParameter.PATH, description="Event slug")
        ],
    ),
    destroy=extend_schema(
        summary="Unregister (not while you are in a team of the event)",
        parameters=[
            OpenApiParameter("event", str, OpenApiParameter.PATH, description="Event slug")
        ],
    ),
)
# The services' refusals (hackathon.errors.exception_handler): the field, or non_field_errors.
@extend_validation_errors(["invalid"], field_name="role", actions=["create"])
@extend_validation_errors(["invalid"], field_name="non_field_errors", actions=["destroy"])
class MyRegistrationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MyRegistrationSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "event__slug"
    lookup_url_kwarg = "event"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return schema_queryset(Registration)
        if self.action == "list":
            NoFilters.from_request(self.request)
        return selectors.registrations_of(user=self.request.user)

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        event = event_visible_to(user=self.request.user, slug=data["event"].slug)
        if event is None:
            raise ValidationError({"event": [_("Unknown event.")]})
        serializer.instance = services.registration_create(
            event=event,
            user=self.request.user,
            role=data["role"],
            looking_for_team=data["looking_for_team"],
            accept_code_of_conduct=data.get("accept_code_of_conduct", False),
        )

    def partial_update(self, request, *args, **kwargs) -> Response:
        registration = self.get_object()
        update = MyRegistrationUpdateSerializer(data=request.data)
        update.is_valid(raise_exception=True)
        registration = services.registration_update(
            registration=registration,
            actor=request.user,
            looking_for_team=update.validated_data["looking_for_team"],
        )
        return Response(self.get_serializer(registration).data)

    def destroy(self, request, *args, **kwargs) -> Response:
        registration = self.get_object()
        services.registration_cancel(registration=registration, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
