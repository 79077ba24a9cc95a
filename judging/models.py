"""Judging: an event's rounds, their criteria and jurors, who reviews which project, and
the scores.

A round judges projects on the version they submitted (projects.ProjectVersion), never on
the living page; an Assignment keeps the version it was made for.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from challenges.models import Topic
from events.models import Event
from judging.enums import ReviewStatus, RoundEntry, RoundStatus
from projects.models import Project, ProjectVersion
from teams.models import Team

DEFAULT_REVIEWS_PER_PROJECT = 5  # #WirVsVirus: each project pre-scored by at least five


class JudgingRound(models.Model):
    """One step of an event's judging (pre-screening, theme juries, final), in order."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="judging_rounds", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveIntegerField(_("position"))
    entry = models.CharField(
        _("projects entering"),
        max_length=16,
        choices=RoundEntry.choices,
        default=RoundEntry.ALL_SUBMITTED,
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="judging_rounds",
        verbose_name=_("topic field"),
        help_text=_("Only when the round judges the projects of one topic field."),
    )
    reviews_per_project = models.PositiveSmallIntegerField(
        _("reviews per project"), default=DEFAULT_REVIEWS_PER_PROJECT
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    jurors_see_others_after_submitting = models.BooleanField(
        _("jurors see the other scores after submitting their own"), default=False
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("judging round")
        verbose_name_plural = _("judging rounds")
        ordering = ["event_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "position"], name="judging_round_position_per_event"
            ),
            models.CheckConstraint(
                condition=Q(reviews_per_project__gte=1),
                name="judging_round_reviews_at_least_one",
                violation_error_message=_("Each project needs at least one review."),
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="judging_round_closes_after_opening",
                violation_error_message=_("The round must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(entry=RoundEntry.TOPIC, topic__isnull=False)
                | (~Q(entry=RoundEntry.TOPIC) & Q(topic__isnull=True)),
                name="judging_round_topic_with_topic_entry",
                violation_error_message=_(
                    "A topic field is chosen when, and only when, the round judges one topic field."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """What jurors score in a round, on a scale from scale_min to scale_max."""

    round = models.ForeignKey(
        JudgingRound,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("judging round"),
    )
    name = models.CharField(_("name"), max_length=120)
    guidance = models.TextField(_("guidance for jurors"), max_length=2000, blank=True)
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")),
                name="judging_criterion_scale_order",
                violation_error_message=_("The highest score must be above the lowest."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1),
                name="judging_criterion_weight",
                violation_error_message=_("The weight must be at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Juror(models.Model):
    """A person in a round's juror pool, with their expertise and declared conflicts.

    Being a member or a mentor of a team is a conflict too; the platform finds those
    itself (judging.selectors.conflicts_of), so only what it cannot know is declared here.
    """

    round = models.ForeignKey(
        JudgingRound,
        on_delete=models.CASCADE,
        related_name="jurors",
        verbose_name=_("judging round"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="juror_seats",
        verbose_name=_("person"),
    )
    expertise = models.ManyToManyField(
        Topic, blank=True, related_name="jurors", verbose_name=_("expertise")
    )
    conflict_teams = models.ManyToManyField(
        Team, blank=True, related_name="+", verbose_name=_("declared conflicts: teams")
    )
    conflict_organisations = models.TextField(
        _("declared conflicts: organisations"),
        blank=True,
        help_text=_("One organisation name per line."),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["round_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="judging_juror_once_per_round"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def organisation_names(self) -> list[str]:
        """The declared organisations, one per line, without blanks."""
        return [line.strip() for line in self.conflict_organisations.splitlines() if line.strip()]


class Assignment(models.Model):
    """One juror is to review one project of the round, on the version it submitted."""

    round = models.ForeignKey(
        JudgingRound,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("judging round"),
    )
    juror = models.ForeignKey(
        Juror, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("juror")
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    version = models.ForeignKey(
        ProjectVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("version judged"),
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["round_id", "juror_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "juror", "project"], name="judging_assignment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror} → {self.project}"


class Review(models.Model):
    """A juror's review of their assignment: a draft until submitted."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="review", verbose_name=_("assignment")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    comment_for_organisers = models.TextField(
        _("comment for the organisers"), max_length=4000, blank=True
    )
    feedback_for_team = models.TextField(_("feedback for the team"), max_length=4000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assignment_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="judging_submitted_review_has_time",
            ),
        ]

    def __str__(self) -> str:
        return str(self.assignment)


class Score(models.Model):
    """A review's score on one criterion (the services keep it within the scale)."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    value = models.SmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="judging_score_once_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
