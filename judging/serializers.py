"""The judging API's serializers; judging/api has the viewsets and the rules they apply.

Input serializers derive from hackathon.serializers (a field they do not know is a 400
naming it) and take their lengths, choices and ranges from the model fields. They only
read and check the request: the services (judging.services) decide and write.
"""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, UTC

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from challenges.models import Topic
from challenges.selectors import topic_in_event
from events.models import Event
from events.selectors import event_visible_to
from hackathon.serializers import FilterSerializer, ModelSerializer, model_field
from judging.models import Criterion, JudgingRound
from judging.services import CRITERION_FIELDS, ROUND_FIELDS


class EventClockDateTimeField(serializers.DateTimeField):
    """A time as given: with its offset, or without one, then read by the service on the
    event's clock (judging.services.rounds), as the organiser pages take it. DRF would
    read a time without an offset on the server's clock instead."""

    def enforce_timezone(self, value):
        if timezone.is_aware(value):
            try:
                value.astimezone(UTC)
            except OverflowError:
                self.fail("overflow")
        elif not MINYEAR < value.year < MAXYEAR:
            # On the event's clock it could fall outside the years a datetime holds.
            self.fail("overflow")
        return value


# --- reading ---------------------------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "guidance", "scale_min", "scale_max", "weight", "position"]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    """A judging round as its organisers see it, with its criteria."""

    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    topic = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The topic field the round judges (entry `topic`), else null.",
    )
    # In UTC: an organiser may give any time, and in the far past a time zone's local mean
    # time has an offset in seconds, which no RFC 3339 date-time can carry.
    opens_at = serializers.DateTimeField(read_only=True, allow_null=True, default_timezone=UTC)
    closes_at = serializers.DateTimeField(read_only=True, allow_null=True, default_timezone=UTC)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = JudgingRound
        fields = [
            "id",
            "event",
            "name",
            "position",
            "status",
            "entry",
            "topic",
            "reviews_per_project",
            "opens_at",
            "closes_at",
            "jurors_see_others_after_submitting",
            "public_vote",
            "published_at",
            "criteria",
        ]
        read_only_fields = fields


# --- filters -----------------------------------------------------------------------------------


class RoundFilterSerializer(FilterSerializer):
    event = model_field(Event, "slug", help_text="Slug of the event whose rounds to list.")

    def validate_event(self, slug: str) -> Event:
        event = event_visible_to(user=self.context["request"].user, slug=slug, with_schedule=False)
        if event is None:
            raise ValidationError(_("Unknown event."))
        return event


# --- writing -----------------------------------------------------------------------------------


class CriterionWriteSerializer(ModelSerializer):
    """A criterion to add or change (while its round is a draft)."""

    class Meta:
        model = Criterion
        fields = list(CRITERION_FIELDS)
        extra_kwargs = {"position": {"required": False}}


class RoundWriteSerializer(ModelSerializer):
    """Creating a round (POST: `event` and `name`, optionally its criteria; without them
    the five default ones) or changing one (PATCH: any of its settings). Times without an
    offset are on the event's clock."""

    event = model_field(Event, "slug", help_text="Slug of the event (only when creating).")
    topic = model_field(
        Topic,
        "slug",
        required=False,
        allow_null=True,
        help_text="Slug of the topic field the round judges (with entry `topic`).",
    )
    opens_at = EventClockDateTimeField(required=False, allow_null=True)
    closes_at = EventClockDateTimeField(required=False, allow_null=True)
    criteria = CriterionWriteSerializer(
        many=True,
        required=False,
        allow_empty=False,
        help_text="Only when creating; without them, the five default criteria (1–5, equal "
        "weights). Afterwards, through …/criteria/.",
    )

    class Meta:
        model = JudgingRound
        fields = ["event", *ROUND_FIELDS, "criteria"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            # A round stays in its event; its criteria change through …/criteria/.
            for name in ("event", "criteria"):
                fields[name].read_only = True
                fields[name].required = False
        return fields

    def validate(self, attrs: dict) -> dict:
        round: JudgingRound | None = self.instance
        if round is None:
            request = self.context["request"]
            event = event_visible_to(user=request.user, slug=attrs["event"], with_schedule=False)
            if event is None:
                raise ValidationError({"event": [_("Unknown event.")]})
            attrs["event"] = event
        else:
            event = round.event
        if attrs.get("topic"):
            topic = topic_in_event(event=event, slug=attrs["topic"])
            if topic is None:
                raise ValidationError({"topic": [_("This event has no topic field by that name.")]})
            attrs["topic"] = topic
        elif "topic" in attrs:
            attrs["topic"] = None
        return attrs
