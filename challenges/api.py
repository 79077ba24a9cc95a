from __future__ import annotations

from types import SimpleNamespace

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_serializers import ErrorResponse403Serializer
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from challenges import rules, selectors, services
from challenges.enums import ChallengeStatus
from challenges.fields import CONTENT_FIELDS, GIVER_FIELDS
from challenges.forms import ChallengeForm
from challenges.models import Challenge, ChallengeQuestion, Tag, Topic
from events.models import Event
from hackathon.api_views import CachedEditableViewSet, path_number
from hackathon.pagecache import CachedAnonymousListMixin
from hackathon.serializers import (
    FilterSerializer,
    ModelSerializer,
    NoFilters,
    Serializer,
    datetime_representation,
    model_field,
)

TOPIC_SLUG_LENGTH = Topic._meta.get_field("slug").max_length
PRIVATE_FIELDS = ("contact_name", "contact_email", "contact_phone", "rejection_reason")
# A challenge in the path: its number in the event, not its primary key.
NUMBER_PARAMETER = path_number("number")


class TopicSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    published_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = ["id", "event", "slug", "name", "description", "published_count"]


class TagListField(serializers.ListField):
    child = model_field(Tag, "name")

    def to_representation(self, tags) -> list[str]:
        return [tag.name for tag in tags.all()]


class EventTopicField(serializers.SlugRelatedField):
    """A topic field by its slug. Slugs repeat across events, so the slug is only read
    here and resolved within the challenge's event in ChallengeSerializer.validate."""

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str) or not data or len(data) > TOPIC_SLUG_LENGTH:
            self.fail("invalid")
        return data


class ChallengeFilterSerializer(FilterSerializer):
    """The list's query parameters; a bad value is a 400 naming the parameter."""

    event = model_field(Event, "slug", required=False, help_text="Event slug")
    topic = model_field(Topic, "slug", required=False, help_text="Topic field slug")
    giver_type = model_field(Challenge, "giver_type", required=False)
    state = model_field(Challenge, "status", required=False, help_text="Workflow state")
    bundesland = model_field(Challenge, "state", required=False, help_text="Federal state")
    search = serializers.CharField(
        required=False, max_length=200, help_text="Full-text search (German)"
    )


class TopicFilterSerializer(FilterSerializer):
    event = model_field(Event, "slug", required=False, help_text="Event slug")


class ChallengeListSerializer(serializers.ListSerializer):
    """ChallengeSerializer(many=True), written from plain values (challenges_listed) instead
    of one serializer per challenge and field: the same JSON as ChallengeSerializer gives
    (tests/challenges/test_api_list.py). Give it challenges with their primary keys."""

    def to_representation(self, data) -> list[dict]:
        challenges = list(data.all() if hasattr(data, "all") else data)
        rows = selectors.challenges_listed(ids=[challenge.pk for challenge in challenges])
        request = self.context["request"]
        site = request.build_absolute_uri("/")[:-1]
        user = request.user
        # ChallengeSerializer.to_representation's rules, on the values.
        sees_all = rules.is_organiser(user)
        own = user.pk if user.is_authenticated else None
        when = datetime_representation()
        fields = self.child.Meta.fields
        # The model's own methods, on the values (they read only the number).
        challenge_url, public_number = Challenge.get_absolute_url, Challenge.public_number.fget

        def item(row: dict) -> dict:
            number = SimpleNamespace(number=row["number"])
            values = {
                **row,
                "public_number": public_number(number),
                "url": site + challenge_url(number),
                "event": row["event__slug"],
                "topic": row["topic__slug"],
                "merged_into": row["merged_into__number"],
                "created_at": when(row["created_at"]),
                "published_at": row["published_at"] and when(row["published_at"]),
            }
            shown = {name: values[name] for name in fields}
            if not (sees_all or (own is not None and row["submitted_by_id"] == own)):
                for name in PRIVATE_FIELDS:
                    del shown[name]
            return shown

        return [item(rows[challenge.pk]) for challenge in challenges if challenge.pk in rows]


