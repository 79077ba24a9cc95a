"""Read-only API for events and their schedules: /api/v1/events/ and /api/v1/events/{slug}/."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from events.enums import PhaseKind
from events.models import Event
from events.schedule import Milestone, ScheduleEntry
from events.selectors import events_by_relevance, events_visible_to, schedule_shown_until
from hackathon.api_schema import schema_queryset
from hackathon.pagecache import CachedAnonymousListMixin, expire_at
from hackathon.serializers import NoFilters


class EventPhaseSerializer(serializers.Serializer):
    """One phase; times with the event's UTC offset."""

    kind = serializers.ChoiceField(choices=PhaseKind.choices, read_only=True)
    label = serializers.CharField(
        read_only=True, help_text="The phase's name in the request's language."
    )
    starts_at = serializers.DateTimeField(read_only=True, help_text="Inclusive.")
    ends_at = serializers.DateTimeField(read_only=True, help_text="Exclusive.")
    is_active = serializers.BooleanField(
        read_only=True, help_text="Running at the time of the request."
    )


class EventMilestoneSerializer(serializers.Serializer):
    """The next moment a phase begins or ends."""

    at = serializers.DateTimeField(read_only=True)
    kind = serializers.ChoiceField(choices=PhaseKind.choices, read_only=True)
    is_start = serializers.BooleanField(read_only=True, help_text="False when the phase ends.")
    label = serializers.CharField(read_only=True, help_text="E.g. 'Hackathon ends'.")


class EventSerializer(serializers.ModelSerializer):
    """An event with its schedule as seen at the time of the request.

    All datetimes carry the event's UTC offset (e.g. +02:00 in Berlin summer time).
    """

    url = serializers.HyperlinkedIdentityField(
        view_name="event-detail", lookup_field="slug", read_only=True
    )
    web_url = serializers.SerializerMethodField(help_text="The event's page on the site.")
    calendar_url = serializers.SerializerMethodField(help_text="The schedule as iCalendar feed.")
    schedule = serializers.SerializerMethodField()
    current_phase = serializers.SerializerMethodField()
    next_milestone = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "url",
            "slug",
            "name",
            "tagline",
            "description",
            "time_zone",
            "is_public",
            "web_url",
            "calendar_url",
            "current_phase",
            "next_milestone",
            "schedule",
        ]
        read_only_fields = fields

    def _now(self):
        return self.context.get("now") or timezone.now()

    def to_representation(self, instance: Event) -> dict:
        # DRF renders datetimes in the active time zone: make that the event's.
        with timezone.override(instance.tzinfo):
            return super().to_representation(instance)

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, event: Event) -> str:
        return self._absolute(event.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_calendar_url(self, event: Event) -> str:
        return self._absolute(reverse("events:calendar", args=[event.slug]))

    @extend_schema_field(EventPhaseSerializer(many=True))
    def get_schedule(self, event: Event) -> list[dict]:
        entries: list[ScheduleEntry] = event.schedule(self._now())
        return EventPhaseSerializer(entries, many=True).data

    @extend_schema_field(EventPhaseSerializer(allow_null=True))
    def get_current_phase(self, event: Event) -> dict | None:
        now = self._now()
        phase = event.current_phase(now)
        if phase is None:
            return None
        entry = ScheduleEntry(phase=phase, is_current=True, is_active=True, is_past=False)
        return EventPhaseSerializer(entry).data

    @extend_schema_field(EventMilestoneSerializer(allow_null=True))
    def get_next_milestone(self, event: Event) -> dict | None:
        milestone: Milestone | None = event.next_milestone(self._now())
        return EventMilestoneSerializer(milestone).data if milestone else None


@extend_schema_view(
    list=extend_schema(
        summary="List events",
        description="Public events, running and upcoming first; organisers also see "
        "unpublished ones.",
        parameters=[NoFilters],
    ),
    retrieve=extend_schema(
        summary="Get an event",
        description="404 for unpublished events unless you are an organiser.",
    ),
)
class EventViewSet(CachedAnonymousListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    page_cache_scopes = ("events",)
    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    queryset = schema_queryset(Event)  # for the schema; the selectors decide what is visible

    def get_queryset(self):
        if self.action == "list":
            NoFilters.from_request(self.request)
            return events_by_relevance(user=self.request.user, now=self._now())
        return events_visible_to(user=self.request.user)

    def _now(self):
        if not hasattr(self, "_request_now"):
            self._request_now = timezone.now()  # one clock for the whole response
        return self._request_now

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "now": self._now()}

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # A cached list is kept only until a phase of one of its events starts or ends.
        shown = page if page is not None else queryset
        expire_at(self.request._request, schedule_shown_until(events=shown, now=self._now()))
        return page
