"""The judging API's serializers; judging/api has the viewsets and the rules they apply.

Input serializers derive from hackathon.serializers (a field they do not know is a 400
naming it) and take their lengths, choices and ranges from the model fields. They only
read and check the request: the services (judging.services) decide and write.
"""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, UTC

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from challenges.models import Topic
from challenges.selectors import topic_in_event
from events.models import Event
from events.selectors import event_visible_to
from hackathon.serializers import FilterSerializer, ModelSerializer, Serializer, model_field
from judging.enums import ReviewStatus
from judging.models import Assignment, AssignmentRun, Criterion, JudgingRound, Review, Score
from judging.selectors import run_reasons
from judging.services import CRITERION_FIELDS, ROUND_FIELDS
from projects.models import ProjectVersion
from projects.selectors import version_display


class EventClockDateTimeField(serializers.DateTimeField):
    """A time with its offset (that moment, in UTC), or without one, which the service
    then reads on the event's clock (judging.services.rounds), as the organiser pages
    take it. DRF would read a time without an offset on the server's clock instead."""

    def enforce_timezone(self, value):
        if timezone.is_aware(value):
            # In UTC: PostgreSQL takes offsets up to 15:59 only, Python up to 23:59.
            try:
                return value.astimezone(UTC)
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


class EventFilterSerializer(FilterSerializer):
    event = model_field(Event, "slug", help_text="Slug of the event.")

    def validate_event(self, slug: str) -> Event:
        event = event_visible_to(user=self.context["request"].user, slug=slug, with_schedule=False)
        if event is None:
            raise ValidationError(_("Unknown event."))
        return event


class RoundFilterSerializer(EventFilterSerializer):
    """The event whose judging rounds to list."""


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


# --- assignment runs -------------------------------------------------------------------------


class TranslatedCharField(serializers.CharField):
    """A message stored as its English source (gettext_noop), in the request's language."""

    def to_representation(self, value) -> str:
        return _(value) if value else ""


class RunSerializer(serializers.ModelSerializer):
    """An assignment run: its progress while it runs, then its figures (load per juror,
    reviews per project, expertise share, spread, what was kept, added and removed) or,
    when not possible, the reasons (nothing was saved)."""

    stage = TranslatedCharField(read_only=True, help_text="What the run is doing, or did last.")
    result = serializers.JSONField(
        read_only=True,
        help_text="A finished run's figures: `load` (assignments per juror id), "
        "`reviews_per_project`, `expertise_share`, `spread`, `kept`, `added`, `removed`, ….",
    )
    reasons = serializers.SerializerMethodField(
        help_text="Why the run was not possible (status `failed`), one sentence each, in the "
        "request's language."
    )

    class Meta:
        model = AssignmentRun
        fields = [
            "id",
            "round",
            "trigger",
            "status",
            "progress",
            "stage",
            "result",
            "reasons",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, run: AssignmentRun) -> list[str]:
        # Stored as figures; worded here, as on the run page (judging.selectors.run_reasons).
        return run_reasons(run=run)


# --- a juror's assignments and reviews -------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    """One project in the juror's queue (as judging.juror_selectors reads it)."""

    title = serializers.CharField(
        read_only=True, allow_null=True, help_text="The title of the version judged."
    )
    version_number = serializers.IntegerField(read_only=True)
    review_status = serializers.ChoiceField(
        choices=ReviewStatus.choices,
        read_only=True,
        allow_null=True,
        help_text="Null while the review is not started.",
    )
    review_updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "round",
            "project",
            "title",
            "version_number",
            "review_status",
            "review_updated_at",
        ]
        read_only_fields = fields


class SnapshotField(serializers.JSONField):
    """A version's snapshot as the jurors' review page shows it (projects.selectors.
    version_display): with the labels of its category and licence and, for each image,
    the addresses `image_url` and `thumbnail_url`."""

    def to_representation(self, value):
        return super().to_representation(version_display(value))


class VersionForJurorsSerializer(serializers.ModelSerializer):
    snapshot = SnapshotField(
        read_only=True,
        help_text="The project as it was submitted: texts, links, and images with their "
        "addresses (image_url, thumbnail_url).",
    )

    class Meta:
        model = ProjectVersion
        fields = ["number", "created_at", "snapshot"]
        read_only_fields = fields


class CriterionScoresSerializer(Serializer):
    criterion = serializers.IntegerField(source="criterion_id", read_only=True)
    values = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="Sorted, without names."
    )
    mean = serializers.FloatField(read_only=True, allow_null=True)


class OthersScoresSerializer(Serializer):
    reviews = serializers.IntegerField(read_only=True, help_text="Other submitted reviews.")
    criteria = CriterionScoresSerializer(many=True, read_only=True)