class ChallengeSerializer(ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="slug", queryset=selectors.events_all())
    topic = EventTopicField(
        slug_field="slug", queryset=selectors.topics_all(), required=False, allow_null=True
    )
    tags = TagListField(required=False, max_length=10)
    public_number = serializers.CharField(read_only=True)
    merged_into = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Challenge
        fields = [
            "number",
            "public_number",
            "url",
            "event",
            "status",
            # What a giver writes (challenges.fields), the tags after the topic field.
            *CONTENT_FIELDS,
            "tags",
            *GIVER_FIELDS,
            "rejection_reason",
            "merged_into",
            "support_count",
            "created_at",
            "published_at",
        ]
        read_only_fields = [
            "number",
            "status",
            "rejection_reason",
            "support_count",
            "created_at",
            "published_at",
        ]
        # to_representation leaves them out for everyone but the owners and organisers.
        optional_in_response = PRIVATE_FIELDS
        list_serializer_class = ChallengeListSerializer

    def get_url(self, challenge: Challenge) -> str:
        request = self.context.get("request")
        path = challenge.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def to_representation(self, challenge: Challenge) -> dict:
        data = super().to_representation(challenge)
        user = self.context["request"].user
        if not (rules.is_giver(user, challenge) or rules.is_organiser(user)):
            for field in PRIVATE_FIELDS:
                data.pop(field, None)
        return data

    def validate(self, attrs: dict) -> dict:
        """Runs the web form's validation so both paths accept and refuse the same input."""
        instance = self.instance
        event = attrs.get("event") or (instance.event if instance else None)
        if instance is not None and "event" in attrs and attrs["event"] != instance.event:
            raise ValidationError({"event": [_("The event of a challenge cannot be changed.")]})
        if attrs.get("topic"):
            attrs["topic"] = selectors.topic_in_event(event=event, slug=attrs["topic"])
            if attrs["topic"] is None:
                raise ValidationError(
                    {"topic": [_("This event has no topic field with this slug.")]}
                )
        merged = {}
        for field in ChallengeForm.Meta.fields:
            if field in attrs:
                merged[field] = attrs[field]
            elif instance is not None:
                merged[field] = getattr(instance, field)
        topic = merged.get("topic")
        form_data = {key: ("" if value is None else value) for key, value in merged.items()}
        form_data["topic"] = topic.pk if topic else ""
        form_data["tags"] = ", ".join(attrs.get("tags", []))
        form = ChallengeForm(data=form_data, event=event, instance=instance)
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        attrs["_data"] = {f: form.cleaned_data[f] for f in ChallengeForm.Meta.fields if f in merged}
        attrs["_tags"] = form.cleaned_data["tags"] if "tags" in attrs or instance is None else None
        return attrs


class ChallengeQuestionSerializer(ModelSerializer):
    asked_by = serializers.SerializerMethodField()
    answered_by = serializers.SerializerMethodField()

    class Meta:
        model = ChallengeQuestion
        fields = ["id", "text", "asked_by", "asked_at", "answer", "answered_by", "answered_at"]
        read_only_fields = ["asked_at", "answer", "answered_at"]

    def get_asked_by(self, question: ChallengeQuestion) -> str | None:
        return question.asked_by.public_name if question.asked_by else None

    def get_answered_by(self, question: ChallengeQuestion) -> str | None:
        return question.answered_by.public_name if question.answered_by else None


class AnswerSerializer(Serializer):
    answer = model_field(ChallengeQuestion, "answer", required=True, allow_blank=False)


MUNICIPALITY_KEY_CODES = ("ags_format", "ags_state")


def _document_validation_errors(viewset):
    """The 400s the schema cannot infer: the web form's refusals (ChallengeSerializer.validate
    names each field with "invalid"), the municipality key's own codes
    (challenges.validators) and the services' refusals of a step."""
    writes = ["create", "update", "partial_update"]
    for name in ChallengeForm.base_fields:  # the model's fields and the declared ones (tags)
        codes = ["invalid", *MUNICIPALITY_KEY_CODES] if name == "municipality_key" else ["invalid"]
        viewset = extend_validation_errors(codes, field_name=name, actions=writes)(viewset)
    return extend_validation_errors(
        ["invalid"], field_name="non_field_errors", actions=["submit", "support"]
    )(viewset)