class AssignmentDetailSerializer(Serializer):
    """One assignment for its juror: the frozen version to judge, the criteria with their
    guidance, the juror's own review (if started) and, where the round allows it after the
    juror's own submission, the others' scores (never who gave them)."""

    id = serializers.IntegerField(source="assignment.pk", read_only=True)
    round = serializers.IntegerField(source="assignment.round_id", read_only=True)
    project = serializers.IntegerField(source="assignment.project_id", read_only=True)
    version = VersionForJurorsSerializer(source="assignment.version", read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    review = serializers.IntegerField(
        source="review.pk", read_only=True, allow_null=True, help_text="Null until started."
    )
    review_status = serializers.ChoiceField(
        source="review.status", choices=ReviewStatus.choices, read_only=True, allow_null=True
    )
    can_review = serializers.BooleanField(
        read_only=True,
        help_text="Whether the review can change: the round is open and the review is not "
        "final (where a round shows the others' scores after submitting, submitting is final).",
    )
    others_scores = OthersScoresSerializer(read_only=True, allow_null=True)


class ScoreSerializer(serializers.ModelSerializer):
    criterion = serializers.IntegerField(source="criterion_id", read_only=True)

    class Meta:
        model = Score
        fields = ["criterion", "value"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    """A juror's own review."""

    round = serializers.IntegerField(source="assignment.round_id", read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "assignment",
            "round",
            "status",
            "scores",
            "comment_for_organisers",
            "feedback_for_team",
            "submitted_at",
            "updated_at",
        ]
        read_only_fields = fields


class ScoreWriteSerializer(Serializer):
    criterion = serializers.IntegerField(help_text="The criterion's id (of the round).")
    # null: not scored (a draft may leave a criterion open).
    value = model_field(Score, "value", allow_null=True)


class ReviewWriteSerializer(Serializer):
    """Saving one's review: POST names the assignment, PATCH changes the review; scores
    given replace those of their criteria, the others stay. `submit` submits it (every
    criterion scored); a submitted review stays submitted and changes until the round
    closes. A score's refusal is named `score_<criterion id>`."""

    assignment = serializers.IntegerField(help_text="Your assignment's id (only with POST).")
    scores = ScoreWriteSerializer(many=True, required=False)
    comment_for_organisers = model_field(Review, "comment_for_organisers", required=False)
    feedback_for_team = model_field(Review, "feedback_for_team", required=False)
    submit = serializers.BooleanField(
        default=False, help_text="Submit the review (otherwise it is saved as a draft)."
    )

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["assignment"].read_only = True
            fields["assignment"].required = False
        return fields


class RoundIdFilterSerializer(FilterSerializer):
    round = serializers.IntegerField(
        required=False, min_value=1, help_text="Only this round's (its id)."
    )


# --- results ---------------------------------------------------------------------------------


class ResultRowSerializer(Serializer):
    """A project's figures in a round: only submitted reviews count."""

    project = serializers.IntegerField(source="project.pk", read_only=True)
    title = serializers.CharField(read_only=True, help_text="The judged version's title.")
    mean = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Weighted mean of the submitted reviews."
    )
    normalised = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="With each juror's leniency removed (z-scores mapped back to the scale).",
    )
    reviews = serializers.IntegerField(read_only=True, help_text="Submitted reviews.")
    flagged = serializers.BooleanField(
        read_only=True, help_text="Fewer submitted reviews than the round asks for."
    )
    spread = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Highest minus lowest review score."
    )
    std = serializers.FloatField(read_only=True, allow_null=True)
    topic = serializers.IntegerField(source="topic_id", read_only=True, allow_null=True)
    topic_name = serializers.CharField(read_only=True)
    category = serializers.CharField(read_only=True, help_text="Empty when none was chosen.")
    shortlisted = serializers.BooleanField(read_only=True)
    rank = serializers.IntegerField(read_only=True, allow_null=True, help_text="Ties share.")
    topic_rank = serializers.IntegerField(read_only=True, allow_null=True)
    category_rank = serializers.IntegerField(read_only=True, allow_null=True)


class RoundResultsSerializer(Serializer):
    """A round's results for its organisers, ranked overall (unranked last)."""

    round = serializers.IntegerField(source="round.pk", read_only=True)
    reviews_per_project = serializers.IntegerField(source="k", read_only=True)
    scale_min = serializers.FloatField(read_only=True)
    scale_max = serializers.FloatField(read_only=True)
    flagged_count = serializers.IntegerField(read_only=True)
    rows = ResultRowSerializer(many=True, read_only=True)


class ShortlistTopSerializer(Serializer):
    n = serializers.IntegerField(min_value=1, help_text="How many, overall or per topic field.")
    per_topic = serializers.BooleanField(
        default=False, help_text="The top n of each topic field instead of overall."
    )


class PublishedProjectSerializer(Serializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    title = serializers.CharField(read_only=True)


class PublishedCategorySerializer(Serializer):
    category = serializers.CharField(source="key", read_only=True, help_text="Empty: none.")
    label = serializers.CharField(read_only=True)
    projects = PublishedProjectSerializer(source="rows", many=True, read_only=True)


class PublishedRoundSerializer(Serializer):
    """A published round: its shortlisted projects (the winners, in the event's last
    round) by category; no scores, no names."""

    round = serializers.IntegerField(source="round.pk", read_only=True)
    name = serializers.CharField(source="round.name", read_only=True)
    published_at = serializers.DateTimeField(source="round.published_at", read_only=True)
    outcome = serializers.ChoiceField(
        choices=[("winner", "winner"), ("shortlisted", "shortlisted")], read_only=True
    )
    categories = PublishedCategorySerializer(source="by_category", many=True, read_only=True)