@extend_schema_view(
    list=extend_schema(parameters=[ChallengeFilterSerializer]),
    retrieve=extend_schema(parameters=[NUMBER_PARAMETER]),
    partial_update=extend_schema(parameters=[NUMBER_PARAMETER]),
    update=extend_schema(parameters=[NUMBER_PARAMETER]),
)
@_document_validation_errors
class ChallengeViewSet(CachedEditableViewSet):
    """Published challenges for everyone; signed-in people create and edit their own drafts."""

    serializer_class = ChallengeSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    page_cache_scopes = ("events", "challenges")
    lookup_field = "number"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if self.action == "list":
            params = ChallengeFilterSerializer.from_request(self.request).validated_data
            # Only the page's keys: ChallengeListSerializer loads what it shows by them.
            return selectors.challenge_keys_for_api(user=self.request.user, params=params)
        return selectors.challenges_for_api(user=self.request.user, params={})

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        if not selectors.event_visible(event=data["event"], user=self.request.user):
            raise ValidationError({"event": [_("Unknown event.")]})
        serializer.instance = services.challenge_create(
            event=data["event"],
            author=self.request.user,
            data=data["_data"],
            tags=data["_tags"] or [],
        )

    def perform_update(self, serializer) -> None:
        challenge = serializer.instance
        if not rules.can_edit_challenge(self.request.user, challenge):
            if rules.can_view_challenge(self.request.user, challenge):
                raise PermissionDenied(_("You may not edit this challenge."))
            raise NotFound()
        data = serializer.validated_data
        serializer.instance = services.challenge_update(
            challenge=challenge, actor=self.request.user, data=data["_data"], tags=data["_tags"]
        )

    @extend_schema(request=None, responses=ChallengeSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, number=None) -> Response:
        challenge = self.get_object()
        if not rules.is_giver(request.user, challenge):
            raise PermissionDenied(_("Only the person who wrote this challenge can submit it."))
        challenge = services.challenge_submit(challenge=challenge, actor=request.user)
        return Response(self.get_serializer(challenge).data)

    @extend_schema(request=None, responses={204: None})
    @action(
        detail=True, methods=["post", "delete"], permission_classes=[permissions.IsAuthenticated]
    )
    def support(self, request, number=None) -> Response:
        challenge = self.get_object()
        if request.method == "DELETE":
            services.challenge_unsupport(challenge=challenge, user=request.user)
        else:
            services.challenge_support(challenge=challenge, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["get"],
        parameters=[NoFilters],
        responses=ChallengeQuestionSerializer(many=True),
        description="The questions about a published challenge and their answers.",
    )
    @extend_schema(
        methods=["post"],
        request=ChallengeQuestionSerializer,
        responses={201: ChallengeQuestionSerializer},
        description="Asks the challenge's owners a question (signed in).",
    )
    @action(detail=True, methods=["get", "post"])
    def questions(self, request, number=None) -> Response:
        challenge = self.get_object()
        if challenge.status != ChallengeStatus.PUBLISHED:
            raise NotFound()
        if request.method == "POST":
            serializer = ChallengeQuestionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            question = services.challenge_question_ask(
                challenge=challenge, user=request.user, text=serializer.validated_data["text"]
            )
            return Response(
                ChallengeQuestionSerializer(question).data, status=status.HTTP_201_CREATED
            )
        NoFilters.from_request(request)
        page = self.paginate_queryset(selectors.questions_visible(challenge=challenge))
        return self.get_paginated_response(ChallengeQuestionSerializer(page, many=True).data)

    @extend_schema(
        request=AnswerSerializer,
        responses={200: ChallengeQuestionSerializer, 403: ErrorResponse403Serializer},
        parameters=[path_number("question_pk")],
        description="Answers a question, or changes the answer (owners and organisers).",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"questions/(?P<question_pk>\d+)/answer",
        permission_classes=[permissions.IsAuthenticated],
    )
    def answer(self, request, number=None, question_pk=None) -> Response:
        challenge = self.get_object()
        question = selectors.question_for_user(pk=int(question_pk), user=request.user)
        if question.challenge_id != challenge.pk:
            raise NotFound()
        if not rules.can_answer_questions(request.user, question.challenge):
            raise PermissionDenied(_("Only the owners of this challenge can answer its questions."))
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = services.challenge_question_answer(
            question=question, actor=request.user, text=serializer.validated_data["answer"]
        )
        return Response(ChallengeQuestionSerializer(question).data)


@extend_schema_view(list=extend_schema(parameters=[TopicFilterSerializer]))
class TopicViewSet(CachedAnonymousListMixin, viewsets.ReadOnlyModelViewSet):
    """Topic fields of the public events, with the number of published challenges in each."""

    serializer_class = TopicSerializer
    page_cache_scopes = ("events", "challenges")

    def get_queryset(self):
        event_slug = ""
        if self.action == "list":
            filters = TopicFilterSerializer.from_request(self.request).validated_data
            event_slug = filters.get("event", "")
        return selectors.topics_for_api(user=self.request.user, event_slug=event_slug)
